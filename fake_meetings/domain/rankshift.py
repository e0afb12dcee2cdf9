"""Rank lists kept by key (``ranklist.py``'s key indexes: a room's recordings' ranks) after one
item is inserted or removed at a rank, sharing every list the change leaves alone; and a sequence
made of a prefix of one rank list and another list, for the keyset window over a filtered list.

A snapshot's lists are never changed once built: a change builds the lists it touches again.
Each is an array of 8-byte ranks, like the store's room indexes: no object per rank.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from typing import overload


def inserted(lists: dict[str, array[int]], key: str, rank: int) -> dict[str, array[int]]:
    """``lists`` after an item of ``key`` is inserted at ``rank``: every rank from ``rank`` on
    moves up by one, and ``key``'s list holds ``rank``."""
    out: dict[str, array[int]] = {}
    for k, ranks in lists.items():
        if ranks and ranks[-1] >= rank:  # the others keep their ranks: shared
            cut = bisect_left(ranks, rank)
            ranks = ranks[:cut] + array("q", [i + 1 for i in ranks[cut:]])
        out[k] = ranks
    ranks = out.get(key, array("q"))
    cut = bisect_left(ranks, rank)
    out[key] = ranks[:cut] + array("q", [rank]) + ranks[cut:]
    return out


def removed(lists: dict[str, array[int]], key: str, rank: int) -> dict[str, array[int]]:
    """``lists`` after the item of ``key`` at ``rank`` is removed: every rank above it moves
    down by one (a key left with no rank is dropped)."""
    out: dict[str, array[int]] = {}
    for k, ranks in lists.items():
        if ranks and ranks[-1] >= rank:
            cut = bisect_left(ranks, rank)
            rest = ranks[cut + 1 :] if k == key else ranks[cut:]
            ranks = ranks[:cut] + array("q", [i - 1 for i in rest])
        if ranks:
            out[k] = ranks
    return out


class Spliced(Sequence[int]):
    """The first ``cut`` items of ``head`` followed by ``tail``, without copying ``head``."""

    __slots__ = ("cut", "head", "tail")

    def __init__(self, head: Sequence[int], cut: int, tail: list[int]):
        self.head, self.cut, self.tail = head, cut, tail

    def __len__(self) -> int:
        return self.cut + len(self.tail)

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[int]: ...
    def __getitem__(self, i: int | slice) -> int | Sequence[int]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.head[i] if i < self.cut else self.tail[i - self.cut]
