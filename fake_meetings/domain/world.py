"""What a running fake serves: the current store snapshot, the rooms snapshot, the domain's
configuration, the recordings and transcripts snapshots, the clock, and the ten-second rule's
``min_stay`` (``recorded.py``: what ``/meetings`` lists is ``store.listed(min_stay)``).

The store and rooms references are swapped whole (never mutated), so a request that read
``world.store`` or ``world.rooms`` once sees one consistent snapshot even if a reload happens
while it runs. ``reset`` returns to the sessions, rooms, domain configuration, clock and
``min_stay`` the world was created with.
Rooms the sessions name without a declared room are implied (``rooms.implied_room``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .clock import Clock
from .domainconfig import DOMAIN_ID, DomainConfig
from .model import Session
from .recorded import DEFAULT_MIN_STAY
from .recordings import Recording, Recordings
from .rooms import Room, Rooms
from .store import Store
from .transcripts import Transcript, Transcripts, as_json, place_of, seen_at, with_room_ids


class World:
    def __init__(
        self,
        sessions: Iterable[Session] = (),
        clock: Clock | None = None,
        rooms: Iterable[Room] = (),
        domain: DomainConfig | None = None,
        recordings: Iterable[Recording] = (),
        min_stay: int = DEFAULT_MIN_STAY,
        transcripts: Iterable[Transcript] = (),
    ):
        self.store = Store(sessions)
        self.min_stay = self._initial_min_stay = min_stay  # a scenario's min_stay:, or the handle
        self.rooms = Rooms(rooms).implied_by(self.store.first_starts())
        self.clock = clock if clock is not None else Clock()
        self.domain = domain if domain is not None else DomainConfig()  # swapped whole too
        self.recordings = Recordings(recordings)  # swapped whole too
        # swapped whole too; a scenario's name their rooms, whose ids are known from here
        self.transcripts = self._initial_transcripts = Transcripts(
            with_room_ids(transcripts, self.rooms)
        )
        self._initial = self.store
        self._initial_recordings = self.recordings
        self._initial_domain = self.domain
        self._initial_rooms = self.rooms
        self._initial_frozen_at = self.clock.now() if self.clock.frozen else None

    @property
    def initial_min_stay(self) -> int:
        """The ``min_stay`` a reset returns to."""
        return self._initial_min_stay

    def start_with_min_stay(self, min_stay: int) -> None:
        """Serve with ``min_stay`` from now on and after every reset (``serve --min-stay``)."""
        self.min_stay = self._initial_min_stay = min_stay

    def fork(self) -> World:
        """A new world starting from this one's start-up sessions, rooms and clock. The start-up
        snapshots are shared, not copied: they are immutable, so a fork costs almost nothing."""
        world = World((), Clock(self._initial_frozen_at))
        world.store = world._initial = self._initial
        world.rooms = world._initial_rooms = self._initial_rooms
        world.domain = world._initial_domain = self._initial_domain
        world.recordings = world._initial_recordings = self._initial_recordings
        world.transcripts = world._initial_transcripts = self._initial_transcripts
        world.min_stay = world._initial_min_stay = self._initial_min_stay
        return world

    def replace(self, sessions: Iterable[Session]) -> None:
        """Build a new snapshot, then swap it in (a bad input leaves the old one in place)."""
        store = Store(sessions)
        self.rooms = self.rooms.implied_by(store.first_starts())
        self.store = store

    def append(self, sessions: Iterable[Session]) -> None:
        """Add sessions to the current ones (an id clash raises and changes nothing)."""
        store = Store((*self.store.sessions, *sessions))
        self.rooms = self.rooms.implied_by(store.first_starts())
        self.store = store

    def reset(self) -> None:
        """Back to the sessions, rooms, domain configuration, recordings, clock and min_stay
        this world started with."""
        self.store = self._initial
        self.rooms = self._initial_rooms
        self.domain = self._initial_domain
        self.recordings = self._initial_recordings
        self.transcripts = self._initial_transcripts
        self.min_stay = self._initial_min_stay
        if self._initial_frozen_at is not None:
            self.clock.set(self._initial_frozen_at)
        else:
            self.clock.unfreeze()


def transcript_json(
    world: World, transcript: Transcript, now: int, domain: str, status: str | None = None
) -> dict[str, Any]:
    """The REST object of ``transcript`` at ``now`` as ``world`` shows it (its session for the
    status, the domain's transcript bucket for the place; ``status`` overrides the one seen):
    for the Daily routes and the test handle alike."""
    seen = seen_at(transcript, world.store.get(transcript.mtg_session_id), now)
    return as_json(seen, DOMAIN_ID, place_of(world.domain.properties, domain), status)
