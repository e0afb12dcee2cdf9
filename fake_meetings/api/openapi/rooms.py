"""The OpenAPI operations and schemas of rooms.ROUTES (contract part two, §10)."""

from __future__ import annotations

from ...domain.rooms import MAX_NAME, PRIVACY
from .parts import ROOM_NAME, Context, Operations, Schema, answer, json_body, page, ref, responses

_NAME_PATTERN = f"^[A-Za-z0-9_-]{{1,{MAX_NAME}}}$"
_PRIVACY = {"type": ["string", "null"], "enum": [*PRIVACY, None]}
_PROPERTIES = {
    "type": ["object", "null"],
    "description": "Room properties; each one given lands in the room's config "
    "(null: back to its default).",
}
_ROOM = answer("The room.", ref("Room"))


def _list(c: Context) -> Schema:
    return {
        "summary": "List rooms, newest created_at first",
        "parameters": [c.limit_param(), *c.cursors("Room")],
        "responses": responses(
            answer("A page of rooms; the count of all rooms.", ref("RoomsPage")), c.errors
        ),
    }


def _create(c: Context) -> Schema:
    return {
        "summary": "Create a room (a random 20-character name when none is given)",
        "requestBody": json_body(
            {
                "name": {"type": ["string", "null"], "pattern": _NAME_PATTERN},
                "privacy": _PRIVACY,
                "properties": _PROPERTIES,
            }
        ),
        "responses": responses(_ROOM, c.sent),
    }


def _one(c: Context) -> Schema:
    return {
        "summary": "One room",
        "parameters": [ROOM_NAME],
        "responses": responses(_ROOM, c.one),
    }


def _update(c: Context) -> Schema:
    return {
        "summary": "Update a room's privacy and properties",
        "parameters": [ROOM_NAME],
        "requestBody": json_body({"privacy": _PRIVACY, "properties": _PROPERTIES}),
        "responses": responses(_ROOM, c.sent_one),
    }


def _delete(c: Context) -> Schema:
    return {
        "summary": "Delete a room (its meeting history stays in /meetings)",
        "parameters": [ROOM_NAME],
        "responses": responses(answer("The room is deleted.", ref("RoomDeleted")), c.one),
    }


OPERATIONS: Operations = {
    "listRooms": _list,
    "createRoom": _create,
    "getRoom": _one,
    "updateRoom": _update,
    "deleteRoom": _delete,
}


def schemas() -> dict[str, Schema]:
    return {
        "Room": {
            "type": "object",
            "required": ["id", "name", "api_created", "privacy", "url", "created_at", "config"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string", "pattern": _NAME_PATTERN},
                "api_created": {"type": "boolean"},
                "privacy": {"type": "string", "enum": list(PRIVACY)},
                "url": {"type": "string", "pattern": "^https://[A-Za-z0-9-]+[.]daily[.]co/"},
                "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.]000Z$",
                },
                "config": {"type": "object"},
            },
        },
        "RoomsPage": page(ref("Room")),
        "RoomDeleted": {
            "type": "object",
            "required": ["deleted", "name"],
            "additionalProperties": False,
            "properties": {"deleted": {"const": True}, "name": {"type": "string"}},
        },
    }
