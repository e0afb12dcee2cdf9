"""Daily's error envelope ``{"error": ..., "info": ...}``: every error response is written here."""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from aiohttp import web

from .. import __version__

VERSION_HEADER = "X-Fake-Meetings-Version"  # on every response, errors included

# contract §5: the stable error string of each status this fake answers with
ERROR_NAMES: dict[int, str] = {
    400: "invalid-request-error",
    401: "authentication-error",
    403: "forbidden-error",
    404: "not-found",
    405: "method-not-allowed",
    413: "invalid-request-error",
    429: "rate-limit-error",
    500: "server-error",
}


class ApiError(Exception):
    """Raised anywhere below a handler; the envelope middleware turns it into a response."""

    def __init__(self, status: int, info: str, error: str | None = None):
        super().__init__(info)
        self.status = status
        self.error = error or ERROR_NAMES.get(status, "server-error")
        self.info = info


def invalid(info: str) -> ApiError:
    return ApiError(400, info, "invalid-request-error")


def not_found(info: str) -> ApiError:
    return ApiError(404, info, "not-found")


def error_response(
    status: int, error: str, info: str, headers: Mapping[str, str] | None = None
) -> web.Response:
    """The one function that writes an error body (also for requests that never reached the
    app, which is why it sets the version header itself)."""
    response = web.Response(
        status=status,
        body=orjson.dumps({"error": error, "info": info}),
        content_type="application/json",
        headers=headers,
    )
    response.headers[VERSION_HEADER] = __version__
    return response
