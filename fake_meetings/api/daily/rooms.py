"""The Daily room routes (contract part two, §10): parameters and bodies -> the namespace's
rooms -> JSON. Every change is a command of the namespace (``state/roomchanges.py``, which checks
the body through ``domain/roombody.py``); a bad request changes nothing.

Every answer is the rooms as seen at the server clock's instant (read once per request): a room
is visible from its ``created_at`` on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from aiohttp import web

from ...domain.query import UnknownCursor
from ...domain.roombody import CREATE_FIELDS, UPDATE_FIELDS
from ...domain.rooms import Room, list_rooms
from ..bodies import daily_body
from ..errors import invalid, not_found
from ..keys import CONFIG, namespace_of, world_of
from . import params
from .bounded import Bounded, exact
from .route import Route

ROOM_BUDGET = 1024 * 1024  # bytes of single-room bodies kept, for the whole process
# (id(room), domain) -> (room, its JSON): GET /rooms/:name answers, oldest dropped first
ROOM_BODIES: Bounded[tuple[int, str], tuple[Room, bytes]] = Bounded(
    ROOM_BUDGET, lambda key, kept: len(kept[1]) + 200
)


def _json(body: Any) -> web.Response:
    return web.Response(body=orjson.dumps(body), content_type="application/json")


def _room(request: web.Request, room: Room) -> dict[str, Any]:
    return room.as_json(request.app[CONFIG].domain)


def _one(room: Room, domain: str) -> bytes:
    """``orjson.dumps(room.as_json(domain))``, kept for the room object: a Room never changes
    (an update makes a new one), so its JSON is written once. Keyed by the object's identity
    and checked against it (the entry holds the room, so the identity is not reused while it
    is kept)."""
    key = (id(room), domain)
    kept = ROOM_BODIES.data.get(key)
    if kept is not None and kept[0] is room:
        return kept[1]
    body = exact(room.as_json(domain))
    ROOM_BODIES.put(key, (room, body))
    return body


async def list_all(request: web.Request) -> web.Response:
    config, world = request.app[CONFIG], world_of(request)
    rooms, now = world.rooms, world.clock.now()  # one snapshot, one instant per request
    query = params.rooms_query(request.query, strict_limit=config.strict_limit)
    try:
        page = list_rooms(rooms, query, now, config.unknown_cursor)
    except UnknownCursor as exc:
        raise invalid(f"{exc.param}: no room with id {exc.value!r}") from None
    body = rooms_page(page.total_count, page.rooms, config.domain)
    return web.Response(body=body, content_type="application/json")


def rooms_page(total_count: int, rooms: Sequence[Room], domain: str) -> bytes:
    """``orjson.dumps({"total_count": ..., "data": [room JSON, ...]})``, from each room's kept
    bytes (:func:`_one`): orjson writes compact JSON, so the page is its parts joined."""
    data = b",".join([_one(room, domain) for room in rooms])
    return b'{"total_count":%d,"data":[%b]}' % (total_count, data)


async def get_one(request: web.Request) -> web.Response:
    world = world_of(request)
    name = request.match_info["name"]
    room = world.rooms.visible(name, world.clock.now())
    if room is None:
        raise not_found(f"room {name} not found")
    body = _one(room, request.app[CONFIG].domain)
    return web.Response(body=body, content_type="application/json")


async def create(request: web.Request) -> web.Response:
    room = namespace_of(request).create_room(await daily_body(request, CREATE_FIELDS))
    return _json(_room(request, room))


async def update(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    body = await daily_body(request, UPDATE_FIELDS)
    room = namespace_of(request).update_room(name, body)
    return _json(_room(request, room))


async def delete(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    room = namespace_of(request).delete_room(name)
    return _json({"deleted": True, "name": room.name})


# The Daily room routes, declared once like meetings.ROUTES: served under /v1 and at the root,
# described by the OpenAPI document, listed by /_fake/version.
ROUTES = (
    Route("GET", "/rooms", list_all, "listRooms"),
    Route("POST", "/rooms", create, "createRoom"),
    Route("GET", "/rooms/{name}", get_one, "getRoom"),
    Route("POST", "/rooms/{name}", update, "updateRoom"),
    Route("DELETE", "/rooms/{name}", delete, "deleteRoom"),
)
