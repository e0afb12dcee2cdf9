"""The loads of the control plane (``POST /_fake/scenario``, ``POST /_fake/sessions``) run off
the event loop, and can be abandoned.

A load (parsing, generating, indexing) runs in a daemon thread of its own, not in the loop's
executor: an executor's threads are joined when the process exits, so a load under way held a
stopping server for as long as it ran. When the server stops (``on_shutdown``, before it waits
for running requests) every load under way is abandoned: its request answers at once with a
503 saying so, nothing is loaded, and its thread stops at the next check of its flag (see
``check``); a daemon thread still running does not keep the process alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from aiohttp import web

from ...errors import ApiError

T = TypeVar("T")


class Abandoned(Exception):
    """Raised in a load's thread once its load is abandoned (the work stops there)."""


def stopping() -> ApiError:
    return ApiError(
        503, "the server is stopping: the load was abandoned and nothing changed", "server-error"
    )


class Load:
    """One load under way: its flag (set when it is abandoned), checked by the work."""

    def __init__(self) -> None:
        self.flag = threading.Event()
        self._done: asyncio.Future[Any] | None = None

    def check(self, _done: int = 0) -> None:
        """Raise :class:`Abandoned` once the load is abandoned (fits generation's progress
        callback: call it every so many steps)."""
        if self.flag.is_set():
            raise Abandoned

    def abandon(self) -> None:
        self.flag.set()
        if self._done is not None and not self._done.done():
            self._done.set_exception(stopping())

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a daemon thread; its result or exception, awaited on the loop. A
        cancelled wait abandons the load too."""
        if self.flag.is_set():
            raise stopping()
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._done = done

        def settle(result: Any, exc: BaseException | None) -> None:
            if done.done():
                return
            if exc is not None:
                done.set_exception(exc)
            else:
                done.set_result(result)

        def work() -> None:
            try:
                result, exc = fn(*args), None
            except BaseException as error:  # handed to the request, raised there
                result, exc = None, error
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
                loop.call_soon_threadsafe(settle, result, exc)

        threading.Thread(target=work, name="fake-meetings-load", daemon=True).start()
        try:
            return await done
        except asyncio.CancelledError:
            self.flag.set()
            raise
        finally:
            self._done = None


class Loads:
    """The loads under way in one server."""

    def __init__(self) -> None:
        self.running: set[Load] = set()
        self.closed = False

    @contextlib.contextmanager
    def started(self) -> Iterator[Load]:
        """``with loads.started() as load:`` a load, abandoned when the server stops."""
        if self.closed:
            raise stopping()
        load = Load()
        self.running.add(load)
        try:
            yield load
        finally:
            self.running.discard(load)

    async def abandon_all(self, app: web.Application) -> None:
        """``on_shutdown``: abandon every load under way, and any started from now on."""
        self.closed = True
        for load in list(self.running):
            load.abandon()


LOADS = web.AppKey("loads", Loads)


def install(app: web.Application) -> None:
    """Give ``app`` its registry of loads, abandoned when it shuts down."""
    app[LOADS] = Loads()
    app.on_shutdown.append(app[LOADS].abandon_all)
