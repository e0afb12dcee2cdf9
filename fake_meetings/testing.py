"""Run the real server in a background thread (own event loop, port 0) for tests and scripts.

    with ServerThread(world, ServerConfig(auth=False)) as server:
        requests.get(server.url + "/meetings")

``url`` ends in ``/v1``, like Daily's base URL.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

from aiohttp import web

from .api.app import create_app
from .api.runner import Runner
from .config import ServerConfig
from .domain.world import World


class ServerThread:
    def __init__(
        self, world: World, config: ServerConfig | None = None, *, ready_timeout: float = 10
    ):
        self.world = world
        self.config = config or ServerConfig(port=0)
        self.host = self.config.host
        self.port = 0
        self._ready_timeout = ready_timeout
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="fake-meetings", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + "/v1"

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
        runner = Runner(create_app(self.world, self.config), access_log=None)
        try:
            await runner.setup()
            site = web.TCPSite(runner, self.config.host, self.config.port)
            await site.start()
            self.port = runner.addresses[0][1]
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._ready.set()
            await runner.cleanup()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()
