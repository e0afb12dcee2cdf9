"""The OpenAPI operations and schemas of transcripts.ROUTES (contract part three, §3)."""

from __future__ import annotations

from ...domain.transcribestart import MAX_PARTICIPANTS
from ...domain.transcripts import DELETED, ERROR, FINISHED, IN_PROGRESS
from .parts import (
    ROOM_NAME,
    Context,
    Operation,
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

_ID = path_param("id", "A transcript id.")
_TRANSCRIPT = ref("Transcript")
_INSTANCE = {"type": "string", "format": "uuid", "description": "Default Daily's reserved one."}
_PARTICIPANTS = {"type": "array", "maxItems": MAX_PARTICIPANTS, "items": {"type": "string"}}
_TEXT = {"type": "string", "minLength": 1, "maxLength": 64}
_START_FIELDS = {
    "language": _TEXT,
    "model": _TEXT,
    "tier": _TEXT,
    "profanity_filter": {"type": "boolean"},
    "punctuate": {"type": "boolean"},
    "endpointing": {"oneOf": [{"type": "number", "minimum": 0}, {"type": "boolean"}]},
    "redact": {"oneOf": [{"type": "boolean"}, {"type": "array", "items": {"type": "string"}}]},
    "extra": {"type": "object"},
    "includeRawResponse": {"type": "boolean"},
    "instanceId": _INSTANCE,
    "participants": _PARTICIPANTS,
}
_SENT = {
    "type": "object",
    "required": ["sent"],
    "additionalProperties": False,
    "properties": {"sent": {"const": "true"}},
}


def _list(c: Context) -> Schema:
    return {
        "summary": "List transcripts, newest start first",
        "parameters": [
            query("roomId", "Only transcripts of this room (its id).", {"type": "string"}),
            query("mtgSessionId", "Only transcripts of this session.", {"type": "string"}),
            c.limit_param(),
            *c.cursors("Transcript"),
        ],
        "responses": responses(
            answer("A page of transcripts; the count of all that match.", page(_TRANSCRIPT)),
            c.errors,
        ),
    }


def _one(c: Context) -> Schema:
    return {
        "summary": "One transcript",
        "parameters": [_ID],
        "responses": responses(answer("The transcript as seen now.", _TRANSCRIPT), c.one),
    }


def _delete(c: Context) -> Schema:
    return {
        "summary": "Delete a transcript (until a reset); the object, status t_deleted",
        "parameters": [_ID],
        "responses": responses(answer("The transcript, deleted.", _TRANSCRIPT), c.one),
    }


def _link(c: Context) -> Schema:
    link = {
        "type": "object",
        "required": ["transcriptId", "link", "download_link", "outParams"],
        "additionalProperties": False,
        "properties": {
            "transcriptId": {"type": "string"},
            "link": {"type": "string", "format": "uri"},
            "download_link": {"type": "string", "format": "uri", "description": "The link too."},
            "outParams": ref("TranscriptOutParams"),
        },
    }
    return {
        "summary": "A signed link, valid one hour, to a stored transcript's WebVTT file",
        "parameters": [_ID],
        "responses": responses(answer("The link and where the file is.", link), c.linked),
    }


def _control(summary: str, fields: Schema) -> Operation:
    """The operation of a transcription start, update or stop: a body of ``fields``."""

    def operation(c: Context) -> Schema:
        return {
            "summary": summary,
            "parameters": [ROOM_NAME],
            "requestBody": json_body(fields),
            "responses": responses(answer("Sent.", _SENT), c.sent_one),
        }

    return operation


OPERATIONS: Operations = {
    "listTranscripts": _list,
    "getTranscript": _one,
    "deleteTranscript": _delete,
    "getTranscriptLink": _link,
    "startTranscription": _control(
        "Start transcribing the room's ongoing session, now", _START_FIELDS
    ),
    "updateTranscription": _control(
        "Update the transcription in progress on an instance (kept as it is)",
        {"instanceId": _INSTANCE, "participants": _PARTICIPANTS},
    ),
    "stopTranscription": _control(
        "Stop the transcription in progress on an instance, now", {"instanceId": _INSTANCE}
    ),
}


def schemas() -> dict[str, Schema]:
    text = {"type": "string"}
    return {
        "TranscriptOutParams": {
            "type": "object",
            "required": ["key", "s3key", "bucket", "region"],
            "additionalProperties": False,
            "properties": {"key": text, "s3key": text, "bucket": text, "region": text},
        },
        "Transcript": {
            "type": "object",
            "required": [
                "transcriptId",
                "domainId",
                "roomId",
                "mtgSessionId",
                "status",
                "duration",
                "isVttAvailable",
                "outParams",
                "error",
                "created_at",
                "updated_at",
            ],
            "additionalProperties": False,
            "properties": {
                "transcriptId": text,
                "domainId": text,
                "roomId": text,
                "mtgSessionId": text,
                "status": {"enum": [IN_PROGRESS, FINISHED, ERROR, DELETED]},
                "duration": {"type": "integer", "minimum": 0, "description": "0 in progress."},
                "isVttAvailable": {"type": "boolean"},
                "outParams": {"$ref": "#/components/schemas/TranscriptOutParams"},
                "error": {"type": ["string", "null"]},
                "created_at": text,
                "updated_at": text,
            },
        },
    }
