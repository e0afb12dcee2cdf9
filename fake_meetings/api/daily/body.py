"""A kept response body: the same bytes at every instant, or fixed parts around *holes* that
are rendered again for each instant.

A body whose sessions have all settled never changes, and is served as it was kept. One that
holds something live (a session still going on, its participants) keeps the parts that do not
change, so that a new instant costs only its holes, and remembers the body of the last instant
it was asked for, which a server asks for again and again within one second. The render cache
(``render_cache.py``) makes and keeps them; presence keeps its answers as fixed ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .bounded import ENTRY_OVERHEAD


class Body:
    """A response body. ``fixed`` when it never changes; otherwise ``parts`` surround ``holes``
    (live items, rendered by ``fill(hole, now)``), and ``last`` is the body of one instant."""

    __slots__ = ("_weight", "fill", "fixed", "holes", "last", "parts")

    def __init__(
        self,
        parts: Sequence[bytes],
        holes: Sequence[Any] = (),
        fill: Callable[[Any, int], bytes] | None = None,
    ):
        self.parts = tuple(parts)  # len(parts) == len(holes) + 1
        self.holes = tuple(holes)
        self.fill = fill
        self.fixed: bytes | None = self.parts[0] if not self.holes else None
        self.last: tuple[int, bytes] | None = None
        self._weight: int | None = None

    def at(self, now: int) -> bytes:
        if self.fixed is not None:
            return self.fixed
        last = self.last
        if last is not None and last[0] == now:
            return last[1]
        pieces = [self.parts[0]]
        fill = self.fill
        assert fill is not None
        for hole, part in zip(self.holes, self.parts[1:], strict=True):
            pieces.append(fill(hole, now))
            pieces.append(part)
        body = b"".join(pieces)
        self.last = (now, body)  # one assignment: a reader sees the old pair or the new one
        return body

    def cost(self) -> int:
        """Bytes kept, fixed at the first call (a map's accounting needs a stable figure): the
        parts, plus for a live body the assembled one (its size barely varies with the clock;
        a second's worth of digits is allowed for)."""
        if self._weight is None:
            kept = sum(len(p) for p in self.parts)
            if self.fixed is None:
                last = self.last[1] if self.last is not None else self.at(0)
                kept += len(last) + 8 * len(self.holes)
            self._weight = kept + 64 * len(self.holes) + 2 * ENTRY_OVERHEAD
        return self._weight
