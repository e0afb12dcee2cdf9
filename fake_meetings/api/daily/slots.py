"""A snapshot's kept fragments of one kind, by rank: the render cache's index for list pages.

A page of the query engine is a run of ranks (every room, no filter: a cursor anywhere in the
store) or a short list of them. Finding its fragments here is a slice or two of a list, where
the render cache's shared map would take one lookup per session, by a key built for each, and a
look at every session for its id. The slots hold no bytes of their own: a slot holds a fragment
exactly while the shared, byte-budgeted map holds it (the render cache writes the slot before
the map's put and clears it when the map evicts the entry), so the budget still bounds them.

Ranks are grouped in chunks of :data:`CHUNK` slots, each made when a fragment of its ranks is
first kept: 8 bytes a rank, for the chunks a page has touched (at most 8 MB a kind at a million
sessions, per snapshot, released with it).
"""

from __future__ import annotations

from collections.abc import Sequence

CHUNK = 256  # ranks per chunk


class Slots:
    __slots__ = ("chunks",)

    def __init__(self) -> None:
        self.chunks: dict[int, list[bytes | None]] = {}

    def pick(self, ranks: Sequence[int]) -> list[bytes | None]:
        """The fragments of these ranks (None where none is kept), in their order."""
        if isinstance(ranks, range) and abs(ranks.step) == 1 and len(ranks) > 1:
            if ranks.step == 1:
                return self.run(ranks.start, ranks.stop)
            out = self.run(ranks[-1], ranks[0] + 1)
            out.reverse()
            return out
        chunks = self.chunks
        found: list[bytes | None] = []
        for rank in ranks:
            chunk = chunks.get(rank // CHUNK)
            found.append(None if chunk is None else chunk[rank % CHUNK])
        return found

    def run(self, start: int, stop: int) -> list[bytes | None]:
        """The fragments of ranks ``start`` to ``stop - 1``, ascending: a slice of each chunk."""
        out: list[bytes | None] = []
        chunks = self.chunks
        if stop <= start:
            return out
        for c in range(start // CHUNK, (stop - 1) // CHUNK + 1):
            base = c * CHUNK
            lo, hi = max(start - base, 0), min(stop - base, CHUNK)
            chunk = chunks.get(c)
            out.extend(chunk[lo:hi] if chunk is not None else [None] * (hi - lo))
        return out

    def put(self, rank: int, fragment: bytes) -> None:
        c = rank // CHUNK
        chunk = self.chunks.get(c)
        if chunk is None:  # setdefault: two threads making one chunk keep the same list
            chunk = self.chunks.setdefault(c, [None] * CHUNK)
        chunk[rank % CHUNK] = fragment

    def clear(self, rank: int) -> None:
        chunk = self.chunks.get(rank // CHUNK)
        if chunk is not None:
            chunk[rank % CHUNK] = None

    def kept(self) -> dict[int, bytes]:
        """Every fragment held, by rank (for tests and checks: O(chunks))."""
        return {
            c * CHUNK + i: frag
            for c, chunk in self.chunks.items()
            for i, frag in enumerate(chunk)
            if frag is not None
        }
