"""Daily's error envelope ``{"error": ..., "info": ...}``: every error response is written here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import orjson
from aiohttp import web
from multidict import istr

from .. import __version__
from ..errors import ERROR_NAMES, ApiError, invalid, not_found

VERSION_HEADER = "X-Fake-Meetings-Version"  # on every response, errors included
VERSION_KEY = istr(VERSION_HEADER)  # the same, case-insensitive already: set without a conversion

__all__ = ["ERROR_NAMES", "VERSION_HEADER", "ApiError", "error_response", "invalid", "not_found"]


def error_response(
    status: int,
    error: str,
    info: str,
    headers: Mapping[str, str] | None = None,
    problems: Sequence[Mapping[str, object]] = (),
) -> web.Response:
    """The one function that writes an error body (also for requests that never reached the
    app, which is why it sets the version header itself). ``problems``, when there are any, go
    beside ``info`` as a list (the control plane's scenario problems, each ``file``, ``line``,
    ``path`` and ``message``)."""
    envelope: dict[str, object] = {"error": error, "info": info}
    if problems:
        envelope["problems"] = list(problems)
    response = web.Response(
        status=status,
        body=orjson.dumps(envelope),
        content_type="application/json",
        headers=headers,
    )
    response.headers[VERSION_HEADER] = __version__
    return response
