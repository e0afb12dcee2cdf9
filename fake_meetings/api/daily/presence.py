"""The Daily presence routes (contract part two, §12): who is in which room at the server
clock's instant (read once per request). See ``domain/presence.py`` for what "present" means
and the order; the fake is exact where Daily lags up to 15 seconds. An answer is kept for the
rest of its clock second in the snapshot's render cache (presence changes every second: the
durations grow)."""

from __future__ import annotations

import orjson
from aiohttp import web

from ..errors import not_found
from ..keys import CONFIG, world_of
from . import params
from .render_cache import Body, cache_of
from .route import Route


async def everywhere(request: web.Request) -> web.Response:
    """``GET /presence``: a bare object, room name -> present participants; ``{}`` when nobody
    is present. Daily documents no parameters: any given are ignored, like unknown ones
    elsewhere."""
    world = world_of(request)
    store, now = world.store, world.clock.now()
    cache, key = cache_of(store), ("presence", now)  # the same answer all through one second
    body = cache.body(key, now)
    if body is None:  # the presence engine is imported on the first miss
        from ...domain.presence import by_room

        rooms = by_room(store, now)
        answer = {room: [x.as_json(now) for x in found] for room, found in rooms.items()}
        body = cache.keep(key, Body((orjson.dumps(answer),)), now)
    return web.Response(body=body, content_type="application/json")


async def in_room(request: web.Request) -> web.Response:
    """``GET /rooms/:name/presence``: ``{"total_count", "data"}``; an unknown room is 404 as for
    ``GET /rooms/:name``. ``total_count`` counts every match, ``data`` the first ``limit``."""
    config, world = request.app[CONFIG], world_of(request)
    store, rooms, now = world.store, world.rooms, world.clock.now()
    name = request.match_info["name"]
    query = params.presence_query(request.query, strict_limit=config.strict_limit)
    if rooms.visible(name, now) is None:
        raise not_found(f"room {name} not found")
    cache, key = cache_of(store), ("room-presence", name, query, now)
    body = cache.body(key, now)
    if body is None:
        from ...domain.presence import room_presence

        total, found = room_presence(store, name, now, query)
        answer = {"total_count": total, "data": [x.as_json(now) for x in found]}
        body = cache.keep(key, Body((orjson.dumps(answer),)), now)
    return web.Response(body=body, content_type="application/json")


# The Daily presence routes, declared once like meetings.ROUTES: served under /v1 and at the
# root, described by the OpenAPI document, listed by /_fake/version.
ROUTES = (
    Route("GET", "/presence", everywhere, "getPresence"),
    Route("GET", "/rooms/{name}/presence", in_room, "getRoomPresence"),
)
