"""The OpenAPI operations and schemas of presence.ROUTES (contract part two, §12)."""

from __future__ import annotations

from .parts import ROOM_NAME, Context, Operations, Schema, answer, page, query, ref, responses

_EXACT = "(exact, case-sensitive)"


def _everywhere(c: Context) -> Schema:
    return {
        "summary": "Everyone present now, by room (no parameters; exact, no lag)",
        "responses": responses(
            answer(
                "Room name -> present participants ({} when nobody is present).",
                ref("PresenceByRoom"),
            ),
            c.errors,
        ),
    }


def _in_room(c: Context) -> Schema:
    return {
        "summary": "Everyone present now in one room, by joinTime then id",
        "parameters": [
            ROOM_NAME,
            c.limit_param(),
            query(
                "userId",
                f"Only participants with this user id {_EXACT}.",
                {"type": "string"},
            ),
            query(
                "userName",
                f"Only participants with this user name {_EXACT}.",
                {"type": "string"},
            ),
        ],
        "responses": responses(
            answer(
                "The first `limit` matches; total_count counts them all.",
                ref("RoomPresencePage"),
            ),
            c.one,
        ),
    }


OPERATIONS: Operations = {"getPresence": _everywhere, "getRoomPresence": _in_room}


def schemas() -> dict[str, Schema]:
    nullable_string = {"type": ["string", "null"]}
    return {
        "Present": {
            "type": "object",
            "required": [
                "room",
                "id",
                "userId",
                "userName",
                "mtgSessionId",
                "joinTime",
                "duration",
            ],
            "additionalProperties": False,
            "properties": {
                "room": {"type": "string", "minLength": 1},
                "id": {"type": "string", "minLength": 1, "description": "participant_id"},
                "userId": nullable_string,
                "userName": nullable_string,
                "mtgSessionId": {"type": "string", "minLength": 1, "description": "session id"},
                "joinTime": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.]000Z$",
                },
                "duration": {"type": "integer", "minimum": 0},
            },
        },
        "PresenceByRoom": {
            "type": "object",
            "additionalProperties": {"type": "array", "minItems": 1, "items": ref("Present")},
        },
        "RoomPresencePage": page(ref("Present")),
    }
