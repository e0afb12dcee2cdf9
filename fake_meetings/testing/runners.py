"""The runners: the real server on a free port, for tests and scripts, in a background thread
(:class:`ServerThread`, its own event loop) or on the running loop (:class:`AsyncServer`).

    with ServerThread(world, ServerConfig(auth=False)) as server:
        requests.get(server.url + "/meetings")

    with serve("ties") as server:          # the same, from scenario names or files
        fake = server.handle()             # the handle the pytest fixture returns
        fake.clock.advance(60)

``url`` ends in ``/v1``, like Daily's base URL. The server answers from its own thread, so code
under test may use a sync client (requests, httpx, urllib) or an async one on any event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from ..api.app import create_app
from ..api.keys import NAMESPACES, TOKENS
from ..api.runner import Runner, listen
from ..config import ServerConfig
from ..domain.world import World
from ..state.journal import Journal

if TYPE_CHECKING:
    from .handle import FakeMeetings

T = TypeVar("T")


class _Server:
    """What both servers share: the app built for ``world``, and once started ``base_url`` and
    ``url`` (ending in ``/v1``, like Daily's base URL)."""

    def __init__(self, world: World, config: ServerConfig | None, journal: Journal | None):
        self.world = world
        self.config = config or ServerConfig(port=0)
        self.app = create_app(self.world, self.config, journal)
        self.journal = self.app[NAMESPACES].default.journal
        self.host = self.config.host
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + "/v1"


class ServerThread(_Server):
    def __init__(
        self,
        world: World,
        config: ServerConfig | None = None,
        *,
        journal: Journal | None = None,
        ready_timeout: float = 10,
    ):
        super().__init__(world, config, journal)
        self._ready_timeout = ready_timeout
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="fake-meetings", daemon=True)

    @property
    def running(self) -> bool:
        return self._ready.is_set() and self._error is None and self._thread.is_alive()

    def start(self) -> ServerThread:
        self._thread.start()
        if not self._ready.wait(self._ready_timeout):
            raise RuntimeError(f"fake-meetings did not start within {self._ready_timeout} s")
        if self._error is not None:
            raise RuntimeError(f"fake-meetings failed to start: {self._error}") from self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)

    def call(self, fn: Callable[..., T], *args: Any, timeout: float = 10) -> T:
        """Run ``fn(*args)`` on the server's event loop, between two requests, and return its
        result (or raise its exception). Use it for changes made of several steps (a new store
        *and* a new clock) that no request may see half done. Runs ``fn`` directly when the
        server is not running."""
        loop = self._loop
        if (
            loop is None
            or not self.running
            or loop.is_closed()
            or threading.current_thread() is self._thread
        ):
            return fn(*args)
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return future.result(timeout)

    def call_async(self, make: Callable[[], Awaitable[T]], timeout: float | None = 30) -> T:
        """Await ``make()`` on the server's event loop from another thread, and return its
        result (or raise its exception) within ``timeout`` seconds (None: however long)."""
        loop = self._loop
        if loop is None or not self.running or loop.is_closed():
            raise RuntimeError("the fake-meetings server is not running")
        if threading.current_thread() is self._thread:
            raise RuntimeError("call_async: already on the server's loop; await it instead")

        async def run() -> T:
            return await make()

        return asyncio.run_coroutine_threadsafe(run(), loop).result(timeout)

    def handle(self, api_key: str = "fake-meetings") -> FakeMeetings:
        """The same handle as the pytest fixture's (``load``, ``add_session``, ``clock``,
        ``requests``, ``reset``), acting on this server's world and journal directly."""
        from .handle import FakeMeetings
        from .local import LocalBackend

        return FakeMeetings(
            LocalBackend(
                self.app[NAMESPACES].default,
                self.call,
                self.app[TOKENS],
                api_key,
                self.config.domain,
                self.call_async,
            ),
            self.url,
            api_key,
        )

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            runner = await listen(self.app)
            self.port = runner.addresses[0][1]
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()


class AsyncServer(_Server):
    """The real server on the *running* event loop, without a thread, for async code and tests:

        async with AsyncServer(world) as server:
            async with session.get(server.url + "/meetings", headers=...) as response: ...

    Requests are answered only while the loop runs, so the client must be async (on the same
    loop); for sync clients use :class:`ServerThread`.
    """

    def __init__(
        self, world: World, config: ServerConfig | None = None, *, journal: Journal | None = None
    ):
        super().__init__(world, config, journal)
        self._runner: Runner | None = None

    async def start(self) -> AsyncServer:
        runner = await listen(self.app)
        self.port = runner.addresses[0][1]
        self._runner = runner
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    def handle(self, api_key: str = "fake-meetings") -> FakeMeetings:
        """The pytest fixture's handle, acting on this server's world and journal directly."""
        from .handle import FakeMeetings
        from .local import LocalBackend

        return FakeMeetings(
            LocalBackend(
                self.app[NAMESPACES].default, None, self.app[TOKENS], api_key, self.config.domain
            ),
            self.url,
            api_key,
        )

    async def __aenter__(self) -> AsyncServer:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


def serve(*scenarios: str, now: int | str | None = None, **options: Any) -> ServerThread:
    """A :class:`ServerThread` (not started yet: use it in ``with``) serving ``scenarios``
    (files or bundled names, merged; none: no sessions) on a free port. ``now`` freezes the
    clock; ``options`` are :class:`ServerConfig` fields (``api_key=``, ``auth=False``, ...)."""
    from ..domain.clock import Clock
    from ..domain.times import parse_instant
    from ..scenario.loading import load

    frozen = parse_instant(now) if now is not None else None
    world = load(list(scenarios), now=frozen).world() if scenarios else World((), Clock(frozen))
    options.setdefault("port", 0)
    return ServerThread(world, ServerConfig(**options))
