"""What one client sees: a World (sessions + clock), its faults and its request journal.

Without ``--namespaces`` there is one namespace, the default, for everybody. With it, each
Bearer key gets its own namespace: a fresh copy of the start-up sessions and clock, no faults,
an empty journal. A namespace is created only by a request that passed auth and reached a Daily
route, or by a control-plane call that acts on one (health never creates one). At most
``cap`` key namespaces live at once: creating one more evicts the least recently used.
Control-plane calls name their namespace with the same ``Authorization: Bearer <key>`` header;
no header means the default namespace.

Start-up sessions are shared, not copied: a store is immutable, and every change swaps a new one
in, so a namespace costs little until it loads data of its own (``bench/namespace_memory.py``).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from ..config import DEFAULT_MAX_NAMESPACES
from ..domain.world import World
from .faults import Faults
from .journal import Journal


class Namespace:
    def __init__(self, world: World, journal: Journal):
        self.world = world
        self.faults = Faults()
        self.journal = journal
        # serialises the control-plane calls that change this namespace (a load parses off the
        # event loop; two appends must not both start from the same store)
        self.lock = asyncio.Lock()

    def drop(self) -> None:
        """This namespace is deleted or evicted: release the requests its faults delay (they
        are answered from it, and bring nothing back)."""
        self.faults.clear()

    def reset(self) -> None:
        """Start-up sessions and clock back; no faults; an empty journal."""
        self.world.reset()
        self.faults.clear()
        self.journal.clear()


class Namespaces:
    def __init__(
        self,
        world: World,
        *,
        per_key: bool,
        journal: Journal,
        cap: int = DEFAULT_MAX_NAMESPACES,
    ):
        self.per_key = per_key
        self.cap = cap
        self.default = Namespace(world, journal)
        self.evicted = 0  # key namespaces dropped to stay within the cap, since start-up
        self._by_key: OrderedDict[str, Namespace] = OrderedDict()  # least recently used first

    def get(self, key: str | None) -> Namespace | None:
        """The namespace of ``key`` if it exists (the default one when namespaces are off or
        there is no key); it becomes the most recently used."""
        if not self.per_key or key is None:
            return self.default
        space = self._by_key.get(key)
        if space is not None:
            self._by_key.move_to_end(key)
        return space

    def for_key(self, key: str | None) -> Namespace:
        """The namespace of ``key``, created on first use (evicting the least recently used
        one beyond the cap)."""
        space = self.get(key)
        if space is not None:
            return space
        assert key is not None
        journal = self.default.journal
        space = Namespace(self.default.world.fork(), Journal(journal.cap, journal.max_bytes))
        self._by_key[key] = space
        while len(self._by_key) > self.cap:
            self._by_key.popitem(last=False)[1].drop()
            self.evicted += 1
        return space

    def keys(self) -> list[str]:
        """The keys of the live namespaces, least recently used first."""
        return list(self._by_key)

    def delete(self, key: str) -> bool:
        space = self._by_key.pop(key, None)
        if space is None:
            return False
        space.drop()
        return True

    def __len__(self) -> int:
        """How many namespaces exist, the default one included."""
        return 1 + len(self._by_key)
