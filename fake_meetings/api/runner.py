"""An AppRunner whose low-level HTTP errors also wear Daily's envelope.

aiohttp answers a request it cannot even parse (a request line or header over its size limit,
broken HTTP) in plain text, before any middleware runs. The contract says every body is JSON,
so this runner's connections write those answers through :func:`errors.error_response` too.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from .errors import ERROR_NAMES, error_response


class _EnvelopeRequestHandler(RequestHandler):
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
            self.log_exception("Error handling request", exc_info=exc)
            info = "unexpected failure in fake-meetings"
        else:
            detail = str(exc or message or "malformed request")
            info = f"the request could not be read: {detail[:160]}"
        response = error_response(status, ERROR_NAMES.get(status, "invalid-request-error"), info)
        response.force_close()
        return response


class _EnvelopeServer(web.Server):
    def __call__(self) -> RequestHandler:
        return _EnvelopeRequestHandler(self, loop=self._loop, **self._kwargs)


class Runner(web.AppRunner):
    """``web.AppRunner`` with JSON answers for requests that cannot be parsed."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _EnvelopeServer  # same layout; only connection creation differs
        return server
