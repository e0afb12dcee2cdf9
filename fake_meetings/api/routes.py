"""The Daily routes, gathered in one table: each family declares its own ``ROUTES``
(``meetings``, ``rooms``, ``presence``, ``tokens``, ``webhooks``, ``domain``,
``recordings``, ``transcripts``), each route a ``daily.route.Route``; the router serves them
all under ``/v1`` and at the root (the domain's ``/`` under ``/v1`` only), the OpenAPI
document's paths are made from them (each route names its operation), ``/_fake/version``
lists them and ``serve`` names their families.

Every handler the router calls is wrapped in the app's pipeline (``app.pipeline_for``), the
answers no route gives too (:func:`add_refusals`): aiohttp's own 404 and 405 would skip it.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from .daily import (
    domain,
    meetings,
    presence,
    recordings,
    rooms,
    tokens,
    transcripts,
    webhooks,
)
from .daily.route import Route

Wrap = Callable[[Handler], Handler]
EVERY_PATH = r"/{path:[\s\S]*}"  # matches any path a request can name (newlines included)
NO_ROUTE = "/{path}"  # the canonical name of EVERY_PATH's resource: a request no route took


def daily_routes() -> tuple[Route, ...]:
    """Every Daily route (method, path without /v1, handler, operation), read from the
    families' tables when called (so a benchmark may swap a handler before the app is made)."""
    return (
        *meetings.ROUTES,
        *rooms.ROUTES,
        *presence.ROUTES,
        *tokens.ROUTES,
        *webhooks.ROUTES,
        *domain.ROUTES,
        *recordings.ROUTES,
        *transcripts.ROUTES,
    )


def add_daily_routes(app: web.Application, wrap: Wrap) -> None:
    """Every Daily route under ``/v1`` and at the root, then each again with one trailing ``/``
    more or less (contract §9a: ``POST /v1/rooms/`` is ``POST /v1/rooms``; ``GET /v1`` is
    ``GET /v1/``). The other forms are added after every route as declared: aiohttp tries a
    path's candidates in the order they were added, so a request in the declared form finds
    its route exactly as before and only one in the other form goes on to them."""
    routes = [
        (r.method, prefix + r.path, r.handler)
        for prefix in ("", "/v1")
        for r in daily_routes()
        if prefix or r.path != "/"  # the domain is /v1/ only: / is where no Daily route is
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, wrap(handler))
    declared = {(method, path) for method, path, _ in routes}
    for method, path, handler in routes:
        other = other_slash_form(path)
        if other and (method, other) not in declared:
            app.router.add_route(method, other, wrap(handler))


def other_slash_form(path: str) -> str:
    """``path`` with one trailing ``/`` removed, or added when it has none ("" for ``/``)."""
    return path[:-1] if path.endswith("/") else path + "/"


def add_refusals(app: web.Application, wrap: Wrap) -> None:
    """Call after every route is added. Each path then answers the methods it has no route for
    with 405 (``Allow``: the methods its routes take, under every resource of that path), and
    any other path with 404, both raised inside ``wrap`` like a route's own errors."""
    allowed: dict[str, set[str]] = {}
    resources = list(app.router.resources())
    for resource in resources:
        methods = allowed.setdefault(resource.canonical, set())
        methods.update(route.method for route in resource)
    for resource in resources:
        if isinstance(resource, web.Resource):
            refusal = _not_allowed(frozenset(allowed[resource.canonical]))
            resource.add_route(hdrs.METH_ANY, wrap(refusal))
    app.router.add_route(hdrs.METH_ANY, EVERY_PATH, wrap(_no_route))


def _not_allowed(methods: frozenset[str]) -> Handler:
    async def refuse(request: web.Request) -> web.StreamResponse:
        raise web.HTTPMethodNotAllowed(request.method, methods)

    return refuse


async def _no_route(request: web.Request) -> web.StreamResponse:
    raise web.HTTPNotFound()
