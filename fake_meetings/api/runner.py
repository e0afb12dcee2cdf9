"""The AppRunner of every server (the CLI's, ``ServerThread``'s, ``AsyncServer``'s), built from the
app's :class:`ServerConfig`.

Its connections answer in Daily's envelope even what aiohttp answers in plain text before any
route runs (a request line or header over its size limit, broken HTTP): the contract says
every body is JSON, so those answers go through :func:`errors.error_response` too.

They are also bounded, so slow or idle clients cannot hold the server:

- a request head (request line and headers) must be complete within ``header_timeout`` seconds
  of the connection opening, or of its first byte on a kept-alive connection (slow loris);
- a request body may take as long as it needs while it flows, but a connection whose body stops
  (no byte for ``header_timeout`` seconds while the server is reading) is closed: a body
  trickled steadily is read, a stalled one does not hold its connection;
- a kept-alive connection idle for ``keepalive_timeout`` seconds is closed (aiohttp's timer);
- a connection beyond ``max_connections`` open ones is closed at once, unanswered;
- when the server stops, requests still running after ``SHUTDOWN_TIMEOUT`` are cancelled;
- a client that leaves in the middle of a request (a ``ConnectionError`` from reading its body)
  is routine: its connection ends without a log line.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import EMPTY_PAYLOAD, StreamReader, web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from .errors import ERROR_NAMES, error_response
from .keys import CONFIG

SHUTDOWN_TIMEOUT = 1.0  # seconds


class _Connection(RequestHandler):
    __slots__ = (
        "_body",
        "_body_seen",
        "_body_timer",
        "_head_timer",
        "_header_timeout",
        "_max_connections",
    )

    def __init__(
        self, manager: web.Server, *, header_timeout: float, max_connections: int, **kwargs: Any
    ):
        super().__init__(manager, **kwargs)
        self._header_timeout = header_timeout
        self._max_connections = max_connections
        self._head_timer: asyncio.TimerHandle | None = None
        self._body: StreamReader | None = None  # the body of the latest request
        self._body_seen = 0.0  # loop time of its latest progress
        self._body_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert self._manager is not None
        if len(self._manager._connections) >= self._max_connections:
            transport.close()  # never started: connection_lost finds nothing to undo
            return
        super().connection_made(transport)
        self._head_timer = self._loop.call_later(self._header_timeout, self._head_overdue)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        messages = self._messages
        if messages:
            self._body = messages[-1][1]
        body = self._body
        if body is not None and body is not EMPTY_PAYLOAD and not body.is_eof():  # on its way
            self._body_seen = self._loop.time()
            if self._body_timer is None:
                self._body_timer = self._loop.call_later(self._header_timeout, self._body_stalled)
        if messages or self._request_in_progress:  # a head is complete
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None
        elif self._head_timer is None and data:  # the first bytes of the next request
            self._head_timer = self._loop.call_later(self._header_timeout, self._head_overdue)

    def _head_overdue(self) -> None:
        self._head_timer = None
        if not self._messages and not self._request_in_progress:
            self.force_close()

    def _body_stalled(self) -> None:
        """Close the connection if its body made no progress for ``header_timeout`` seconds
        (time the server itself stopped reading, its buffer full, does not count)."""
        self._body_timer = None
        if self._body is None or self._body.is_eof():
            return
        now = self._loop.time()
        if self._reading_paused or self._buffer_paused:
            self._body_seen = now
        if now >= self._body_seen + self._header_timeout:
            self.force_close()
        else:
            self._body_timer = self._loop.call_at(
                self._body_seen + self._header_timeout, self._body_stalled
            )

    def connection_lost(self, exc: BaseException | None) -> None:
        for timer in (self._head_timer, self._body_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = self._body = None
        super().connection_lost(exc)

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        if request.writer.output_size > 0:  # a response is under way: nothing can be added
            return super().handle_error(request, status, exc, message)
        if status >= 500:
            if not isinstance(exc, ConnectionError):  # a client that left is routine, not logged
                self.log_exception("Error handling request", exc_info=exc)
            info = "unexpected failure in fake-meetings"
        else:
            detail = str(exc or message or "malformed request")
            info = f"the request could not be read: {detail[:160]}"
        response = error_response(status, ERROR_NAMES.get(status, "invalid-request-error"), info)
        response.force_close()
        return response


class _Server(web.Server):
    def __call__(self) -> RequestHandler:
        return _Connection(self, loop=self._loop, **self._kwargs)


class Runner(web.AppRunner):
    """``web.AppRunner`` with JSON answers for unparsable requests and bounded connections."""

    def __init__(self, app: web.Application, *, access_log: logging.Logger | None = None):
        config = app[CONFIG]
        super().__init__(
            app,
            access_log=access_log,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
            keepalive_timeout=config.keepalive_timeout,
            header_timeout=config.header_timeout,  # these two reach _Connection only
            max_connections=config.max_connections,
        )

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _Server  # same layout; only connection creation differs
        return server


async def listen(app: web.Application, *, access_log: logging.Logger | None = None) -> Runner:
    """Start serving ``app`` on its config's host and port (0: any free one); the one start-up
    of the CLI's server and the test runners'. Stop it with ``runner.cleanup()``; the port
    bound is ``runner.addresses[0][1]``. Nothing is left open when it fails."""
    config = app[CONFIG]
    runner = Runner(app, access_log=access_log)
    await runner.setup()
    try:
        await web.TCPSite(runner, config.host, config.port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
