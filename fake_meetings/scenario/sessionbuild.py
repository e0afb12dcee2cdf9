"""One session of a scenario file: its stays checked, its derived fields checked, built.

Two ways that agree. :func:`checked_session` goes through the :class:`Checker`, field by field,
recording every problem with its path (and line). :func:`quick_session` is the common case made
cheap: it checks the same rules on the plain values and returns the same :class:`Session`, or
None as soon as anything is unusual (a problem, or a form it leaves to the checker), and the
caller then asks :func:`checked_session`, which reports the problems. Loading a file of
well-formed sessions thus never builds a path or looks up a line.
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_right
from itertools import starmap
from operator import itemgetter
from typing import Any

from ..domain import timeline
from ..domain.model import Participant, Session
from ..domain.rooms import name_problem
from ..domain.times import MAX_TIMESTAMP, parse_instant
from .validate import Checker

ID_NAMESPACE = uuid.UUID("6f1d7c0e-93b4-4a55-9a53-2f0b7d0c5e11")
SESSION_KEYS = (
    "id",
    "room",
    "start_time",
    "ongoing",
    "duration",
    "max_participants",
    "participants",
)
PARTICIPANT_KEYS = ("participant_id", "user_id", "user_name", "join_time", "duration")
_ID_RE = re.compile(r"[A-Za-z0-9._~-]{1,128}")
_SESSION_KEYSET = frozenset(SESSION_KEYS)
_PARTICIPANT_KEYSET = frozenset(PARTICIPANT_KEYS)
_id_ok = _ID_RE.fullmatch


def derived_participant_id(session_id: str, j: int) -> str:
    """The id of the ``j``-th stay of a session's ``participants:`` when it gives none."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{session_id}|participant|{j}"))


def _instant(value: Any, now: int) -> int | None:
    """``parse_instant(value, now=now)``, or None where the checker would report a problem."""
    if type(value) is int and 0 <= value < MAX_TIMESTAMP:
        return value
    try:
        return parse_instant(value, now=now)
    except ValueError:
        return None


def _count(value: Any, least: int) -> bool:
    """Whether the checker takes ``value`` as a whole number of at least ``least``."""
    return type(value) is int and value >= least


def quick_session(raw: Any, now: int, seed: str) -> Session | None:
    """The session :func:`checked_session` builds from ``raw`` when it finds no problem; None
    when it would find one, or when ``raw`` is in a form left to it."""
    if type(raw) is not dict or not _SESSION_KEYSET.issuperset(raw):
        return None
    room = raw.get("room")
    stays = raw.get("participants")
    if type(room) is not str or not room or type(stays) is not list or not stays:
        return None
    if name_problem(room) is not None:
        return None
    start = _instant(raw.get("start_time"), now)
    ongoing = raw.get("ongoing")
    if start is None or (type(ongoing) is not bool and (ongoing is not None or "ongoing" in raw)):
        return None
    session_id = raw.get("id")
    if session_id is None:
        session_id = str(
            uuid.uuid5(ID_NAMESPACE, f"{seed}|{raw.get('room')}|{raw.get('start_time')}")
        )
    elif type(session_id) is not str or _id_ok(session_id) is None:
        return None
    rows = _rows(stays, session_id, now)
    if rows is None:
        return None
    duration = raw.get("duration")  # given, it must be a number (null is a problem)
    if "duration" in raw and not _count(duration, 0):
        return None
    peak_given = raw.get("max_participants")
    if "max_participants" in raw and not _count(peak_given, 1):
        return None
    rows.sort(key=_ORDER)  # Participant.sort_key (participant ids are unique here)
    participants = tuple(starmap(Participant, rows))
    end = _end(rows)
    session = Session(session_id, room, start, participants, end, max(1, _peak(rows)))
    if end is not None and end < start:
        return None
    if ongoing is None and duration is None and peak_given is None:
        return session
    if not timeline.visible(session, now):
        return None
    live = timeline.ongoing(session, now)
    if ongoing is not None and ongoing != live:
        return None
    if duration is not None and (live or duration != timeline.duration(session, now)):
        return None
    if peak_given is not None and peak_given != timeline.max_participants(session, now):
        return None
    return session


# a Participant's arguments: participant_id, user_id, user_name, join_time, duration
_Row = tuple[str, str | None, str | None, int, int | None]
_ORDER = itemgetter(3, 0)  # (join_time, participant_id)


def _rows(stays: list[Any], session_id: str, now: int) -> list[_Row] | None:
    """The Participant arguments of each stay, or None."""
    rows: list[_Row] = []
    keys, id_ok = _PARTICIPANT_KEYSET, _id_ok
    for j, raw in enumerate(stays):
        if type(raw) is not dict or "join_time" not in raw or not keys.issuperset(raw):
            return None
        pid = raw.get("participant_id")
        if pid is None:
            pid = derived_participant_id(session_id, j)
        elif type(pid) is not str or id_ok(pid) is None:
            return None
        join = raw["join_time"]
        if type(join) is not int or not 0 <= join < MAX_TIMESTAMP:
            join = _instant(join, now)
            if join is None:
                return None
        duration = raw.get("duration")
        user_id = raw.get("user_id")
        user_name = raw.get("user_name")
        if (
            (duration is not None and (type(duration) is not int or duration < 0))
            or (duration is not None and join + duration >= MAX_TIMESTAMP)
            or (user_id is not None and type(user_id) is not str)
            or (user_name is not None and type(user_name) is not str)
        ):
            return None
        rows.append((pid, user_id, user_name, join, duration))
    if len({row[0] for row in rows}) < len(rows):
        return None  # a participant id twice
    return rows


def _end(rows: list[_Row]) -> int | None:
    """``model.session_end``: the latest leave, None while a stay is open."""
    end = None
    for _, _, _, join, duration in rows:
        if duration is None:
            return None
        if end is None or join + duration > end:
            end = join + duration
    return end


def _peak(rows: list[_Row]) -> int:
    """``model.peak_overlap`` of the stays (``rows`` sorted by join_time): right after a join,
    everybody who joined so far minus whoever left by then (a leave at t comes before a join
    at t) are present, and the count only grows at joins."""
    leaves = sorted([join + d for _, _, _, join, d in rows if d is not None])
    if not leaves:
        return len(rows)
    return max([i + 1 - bisect_right(leaves, row[3]) for i, row in enumerate(rows)])


def checked_session(c: Checker, path: tuple[str | int, ...], now: int, seed: str) -> Session | None:
    raw = c.mapping(path, SESSION_KEYS, required=("room", "start_time", "participants"))
    if raw is None:
        return None
    errors_before = c.count
    room = c.string((*path, "room"))
    complaint = name_problem(room) if room is not None else None
    if complaint is not None:  # the rule of POST /rooms: GET /rooms lists a session's room
        c.problem((*path, "room"), complaint)
    start = c.instant((*path, "start_time"), now)
    ongoing = c.boolean((*path, "ongoing"), default=None)
    session_id = c.identifier((*path, "id"), _ID_RE) or str(
        uuid.uuid5(ID_NAMESPACE, f"{seed}|{raw.get('room')}|{raw.get('start_time')}")
    )
    participants = _participants(c, path, session_id, now)
    duration = c.non_negative((*path, "duration")) if "duration" in raw else None
    max_participants = (
        c.positive((*path, "max_participants")) if "max_participants" in raw else None
    )
    if c.count > errors_before or room is None or start is None or not participants:
        return None
    session = Session.of(session_id, room, start, participants)
    if session.end is not None and session.end < start:
        c.problem((*path, "start_time"), "is after every participant has left")
        return None
    _check_view(c, path, session, now, ongoing, duration, max_participants)
    return session


def _check_view(
    c: Checker,
    path: tuple[str | int, ...],
    s: Session,
    now: int,
    ongoing: bool | None,
    duration: int | None,
    max_participants: int | None,
) -> None:
    """The derived fields a file gives must agree with the timeline at the file's instant."""
    given = [k for k, v in (("ongoing", ongoing), ("duration", duration)) if v is not None]
    given += ["max_participants"] * (max_participants is not None)
    if not timeline.visible(s, now):
        for key in given:
            c.problem(
                (*path, key),
                f"the session starts after now ({s.start_time} > {now}): leave out {key}, "
                "which the server derives from the stays as the clock reaches them",
            )
        return
    live = timeline.ongoing(s, now)
    if ongoing is not None and ongoing != live:
        c.problem(
            (*path, "ongoing"),
            f"ongoing: true contradicts the participants: everybody has left by now ({now}); "
            "leave out `duration` for someone still in the room (or give a later leave)"
            if ongoing
            else f"ongoing: false contradicts the participants: someone is still in the room "
            f"at now ({now}); give every participant a `duration` that ends by now",
        )
    if duration is not None and live:
        c.problem(
            (*path, "duration"),
            "must be omitted when ongoing at the file's instant "
            "(an ongoing session's duration is live: now - start_time)",
        )
    elif duration is not None and duration != timeline.duration(s, now):
        c.problem(
            (*path, "duration"),
            f"{duration} contradicts the participants: "
            f"start_time + duration must equal the latest join_time + duration, "
            f"so duration must be {timeline.duration(s, now)} (or omitted)",
        )
    if max_participants is not None and max_participants != timeline.max_participants(s, now):
        c.problem(
            (*path, "max_participants"),
            f"{max_participants} contradicts the participants: at most "
            f"{timeline.max_participants(s, now)} of them are in the room at once by now "
            f"({now}); give that number or leave it out",
        )


def _too_long(join: int, duration: int) -> str:
    """A stay's leave (``join + duration``) must be a time, like every instant (times.py)."""
    return (
        f"{duration} is too long: the stay would end at {join + duration}, past the last "
        f"time there is (unix seconds below 2**53); give a shorter duration, or none for a "
        "stay still open"
    )


def _participants(
    c: Checker, path: tuple[str | int, ...], session_id: str, now: int
) -> list[Participant]:
    path = (*path, "participants")
    raw_list = c.sequence(path, required=True, non_empty=True)
    out: list[Participant] = []
    seen: dict[str, int] = {}
    for j in range(len(raw_list or ())):
        p_path = (*path, j)
        raw = c.mapping(p_path, PARTICIPANT_KEYS, required=("join_time",))
        if raw is None:
            continue
        pid = c.identifier((*p_path, "participant_id"), _ID_RE) or derived_participant_id(
            session_id, j
        )
        if pid in seen:
            c.problem(
                (*p_path, "participant_id"),
                f"duplicate participant id {pid!r} (first at participants[{seen[pid]}])",
            )
        seen.setdefault(pid, j)
        join = c.instant((*p_path, "join_time"), now)
        duration = None  # an open stay: present until it is ended
        if raw.get("duration") is not None:
            duration = c.non_negative((*p_path, "duration"))
        if duration is not None and join is not None and join + duration >= MAX_TIMESTAMP:
            c.problem((*p_path, "duration"), _too_long(join, duration))
            duration = None
        user_id = c.optional_string((*p_path, "user_id"))
        user_name = c.optional_string((*p_path, "user_name"))
        if join is not None:
            out.append(Participant(pid, user_id, user_name, join, duration))
    return out
