"""What one client sees: a World (sessions, rooms, clock), its faults, its request journal and
its webhook; and the one place that changes them, as commands, for the Daily routes, the
control plane and the test handle. Here: reset, the swap of a load, the clock, people joining
and leaving, the domain; the other commands are grouped by subject and mixed into
:class:`Namespace` (``loading.py``, ``roomchanges.py``, ``recordingchanges.py``,
``transcription.py``, ``failures.py``, ``hooks.py``, ``controls.py``).

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
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from ..config import DEFAULT_MAX_NAMESPACES
from ..domain import rooms as rooms_
from ..domain.domainconfig import DomainConfig
from ..domain.events import Moved
from ..domain.model import Participant, Session
from ..domain.recordingevents import Shelf
from ..domain.recordings import Recording, Recordings
from ..domain.rooms import Room, Rooms
from ..domain.store import Store
from ..domain.tokens import Token, joining
from ..domain.transcripts import Transcript, Transcripts, place_of, with_room_ids
from ..domain.world import World
from ..errors import ApiError, invalid, not_found
from ..webhooks.desk import WebhookDesk
from ..webhooks.settings import Settings
from .bounds import MAX_RECORDINGS as MAX_RECORDINGS  # where it was first declared
from .bounds import Bounds as Bounds
from .controls import ControlCommands
from .failures import FailureCommands
from .faults import Faults
from .hooks import WebhookCommands
from .journal import Journal
from .loading import LoadCommands
from .recordingchanges import RECORDINGS_SEED, RecordingCommands
from .roomchanges import ROOMS_SEED, RoomCommands
from .transcription import TranscriptChanges, check_transcripts

T = TypeVar("T")
Ranked = TypeVar("Ranked", Recordings, Transcripts)  # a family loaded by `_loaded`

LIVE_SEED = 0  # ids of live joins come from a generator seeded with this at every reset
MAX_TEXT = 1024  # characters of a room name, a user name or id, a participant id
_EMPTY = Store(())
_NO_ROOMS = Rooms(())


def check_text(
    name: str, value: object, *, required: bool, hint: str = "", most: int = MAX_TEXT
) -> str | None:
    """``value`` as a non-empty text field of a join or a leave, of at most ``most`` characters
    (None when optional and not given); anything else is a 400 naming the field. ``hint`` ends
    the message (an example)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        need = "required: a non-empty string" if required else "a non-empty string or null"
        raise invalid(f"{name}: {need}; got {value!r:.100}{hint}")
    if len(value) > most:
        raise invalid(f"{name}: at most {most:,} characters; got {len(value):,}")
    return value


def check_owner(value: object) -> bool:
    if not isinstance(value, bool):
        raise invalid(f"owner: must be true or false; got {value!r:.100}")
    return value


Listener = Callable[[Moved], None]


class Namespace(
    LoadCommands,
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
        template = world.domain.properties.get("recordings_template")
        return Shelf(
            world.recordings,
            domain,
            template if isinstance(template, str) else None,
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

    def load(
        self,
        store: Store,
        freeze_at: int | None,
        rooms: Sequence[Room] | None = None,
        *,
        append: bool = False,
        webhook: Mapping[str, Any] | None = None,
        domain: DomainConfig | None = None,
        recordings: Sequence[Recording] | None = None,
        min_stay: int | None = None,
        transcripts: Sequence[Transcript] | None = None,
    ) -> None:
        """Serve ``store`` (already built), freezing the clock at ``freeze_at`` if given.

        ``rooms``, the rooms a loaded scenario declares: they replace the current rooms, or
        with ``append`` join them (a name already there is a 400 and changes nothing). None
        keeps the current rooms. In every case a room the sessions name without one is implied.
        ``webhook``, a scenario's `webhook:` block, becomes the webhook (no test request);
        ``domain``, its `domain:` block, the domain's configuration. ``recordings``, its
        `recordings:` block: they replace the current recordings, or with ``append`` join them
        (an id already there is a 400); None keeps them (as it keeps the rooms). ``min_stay``,
        its `min_stay:`, becomes the namespace's (until a reset); None keeps it.
        ``transcripts``, its `transcripts:` block, as ``recordings`` (their rooms' ids are the
        served rooms').
        """
        world = self.world
        if rooms is None:
            current = world.rooms
        elif append:
            taken = [r.name for r in rooms if world.rooms.get(r.name) is not None]
            if taken:
                raise invalid(
                    f"rooms: a room named {taken[0]} already exists; give another name, or "
                    "load with mode=replace"
                )
            current = world.rooms.with_rooms(rooms)
        else:
            current = Rooms(rooms)
        self.bounds.check_sessions(len(store))
        new_rooms = current.implied_by(store.first_starts())
        self.bounds.check_rooms(len(new_rooms))
        named = None if transcripts is None else with_room_ids(transcripts, new_rooms)
        new_transcripts = _loaded(world.transcripts, named, "transcript", append=append)
        if named is not None:
            check_transcripts(len(new_transcripts))
        new_recordings = _loaded(world.recordings, recordings, "recording", append=append)
        self.bounds.check_recordings(new_recordings.counted)
        before = world.clock.now()
        world.rooms = new_rooms
        if not append:  # the sessions live joins made are gone
            self._joined = {}
        world.store = store
        world.recordings = new_recordings
        world.transcripts = new_transcripts
        if freeze_at is not None:
            self.world.clock.set(freeze_at)
        if domain is not None:
            world.domain = domain
        if min_stay is not None:
            world.min_stay = min_stay
        if webhook is not None:
            self.webhooks.configure(webhook)
        self._tell("load", before)

    def appended(self, sessions: Iterable[Session]) -> Store:
        """The current sessions and these (an id served already raises DuplicateSessionId)."""
        return Store((*self.world.store.sessions, *sessions))

    # -- the clock

    def set_clock(self, instant: int) -> None:
        before = self.world.clock.now()
        self.world.clock.set(instant)
        self._tell("clock", before)

    def advance_clock(self, seconds: int) -> None:
        before = self.world.clock.now()
        self.world.clock.advance(seconds)
        self._tell("clock", before)

    def real_clock(self) -> None:
        before = self.world.clock.now()
        self.world.clock.unfreeze()
        self._tell("clock", before)

    # -- people joining and leaving now

    def join(
        self,
        room: str | None,
        *,
        user_id: str | None = None,
        user_name: str | None = None,
        owner: bool = False,
        token: Token | None = None,
    ) -> tuple[Session, Participant]:
        """Someone joins ``room`` now; returns the session joined and the new stay. The
        fields are checked here, for the control plane and the handle alike (400 naming one).
        With ``token`` (verified by the caller, at this instant), its room, user fields and
        ``is_owner`` apply (``tokens.joining``): a room it does not name is refused."""
        if token is not None:
            who = joining(token, room, user_name, user_id, owner)
            room, user_name, user_id, owner = who.room, who.user_name, who.user_id, who.owner
        elif room is None:
            raise invalid("room: required (or a token with a room_name)")
        check_text("room", room, required=True)
        complaint = rooms_.name_problem(room)  # the rule of POST /rooms: GET /rooms lists it
        if complaint is not None:
            raise invalid(f"room: {complaint}")
        check_text("user_name", user_name, required=False)
        check_text("user_id", user_id, required=False)
        check_owner(owner)
        from ..domain import live  # imported on the first join or leave

        now = self.world.clock.now()
        store = self.world.store
        implied = self.world.rooms.get(room) is None
        if implied:
            self.bounds.check_rooms(len(self.world.rooms) + 1)
        change = live.join(
            store, room, now, self._ids, user_id=user_id, user_name=user_name, owner=owner
        )
        self.bounds.check_sessions(len(change.store))
        self.world.store = change.store
        self._joined[change.participant.participant_id] = change.session.id
        if implied:  # a room the join names into being [F]
            self.world.rooms = self.world.rooms.implied_by({room: change.session.start_time})
        self._tell("join", now, change.session, change.participant)
        return change.session, change.participant

    def leave(self, participant_id: str) -> tuple[Session, Participant]:
        """The stay ``participant_id`` ends now; returns its session (ended if it was the last
        one present) and the closed stay. Only a stay present now can leave: it is found among
        the sessions ongoing now, in O(log n), never by reading every session; another id is a
        404, or a 400 saying why when a live join here made it."""
        check_text("participant_id", participant_id, required=True)
        from ..domain import live

        now = self.world.clock.now()
        joined = self._joined.get(participant_id)
        try:
            change = live.leave(self.world.store, participant_id, now, joined)
        except live.UnknownParticipant:
            raise not_found(
                f"no participant {participant_id!r} in a room now (the id a join returned; "
                "only a stay present now can leave)"
            ) from None
        except live.NotPresent as exc:
            raise ApiError(400, f"participant {participant_id!r} {exc}") from None
        self.world.store = change.store
        self._tell("leave", now, change.session, change.participant)
        return change.session, change.participant

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


def _loaded(current: Ranked, loaded: Sequence[Any] | None, word: str, *, append: bool) -> Ranked:
    """A family's snapshot after a load (recordings, transcripts): ``loaded`` replacing or
    joining ``current`` (an id already there is a 400 naming the ``word``); None keeps
    ``current``."""
    if loaded is None:
        return current
    if not append:
        return type(current)(loaded)
    taken = [x.id for x in loaded if x.id in current.rank]
    if taken:
        raise invalid(
            f"{word}s: a {word} with id {taken[0]} already exists; give another id, or load "
            "with mode=replace"
        )
    return current.joined(loaded)
