"""What one client sees: a World (sessions, rooms, clock), its faults, its request journal and
its webhook; and the one place that changes them, as commands, for the Daily routes, the
control plane and the test handle. Here: reset and the domain; the other commands are grouped
by subject and mixed into :class:`Namespace` (``loading.py``, ``livechanges.py`` (the clock,
join and leave), ``roomchanges.py``, ``recordingchanges.py``, ``transcription.py``,
``failures.py``, ``hooks.py``, ``controls.py``).

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
import random
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from ..config import DEFAULT_MAX_NAMESPACES
from ..domain import rooms as rooms_
from ..domain.domainconfig import DomainConfig
from ..domain.events import Moved
from ..domain.model import Participant, Session
from ..domain.recordingevents import Shelf
from ..domain.recordings import Recording, Recordings
from ..domain.rooms import Rooms
from ..domain.store import Store
from ..domain.transcripts import Transcript, Transcripts, place_of
from ..domain.world import World
from ..errors import invalid
from ..webhooks.desk import WebhookDesk
from ..webhooks.settings import Settings
from .bounds import MAX_RECORDINGS as MAX_RECORDINGS  # where it was first declared
from .bounds import Bounds as Bounds
from .controls import ControlCommands
from .failures import FailureCommands
from .faults import Faults
from .hooks import WebhookCommands
from .journal import Journal
from .livechanges import LIVE_SEED, LiveCommands
from .loading import LoadCommands
from .recordingchanges import RECORDINGS_SEED, RecordingCommands
from .roomchanges import ROOMS_SEED, RoomCommands
from .transcription import TranscriptChanges

T = TypeVar("T")

_EMPTY = Store(())
_NO_ROOMS = Rooms(())


Listener = Callable[[Moved], None]


class Namespace(
    LoadCommands,
    LiveCommands,
    RoomCommands,
    RecordingCommands,
    TranscriptChanges,
    FailureCommands,
    WebhookCommands,
    ControlCommands,
):
    """One namespace's state, and every change to it: the commands. Callers (the Daily
    routes, the control plane, the test handle) read a body, call one command, render; they
    never change ``world``, the webhook desk, the faults or the journal themselves.

    Most commands are synchronous and swap whole snapshots, so a request sees the state before
    or after, never half of it; callers run them on the server's event loop (the handle
    through ``ServerThread.call``). A synchronous command needs no lock: nothing else runs on
    the loop between its checks and its swap. ``lock`` is held by the commands that await
    (a load while it parses off the loop, a webhook create or update while it probes the URL);
    :meth:`in_turn` runs a synchronous command once they are done, for a caller that must not
    slip in between (the control plane: a join during an append would be lost)."""

    def __init__(
        self,
        world: World,
        journal: Journal,
        webhooks: Settings | None = None,
        bounds: Bounds | None = None,
    ):
        self.world = world
        self.bounds = bounds or Bounds()
        self.faults = Faults()
        self.journal = journal
        self.lock = asyncio.Lock()
        # the desk reads the current snapshot when its real-time task wakes
        settings = webhooks or Settings()
        self.webhooks = WebhookDesk(
            settings, world.clock, lambda: self.world.store, lambda: self._shelf(settings.domain)
        )
        self.listeners: list[Listener] = [self.webhooks.listen]
        self._ids = random.Random(LIVE_SEED)
        self._room_ids = random.Random(ROOMS_SEED)
        self._recording_ids = random.Random(RECORDINGS_SEED)
        # participant id -> the session a live join put it in: a leave of a stay that is not
        # present now says why (left already, not joined yet) without looking at the sessions
        self._joined: dict[str, str] = {}

    async def in_turn(self, change: Callable[[], T]) -> T:
        """``change`` (a synchronous command of this namespace) run after the commands that
        hold the lock now (a load parsing off the loop, a webhook probe), and before the
        next."""
        async with self.lock:
            return change()

    async def exclusive(self, work: Callable[[], Awaitable[T]]) -> T:
        """``work`` awaited under the lock: nothing else that takes it (a load, a webhook
        create or update, :meth:`in_turn`) runs until it is done."""
        async with self.lock:
            return await work()

    def _tell(
        self,
        kind: str,
        before: int,
        session: Session | None = None,
        stay: Participant | None = None,
        *,
        recording: Recording | None = None,
        transcript: Transcript | None = None,
    ) -> None:
        world = self.world
        now = world.clock.now()
        moved = Moved(kind, before, now, world.store, session, stay, recording, transcript)
        for listener in list(self.listeners):
            listener(moved)

    def _shelf(self, domain: str) -> Shelf:
        """What the recording and transcript webhooks read: the recordings and transcripts
        now, the domain's templates and transcript bucket."""
        world = self.world
        return Shelf(
            world.recordings,
            domain,
            world.domain.recordings_template,
            world.transcripts,
            place_of(world.domain.properties, domain),
        )

    def drop(self) -> None:
        """This namespace is deleted or evicted: release the requests its faults delay (they
        are answered from it, and bring nothing back) and stop its webhook."""
        self.faults.clear()
        self.webhooks.drop()

    def reset(self, *, empty: bool = False) -> None:
        """Back to the start-up sessions, rooms, domain configuration, min_stay and clock, or
        with ``empty`` to no sessions, no rooms, Daily's domain defaults, the start-up min_stay
        and the real clock; in both cases no faults and an empty journal."""
        before = self.world.clock.now()
        if empty:
            self.world.store = _EMPTY
            self.world.rooms = _NO_ROOMS
            self.world.domain = DomainConfig()
            self.world.recordings = Recordings()
            self.world.transcripts = Transcripts()
            self.world.min_stay = self.world.initial_min_stay
            self.world.clock.unfreeze()
        else:
            self.world.reset()
        self.faults.clear()
        self.journal.clear()
        self._ids = random.Random(LIVE_SEED)
        self._room_ids = random.Random(ROOMS_SEED)
        self._recording_ids = random.Random(RECORDINGS_SEED)
        self.restart_transcript_ids()
        self._joined = {}
        self._tell("reset", before)

    # -- the domain (the Daily route POST /; its body is checked by the HTTP layer)

    def set_domain(self, properties: Mapping[str, Any]) -> DomainConfig:
        """``POST /``: these (checked) properties set on the domain; the domain after. Their
        JSON is bounded like a room's (``rooms.MAX_PROPERTIES``): more is a 400, no change."""
        domain = self.world.domain.updated(properties)
        problem = rooms_.properties_problem(domain.properties, "the domain's")
        if problem is not None:
            raise invalid(f"properties: {problem}")
        self.world.domain = domain
        return domain


class Namespaces:
    def __init__(
        self,
        world: World,
        *,
        per_key: bool,
        journal: Journal,
        cap: int = DEFAULT_MAX_NAMESPACES,
        webhooks: Settings | None = None,
        bounds: Bounds | None = None,
    ):
        self.per_key = per_key
        self.cap = cap
        self.webhooks = webhooks or Settings()
        self.bounds = bounds or Bounds()
        self.default = Namespace(world, journal, self.webhooks, self.bounds)
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
        space = Namespace(
            self.default.world.fork(),
            Journal(journal.cap, journal.max_bytes),
            self.webhooks,
            self.bounds,
        )
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

    def all(self) -> list[Namespace]:
        """Every namespace, the default one first."""
        return [self.default, *self._by_key.values()]

    def __len__(self) -> int:
        """How many namespaces exist, the default one included."""
        return 1 + len(self._by_key)
