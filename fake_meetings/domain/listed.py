"""Which started sessions a listed store holds back at an instant (the ten-second rule,
``recorded.py``): its *holes*.

A listed store (``Store.listed``) holds the recorded session of every session of the store it
is made from, at the same rank: the list order and the timeframe filters are the real
timeline's. At ``now`` every session that started by ``now`` is listed except the holes: those
whose ``visible_from`` is after ``now``. A session is listed ``min_stay`` seconds after its
start at the latest, unless it is *late* (its first qualifying stay joins after its start, or
none qualifies), so the holes are

- the sessions that started in the last ``min_stay`` seconds and whose first stay is not
  recorded yet: a range of ranks (two searches), each looked at (a few: those that started in
  the last ten seconds);
- the late sessions not listed yet: :class:`Listing` keeps them, the never-listed ones in rank
  order (those started by ``now`` are a prefix), the others by ``visible_from`` (those after
  ``now`` are a suffix).

So finding them costs O(log n + the holes), not O(n); a live change updates the late ones of
one rank. A hole is never among the ended sessions (it has a stay still to be recorded, so its
recorded end is later, or none at all), so the ended sessions need no correction.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .recorded import NEVER, late, visible_from

if TYPE_CHECKING:
    from .model import Session
    from .ranked import Ranked

HolesKey = tuple[int, tuple[int, ...]]  # (never-listed ranks started, the other holes)


class Listing:
    """The ten-second rule of one listed store: its ``min_stay`` and its late sessions."""

    __slots__ = ("later", "min_stay", "never")

    def __init__(self, min_stay: int, never: array[int], later: list[tuple[int, int]]):
        self.min_stay = min_stay
        self.never = never  # ascending ranks of the sessions never listed
        self.later = later  # (visible_from, rank) ascending, of the other late sessions

    @staticmethod
    def of(min_stay: int, recs: Sequence[Session]) -> Listing:
        """From the recorded sessions in rank order: O(n), a generated session not drawn."""
        never = array("q")
        later: list[tuple[int, int]] = []
        for rank, rec in enumerate(recs):
            found = late(rec, min_stay)
            if found == NEVER:
                never.append(rank)
            elif found is not None:
                later.append((found, rank))
        later.sort()
        return Listing(min_stay, never, later)

    def changed(self, rank: int, rec: Session) -> Listing:
        """With the session of ``rank`` now ``rec`` (replaced, or appended after the last):
        O(late sessions) to copy."""
        never = self.never
        later = [pair for pair in self.later if pair[1] != rank]
        i = bisect_left(never, rank)
        if i < len(never) and never[i] == rank:
            never = never[:i] + never[i + 1 :]
        found = late(rec, self.min_stay)
        if found == NEVER:
            never = array("q", never)
            never.insert(bisect_left(never, rank), rank)
        elif found is not None:
            insort(later, (found, rank))
        return Listing(self.min_stay, never, later)

    def key(self, sessions: Ranked, now: int) -> HolesKey:
        """What decides the holes at ``now``: how many never-listed sessions have started, and
        the other holes, ascending. O(log n + holes)."""
        m = self.min_stay
        visible = sessions.started(now)
        recent = sessions.started(now - m)  # a session started by then is listed, unless late
        holes = {r for r in range(recent, visible) if visible_from(sessions[r], m) > now}
        later = self.later
        holes.update(r for _, r in later[bisect_right(later, (now, NEVER)) :] if r < recent)
        started = bisect_left(self.never, visible)
        if started:
            holes.difference_update(self.never[bisect_left(self.never, recent) : started])
        return started, tuple(sorted(holes))

    def holes(self, key: HolesKey) -> list[int]:
        """The ascending ranks of the holes ``key`` stands for."""
        started, others = key
        if not started:
            return list(others)
        return sorted({*self.never[:started], *others})
