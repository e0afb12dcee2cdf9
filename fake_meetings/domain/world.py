"""What a running fake serves: the current store snapshot and the clock.

The store reference is swapped whole (never mutated), so a request that read ``world.store``
once sees one consistent snapshot even if a reload happens while it runs.
"""

from __future__ import annotations

from collections.abc import Iterable

from .clock import Clock
from .model import Session
from .store import Store


class World:
    def __init__(self, sessions: Iterable[Session] = (), clock: Clock | None = None):
        self.store = Store(sessions)
        self.clock = clock if clock is not None else Clock()

    def replace(self, sessions: Iterable[Session]) -> None:
        """Build a new snapshot, then swap it in (a bad input leaves the old one in place)."""
        self.store = Store(sessions)
