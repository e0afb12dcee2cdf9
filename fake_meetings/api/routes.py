"""The Daily routes, gathered in one table: each family declares its own ``ROUTES``
(``meetings``, ``rooms``, ``presence``, ``tokens``, ``webhooks``); the router serves them all
under ``/v1`` and at the root, the OpenAPI document describes exactly them, ``/_fake/version``
lists them and ``serve`` names their families."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from . import meetings, presence, rooms, tokens, webhooks

Route = tuple[str, str, Callable[[web.Request], Awaitable[web.StreamResponse]]]


def daily_routes() -> tuple[Route, ...]:
    """Every Daily route as ``(method, path without /v1, handler)``, read from the families'
    tables when called (so a benchmark may swap a handler before the app is made)."""
    return (
        *meetings.ROUTES,
        *rooms.ROUTES,
        *presence.ROUTES,
        *tokens.ROUTES,
        *webhooks.ROUTES,
    )


def add_daily_routes(app: web.Application) -> None:
    for prefix in ("", "/v1"):
        for method, path, handler in daily_routes():
            app.router.add_route(method, prefix + path, handler)
