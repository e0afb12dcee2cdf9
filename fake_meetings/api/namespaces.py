"""What one client sees: a World (sessions + clock), its faults and its request journal.

Without ``--namespaces`` there is one namespace, the default, for everybody. With it, each
Bearer key gets its own namespace on first use: a fresh copy of the start-up sessions and clock,
no faults, an empty journal. Control-plane calls name their namespace with the same
``Authorization: Bearer <key>`` header; no header means the default namespace.

Start-up sessions are shared, not copied: a store is immutable, and every change swaps a new one
in, so a namespace costs almost nothing until it loads data of its own.
"""

from __future__ import annotations

import asyncio

from ..domain.world import World
from .faults import Faults
from .journal import Journal


def bearer_key(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header; None when absent or malformed."""
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return None
    return key


class Namespace:
    def __init__(self, world: World, journal: Journal):
        self.world = world
        self.faults = Faults()
        self.journal = journal
        # serialises the control-plane calls that change this namespace (a load parses off the
        # event loop; two appends must not both start from the same store)
        self.lock = asyncio.Lock()

    def reset(self) -> None:
        """Start-up sessions and clock back; no faults; an empty journal."""
        self.world.reset()
        self.faults.clear()
        self.journal.clear()


class Namespaces:
    def __init__(self, world: World, *, per_key: bool, journal: Journal):
        self.per_key = per_key
        self.default = Namespace(world, journal)
        self._journal_cap = journal.cap
        self._by_key: dict[str, Namespace] = {}

    def for_key(self, key: str | None) -> Namespace:
        """The namespace of ``key`` (created on first use); the default one when namespaces
        are off or there is no key."""
        if not self.per_key or key is None:
            return self.default
        space = self._by_key.get(key)
        if space is None:
            space = self._by_key[key] = Namespace(
                self.default.world.fork(), Journal(self._journal_cap)
            )
        return space

    def __len__(self) -> int:
        """How many namespaces exist, the default one included."""
        return 1 + len(self._by_key)
