"""The query engine of contract §2 and §4: filters, the total order, keyset cursors, total_count.

It takes already-typed queries (parsing and its errors belong to the HTTP layer), a
:class:`~fake_meetings.domain.store.Store` and the instant ``now`` they are asked at, and returns
the sessions visible at ``now`` in API order (newest first); the ``ongoing`` filter and
``total_count`` follow the timeline at ``now`` (contract part two, §9).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from . import timeline
from .instant import Complement, Instant
from .model import Participant, Session
from .store import Store

MAX_LIMIT = 100
OLDEST = "OLDEST"  # the ending_before value that asks for the oldest page

UnknownCursorMode = Literal["error", "empty"]


class UnknownCursor(LookupError):
    """A cursor names no session (or no participant of the session)."""

    def __init__(self, param: str, value: str):
        super().__init__(f"{param}: no record with id {value!r}")
        self.param = param
        self.value = value


@dataclass(frozen=True, slots=True)
class MeetingsQuery:
    room: str | None = None
    timeframe_start: int | None = None  # inclusive
    timeframe_end: int | None = None  # exclusive
    ongoing: bool | None = None
    limit: int = MAX_LIMIT
    starting_after: str | None = None
    ending_before: str | None = None  # a session id, or OLDEST


@dataclass(frozen=True, slots=True)
class MeetingsPage:
    total_count: int
    sessions: list[Session]  # newest first
    ranks: Sequence[int] = ()  # the store ranks of ``sessions``, in the same order
    settled: bool = True  # every one of ``sessions`` has ended by the instant asked about


@dataclass(frozen=True, slots=True)
class ParticipantsQuery:
    limit: int = MAX_LIMIT
    joined_after: str | None = None
    joined_before: str | None = None


def list_meetings(
    store: Store, q: MeetingsQuery, now: int, unknown_cursor: UnknownCursorMode = "error"
) -> MeetingsPage:
    instant = store.at(now)
    index = instant.index(q.room, q.ongoing)
    # The timeframe is a contiguous range of ranks, because ranks follow start_time; so is what
    # is visible at now (the ranks below instant.visible).
    lo_rank = 0 if q.timeframe_start is None else store.starting_before(q.timeframe_start)
    hi_rank = len(store) if q.timeframe_end is None else store.starting_before(q.timeframe_end)
    hi_rank = min(hi_rank, instant.visible)
    lo, hi = _below(index, lo_rank), _below(index, max(lo_rank, hi_rank))
    total = hi - lo
    found = keyset_window(index, lo, hi, q, store.rank_of, unknown_cursor)
    if found is None:
        return MeetingsPage(total, [])
    return _descending(total, instant, index, *found)


class Keyset(Protocol):
    """What a keyset-paged query asks for (``MeetingsQuery``, ``RecordingsQuery``)."""

    @property
    def limit(self) -> int: ...
    @property
    def starting_after(self) -> str | None: ...
    @property
    def ending_before(self) -> str | None: ...


def keyset_window(
    index: Sequence[int],
    lo: int,
    hi: int,
    q: Keyset,
    rank_of: Callable[[str], int | None],
    unknown_cursor: UnknownCursorMode = "error",
) -> tuple[int, int] | None:
    """The keyset rules of contract §2, shared by every paged list: the positions
    ``start`` to ``end - 1`` of the ascending ranks ``index`` (``lo`` to ``hi - 1`` of them are
    listed) that make the page asked for, to be answered newest first. ``rank_of`` gives a
    cursor's rank (None: it names nothing: raises :class:`UnknownCursor`, or with
    ``unknown_cursor="empty"`` the answer is None, an empty page)."""
    if q.starting_after is not None:
        cursor = rank_of(q.starting_after)
        if cursor is None:
            return _unknown_window("starting_after", q.starting_after, unknown_cursor)
        # Older than the cursor: ranks below it, the closest ones first.
        end = min(hi, max(lo, _below(index, cursor)))
        return max(lo, end - q.limit), end
    if q.ending_before == OLDEST:
        return lo, min(hi, lo + q.limit)
    if q.ending_before is not None:
        cursor = rank_of(q.ending_before)
        if cursor is None:
            return _unknown_window("ending_before", q.ending_before, unknown_cursor)
        # Newer than the cursor: ranks above it, the closest `limit` of them, still newest first.
        start = max(lo, min(hi, _below(index, cursor + 1)))
        return start, min(hi, start + q.limit)
    return max(lo, hi - q.limit), hi


def _unknown_window(param: str, value: str, mode: UnknownCursorMode) -> tuple[int, int] | None:
    if mode == "error":
        raise UnknownCursor(param, value)
    return None


def list_participants(
    session: Session,
    q: ParticipantsQuery,
    now: int,
    unknown_cursor: UnknownCursorMode = "error",
    min_stay: int = 0,
) -> list[Participant]:
    """Participant records visible at ``now`` (with ``min_stay``, recorded by ``now``: see
    ``recorded.py``), in join order. An empty list means "no records remain" (a 404)."""
    records = timeline.participants(session, now, min_stay)
    if q.joined_after is not None:
        pos = _participant_pos(records, q.joined_after)
        if pos is None:
            return _unknown_participants("joined_after", q.joined_after, unknown_cursor)
        return list(records[pos + 1 : pos + 1 + q.limit])
    if q.joined_before is not None:
        pos = _participant_pos(records, q.joined_before)
        if pos is None:
            return _unknown_participants("joined_before", q.joined_before, unknown_cursor)
        return list(records[max(0, pos - q.limit) : pos])
    return list(records[: q.limit])


def _below(index: Sequence[int], rank: int) -> int:
    """How many ranks of the ascending ``index`` are below ``rank``."""
    if isinstance(index, Complement):
        return index.below(rank)
    return bisect_left(index, rank)


def _descending(
    total: int, instant: Instant, index: Sequence[int], start: int, end: int
) -> MeetingsPage:
    """The page of the sessions at positions ``start`` to ``end - 1`` of ``index``, newest
    first, with their ranks and whether they have all ended at the instant."""
    ranks: Sequence[int]
    if isinstance(index, Complement):
        ranks = index.between(start, end)
    else:
        ranks = index[max(0, start) : max(0, end)]
    page = instant.store.sessions.pick(ranks)
    page.reverse()
    return MeetingsPage(total, page, ranks[::-1], _none_ongoing(instant.ongoing, ranks))


def _none_ongoing(ongoing: Sequence[int], ranks: Sequence[int]) -> bool:
    """Whether none of the ascending ``ranks`` (visible sessions) is among the ascending
    ``ongoing`` ones: then every one has ended. Two searches when no ongoing rank falls between
    the first and the last (the common page), else one set of the few that do."""
    if not ranks:
        return True
    lo, hi = bisect_left(ongoing, ranks[0]), bisect_right(ongoing, ranks[-1])
    return lo == hi or set(ongoing[lo:hi]).isdisjoint(ranks)


def _participant_pos(records: Sequence[Participant], participant_id: str) -> int | None:
    for i, p in enumerate(records):
        if p.participant_id == participant_id:
            return i
    return None


def _unknown_participants(param: str, value: str, mode: UnknownCursorMode) -> list[Participant]:
    if mode == "error":
        raise UnknownCursor(param, value)
    return []
