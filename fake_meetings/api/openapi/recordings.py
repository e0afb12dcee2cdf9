"""The OpenAPI operations and schemas of recordings.ROUTES (contract part three, §2)."""

from __future__ import annotations

from ...domain.recordings import CANCELED, FINISHED, IN_PROGRESS, MAX_MAX_DURATION, TYPES
from ...domain.recordstart import MAX_CAM_STREAMS, PRESETS
from ..daily.params import VALID_FOR_DEFAULT, VALID_FOR_MAX, VALID_FOR_MIN
from .parts import (
    ROOM_NAME,
    Context,
    Operations,
    Schema,
    answer,
    json_body,
    page,
    path_param,
    query,
    ref,
    responses,
)

_ID = path_param("id", "A recording id.")
_KIND = {"enum": list(TYPES), "description": "Default cloud."}
_INSTANCE = {"type": "string", "format": "uuid", "description": "Default Daily's reserved one."}
_START_FIELDS = {
    "type": _KIND,
    "instanceId": _INSTANCE,
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
_SENT = {
    "type": "object",
    "required": ["status"],
    "additionalProperties": False,
    "properties": {"status": {"const": "sent"}},
}


def _list(c: Context) -> Schema:
    return {
        "summary": "List recordings, newest start_ts first",
        "parameters": [
            query("room_name", "Only recordings of this room (exact).", {"type": "string"}),
            query(
                "in_progress",
                "true: only recordings in progress now; false: only the others.",
                {"type": "boolean"},
            ),
            c.limit_param(),
            *c.cursors("Recording"),
        ],
        "responses": responses(
            answer("A page of recordings; the count of all that match.", page(ref("Recording"))),
            c.errors,
        ),
    }


def _one(c: Context) -> Schema:
    return {
        "summary": "One recording",
        "parameters": [_ID],
        "responses": responses(
            answer("The recording as seen at the server clock's instant.", ref("Recording")),
            c.one,
        ),
    }


def _delete(c: Context) -> Schema:
    deleted = {
        "type": "object",
        "required": ["deleted", "id"],
        "additionalProperties": False,
        "properties": {"deleted": {"const": True}, "id": {"type": "string"}},
    }
    return {
        "summary": "Delete a recording (until a reset)",
        "parameters": [_ID],
        "responses": responses(answer("The recording is deleted.", deleted), c.one),
    }


def _link(c: Context) -> Schema:
    link = {
        "type": "object",
        "required": ["download_link", "expires"],
        "additionalProperties": False,
        "properties": {
            "download_link": {"type": "string", "format": "uri"},
            "expires": {"type": "integer", "minimum": 0},
        },
    }
    valid_for = query(
        "valid_for_secs",
        f"Seconds the link is valid (default {VALID_FOR_DEFAULT}); brought "
        f"within {VALID_FOR_MIN} to {VALID_FOR_MAX}.",
        {"type": "integer", "minimum": 0},
    )
    return {
        "summary": "A signed, expiring link to a finished recording's MP4 file (none for "
        "raw-tracks: 400)",
        "parameters": [_ID, valid_for],
        "responses": responses(answer("The link and when it expires.", link), c.linked),
    }


def _start(c: Context) -> Schema:
    started = {
        "type": "object",
        "required": ["status", "recordingId"],
        "additionalProperties": False,
        "properties": {"status": {"const": "sent"}, "recordingId": {"type": "string"}},
    }
    return {
        "summary": "Start recording the room's ongoing session, now",
        "parameters": [ROOM_NAME],
        "requestBody": json_body(_START_FIELDS),
        "responses": responses(answer("Started; the new recording's id.", started), c.sent_one),
    }


def _update(c: Context) -> Schema:
    return {
        "summary": "Update the recording in progress on an instance (kept as it is)",
        "parameters": [ROOM_NAME],
        "requestBody": json_body(_START_FIELDS),
        "responses": responses(answer("Accepted.", _SENT), c.sent_one),
    }


def _stop(c: Context) -> Schema:
    return {
        "summary": "Stop the recording in progress on an instance, now",
        "parameters": [ROOM_NAME],
        "requestBody": json_body({"type": _KIND, "instanceId": _INSTANCE}),
        "responses": responses(answer("Stopped.", _SENT), c.sent_one),
    }


OPERATIONS: Operations = {
    "listRecordings": _list,
    "getRecording": _one,
    "deleteRecording": _delete,
    "getRecordingLink": _link,
    "startRecording": _start,
    "updateRecording": _update,
    "stopRecording": _stop,
}


def schemas() -> dict[str, Schema]:
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
                "tracks": {
                    "type": "array",
                    "description": "A raw-tracks recording's files once it has finished "
                    "(empty before, and for the other types).",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["size", "type", "s3Key"],
                        "properties": {
                            "size": {"type": "integer", "minimum": 0},
                            "type": {"enum": ["audio", "video"]},
                            "s3Key": {"type": "string"},
                        },
                    },
                },
            },
        }
    }
