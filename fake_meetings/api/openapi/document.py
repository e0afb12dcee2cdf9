"""The OpenAPI 3.1 document of the Daily routes as this server serves them.

It follows the running configuration (whether a Bearer key is required, whether ``limit`` over
100 is refused), declares every parameter with the exact range the server accepts, every body
with ``additionalProperties: false``, and every error status each route can answer. The test
suite validates real responses against it and runs schemathesis on it, so it cannot drift from
the behaviour unnoticed.
"""

from __future__ import annotations

from typing import Any

from ... import __version__
from ...config import ServerConfig
from ...domain.query import MAX_LIMIT
from ...domain.rooms import MAX_NAME, PRIVACY
from ...domain.times import MAX_TIMESTAMP
from ...domain.tokens import MAX_TEXT, PROPERTIES
from ..errors import VERSION_HEADER
from ..routes import daily_routes
from . import domain as openapi_domain
from . import recordings as openapi_recordings
from . import transcripts as openapi_transcripts
from . import webhooks as openapi_webhooks
from .bodies import properties_body

EMULATES = "Daily REST API v1"
ROUTES = tuple(f"{r.method} /v1{r.path}" for r in daily_routes())

_ref = {
    name: {"$ref": f"#/components/schemas/{name}"}
    for name in (
        "Session",
        "Participant",
        "MeetingsPage",
        "ParticipantsPage",
        "Room",
        "RoomsPage",
        "RoomDeleted",
        "Present",
        "PresenceByRoom",
        "RoomPresencePage",
    )
}
_ROOM_NAME = f"^[A-Za-z0-9_-]{{1,{MAX_NAME}}}$"
_TIME = {"type": "integer", "minimum": 0, "maximum": MAX_TIMESTAMP - 1}


def _error_schema(*names: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error", "info"],
        "additionalProperties": False,
        "properties": {
            "error": {"type": "string", "enum": list(names)},
            "info": {"type": "string", "minLength": 1},
        },
    }


# status -> (description, error strings) of every error a Daily route can answer
_ERRORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "400": (
        "Bad parameters (`invalid-request-error`, `info` names the parameter), or a missing or "
        "malformed `Authorization` header (`authorization-header-error`).",
        ("invalid-request-error", "authorization-header-error"),
    ),
    "401": ("The API key is not the configured one.", ("authentication-error",)),
    "404": (
        "No such meeting session (or no participant records left), room or recording.",
        ("not-found",),
    ),
    "413": ("The request body is over --max-body.", ("invalid-request-error",)),
    "429": (
        "Too many requests (`--rate-limit`, or an injected fault).",
        ("rate-limit-error",),
    ),
    "500": ("Unexpected failure (or an injected fault).", ("server-error",)),
}


def _header() -> dict[str, Any]:
    return {
        VERSION_HEADER: {
            "description": "The fake-meetings version that answered.",
            "required": True,
            "schema": {"type": "string", "minLength": 1},
        }
    }


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _header(),
        "content": {"application/json": {"schema": schema}},
    }


def _responses(ok: dict[str, Any], statuses: tuple[str, ...]) -> dict[str, Any]:
    out = {"200": ok}
    for status in statuses:
        description, names = _ERRORS[status]
        out[status] = _json(description, _error_schema(*names))
    return out


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1},
    }


_ROOM_NAME_PARAM = _path_param("name", "A room name.")


def _page(item: dict[str, str]) -> dict[str, Any]:
    """Daily's paged list: ``{"total_count": N, "data": [at most 100 items]}``."""
    return {
        "type": "object",
        "required": ["total_count", "data"],
        "additionalProperties": False,
        "properties": {
            "total_count": {"type": "integer", "minimum": 0},
            "data": {"type": "array", "maxItems": MAX_LIMIT, "items": item},
        },
    }


def document(config: ServerConfig) -> dict[str, Any]:
    limit: dict[str, Any] = {"type": "integer", "minimum": 1, "default": MAX_LIMIT}
    if config.strict_limit:
        limit["maximum"] = MAX_LIMIT
    limit_doc = (
        f"Page size, 1 to {MAX_LIMIT}."
        if config.strict_limit
        else f"Page size, 1 or more; values over {MAX_LIMIT} are clamped to {MAX_LIMIT}."
    )
    cursor_doc = (
        "a 400 when it names no record"
        if config.unknown_cursor == "error"
        else "an empty page when it names no record"
    )
    meeting = _path_param("meeting", "A meeting session id.")
    errors = ("400", "401", "429", "500") if config.auth else ("400", "429", "500")
    one = tuple(sorted((*errors, "404")))
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
        "paths": {  # exactly routes.daily_routes() (tests/api/control/test_admin_openapi.py checks)
            "/meetings": {
                "get": {
                    "operationId": "listMeetings",
                    "summary": "List meeting sessions, newest first",
                    "parameters": [
                        _query("room", "Only sessions of this room (exact).", {"type": "string"}),
                        _query("timeframe_start", "start_time >= this (unix s).", _TIME),
                        _query("timeframe_end", "start_time < this (unix s).", _TIME),
                        _query(
                            "ongoing",
                            "true: only ongoing sessions; false: only ended ones.",
                            {"type": "boolean"},
                        ),
                        _query(
                            "no_participants",
                            "true: leave out each session's participants.",
                            {"type": "boolean"},
                        ),
                        _query("limit", limit_doc, limit),
                        _query(
                            "starting_after",
                            f"Session id cursor: the page after it (older); {cursor_doc}. "
                            "Not together with ending_before.",
                            {"type": "string"},
                        ),
                        _query(
                            "ending_before",
                            f"Session id cursor (or OLDEST): the page before it (newer); "
                            f"{cursor_doc}. Not together with starting_after.",
                            {"type": "string"},
                        ),
                    ],
                    "responses": _responses(
                        _json(
                            "A page of sessions; the count of all matches.", _ref["MeetingsPage"]
                        ),
                        errors,
                    ),
                }
            },
            "/meetings/{meeting}": {
                "get": {
                    "operationId": "getMeeting",
                    "summary": "One meeting session",
                    "parameters": [meeting],
                    "responses": _responses(_json("The session.", _ref["Session"]), one),
                }
            },
            "/meetings/{meeting}/participants": {
                "get": {
                    "operationId": "getMeetingParticipants",
                    "summary": "Participant records of a session, by join_time",
                    "parameters": [
                        meeting,
                        _query("limit", limit_doc, limit),
                        _query(
                            "joined_after",
                            f"Participant id cursor: records after it; {cursor_doc}.",
                            {"type": "string"},
                        ),
                        _query(
                            "joined_before",
                            f"Participant id cursor: records before it; {cursor_doc}.",
                            {"type": "string"},
                        ),
                    ],
                    "responses": _responses(
                        _json("A page of participant records.", _ref["ParticipantsPage"]), one
                    ),
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
    doc["paths"].update(_room_paths(errors, one, limit, limit_doc, cursor_doc))
    doc["paths"].update(_presence_paths(errors, one, limit, limit_doc))
    doc["components"]["schemas"].update(_presence_schemas())
    doc["paths"].update(_token_paths(errors))
    doc["components"]["schemas"].update(_token_schemas())
    doc["paths"].update(openapi_webhooks.paths(errors, one, _json, _responses, _path_param))
    doc["components"]["schemas"].update(openapi_webhooks.schemas())
    doc["paths"].update(openapi_domain.paths(errors, _json, _responses))
    doc["components"]["schemas"].update(openapi_domain.schemas())
    doc["paths"].update(
        openapi_recordings.paths(
            errors, one, _json, _responses, _query, _path_param, limit, limit_doc, cursor_doc
        )
    )
    doc["components"]["schemas"].update(openapi_recordings.schemas())
    doc["paths"].update(
        openapi_transcripts.paths(
            errors, one, _json, _responses, _query, _path_param, limit, limit_doc, cursor_doc
        )
    )
    doc["components"]["schemas"].update(openapi_transcripts.schemas())
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


def _room_paths(
    errors: tuple[str, ...],
    one: tuple[str, ...],
    limit: dict[str, Any],
    limit_doc: str,
    cursor_doc: str,
) -> dict[str, Any]:
    """The paths of rooms.ROUTES (contract part two, §10)."""
    name = _ROOM_NAME_PARAM
    privacy = {"type": ["string", "null"], "enum": [*PRIVACY, None]}
    properties = {
        "type": ["object", "null"],
        "description": "Room properties; each one given lands in the room's config "
        "(null: back to its default).",
    }
    sent = tuple(sorted({*errors, "413"}))
    sent_one = tuple(sorted({*one, "413"}))

    def body(fields: dict[str, Any]) -> dict[str, Any]:
        return {
            "required": False,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": fields,
                    }
                }
            },
        }

    room = _json("The room.", _ref["Room"])
    return {
        "/rooms": {
            "get": {
                "operationId": "listRooms",
                "summary": "List rooms, newest created_at first",
                "parameters": [
                    _query("limit", limit_doc, limit),
                    _query(
                        "starting_after",
                        f"Room id cursor: the page after it (older); {cursor_doc}. "
                        "Not together with ending_before.",
                        {"type": "string"},
                    ),
                    _query(
                        "ending_before",
                        f"Room id cursor (or OLDEST): the page before it (newer); "
                        f"{cursor_doc}. Not together with starting_after.",
                        {"type": "string"},
                    ),
                ],
                "responses": _responses(
                    _json("A page of rooms; the count of all rooms.", _ref["RoomsPage"]), errors
                ),
            },
            "post": {
                "operationId": "createRoom",
                "summary": "Create a room (a random 20-character name when none is given)",
                "requestBody": body(
                    {
                        "name": {"type": ["string", "null"], "pattern": _ROOM_NAME},
                        "privacy": privacy,
                        "properties": properties,
                    }
                ),
                "responses": _responses(room, sent),
            },
        },
        "/rooms/{name}": {
            "get": {
                "operationId": "getRoom",
                "summary": "One room",
                "parameters": [name],
                "responses": _responses(room, one),
            },
            "post": {
                "operationId": "updateRoom",
                "summary": "Update a room's privacy and properties",
                "parameters": [name],
                "requestBody": body({"privacy": privacy, "properties": properties}),
                "responses": _responses(room, sent_one),
            },
            "delete": {
                "operationId": "deleteRoom",
                "summary": "Delete a room (its meeting history stays in /meetings)",
                "parameters": [name],
                "responses": _responses(_json("The room is deleted.", _ref["RoomDeleted"]), one),
            },
        },
    }


def _presence_paths(
    errors: tuple[str, ...], one: tuple[str, ...], limit: dict[str, Any], limit_doc: str
) -> dict[str, Any]:
    """The paths of presence.ROUTES (contract part two, §12)."""
    name = _ROOM_NAME_PARAM
    exact = "(exact, case-sensitive)"
    return {
        "/presence": {
            "get": {
                "operationId": "getPresence",
                "summary": "Everyone present now, by room (no parameters; exact, no lag)",
                "responses": _responses(
                    _json(
                        "Room name -> present participants ({} when nobody is present).",
                        _ref["PresenceByRoom"],
                    ),
                    errors,
                ),
            }
        },
        "/rooms/{name}/presence": {
            "get": {
                "operationId": "getRoomPresence",
                "summary": "Everyone present now in one room, by joinTime then id",
                "parameters": [
                    name,
                    _query("limit", limit_doc, limit),
                    _query(
                        "userId",
                        f"Only participants with this user id {exact}.",
                        {"type": "string"},
                    ),
                    _query(
                        "userName",
                        f"Only participants with this user name {exact}.",
                        {"type": "string"},
                    ),
                ],
                "responses": _responses(
                    _json(
                        "The first `limit` matches; total_count counts them all.",
                        _ref["RoomPresencePage"],
                    ),
                    one,
                ),
            }
        },
    }


def _presence_schemas() -> dict[str, Any]:
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
            "additionalProperties": {"type": "array", "minItems": 1, "items": _ref["Present"]},
        },
        "RoomPresencePage": _page(_ref["Present"]),
    }


def _schemas() -> dict[str, Any]:
    nullable_string = {"type": ["string", "null"]}
    return {
        "Participant": {
            "type": "object",
            "required": ["user_id", "participant_id", "user_name", "join_time", "duration"],
            "additionalProperties": False,
            "properties": {
                "user_id": nullable_string,
                "participant_id": {"type": "string", "minLength": 1},
                "user_name": nullable_string,
                "join_time": _TIME,
                "duration": {"type": "integer", "minimum": 0},
            },
        },
        "Session": {
            "type": "object",
            "required": ["id", "room", "start_time", "duration", "ongoing", "max_participants"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "room": {"type": "string", "minLength": 1},
                "start_time": _TIME,
                "duration": {"type": "integer", "minimum": 0},
                "ongoing": {"type": "boolean"},
                "max_participants": {"type": "integer", "minimum": 1},
                "participants": {
                    "type": "array",
                    "minItems": 1,
                    "items": _ref["Participant"],
                    "description": "Left out when no_participants=true.",
                },
            },
        },
        "MeetingsPage": _page(_ref["Session"]),
        "Room": {
            "type": "object",
            "required": ["id", "name", "api_created", "privacy", "url", "created_at", "config"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string", "pattern": _ROOM_NAME},
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
        "RoomsPage": _page(_ref["Room"]),
        "RoomDeleted": {
            "type": "object",
            "required": ["deleted", "name"],
            "additionalProperties": False,
            "properties": {"deleted": {"const": True}, "name": {"type": "string"}},
        },
        "ParticipantsPage": {
            "type": "object",
            "required": ["data"],
            "additionalProperties": False,
            "properties": {
                "data": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_LIMIT,
                    "items": _ref["Participant"],
                }
            },
        },
    }


def _token_paths(errors: tuple[str, ...]) -> dict[str, Any]:
    """The paths of tokens.ROUTES (contract part two, §11)."""
    body = properties_body("TokenRequest")
    token = _path_param("token", "A meeting token (a JWT).")
    ignore_nbf = _query(
        "ignoreNbf", "true: a token whose nbf is still ahead is valid.", {"type": "boolean"}
    )
    made = _json("The token (an HS256 JWT).", {"$ref": "#/components/schemas/MeetingToken"})
    props = _json(
        "The token's properties, by their full names.",
        {"$ref": "#/components/schemas/TokenProperties"},
    )
    return {
        "/meeting-tokens": {
            "post": {
                "operationId": "createMeetingToken",
                "summary": "Create a meeting token (unknown properties: 400)",
                "requestBody": body,
                "responses": _responses(made, tuple(sorted({*errors, "413"}))),
            }
        },
        "/meeting-tokens/{token}": {
            "get": {
                "operationId": "validateMeetingToken",
                "summary": "Validate a meeting token (bad, expired or not yet valid: 400)",
                "parameters": [token, ignore_nbf],
                "responses": _responses(props, errors),
            }
        },
    }


def _token_schemas() -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {
        "a boolean": {"type": "boolean"},
        "an integer": {"type": "integer", "minimum": 0, "maximum": 2**53 - 1},
        "a string": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "a JSON object": {"type": "object"},
    }
    sent: dict[str, Any] = {}
    for name, kind in PROPERTIES.items():
        schema = dict(kinds[kind])
        if name == "eject_after_elapsed":
            schema["minimum"] = 1
        sent[name] = {"anyOf": [schema, {"type": "null"}]}
    return {
        "TokenRequest": {
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": sent,
        },
        "TokenProperties": {"type": "object", "description": "Daily's token properties."},
        "MeetingToken": {
            "type": "object",
            "required": ["token"],
            "additionalProperties": False,
            "properties": {"token": {"type": "string", "pattern": "^[^.]+[.][^.]+[.][^.]+$"}},
        },
    }
