"""The app factory: routes and the middlewares every request passes (envelope, then auth)."""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from .. import __version__
from ..config import ServerConfig
from ..domain.world import World
from . import meetings, render
from .errors import ERROR_NAMES, ApiError, error_response
from .journal import Entry, Journal
from .state import CONFIG, JOURNAL, WORLD

log = logging.getLogger("fake_meetings")
FAKE_PREFIX = "/_fake/"  # the reserved prefix of the fake's own endpoints (no auth)


@web.middleware
async def envelope_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error, from any layer, leaves as Daily's ``{"error", "info"}`` envelope."""
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.error, exc.info)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        error = ERROR_NAMES.get(exc.status, "invalid-request-error")
        return error_response(exc.status, error, _http_info(request, exc), headers)
    except Exception:
        log.exception("unexpected failure answering %s %s", request.method, request.path_qs)
        return error_response(500, "server-error", "unexpected failure in fake-meetings")


def _http_info(request: web.Request, exc: web.HTTPException) -> str:
    if exc.status == 404:
        return f"no route {request.method} {request.path}"
    if exc.status == 405:
        return f"method {request.method} is not allowed on {request.path}; use GET"
    return exc.reason


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Contract §6: a Bearer key is required (any non-empty one, or exactly the configured one)."""
    config = request.app[CONFIG]
    if config.auth and not request.path.startswith(FAKE_PREFIX):
        header = request.headers.get("Authorization")
        if header is None:
            raise ApiError(
                400,
                "missing Authorization header; send 'Authorization: Bearer <API key>'",
                "authorization-header-error",
            )
        scheme, _, key = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiError(
                400,
                "malformed Authorization header; expected 'Bearer <API key>'",
                "authorization-header-error",
            )
        expected = config.api_key
        if expected is not None and not hmac.compare_digest(
            key.strip().encode(), expected.encode()
        ):
            raise ApiError(401, "the API key is not valid", "authentication-error")
    return await handler(request)


async def health(request: web.Request) -> web.Response:
    world = request.app[WORLD]
    body = {"status": "ok", "version": __version__, "sessions": len(world.store)}
    return web.Response(body=render.json_body(body), content_type="application/json")


@web.middleware
async def journal_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record every request to the API routes (not the fake's own /_fake/ endpoints)."""
    response = await handler(request)
    if not request.path.startswith(FAKE_PREFIX):
        request.app[JOURNAL].record(
            Entry(
                method=request.method,
                path=request.path,
                query={k: request.query.getall(k) for k in request.query},
                headers=dict(request.headers),
                status=response.status,
            )
        )
    return response


def create_app(
    world: World, config: ServerConfig | None = None, journal: Journal | None = None
) -> web.Application:
    # outermost first: the journal sees the final status, including enveloped errors
    app = web.Application(middlewares=[journal_middleware, envelope_middleware, auth_middleware])
    app[WORLD] = world
    app[CONFIG] = config or ServerConfig()
    app[JOURNAL] = journal if journal is not None else Journal()
    app.router.add_get(FAKE_PREFIX + "health", health)
    meetings.add_routes(app)
    return app
