"""A namespace's recordings (contract part three, §2): an immutable snapshot of them, and the
keyset query of ``GET /recordings``. One recording, its stop and its REST object are
``recording.py``'s (their names are exported here too, the family's one address).

Recordings are kept in ascending ``(start_ts, id)`` order, like sessions and rooms, by rank
(``ranklist.py``); the API lists them newest first. A snapshot is never mutated: a start, a stop
or a delete builds a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import ClassVar

from . import chunked
from .model import Session
from .query import MAX_LIMIT, UnknownCursorMode
from .ranklist import Keys, RankList
from .recording import (
    AUDIO_ONLY,
    BYTES_PER_SECOND,
    CANCELED,
    CLOUD,
    CLOUD_AUDIO_ONLY,
    DEFAULT_INSTANCE,
    DEFAULT_LAYOUT,
    DEFAULT_MAX_DURATION,
    FINISHED,
    IN_PROGRESS,
    MAX_MAX_DURATION,
    RAW_TRACKS,
    TYPES,
    GeneratedRecording,
    Recording,
    Seen,
    as_json,
    recording_id,
    s3_key,
    seen_at,
    share_token,
    tracks,
)

__all__ = [
    "AUDIO_ONLY",
    "BYTES_PER_SECOND",
    "CANCELED",
    "CLOUD",
    "CLOUD_AUDIO_ONLY",
    "DEFAULT_INSTANCE",
    "DEFAULT_LAYOUT",
    "DEFAULT_MAX_DURATION",
    "FINISHED",
    "IN_PROGRESS",
    "MAX_MAX_DURATION",
    "RAW_TRACKS",
    "TYPES",
    "GeneratedRecording",
    "Recording",
    "Recordings",
    "RecordingsPage",
    "RecordingsQuery",
    "Seen",
    "as_json",
    "list_recordings",
    "recording_id",
    "s3_key",
    "seen_at",
    "share_token",
    "tracks",
]


def _span(r: Recording) -> int:
    """The longest ``r`` may run, whatever its session."""
    return r.stop(None) - r.start_ts


class Recordings(RankList[Recording]):
    """An immutable snapshot of recordings, in ascending ``(start_ts, id)`` order, and by
    room; how many were generated, and the longest any may run."""

    # __weakref__: the API keeps pages rendered from one snapshot without keeping it alive
    __slots__ = ("__weakref__", "generated", "longest")
    KEYS: ClassVar[Keys] = {"room": attrgetter("room_name")}
    WHAT = "recording"

    def _derive(self) -> None:
        # how many are generated (a GeneratedRecording, failed or not); the longest any may
        # run, whatever its session
        self.generated = sum(isinstance(r, GeneratedRecording) for r in self.ordered)
        spans = (
            r.max_duration if r.end is None else min(r.max_duration, r.end - r.start_ts)
            for r in self.ordered
        )
        self.longest = max(0, max(spans, default=0))

    def _moved(self, was: Recordings, gone: Recording | None, came: Recording | None) -> None:
        self.generated = (
            was.generated
            + isinstance(came, GeneratedRecording)
            - isinstance(gone, GeneratedRecording)
        )
        self.longest = was.longest if came is None else max(was.longest, _span(came))

    @property
    def counted(self) -> int:
        """How many count against a namespace's bound: all but the generated ones."""
        return len(self.ordered) - self.generated

    def running_from(self, now: int, index: Sequence[Recording] | None = None) -> int:
        """The first position of ``index`` (ascending; every recording by default) that may
        stop at ``now`` or later: every recording below it stopped before, its session whatever
        (it started more than ``longest`` seconds before)."""
        of = self.ordered if index is None else index
        return chunked.started(of, now - self.longest, at=False)

    def running_in_room(self, room: str, now: int) -> list[Recording]:
        """The recordings of ``room`` visible at ``now`` that may stop at ``now`` or later (the
        only ones that can be in progress then), in ascending ``(start_ts, id)`` order."""
        index = self.of("room", room)
        return chunked.window(index, self.running_from(now, index), self.visible_in(index, now))


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
    index = recordings.of("room", q.room_name)
    hi = recordings.visible_in(index, now)
    if q.in_progress is not None:
        # Only those started in the last ``longest`` seconds may run now: they are scanned,
        # the older ones are all stopped.
        lo = recordings.running_from(now, index)
        kept = [
            r
            for r in chunked.window(index, lo, hi)
            if (now < r.stop(session_of(r.mtg_session_id))) == q.in_progress
        ]
        index = kept if q.in_progress else chunked.Spliced(index, lo, kept)
        hi = len(index)
    return RecordingsPage(hi, recordings.page(index, hi, q, unknown_cursor))
