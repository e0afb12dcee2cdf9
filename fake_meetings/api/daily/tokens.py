"""The Daily meeting-token routes (contract part two, §11): ``POST /meeting-tokens`` issues an
HS256 JWT signed with the server's secret; ``GET /meeting-tokens/{token}`` answers its
properties while it is valid at the server clock's instant. Tokens self-signed with the API key
(the configured one; with any-key auth, the request's) are accepted too.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from ...domain.tokens import Token, TokenDesk
from ..bodies import daily_body
from ..errors import invalid
from ..keys import NAMESPACES, TOKENS, namespace_of, request_key, world_of
from .route import Route

CREATE_FIELDS = ("properties",)


def _json(body: Any) -> web.Response:
    return web.Response(body=orjson.dumps(body), content_type="application/json")


def desk_of(request: web.Request) -> TokenDesk:
    """The token desk of the request's namespace: with ``--namespaces``, a secret per key."""
    key = request_key(request) if request.app[NAMESPACES].per_key else None
    return request.app[TOKENS].for_namespace(key)


def check_token(request: web.Request, token: str, *, ignore_nbf: bool = False) -> Token:
    """``token`` verified for ``request``: by its namespace's secret or the API key, at the
    clock of the request's namespace."""
    now = namespace_of(request).world.clock.now()
    return desk_of(request).verify(token, now, key=request_key(request), ignore_nbf=ignore_nbf)


async def create(request: web.Request) -> web.Response:
    body = await daily_body(request, CREATE_FIELDS)
    now = world_of(request).clock.now()
    return _json({"token": desk_of(request).issue(body.get("properties"), now)})


async def validate(request: web.Request) -> web.Response:
    flag = request.query.get("ignoreNbf", "false")
    if flag not in ("true", "false"):
        raise invalid(f"ignoreNbf: must be true or false; got {flag[:100]!r}")
    token = check_token(request, request.match_info["token"], ignore_nbf=flag == "true")
    return _json(token.properties)


# The Daily meeting-token routes, declared once like rooms.ROUTES: served under /v1 and at the
# root, described by the OpenAPI document, listed by /_fake/version.
ROUTES = (
    Route("POST", "/meeting-tokens", create, "createMeetingToken"),
    Route("GET", "/meeting-tokens/{token}", validate, "validateMeetingToken"),
)
