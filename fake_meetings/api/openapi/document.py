"""The OpenAPI 3.1 document of the Daily routes as this server serves them.

It follows the running configuration (whether a Bearer key is required, whether ``limit`` over
100 is refused), declares every parameter with the exact range the server accepts, every body
with ``additionalProperties: false``, and every error status each route can answer. The test
suite validates real responses against it and runs schemathesis on it, so it cannot drift from
the behaviour unnoticed.

Its ``paths`` are made from the route table (``paths.py``): each route names its operation,
which its family's module here builds (``OPERATIONS``) with the family's schemas
(``schemas()``). This module only assembles: info, servers, security and components.
"""

from __future__ import annotations

from typing import Any

from ... import __version__
from ...config import ServerConfig
from ..daily.route import Route
from ..routes import daily_routes
from . import domain, meetings, presence, recordings, rooms, tokens, transcripts, webhooks
from .parts import Context
from .paths import bind, paths

EMULATES = "Daily REST API v1"
ROUTES = tuple(f"{r.method} /v1{r.path}" for r in daily_routes())
FAMILIES = (meetings, rooms, presence, tokens, webhooks, domain, recordings, transcripts)

bind(daily_routes(), (f.OPERATIONS for f in FAMILIES))  # a route or operation left over: fail


def document(config: ServerConfig, routes: tuple[Route, ...] | None = None) -> dict[str, Any]:
    """The document for ``config``, of ``routes`` (default: ``daily_routes()``)."""
    bound = bind(daily_routes() if routes is None else routes, (f.OPERATIONS for f in FAMILIES))
    schemas: dict[str, Any] = {}
    for family in FAMILIES:
        schemas.update(family.schemas())
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "fake-meetings: Daily meeting sessions and rooms",
            "version": __version__,
            "description": (
                f"The {EMULATES} meeting-session and room routes as served by fake-meetings "
                f"{__version__}. Every route but the domain's (/v1/) is also served without "
                "the /v1 prefix, and every one with one trailing slash more or less. Any other "
                "method answers 405 `method-not-allowed` with the same error envelope."
            ),
        },
        "servers": [
            {"url": "/v1"},
            {"url": "/", "description": "the same routes without the /v1 prefix"},
        ],
        "paths": paths(bound, Context.of(config)),
        "components": {"schemas": schemas},
    }
    if config.auth:
        doc["components"]["securitySchemes"] = {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "Authorization: Bearer <API key>"
                + (" (this exact key)." if config.api_key else " (any non-empty key)."),
            }
        }
        doc["security"] = [{"bearerAuth": []}]
    return doc
