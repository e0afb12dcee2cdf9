"""What a running fake serves: the current store snapshot and the clock.

The store reference is swapped whole (never mutated), so a request that read ``world.store``
once sees one consistent snapshot even if a reload happens while it runs. ``reset`` returns to
the sessions and clock the world was created with.
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
        self._initial = self.store
        self._initial_frozen_at = self.clock.now() if self.clock.frozen else None

    def fork(self) -> World:
        """A new world starting from this one's start-up sessions and clock. The start-up store
        is shared, not copied: stores are immutable, so a fork costs almost nothing."""
        world = World((), Clock(self._initial_frozen_at))
        world.store = world._initial = self._initial
        return world

    def replace(self, sessions: Iterable[Session]) -> None:
        """Build a new snapshot, then swap it in (a bad input leaves the old one in place)."""
        self.store = Store(sessions)

    def append(self, sessions: Iterable[Session]) -> None:
        """Add sessions to the current ones (an id clash raises and changes nothing)."""
        self.store = Store((*self.store.sessions, *sessions))

    def reset(self) -> None:
        """Back to the sessions and the clock this world started with."""
        self.store = self._initial
        if self._initial_frozen_at is not None:
            self.clock.set(self._initial_frozen_at)
        else:
            self.clock.unfreeze()
