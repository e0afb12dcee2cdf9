"""The sessions of a store in end order: a persistent sorted sequence of ``(end, rank)`` pairs.

A session with no end (a stay still open) is kept under the key :data:`OPEN`, after every end,
so "how many sessions have ended by ``now``" is one search, and the ranks of the sessions that
end after ``now`` (open ones included) are one slice. Pairs are sorted by ``(end, rank)``.

The pairs are held in chunks of at most ``2 * CHUNK`` (two parallel arrays each), with the last
key of every chunk and the position of its first pair alongside. :meth:`EndIndex.moved` (a
session's end changes, or a session comes in) copies one chunk and the top level: O(CHUNK +
n / CHUNK), about 30 us at a million sessions, instead of copying the whole index. Nothing is
ever changed in place, so a store holding an older index keeps seeing its own pairs.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import overload

OPEN = 2**62  # the key of a session that has no end: later than any instant
CHUNK = 2048  # pairs per chunk when built; a chunk splits in two beyond twice this


def key(end: int | None) -> int:
    return OPEN if end is None else end


class EndIndex(Sequence[int]):
    """Ends (the keys) in ascending order; :meth:`ranks` gives the ranks alongside."""

    __slots__ = ("_ends", "_lasts", "_len", "_offsets", "_ranks")

    def __init__(self, pairs: Iterable[tuple[int | None, int]] = ()):
        """From ``(end or None, rank)`` pairs, in any order."""
        ordered = sorted((key(end), rank) for end, rank in pairs)
        self._chunked(array("q", (e for e, _ in ordered)), array("q", (r for _, r in ordered)))

    @staticmethod
    def by_rank(ends: Iterable[int | None]) -> EndIndex:
        """The index of sessions whose ends, in rank order (0, 1, ...), are ``ends``: a sort
        of plain ints (a stable sort keeps equal ends in rank order), several times faster
        than sorting pairs at a million sessions."""
        keys = array("q", (OPEN if end is None else end for end in ends))
        order = sorted(range(len(keys)), key=keys.__getitem__)
        out = EndIndex.__new__(EndIndex)
        out._chunked(array("q", map(keys.__getitem__, order)), array("q", order))
        return out

    def _chunked(self, ends: array[int], ranks: array[int]) -> None:
        self._set(
            [ends[i : i + CHUNK] for i in range(0, len(ends), CHUNK)],
            [ranks[i : i + CHUNK] for i in range(0, len(ranks), CHUNK)],
        )

    def _set(self, ends: list[array[int]], ranks: list[array[int]]) -> None:
        self._ends = tuple(ends)
        self._ranks = tuple(ranks)
        self._lasts = array("q", (chunk[-1] for chunk in ends))
        self._offsets = array("q", accumulate(map(len, ends), initial=0))
        self._len = self._offsets[-1]

    def __len__(self) -> int:
        return self._len

    def ended(self, now: int) -> int:
        """How many ends are at or before ``now`` (``bisect_right``)."""
        c = bisect_right(self._lasts, now)
        if c == len(self._ends):
            return self._len
        return self._offsets[c] + bisect_right(self._ends[c], now)

    def _chunk_of(self, i: int) -> int:
        return bisect_right(self._offsets, i) - 1

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[int]: ...
    def __getitem__(self, i: int | slice) -> int | Sequence[int]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        c = self._chunk_of(i)
        return self._ends[c][i - self._offsets[c]]

    def __iter__(self) -> Iterator[int]:
        for chunk in self._ends:
            yield from chunk

    def ranks(self, start: int, stop: int) -> list[int]:
        """The ranks of the pairs at positions ``start`` to ``stop - 1``, in end order."""
        start, stop = max(0, start), min(stop, self._len)
        out: list[int] = []
        if start >= stop:
            return out
        c = self._chunk_of(start)
        while c < len(self._ranks) and self._offsets[c] < stop:
            base = self._offsets[c]
            out.extend(self._ranks[c][max(0, start - base) : stop - base])
            c += 1
        return out

    def _find(self, end: int, rank: int) -> tuple[int, int]:
        """The chunk where the pair ``(end, rank)`` is or would go, and the position in it."""
        ends, ranks, lasts = self._ends, self._ranks, self._lasts
        c = bisect_left(lasts, end)
        while c < len(ends) and lasts[c] == end and ranks[c][-1] < rank:
            c += 1  # a run of equal ends across chunks, ordered by rank
        c = min(c, len(ends) - 1)
        lo, hi = bisect_left(ends[c], end), bisect_right(ends[c], end)
        return c, bisect_left(ranks[c], rank, lo, hi)

    def shifted(self, r: int) -> EndIndex:
        """The same pairs with every rank from ``r`` on one higher (a session comes in before
        them): their order is unchanged; chunks that hold no such rank are shared."""
        ranks = [
            chunk if max(chunk) < r else array("q", [x + 1 if x >= r else x for x in chunk])
            for chunk in self._ranks
        ]
        out = EndIndex.__new__(EndIndex)
        out._set(list(self._ends), ranks)
        return out

    def moved(
        self, rank: int, before: int | None, after: int | None, *, new: bool = False
    ) -> EndIndex:
        """A new index where the session of ``rank`` ends at ``after`` instead of ``before``
        (None: no end), or with ``new``, comes in ending at ``after``."""
        out = self if new else self._edit(key(before), rank, insert=False)
        return out._edit(key(after), rank, insert=True)

    def _edit(self, end: int, rank: int, *, insert: bool) -> EndIndex:
        """A copy with the pair inserted or deleted: one chunk is copied, the others shared."""
        ends, ranks = list(self._ends), list(self._ranks)
        if not ends:
            ends, ranks = [array("q")], [array("q")]
            c = i = 0
        else:
            c, i = self._find(end, rank)
        e, r = array("q", ends[c]), array("q", ranks[c])
        if insert:
            e.insert(i, end)
            r.insert(i, rank)
        else:
            assert i < len(e) and e[i] == end and r[i] == rank, "no such pair"
            del e[i], r[i]
        if not e:
            del ends[c], ranks[c]
        elif len(e) > 2 * CHUNK:
            ends[c : c + 1] = [e[:CHUNK], e[CHUNK:]]
            ranks[c : c + 1] = [r[:CHUNK], r[CHUNK:]]
        else:
            ends[c], ranks[c] = e, r
        out = EndIndex.__new__(EndIndex)
        out._set(ends, ranks)
        return out
