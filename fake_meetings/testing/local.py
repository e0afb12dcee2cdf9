"""The handle's backend for a server in this process: it changes the server's namespace
through the state layer (``state/namespaces.py``), the same calls the control plane makes."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..client.control import FakeMeetingsError
from ..config import DEFAULT_DOMAIN
from ..domain.model import Participant, Session
from ..domain.store import Store
from ..domain.tokens import TokenDesk
from ..domain.world import World
from ..errors import ApiError
from .handle import Mode, RecordedRequest, Source, is_text, read_scenario, source_label
from .localmedia import LocalMedia

if TYPE_CHECKING:
    from ..scenario.scenario import Scenario
    from ..state.namespaces import Namespace

T = TypeVar("T")


class OnLoop(Protocol):
    """Runs a change where the server runs (``ServerThread.call``) and returns its result."""

    def __call__(self, fn: Callable[[], T]) -> T: ...


class OnLoopAsync(Protocol):
    """Awaits a coroutine on the server's loop from another thread and returns its result."""

    def __call__(self, make: Callable[[], Awaitable[T]], timeout: float | None = ...) -> T: ...


def _direct(fn: Callable[[], T]) -> T:
    return fn()


class LocalBackend(LocalMedia):
    """Acts on a namespace of a server in this process (through the state layer, like the
    control plane). ``run`` executes a change on the server's loop (``ServerThread.call``) so
    no request sees it half done."""

    def __init__(
        self,
        space: Namespace,
        run: OnLoop | None = None,
        tokens: TokenDesk | None = None,
        api_key: str | None = None,
        domain: str = DEFAULT_DOMAIN,
        run_async: OnLoopAsync | None = None,
    ):
        self.space = space
        self._run: OnLoop = run or _direct
        # awaits a coroutine on the server's loop (ServerThread.call_async); None on the same
        # loop (AsyncServer), where a sync call cannot wait for the network
        self._run_async = run_async
        # the server's token desk (app[TOKENS]); alone, a desk of its own
        self.tokens = tokens or TokenDesk(secrets.token_urlsafe(32))
        self.api_key = api_key  # the handle's key: tokens self-signed with it are accepted
        self.domain = domain  # of the rooms' urls
        # scenarios that do not depend on the wall clock, parsed and indexed once per session
        self._cache: dict[tuple[str, int, int, int | None], tuple[Scenario, Store]] = {}

    @property
    def world(self) -> World:
        return self.space.world

    def reset(self) -> None:
        self._run(lambda: self.space.reset(empty=True))

    def _read(self, source: Source, now: int | None) -> tuple[Scenario, Store | None]:
        key = None
        if not isinstance(source, Mapping) and not is_text(source):
            from ..scenario.loading import resolve

            path = resolve(os.fspath(source))
            stat = path.stat()
            key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, now)
            if key in self._cache:
                return self._cache[key]
        scenario = read_scenario(source, now=now, wall_now=self.world.clock.now())
        if key is not None and (now is not None or scenario.now is not None):
            self._cache[key] = (scenario, Store(scenario.sessions))
            return self._cache[key]
        return scenario, None

    def load(self, source: Source, mode: Mode, now: int | None) -> None:
        scenario, store = self._read(source, now)
        self._load(scenario, source_label(source), mode == "append", now, store)

    def add_sessions(self, sessions: list[dict[str, Any]]) -> None:
        from ..scenario.scenario import load_data

        label = "add_session()"
        scenario = load_data({"sessions": sessions}, label, wall_now=self.world.clock.now())
        self._load(scenario, label, True, None, None)

    def _load(
        self, scenario: Scenario, label: str, append: bool, now: int | None, built: Store | None
    ) -> None:
        """The same two commands as ``POST /_fake/scenario``, in the namespace's turn as there
        (``Namespace.exclusive``), so a load over HTTP and this one never interleave: prepared
        off the loop (the bounds, the ids served twice, the store), swapped in on the server's
        loop. A refusal of the swap (a room or id clash, a bound) is a problem of the file's
        ``rooms``."""
        space = self.space

        def prepare() -> Store:
            return space.prepare_load(scenario, label, append=append, built=built)

        def commit(store: Store) -> None:
            space.commit_load(scenario, store, append=append, freeze_at=now)

        async def in_turn() -> None:
            commit(await asyncio.to_thread(prepare))

        try:
            if self._run_async is not None:  # as long as it takes, like the file's reading
                self._run_async(lambda: space.exclusive(in_turn), None)
            elif space.lock.locked():  # on the caller's loop, which a wait would block
                raise FakeMeetingsError(
                    "load refused: another load (or a webhook's test request) holds this "
                    "namespace's turn; await it before loading through the handle"
                )
            else:
                commit(prepare())
        except ApiError as exc:
            from ..scenario.scenario import ScenarioError
            from ..scenario.validate import Problem

            raise ScenarioError([Problem(label, None, ("rooms",), exc.info)]) from None

    def clock(self) -> tuple[int, bool]:
        return self.world.clock.now(), self.world.clock.frozen

    def set_clock(self, instant: int) -> None:
        self._refused("clock", lambda: self.space.set_clock(instant))

    def advance_clock(self, seconds: int) -> None:  # the range: the clock's (domain/clock.py)
        self._refused("clock", lambda: self.space.advance_clock(seconds))

    def real_clock(self) -> None:
        self._run(self.space.real_clock)

    def join(self, room: str | None, **who: Any) -> dict[str, Any]:
        token = who.pop("token", None)

        def change() -> tuple[Session, Participant]:  # on the loop: the clock the server reads
            now = self.world.clock.now()
            found = None if token is None else self.tokens.verify(token, now, key=self.api_key)
            return self.space.join(room, token=found, **who)

        session, stay = self._refused("join", change)
        ids = {"participant_id": stay.participant_id, "session_id": session.id}
        return {**ids, "room": session.room}

    def token(self, properties: dict[str, Any]) -> str:
        now = self.world.clock.now()
        return self._refused("token", lambda: self.tokens.issue(properties, now))

    def room(self, body: dict[str, Any]) -> dict[str, Any]:
        room = self._refused("room", lambda: self.space.create_room(dict(body)))
        return room.as_json(self.domain)

    def leave(self, participant_id: str) -> None:
        self._refused("leave", lambda: self.space.leave(participant_id))

    def _refused(self, what: str, change: Callable[[], T]) -> T:
        """``change`` run on the loop; a refusal raises what the remote backend raises for the
        same call (FakeMeetingsError, with the server's message), not the server's ApiError."""
        try:
            return self._run(change)
        except ApiError as exc:
            raise FakeMeetingsError(
                f"{what} refused ({exc.status} {exc.error}): {exc.info}"
            ) from None

    def requests(self) -> list[RecordedRequest]:
        entries = self._run(self.space.requests)
        return [RecordedRequest.from_dict(e.as_dict()) for e in entries]

    def clear_requests(self) -> None:
        self._run(self.space.clear_requests)

    # -- webhooks: the Daily routes' own calls, the desk's log, waiting for deliveries

    def webhook_call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        from ..domain.bodies import checked_fields
        from ..domain.webhook import CREATE_FIELDS, deleted_json, listed_json

        space = self.space
        uuid = path.removeprefix("/webhooks").strip("/")
        if method == "GET":
            if uuid:
                return self._refused("webhook", lambda: space.webhook(uuid).as_json())
            return self._run(lambda: listed_json(space.current_webhook()))
        if method == "DELETE":
            return self._refused("webhook", lambda: deleted_json(space.delete_webhook(uuid)))
        sent = self._refused("webhook", lambda: checked_fields(body or {}, CREATE_FIELDS))
        if uuid:
            return self._awaited("webhook", lambda: space.update_webhook(uuid, sent)).as_json()
        return self._awaited("webhook", lambda: space.create_webhook(sent)).as_json()

    def webhook_log(self, limit: int) -> dict[str, Any]:
        return self._run(lambda: self.space.webhooks.summary(limit))

    def clear_webhook_log(self) -> None:
        self._run(self.space.clear_webhook_log)

    def min_stay(self) -> int:
        return self.world.min_stay

    def set_min_stay(self, seconds: int) -> None:
        self._run(lambda: self.space.set_min_stay(seconds))

    def set_webhook_timestamp(self, mode: str) -> None:
        self._refused("webhook timestamp", lambda: self.space.set_webhook_timestamp(mode))

    def settle(self, timeout: float) -> bool:
        desk = self.space.webhooks
        if self._run(lambda: desk.idle):
            return True
        if self._run_async is None:  # on the test's own loop: waiting here would block it
            return False
        return self._awaited("settle", lambda: desk.settle(timeout), timeout + 5)

    def _awaited(self, what: str, make: Callable[[], Awaitable[T]], timeout: float = 30) -> T:
        if self._run_async is None:
            raise RuntimeError(
                "webhooks that wait for the network (a webhook's test request, waiting for "
                "deliveries) need the server in its own thread: use the fake_meetings fixture "
                "(it serves async tests too), not fake_meetings_async"
            )
        try:
            return self._run_async(make, timeout)
        except ApiError as exc:
            raise FakeMeetingsError(
                f"{what} refused ({exc.status} {exc.error}): {exc.info}"
            ) from None
