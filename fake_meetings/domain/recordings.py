"""Recordings (contract part three, §2): the recording object as seen at an instant, an immutable
snapshot of a namespace's recordings, and the keyset query of ``GET /recordings``.

A recording belongs to one meeting session (``mtgSessionId``) of one room. It is visible from
its ``start_ts`` on and ``in-progress`` until it stops, then ``finished`` with its ``duration``
(or ``canceled``). It stops at the first of: its declared ``end``, ``start_ts + max_duration``,
and the end of its session (everyone left). Like every other object it is seen at the server
clock's instant: moving the clock back makes a finished recording ``in-progress`` again, or
invisible before its start.

Recordings are kept in ascending ``(start_ts, id)`` order, like sessions and rooms; the API
lists them newest first. A snapshot is never mutated: a delete builds a new one.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from . import rankshift
from .gcpause import gc_paused
from .ids import seeded_uuid
from .model import Participant, Session, peak_overlap
from .query import MAX_LIMIT, UnknownCursorMode, keyset_window

# docs.daily.co (start recording): maxDuration defaults to 10800 s in the prose (15000 in the
# parameter table); we take the prose's
DEFAULT_LAYOUT = "default"  # the layout preset of a recording started without one
DEFAULT_MAX_DURATION = 10800
MAX_MAX_DURATION = 366 * 24 * 3600  # a bound of our own: a recording of at most a year
DEFAULT_INSTANCE = "c3df927c-f738-4471-a2b7-066fa7e95a6b"  # Daily's reserved default instance
IN_PROGRESS, FINISHED, CANCELED = "in-progress", "finished", "canceled"
CLOUD, RAW_TRACKS, CLOUD_AUDIO_ONLY = "cloud", "raw-tracks", "cloud-audio-only"
TYPES = (CLOUD, RAW_TRACKS, CLOUD_AUDIO_ONLY)
_SHARE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def recording_id(seed: str) -> str:
    """The id of a recording a scenario names no id for: a UUID seeded from ``seed`` (stable
    for the same file, place and start), as ``ids.seeded_uuid`` draws every other id."""
    return seeded_uuid(random.Random(f"recording|{seed}"))


def share_token(rec_id: str) -> str:
    """A 12-character share token derived from the id (deprecated by Daily, still sent)."""
    digest = hashlib.sha256(f"share|{rec_id}".encode()).digest()
    return "".join(_SHARE_ALPHABET[b % len(_SHARE_ALPHABET)] for b in digest[:12])


@dataclass(frozen=True, slots=True)
class Recording:
    id: str
    room_name: str
    mtg_session_id: str
    start_ts: int  # unix seconds: when the recording began (not the session)
    end: int | None = None  # the declared stop; None: at max_duration or the session's end
    max_duration: int = DEFAULT_MAX_DURATION
    canceled: bool = False  # stops as canceled (duration 0) instead of finished
    instance_id: str = DEFAULT_INSTANCE  # the streaming instance (``instanceId``) it runs on
    type: str = CLOUD  # never in the REST object; in recording.ready-to-download
    layout: str = DEFAULT_LAYOUT  # its layout's preset, for recording.started

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.start_ts, self.id)

    def stop(self, session: Session | None) -> int:
        """When it stops, given its session as served now (None: no session bounds it)."""
        stop = self.start_ts + self.max_duration
        if self.end is not None:
            stop = min(stop, self.end)
        if session is not None and session.end is not None:
            stop = min(stop, session.end)
        return max(self.start_ts, stop)

    def in_progress(self, session: Session | None, now: int) -> bool:
        """Whether it is visible and not stopped yet at ``now``."""
        return self.start_ts <= now < self.stop(session)


@dataclass(frozen=True, slots=True)
class GeneratedRecording(Recording):
    """A recording the generator drew (``genrecordings.py``): a :class:`Recording` in every
    way, except that a namespace does not count it against its bound of recordings, which
    bounds what clients start and files declare."""


@dataclass(frozen=True, slots=True)
class Seen:
    """A recording as seen at an instant: its status, duration (None while in progress) and
    peak number of participants so far (counted when asked: the access link and the file need
    only the status, and the count reads every stay of the session)."""

    recording: Recording
    status: str
    duration: int | None
    session: Session | None
    upto: int  # the instant the peak is counted to: now, or the stop

    @property
    def max_participants(self) -> int:
        if self.session is None:
            return 0
        return _peak(self.session.participants, self.recording.start_ts, self.upto)


def seen_at(recording: Recording, session: Session | None, now: int) -> Seen:
    """``recording`` at ``now`` (it must be visible: ``start_ts <= now``)."""
    stop = recording.stop(session)
    if now < stop:
        status, duration, upto = IN_PROGRESS, None, now
    elif recording.canceled or stop == recording.start_ts:
        status, duration, upto = CANCELED, 0, stop
    else:
        status, duration, upto = FINISHED, stop - recording.start_ts, stop
    return Seen(recording, status, duration, session, upto)


def _peak(stays: Sequence[Participant], start: int, upto: int) -> int:
    """The peak number of stays present together between ``start`` and ``upto`` (at least 1
    when anybody was there; a recording of an empty room shows 0)."""
    clipped = []
    for p in stays:
        leave = p.leave
        join = max(p.join_time, start)
        if join > upto or (leave is not None and leave <= start):
            continue
        if leave is None or leave > upto:
            leave = upto + 1  # present at upto
        clipped.append(Participant(p.participant_id, None, None, join, leave - join))
    return peak_overlap(clipped)


def s3_key(recording: Recording, domain_name: str, template: str | None = None) -> str:
    """The recording's key: the domain's ``recordings_template`` (Daily's default
    ``{domain_name}/{room_name}/{epoch_time}``), ``epoch_time`` in milliseconds."""
    values = {
        "domain_name": domain_name,
        "room_name": recording.room_name,
        "epoch_time": str(recording.start_ts * 1000),
        "mtg_session_id": recording.mtg_session_id,
        "instance_id": recording.instance_id,
        "recording_id": recording.id,
    }
    key = template or "{domain_name}/{room_name}/{epoch_time}"
    if key.endswith(".") and not key.endswith(".."):
        key = key[:-1]  # one trailing '.' is no extension (Daily's own example ends so)
    for name, value in values.items():
        key = key.replace("{" + name + "}", value)
    return key


def as_json(seen: Seen, domain_name: str, template: str | None = None) -> dict[str, Any]:
    """The REST object (contract §2.1), in the field order of Daily's example: ``duration``
    left out while in progress; ``tracks`` (:func:`tracks`); no ``type``."""
    r = seen.recording
    body: dict[str, Any] = {
        "id": r.id,
        "room_name": r.room_name,
        "start_ts": r.start_ts,
        "status": seen.status,
        "max_participants": seen.max_participants,
    }
    if seen.duration is not None:
        body["duration"] = seen.duration
    body["share_token"] = share_token(r.id)
    body["s3key"] = s3_key(r, domain_name, template)
    body["mtgSessionId"] = r.mtg_session_id
    body["tracks"] = tracks(seen, body["s3key"])
    return body


AUDIO_ONLY = "raw-tracks-audio-only"  # the layout preset of a raw-tracks recording without video
BYTES_PER_SECOND = {"audio": 8_000, "video": 125_000}  # a track's size: 64 kbit/s, 1 Mbit/s


def tracks(seen: Seen, key: str) -> list[dict[str, Any]]:
    """The ``tracks`` of a raw-tracks recording once finished (contract §2.6): for every stay
    of its session that overlaps it, an audio and a video track (audio only with the
    ``raw-tracks-audio-only`` layout), ``{"size", "type", "s3Key"}``, the key Daily's
    ``{start ms}-{participant id}-cam-{audio|video}-{track start ms}`` in the directory of the
    recording's own ``key``, the size a steady bitrate's over the recorded part of the stay.
    An empty list while in progress, and for the other types."""
    r = seen.recording
    if r.type != RAW_TRACKS or seen.status != FINISHED or seen.session is None:
        return []
    kinds = ("audio",) if r.layout == AUDIO_ONLY else ("audio", "video")
    folder = key.rsplit("/", 1)[0]
    out = []
    for p in seen.session.participants:
        join = max(p.join_time, r.start_ts)
        leave = seen.upto if p.leave is None else min(p.leave, seen.upto)
        for kind in kinds if leave > join else ():
            name = f"{r.start_ts * 1000}-{p.participant_id}-cam-{kind}-{join * 1000}"
            size = (leave - join) * BYTES_PER_SECOND[kind]
            out.append({"size": size, "type": kind, "s3Key": f"{folder}/{name}"})
    return out


_BY_START = attrgetter("start_ts", "id")  # a recording's sort_key, as the sort's key


class Recordings:
    """An immutable snapshot of recordings, in ascending ``(start_ts, id)`` order."""

    # __weakref__: the API keeps pages rendered from one snapshot without keeping it alive
    __slots__ = ("__weakref__", "by_room", "generated", "longest", "ordered", "rank", "starts")

    def __init__(self, recordings: Iterable[Recording] = ()):
        with gc_paused():  # indexing creates no cycles; see gcpause.py
            self._index(recordings)

    def _index(self, recordings: Iterable[Recording]) -> None:
        # one pass per index, each tight: a third of the time of one pass doing everything
        self.ordered: tuple[Recording, ...] = tuple(sorted(recordings, key=_BY_START))
        self.rank: dict[str, int] = {r.id: i for i, r in enumerate(self.ordered)}
        if len(self.rank) != len(self.ordered):
            first = {r.id: i for i, r in reversed(list(enumerate(self.ordered)))}
            twice = next(r for i, r in enumerate(self.ordered) if first[r.id] != i)
            raise ValueError(f"duplicate recording id {twice.id!r}")
        self.by_room: dict[str, list[int]] = {}
        for i, r in enumerate(self.ordered):
            self.by_room.setdefault(r.room_name, []).append(i)
        self.starts: list[int] = [r.start_ts for r in self.ordered]
        # how many are GeneratedRecording; the longest any may run, whatever its session
        self.generated = sum(type(r) is GeneratedRecording for r in self.ordered)
        spans = (
            r.max_duration if r.end is None else min(r.max_duration, r.end - r.start_ts)
            for r in self.ordered
        )
        self.longest = max(0, max(spans, default=0))

    @property
    def counted(self) -> int:
        """How many count against a namespace's bound: all but the generated ones."""
        return len(self.ordered) - self.generated

    def running_from(self, now: int) -> int:
        """The first rank that may stop at ``now`` or later: every recording below it stopped
        before, its session whatever (it started more than ``longest`` seconds before)."""
        return bisect_left(self.starts, now - self.longest)

    def running_in_room(self, room: str, now: int) -> list[Recording]:
        """The recordings of ``room`` visible at ``now`` that may stop at ``now`` or later (the
        only ones that can be in progress then), in ascending ``(start_ts, id)`` order."""
        ranks = self.by_room.get(room, [])
        lo = bisect_left(ranks, self.running_from(now))
        hi = bisect_left(ranks, self.visible_count(now))
        return [self.ordered[i] for i in ranks[lo:hi]]

    def _changed(
        self,
        ordered: tuple[Recording, ...],
        rank: dict[str, int],
        by_room: dict[str, list[int]],
        starts: list[int],
    ) -> Recordings:
        """A snapshot of ``ordered`` with its indexes made already; the counts are this one's
        until the caller corrects them."""
        new = Recordings()
        new.ordered, new.rank, new.by_room, new.starts = ordered, rank, by_room, starts
        new.generated, new.longest = self.generated, self.longest
        return new

    def __len__(self) -> int:
        return len(self.ordered)

    def visible(self, rec_id: str, now: int) -> Recording | None:
        rank = self.rank.get(rec_id)
        if rank is None or self.ordered[rank].start_ts > now:
            return None
        return self.ordered[rank]

    def visible_count(self, now: int) -> int:
        return bisect_right(self.starts, now)

    def without(self, rec_id: str) -> Recordings:
        """The snapshot without ``rec_id``: the ranks above it move down, the rest is shared."""
        at = self.rank.get(rec_id)
        if at is None:
            return self
        gone, ordered = self.ordered[at], self.ordered[:at] + self.ordered[at + 1 :]
        rank = self.rank.copy()
        del rank[rec_id]
        for i in range(at, len(ordered)):
            rank[ordered[i].id] = i
        by_room = rankshift.removed(self.by_room, gone.room_name, at)
        new = self._changed(ordered, rank, by_room, self.starts[:at] + self.starts[at + 1 :])
        new.generated -= type(gone) is GeneratedRecording
        return new

    def in_room(self, room: str) -> list[Recording]:
        """The recordings of ``room``, in ascending ``(start_ts, id)`` order."""
        return [self.ordered[i] for i in self.by_room.get(room, [])]

    def replaced(self, recording: Recording) -> Recordings:
        """The recording with ``recording``'s id replaced by it (a stop: the same start and
        room, so every index is shared)."""
        at = self.rank.get(recording.id)
        if at is None or (self.ordered[at].start_ts, self.ordered[at].room_name) != (
            recording.start_ts,
            recording.room_name,
        ):
            return Recordings(recording if r.id == recording.id else r for r in self.ordered)
        was = self.ordered[at]
        ordered = (*self.ordered[:at], recording, *self.ordered[at + 1 :])
        new = self._changed(ordered, self.rank, self.by_room, self.starts)
        new.generated += (type(recording) is GeneratedRecording) - (type(was) is GeneratedRecording)
        new.longest = max(self.longest, recording.stop(None) - recording.start_ts)
        return new

    def joined(self, more: Iterable[Recording]) -> Recordings:
        """These recordings and ``more`` (an id in both raises ValueError). One recording (a
        start) is inserted at its rank: the ranks above it move up, the rest is shared."""
        added = list(more)
        if len(added) != 1:
            return Recordings((*self.ordered, *added))
        r = added[0]
        if r.id in self.rank:
            raise ValueError(f"duplicate recording id {r.id!r}")
        at = bisect_left(self.ordered, r.sort_key, key=lambda x: x.sort_key)
        ordered = (*self.ordered[:at], r, *self.ordered[at:])
        rank = self.rank.copy()
        for i in range(at, len(ordered)):
            rank[ordered[i].id] = i
        by_room = rankshift.inserted(self.by_room, r.room_name, at)
        starts = [*self.starts[:at], r.start_ts, *self.starts[at:]]
        new = self._changed(ordered, rank, by_room, starts)
        new.generated += type(r) is GeneratedRecording
        new.longest = max(self.longest, r.stop(None) - r.start_ts)
        return new


@dataclass(frozen=True, slots=True)
class RecordingsQuery:
    room_name: str | None = None
    limit: int = MAX_LIMIT
    starting_after: str | None = None
    ending_before: str | None = None  # a recording id, or OLDEST
    in_progress: bool | None = None  # true: only those in progress now; false: only the others


@dataclass(frozen=True, slots=True)
class RecordingsPage:
    total_count: int  # the recordings visible at the instant that the filter keeps
    recordings: list[Recording]  # newest first


def list_recordings(
    recordings: Recordings,
    q: RecordingsQuery,
    now: int,
    unknown_cursor: UnknownCursorMode = "error",
    session_of: Callable[[str], Session | None] = lambda _: None,
) -> RecordingsPage:
    """The keyset rules of ``/meetings`` and ``/rooms`` (``query.keyset_window``) over the
    recordings visible at ``now``, of ``q.room_name``'s room when given, in progress at ``now``
    (or not) when ``q.in_progress`` is given (``session_of`` finds a recording's session)."""
    index: Sequence[int]
    if q.room_name is None:
        index = range(len(recordings))
    else:
        index = recordings.by_room.get(q.room_name, [])
    hi = bisect_left(index, recordings.visible_count(now))  # visible: the ranks below the count
    if q.in_progress is not None:
        # Only those started in the last ``longest`` seconds may run now: they are scanned,
        # the older ones are all stopped.
        ordered = recordings.ordered
        lo = bisect_left(index, recordings.running_from(now))
        kept = [
            i
            for i in index[lo:hi]
            if (now < ordered[i].stop(session_of(ordered[i].mtg_session_id))) == q.in_progress
        ]
        index = kept if q.in_progress else rankshift.Spliced(index, lo, kept)
        hi = len(index)
    found = keyset_window(index, 0, hi, q, recordings.rank.get, unknown_cursor)
    if found is None:
        return RecordingsPage(hi, [])
    start, end = found
    page = [recordings.ordered[index[i]] for i in range(end - 1, start - 1, -1)]
    return RecordingsPage(hi, page)
