"""The app factory: the routes, each wrapped in the pipeline every request passes
(:func:`pipeline_for`): for the Daily routes the rate limit, injected faults, auth, Daily's
error envelope, the version header and the journal; for the control plane the envelope and the
version header. With one namespace, no fault and no rate limit configured, a Daily request
takes the hot path: auth (the last accepted header remembered), the route, the header, the
journal.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from .. import __version__
from ..config import ServerConfig
from ..domain.ratelimits import Tier, tier_of
from ..domain.tokens import TokenDesk
from ..domain.world import World
from ..state.faults import Fault
from ..state.journal import Journal
from ..state.namespaces import Bounds, Namespaces
from ..state.ratelimit import RateLimiter
from .control import plane as admin
from .credentials import bearer_key, same_secret
from .daily import files
from .errors import ERROR_NAMES, VERSION_KEY, ApiError, error_response
from .keys import (
    CONFIG,
    LIMITER,
    NAMESPACES,
    TOKENS,
    answering_namespace,
    existing_namespace,
    namespace_of,
    request_key,
)
from .routes import NO_ROUTE, add_daily_routes, add_refusals

log = logging.getLogger("fake_meetings")
FAKE_PREFIX = admin.PREFIX  # the reserved prefix of the fake's own endpoints (no API auth)
AUTHORIZATION = hdrs.AUTHORIZATION


def pipeline_for(
    config: ServerConfig, spaces: Namespaces, limiter: RateLimiter | None
) -> Callable[[Handler], Handler]:
    """The pipeline every route's handler is wrapped in (see :func:`_guarded` for what every
    request passes): each route answers through it, the 404 and 405 answers too
    (:func:`routes.add_refusals`), so the app needs no middleware (aiohttp's middleware layer
    adds two calls to every request). With one namespace, no rate limit and no fault injected
    (the common case), a Daily request takes the hot path: the same steps, with the app's state
    bound here once instead of looked up per request."""
    auth = _auth_check(config) if config.auth else None
    default = spaces.default
    journal = default.journal  # never replaced (a reset clears it)
    armed = default.faults.armed  # changed in place, never replaced
    guarded = spaces.per_key or limiter is not None

    def wrap(handler: Handler) -> Handler:
        async def pipeline(request: web.Request) -> web.StreamResponse:
            url = request.rel_url  # its path_safe: how the router read the path (no decoding)
            if guarded or armed or url.path_safe.startswith(FAKE_PREFIX):
                return await _guarded(request, handler)
            try:
                if auth is not None:
                    auth(request.headers.get(AUTHORIZATION))
                response = await handler(request)
            except Exception as exc:  # every error in Daily's envelope, as _answer answers it
                response = _error_answer(request, exc)
            response.headers[VERSION_KEY] = __version__
            journal.record(
                request.method, request.raw_path, url, request.raw_headers, response.status
            )
            return response

        return pipeline

    return wrap


async def _guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request, in one linear pipeline:

    1. the control plane (``/_fake/``): the route, its errors in the envelope, the version
       header; no API auth, no faults, no journal;
    2. a Daily route: the rate limit (its route's tier, :func:`_rate_tier`) and injected
       faults first (an existing namespace's: here a namespace is only looked up, so a request
       refused before it reaches a route (401, 404, a fault) leaves none behind; a fault that
       fires ties the request to its namespace);
    3. then auth and the route (:func:`_answer`), every error in Daily's envelope;
    4. the version header on the answer, and the request in the journal."""
    if request.rel_url.path_safe.startswith(FAKE_PREFIX):  # the router's own reading of it
        answer = await _answer(request, handler, False)
        answer.headers[VERSION_KEY] = __version__
        return answer
    auth = request.app[CONFIG].auth
    limiter = request.app[LIMITER]
    fault: Fault | None = None
    space = existing_namespace(request)
    if limiter is not None or (space is not None and space.faults):
        key = request_key(request)
        if limiter is not None and not limiter.allow(key, tier := _rate_tier(request)):
            response: web.StreamResponse = error_response(429, "rate-limit-error", tier.info)
        elif (
            space is not None
            and space.faults
            and (fault := space.faults.pick(request.method, request.path, key))
        ):
            namespace_of(request)  # the request now acts on the fault's namespace (``space``)
            if fault.delay_ms and await space.faults.delay(fault):
                fault = None  # the fault was cleared during the delay: answered normally
                response = await _answer(request, handler, auth)
            elif fault.drop:
                return _drop(request, fault)
            elif fault.status is not None:
                response = error_response(fault.status, fault.error_name, fault.error_info)
            else:  # a delay alone
                response = await _answer(request, handler, auth)
        else:
            response = await _answer(request, handler, auth)
    else:
        response = await _answer(request, handler, auth)
    response.headers[VERSION_KEY] = __version__
    _record(request, response.status, fault)
    return response


def _rate_tier(request: web.Request) -> Tier:
    """The rate-limit tier of a request: by its method and the path of the route that took it,
    as the route table declares it (``/v1/rooms/{name}/`` is ``/rooms/{name}``); a path no
    route takes, or a method its route does not answer, is in the general tier."""
    path: str = getattr(request.match_info.route.resource, "canonical", "")
    if path.startswith(API_PREFIX + "/"):
        path = path[len(API_PREFIX) :]
    return tier_of(request.method, path.rstrip("/") or "/")


def _drop(request: web.Request, fault: Fault) -> web.StreamResponse:
    """Close the connection without an answer (recorded with status 0). aiohttp then fails
    quietly to write the returned placeholder: the transport is closed."""
    _record(request, 0, fault)
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=204)


def _record(request: web.Request, status: int, fault: Fault | None) -> None:
    """Into the journal of the namespace a route or a fault acted on; a request refused before
    either goes to the default namespace's journal, whether its key's namespace exists or not."""
    answering_namespace(request).journal.record(
        request.method,
        request.raw_path,
        request.rel_url,
        request.raw_headers,
        status,
        fault.id if fault is not None else None,
    )


async def _answer(request: web.Request, handler: Handler, auth: bool) -> web.StreamResponse:
    """Auth (when ``auth``), then the route; every error, from any layer, leaves as Daily's
    ``{"error", "info"}`` envelope."""
    try:
        if auth:
            _check_auth(request)
        return await handler(request)
    except Exception as exc:
        return _error_answer(request, exc)


def _error_answer(request: web.Request, exc: Exception) -> web.StreamResponse:
    """The answer to an error raised by auth or a route: Daily's envelope (re-raises what is
    not an error answer: a redirect, a client that left)."""
    if isinstance(exc, ApiError):
        info = exc.info + _off_api_hint(request)
        return error_response(exc.status, exc.error, info, problems=exc.problems)
    if isinstance(exc, web.HTTPException):
        if exc.status < 400:
            raise exc
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        error = ERROR_NAMES.get(exc.status, "invalid-request-error")
        return error_response(exc.status, error, _http_info(request, exc), headers)
    if isinstance(exc, ConnectionError):  # the client left (e.g. in the middle of its body)
        raise exc  # nobody to answer: the connection (api/runner.py) ends quietly
    log.exception("unexpected failure answering %s %s", request.method, request.path_qs)
    return error_response(500, "server-error", "unexpected failure in fake-meetings")


def _http_info(request: web.Request, exc: web.HTTPException) -> str:
    if exc.status == 404:
        return f"no route {request.method} {request.path}{_off_api_hint(request)}"
    if exc.status == 405:
        allowed = ", ".join(m for m in exc.headers.get("Allow", "GET").split(",") if m != "HEAD")
        return f"method {request.method} is not allowed on {request.path}; use {allowed}"
    return exc.reason


API_PREFIX = "/v1"  # Daily's routes all live under it


def _off_api_hint(request: web.Request) -> str:
    """For a path no route takes outside Daily's ``/v1`` and the control plane (``GET /``):
    where the routes are, so a base URL missing its ``/v1`` is named as such (else empty)."""
    path = request.path
    if path == API_PREFIX or path.startswith((API_PREFIX + "/", FAKE_PREFIX)):
        return ""
    if getattr(request.match_info.route.resource, "canonical", None) != NO_ROUTE:
        return ""  # a route of its own (the unversioned /meetings, /rooms...)
    return (
        f"; {path} is outside Daily's API: its routes are under {API_PREFIX}/ "
        f"(e.g. GET {API_PREFIX}/meetings; a base URL ends in {API_PREFIX}), "
        f"the fake's own under {FAKE_PREFIX}"
    )


def _check_auth(request: web.Request) -> None:
    _verify(request.headers.get(AUTHORIZATION), request.app[CONFIG].api_key)


def _verify(header: str | None, api_key: str | None) -> None:
    """Contract §6: a Bearer key is required (any non-empty one, or exactly ``api_key``)."""
    if header is None:
        raise ApiError(
            400,
            "missing Authorization header; send 'Authorization: Bearer <API key>'",
            "authorization-header-error",
        )
    key = bearer_key(header)
    if key is None:
        raise ApiError(
            400,
            "malformed Authorization header; expected 'Bearer <API key>'",
            "authorization-header-error",
        )
    if api_key is not None and not same_secret(key, api_key):
        raise ApiError(401, "the API key is not valid", "authentication-error")


class _AnyKey:
    """:func:`_verify` with no configured key, remembering the last header it accepted (a
    client sends the same one on every request): no secret, so a plain comparison is fine."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last: str | None = None

    def __call__(self, header: str | None) -> None:
        if header is None or header != self.last:
            _verify(header, None)
            self.last = header


def _auth_check(config: ServerConfig) -> Callable[[str | None], None]:
    """:func:`_verify` for ``config``, as one call on the hot path."""
    api_key = config.api_key
    if api_key is None:
        return _AnyKey()
    return lambda header: _verify(header, api_key)


async def _webhook_tasks(app: web.Application) -> AsyncIterator[None]:
    """The default namespace's real-time webhook task runs with the server (the others start
    with their namespace); at shutdown every namespace's deliveries stop."""
    app[NAMESPACES].default.webhooks.start()
    yield
    for space in app[NAMESPACES].all():
        await space.webhooks.close()


def create_app(
    world: World, config: ServerConfig | None = None, journal: Journal | None = None
) -> web.Application:
    """The application serving ``world`` (the default namespace's) with ``config``.

    ``journal`` receives the default namespace's requests (a new one, capped at
    ``config.journal_cap``, when None).
    """
    config = config or ServerConfig()
    if config.min_stay is not None:  # --min-stay beats the start-up scenario's min_stay:
        world.start_with_min_stay(config.min_stay)
    journal = journal if journal is not None else Journal(config.journal_cap, config.journal_bytes)
    spaces = Namespaces(
        world,
        per_key=config.namespaces,
        journal=journal,
        cap=config.max_namespaces,
        webhooks=replace(config.webhooks, domain=config.domain),
        bounds=Bounds(config.max_rooms, config.max_sessions),
    )
    limiter = RateLimiter() if config.rate_limit else None
    app = web.Application(client_max_size=config.max_body)
    app[CONFIG] = config
    app[NAMESPACES] = spaces
    app[LIMITER] = limiter
    app.cleanup_ctx.append(_webhook_tasks)
    secret = config.token_secret or secrets.token_urlsafe(32)  # per server [F]
    app[TOKENS] = TokenDesk(secret, config.api_key)
    wrap = pipeline_for(config, spaces, limiter)
    admin.add_routes(app, config, wrap)
    files.add_routes(app, wrap, secret)  # download links work with --no-admin too
    add_daily_routes(app, wrap)
    add_refusals(app, wrap)  # last: every path and method no route answers
    return app
