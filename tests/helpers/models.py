"""Naive models the property tests compare the fake against: written for plainness, not speed,
and independent of the code under test."""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the types only: the models compute from plain fields
    from fake_meetings.domain.model import Session
    from fake_meetings.domain.recordings import Recording


def keyset_page(
    ordered: list[str],
    limit: int,
    after: str | None,
    before: str | None,
    keys: dict[str, tuple[int, str]],
) -> list[str]:
    """Daily's keyset page over ids ``ordered`` newest first (``keys``: each id's sort key):
    filter by the cursor's key, then take the closest ``limit``; ``before="OLDEST"`` is the
    oldest page."""
    if after is not None:
        return [i for i in ordered if keys[i] < keys[after]][:limit]
    if before == "OLDEST":
        return ordered[-limit:] if limit < len(ordered) else ordered
    if before is not None:
        newer = [i for i in ordered if keys[i] > keys[before]]
        return newer[-limit:] if limit < len(newer) else newer
    return ordered[:limit]


# A stay as the naive models see it: (participant_id, join_time, duration or None while open).
NaiveStay = tuple[str, int, int | None]


def recorded_stays(stays: list[NaiveStay], now: int, min_stay: int) -> list[NaiveStay]:
    """The ten-second rule, plainly: a stay is shown at ``now`` once it has lasted
    ``min_stay`` by then (joined ``min_stay`` before, and did not leave sooner), in join order."""
    shown = [
        (pid, join, duration)
        for pid, join, duration in stays
        if now >= join + min_stay and (duration is None or duration >= min_stay)
    ]
    return sorted(shown, key=lambda p: (p[1], p[0]))


def naive_session(
    start: int, stays: list[NaiveStay], now: int, min_stay: int
) -> dict[str, object] | None:
    """What ``/meetings`` shows of a session at ``now`` under the rule, or None when it is not
    listed: listed once it started and holds a shown stay; ``duration`` and ``ongoing`` follow
    the latest leave of the stays that are ever shown (none while one is open);
    ``max_participants`` is the peak overlap of the shown stays, each present until it leaves
    or until ``now``. With ``min_stay`` 0 the rule is off: a session is listed from its start,
    a stay from its join."""
    shown = recorded_stays(stays, now, min_stay)
    if now < start or (min_stay and not shown):  # 0: the rule is off, listed from its start
        return None
    lasting = [(j, d) for _, j, d in stays if d is None or d >= min_stay]
    end = None if any(d is None for _, d in lasting) else max(j + (d or 0) for j, d in lasting)
    until = now if end is None or end > now else end

    def leave(p: NaiveStay) -> int:
        return now + 1 if p[2] is None or p[1] + p[2] > now else p[1] + p[2]

    peak = max((sum(1 for q in shown if q[1] <= p[1] < leave(q)) for p in shown), default=0)
    return {
        "start_time": start,
        "duration": max(0, until - start),
        "ongoing": end is None or now < end,
        "max_participants": max(1, peak),
        "participants": [
            (pid, join, min(leave((pid, join, d)), now) - join) for pid, join, d in shown
        ],
    }


# A transcript as the naive model sees it: (id, room id, session id, start, stop or None).
NaiveTranscript = tuple[str, str, str, int, int | None]


def naive_transcripts(
    items: list[NaiveTranscript], now: int, room_id: str | None, session_id: str | None
) -> tuple[list[str], dict[str, tuple[int, str]], dict[str, tuple[str, int]]]:
    """What ``GET /transcript`` lists at ``now``, plainly: the ids of the transcripts started
    by ``now`` that the filters keep, newest first (by ``(start, id)``), their sort keys, and
    each one's ``(status, duration)``: in progress (0) until its stop, then finished."""
    kept = [
        t
        for t in items
        if t[3] <= now
        and (room_id is None or t[1] == room_id)
        and (session_id is None or t[2] == session_id)
    ]
    kept.sort(key=lambda t: (t[3], t[0]), reverse=True)
    seen = {
        t[0]: ("t_in_progress", 0) if t[4] is None or now < t[4] else ("t_finished", t[4] - t[3])
        for t in kept
    }
    return [t[0] for t in kept], {t[0]: (t[3], t[0]) for t in kept}, seen


def naive_status(r: Recording, s: Session, now: int) -> tuple[str, int | None]:
    """A recording's status and duration at ``now``: it runs until the first of its declared
    end, its max_duration and its session's end; stopped, it is canceled or finished."""
    ends = [r.start_ts + r.max_duration, *([r.end] if r.end is not None else [])]
    stop = max(r.start_ts, min([*ends, *([s.end] if s.end is not None else [])]))
    if now < stop:
        return "in-progress", None
    if r.canceled or stop == r.start_ts:
        return "canceled", 0
    return "finished", stop - r.start_ts


def key_ms(start: int, item_id: str) -> int:
    """A stored file's ``epoch_time`` as daily-routes.md states the rule: the start second,
    then three digits, the CRC-32 of the id modulo 1,000."""
    return start * 1000 + zlib.crc32(item_id.encode("utf-8", "surrogatepass")) % 1000
