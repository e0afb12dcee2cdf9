"""The OpenAPI paths and schemas of recordings.ROUTES (contract part three, §2), for
``openapi.document``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...domain.query import MAX_LIMIT
from ...domain.recordings import CANCELED, FINISHED, IN_PROGRESS, MAX_MAX_DURATION, TYPES
from ...domain.recordstart import MAX_CAM_STREAMS, PRESETS
from ..daily.params import VALID_FOR_DEFAULT, VALID_FOR_MAX, VALID_FOR_MIN

Json = Callable[[str, dict[str, Any]], dict[str, Any]]
Responses = Callable[[dict[str, Any], tuple[str, ...]], dict[str, Any]]
Param = Callable[[str, str, dict[str, Any]], dict[str, Any]]
PathParam = Callable[[str, str], dict[str, Any]]

_REF = {name: {"$ref": f"#/components/schemas/{name}"} for name in ("Recording",)}


def paths(
    errors: tuple[str, ...],
    one: tuple[str, ...],
    json: Json,
    responses: Responses,
    query: Param,
    path_param: PathParam,
    limit: dict[str, Any],
    limit_doc: str,
    cursor_doc: str,
) -> dict[str, Any]:
    rec_id = path_param("id", "A recording id.")
    recording = json("The recording as seen at the server clock's instant.", _REF["Recording"])
    page = {
        "type": "object",
        "required": ["total_count", "data"],
        "additionalProperties": False,
        "properties": {
            "total_count": {"type": "integer", "minimum": 0},
            "data": {"type": "array", "maxItems": MAX_LIMIT, "items": _REF["Recording"]},
        },
    }
    deleted = {
        "type": "object",
        "required": ["deleted", "id"],
        "additionalProperties": False,
        "properties": {"deleted": {"const": True}, "id": {"type": "string"}},
    }
    link = {
        "type": "object",
        "required": ["download_link", "expires"],
        "additionalProperties": False,
        "properties": {
            "download_link": {"type": "string", "format": "uri"},
            "expires": {"type": "integer", "minimum": 0},
        },
    }
    room = path_param("name", "A room name.")
    sent_one = tuple(sorted({*one, "413"}))
    kind = {"enum": list(TYPES), "description": "Default cloud."}
    instance = {"type": "string", "format": "uuid", "description": "Default Daily's reserved one."}
    start_fields = {
        "type": kind,
        "instanceId": instance,
        "layout": {
            "type": "object",
            "required": ["preset"],
            "properties": {
                "preset": {"enum": list(PRESETS)},
                "max_cam_streams": {"type": "integer", "minimum": 1, "maximum": MAX_CAM_STREAMS},
                "variant": {"enum": ["vertical", "inset"]},
                "session_id": {"type": "string"},
                "composition_id": {"type": "string"},
                "composition_params": {"type": "object"},
                "session_assets": {"type": "object"},
                "participants": {"type": "object"},
            },
        },
        "width": {"type": "integer", "minimum": 2, "multipleOf": 2},
        "height": {"type": "integer", "minimum": 2, "multipleOf": 2},
        "fps": {"type": "integer", "minimum": 1},
        "videoBitrate": {"type": "integer", "minimum": 10, "maximum": 10000},
        "audioBitrate": {"type": "integer", "minimum": 10, "maximum": 320},
        "minIdleTimeOut": {"type": "integer", "minimum": 0},
        "maxDuration": {"type": "integer", "minimum": 1, "maximum": MAX_MAX_DURATION},
        "backgroundColor": {"type": "string", "pattern": "^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$"},
    }

    def body(fields: dict[str, Any]) -> dict[str, Any]:
        schema = {"type": "object", "additionalProperties": False, "properties": fields}
        return {"required": False, "content": {"application/json": {"schema": schema}}}

    sent = {
        "type": "object",
        "required": ["status"],
        "additionalProperties": False,
        "properties": {"status": {"const": "sent"}},
    }
    started = {
        "type": "object",
        "required": ["status", "recordingId"],
        "additionalProperties": False,
        "properties": {"status": {"const": "sent"}, "recordingId": {"type": "string"}},
    }
    control = {
        "/rooms/{name}/recordings/start": {
            "post": {
                "operationId": "startRecording",
                "summary": "Start recording the room's ongoing session, now",
                "parameters": [room],
                "requestBody": body(start_fields),
                "responses": responses(json("Started; the new recording's id.", started), sent_one),
            }
        },
        "/rooms/{name}/recordings/update": {
            "post": {
                "operationId": "updateRecording",
                "summary": "Update the recording in progress on an instance (kept as it is)",
                "parameters": [room],
                "requestBody": body(start_fields),
                "responses": responses(json("Accepted.", sent), sent_one),
            }
        },
        "/rooms/{name}/recordings/stop": {
            "post": {
                "operationId": "stopRecording",
                "summary": "Stop the recording in progress on an instance, now",
                "parameters": [room],
                "requestBody": body({"type": kind, "instanceId": instance}),
                "responses": responses(json("Stopped.", sent), sent_one),
            }
        },
    }
    return control | {
        "/recordings": {
            "get": {
                "operationId": "listRecordings",
                "summary": "List recordings, newest start_ts first",
                "parameters": [
                    query("room_name", "Only recordings of this room (exact).", {"type": "string"}),
                    query(
                        "in_progress",
                        "true: only recordings in progress now; false: only the others.",
                        {"type": "boolean"},
                    ),
                    query("limit", limit_doc, limit),
                    query(
                        "starting_after",
                        f"Recording id cursor: the page after it (older); {cursor_doc}. "
                        "Not together with ending_before.",
                        {"type": "string"},
                    ),
                    query(
                        "ending_before",
                        f"Recording id cursor (or OLDEST): the page before it (newer); "
                        f"{cursor_doc}. Not together with starting_after.",
                        {"type": "string"},
                    ),
                ],
                "responses": responses(
                    json("A page of recordings; the count of all that match.", page), errors
                ),
            }
        },
        "/recordings/{id}": {
            "get": {
                "operationId": "getRecording",
                "summary": "One recording",
                "parameters": [rec_id],
                "responses": responses(recording, one),
            },
            "delete": {
                "operationId": "deleteRecording",
                "summary": "Delete a recording (until a reset)",
                "parameters": [rec_id],
                "responses": responses(json("The recording is deleted.", deleted), one),
            },
        },
        "/recordings/{id}/access-link": {
            "get": {
                "operationId": "getRecordingLink",
                "summary": "A signed, expiring link to a finished recording's MP4 file",
                "parameters": [
                    rec_id,
                    query(
                        "valid_for_secs",
                        f"Seconds the link is valid (default {VALID_FOR_DEFAULT}); brought "
                        f"within {VALID_FOR_MIN} to {VALID_FOR_MAX}.",
                        {"type": "integer", "minimum": 0},
                    ),
                ],
                "responses": responses(json("The link and when it expires.", link), one),
            }
        },
    }


def schemas() -> dict[str, Any]:
    return {
        "Recording": {
            "type": "object",
            "required": [
                "id",
                "room_name",
                "start_ts",
                "status",
                "max_participants",
                "share_token",
                "s3key",
                "mtgSessionId",
                "tracks",
            ],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "room_name": {"type": "string"},
                "start_ts": {"type": "integer", "minimum": 0},
                "status": {"enum": [FINISHED, IN_PROGRESS, CANCELED]},
                "max_participants": {"type": "integer", "minimum": 0},
                "duration": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Seconds; left out while in progress.",
                },
                "share_token": {"type": "string"},
                "s3key": {"type": "string"},
                "mtgSessionId": {"type": "string"},
                "tracks": {"type": "array", "maxItems": 0},
            },
        }
    }
