"""The Daily domain routes (contract part three, §1): ``GET /`` and ``POST /`` under ``/v1``,
Daily's domain object (``domain/domainconfig.py``). ``GET /v1/`` is the cheapest way to check
an API key, as Daily's docs say; ``POST /v1/`` sets properties (a bad one changes nothing)."""

from __future__ import annotations

from aiohttp import web

from ...domain.domainconfig import BODY_FIELDS, checked_properties
from ..bodies import daily_body, json_answer
from ..keys import CONFIG, namespace_of, world_of
from .route import Route


async def get(request: web.Request) -> web.Response:
    return json_answer(world_of(request).domain.as_json(request.app[CONFIG].domain))


async def update(request: web.Request) -> web.Response:
    body = await daily_body(request, BODY_FIELDS)
    properties = checked_properties(body.get("properties", {}))
    domain = namespace_of(request).set_domain(properties)
    return json_answer(domain.as_json(request.app[CONFIG].domain))


# The Daily domain routes, declared once like rooms.ROUTES: served under /v1 only (``/`` at the
# root is no Daily route), described by the OpenAPI document, listed by /_fake/version.
ROUTES = (
    Route("GET", "/", get, "getDomainConfig"),
    Route("POST", "/", update, "setDomainConfig"),
)
