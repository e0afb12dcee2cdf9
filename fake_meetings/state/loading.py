"""A namespace's load and append of a scenario, as two commands both the control plane
(``POST /_fake/scenario``, ``/_fake/sessions``) and the test handle (``load``,
``add_session``) call, so the two check and change alike:

- :meth:`LoadCommands.prepare_load`, off the server's loop (the control plane's load thread,
  a worker thread of the handle's load): the sessions bound, the ids an append would serve
  twice (each a problem with its file, line and path), and the new store built and indexed;
- :meth:`LoadCommands.commit_load`, on the loop, in one synchronous step: the store, rooms,
  recordings, transcripts, webhook, domain, ``min_stay`` and clock swapped in
  (:meth:`LoadCommands.load`), or nothing when one of them is refused.

Parsing stays with the caller (a request body, a file, a dict). The control plane and the
handle run both steps under the namespace's lock (``Namespace.exclusive``), so nothing changes
the sessions between them, and a load of one never slips between the two steps of the
other's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain.recordings import Recordings
from ..domain.rooms import Rooms
from ..domain.store import Store
from ..domain.transcripts import Transcripts, with_room_ids
from ..errors import invalid
from .group import CommandGroup
from .transcription import check_transcripts

if TYPE_CHECKING:
    from ..domain.domainconfig import DomainConfig
    from ..domain.model import Session
    from ..domain.recordings import Recording
    from ..domain.rooms import Room
    from ..domain.transcripts import Transcript
    from ..scenario.scenario import Scenario
    from ..scenario.validate import Problem
    from ..scenario.yamldoc import Document
    from ..webhooks.desk import WebhookDesk

Ranked = TypeVar("Ranked", Recordings, Transcripts)  # a family loaded by `_loaded`


def clashes(
    new: Sequence[Session], store: Store, source: str, doc: Document | None
) -> list[Problem]:
    """The sessions of an append whose id ``store`` serves already, each a problem naming its
    source, its line in ``doc`` (when the text was read with lines) and its path."""
    from ..scenario.validate import Problem

    written = doc.data.get("sessions") if doc is not None and isinstance(doc.data, dict) else None
    count = len(written) if isinstance(written, list) else len(new) if doc is None else 0
    problems = []
    for i, session in enumerate(new):
        if store.get(session.id) is not None:
            path: tuple[str | int, ...] = ("sessions", i, "id") if i < count else ("generate",)
            problems.append(
                Problem(
                    source,
                    doc.line_of(path) if doc is not None else None,
                    path,
                    f"session id {session.id!r} is already served; give another id "
                    "(sessions without an id get one derived from their content), or "
                    "load with mode=replace",
                )
            )
    return problems


class LoadCommands(CommandGroup):
    """The load commands of a namespace (mixed into ``Namespace``)."""

    if TYPE_CHECKING:
        _joined: dict[str, str]
        webhooks: WebhookDesk

    def prepare_load(
        self,
        scenario: Scenario,
        source: str,
        *,
        append: bool,
        doc: Document | None = None,
        built: Store | None = None,
    ) -> Store:
        """The store ``scenario``'s sessions make, alone or after the served ones (``append``);
        ``built``, that store built already (the handle's cache of a file). Safe off the loop:
        it reads the namespace, changes nothing. More sessions than the namespace's bound is a
        400 (ApiError); an append of an id served already raises ScenarioError, one problem per
        session."""
        world = self.world
        # before the store is built: a namespace appended to forever ends here, cheaply
        self.bounds.check_sessions(len(scenario.sessions) + (len(world.store) if append else 0))
        if not append:
            return built if built is not None else Store(scenario.sessions)
        problems = clashes(scenario.sessions, world.store, source, doc)
        if problems:
            from ..scenario.scenario import ScenarioError

            raise ScenarioError(problems)
        return self.appended(scenario.sessions)

    def commit_load(
        self, scenario: Scenario, store: Store, *, append: bool, freeze_at: int | None = None
    ) -> None:
        """``store`` (from :meth:`prepare_load`) and the rest of ``scenario`` (its rooms,
        recordings, transcripts, webhook, domain, ``min_stay``: those it declares) swapped in
        at once; the clock frozen at ``freeze_at``, else at the scenario's ``now:``, else left.
        A room, recording or transcript that clashes, or a bound passed, is a 400 (ApiError)
        that changes nothing."""
        self.load(
            store,
            freeze_at if freeze_at is not None else scenario.now,
            scenario.rooms,
            append=append,
            webhook=scenario.webhook,
            domain=scenario.domain,
            recordings=scenario.recordings,
            min_stay=scenario.min_stay,
            transcripts=scenario.transcripts,
        )

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
