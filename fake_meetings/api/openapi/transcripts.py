"""The OpenAPI paths and schemas of transcripts.ROUTES (contract part three, §3), for
``openapi.document``."""

from __future__ import annotations

from typing import Any

from ...domain.query import MAX_LIMIT
from ...domain.transcribestart import MAX_PARTICIPANTS
from ...domain.transcripts import DELETED, ERROR, FINISHED, IN_PROGRESS
from .recordings import Json, Param, PathParam, Responses

_REF = {"$ref": "#/components/schemas/Transcript"}


def _body(fields: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "additionalProperties": False, "properties": fields}
    return {"required": False, "content": {"application/json": {"schema": schema}}}


def _control(one: tuple[str, ...], json: Json, responses: Responses, room: Any) -> dict[str, Any]:
    sent_one = tuple(sorted({*one, "413"}))
    instance = {"type": "string", "format": "uuid", "description": "Default Daily's reserved one."}
    participants = {"type": "array", "maxItems": MAX_PARTICIPANTS, "items": {"type": "string"}}
    text = {"type": "string", "minLength": 1, "maxLength": 64}
    start_fields = {
        "language": text,
        "model": text,
        "tier": text,
        "profanity_filter": {"type": "boolean"},
        "punctuate": {"type": "boolean"},
        "endpointing": {"oneOf": [{"type": "number", "minimum": 0}, {"type": "boolean"}]},
        "redact": {"oneOf": [{"type": "boolean"}, {"type": "array", "items": {"type": "string"}}]},
        "extra": {"type": "object"},
        "includeRawResponse": {"type": "boolean"},
        "instanceId": instance,
        "participants": participants,
    }
    sent = {
        "type": "object",
        "required": ["sent"],
        "additionalProperties": False,
        "properties": {"sent": {"const": "true"}},
    }
    routes: dict[str, tuple[str, str, dict[str, Any]]] = {
        "start": (
            "startTranscription",
            "Start transcribing the room's ongoing session, now",
            start_fields,
        ),
        "update": (
            "updateTranscription",
            "Update the transcription in progress on an instance (kept as it is)",
            {"instanceId": instance, "participants": participants},
        ),
        "stop": (
            "stopTranscription",
            "Stop the transcription in progress on an instance, now",
            {"instanceId": instance},
        ),
    }
    return {
        f"/rooms/{{name}}/transcription/{verb}": {
            "post": {
                "operationId": op,
                "summary": summary,
                "parameters": [room],
                "requestBody": _body(fields),
                "responses": responses(json("Sent.", sent), sent_one),
            }
        }
        for verb, (op, summary, fields) in routes.items()
    }


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
    tr_id = path_param("id", "A transcript id.")
    page = {
        "type": "object",
        "required": ["total_count", "data"],
        "additionalProperties": False,
        "properties": {
            "total_count": {"type": "integer", "minimum": 0},
            "data": {"type": "array", "maxItems": MAX_LIMIT, "items": _REF},
        },
    }
    link = {
        "type": "object",
        "required": ["transcriptId", "link", "download_link", "outParams"],
        "additionalProperties": False,
        "properties": {
            "transcriptId": {"type": "string"},
            "link": {"type": "string", "format": "uri"},
            "download_link": {"type": "string", "format": "uri", "description": "The link too."},
            "outParams": {"$ref": "#/components/schemas/TranscriptOutParams"},
        },
    }
    room = path_param("name", "A room name.")
    return _control(one, json, responses, room) | {
        "/transcript": {
            "get": {
                "operationId": "listTranscripts",
                "summary": "List transcripts, newest start first",
                "parameters": [
                    query("roomId", "Only transcripts of this room (its id).", {"type": "string"}),
                    query("mtgSessionId", "Only transcripts of this session.", {"type": "string"}),
                    query("limit", limit_doc, limit),
                    query(
                        "starting_after",
                        f"Transcript id cursor: the page after it (older); {cursor_doc}. "
                        "Not together with ending_before.",
                        {"type": "string"},
                    ),
                    query(
                        "ending_before",
                        f"Transcript id cursor (or OLDEST): the page before it (newer); "
                        f"{cursor_doc}. Not together with starting_after.",
                        {"type": "string"},
                    ),
                ],
                "responses": responses(
                    json("A page of transcripts; the count of all that match.", page), errors
                ),
            }
        },
        "/transcript/{id}": {
            "get": {
                "operationId": "getTranscript",
                "summary": "One transcript",
                "parameters": [tr_id],
                "responses": responses(json("The transcript as seen now.", _REF), one),
            },
            "delete": {
                "operationId": "deleteTranscript",
                "summary": "Delete a transcript (until a reset); the object, status t_deleted",
                "parameters": [tr_id],
                "responses": responses(json("The transcript, deleted.", _REF), one),
            },
        },
        "/transcript/{id}/access-link": {
            "get": {
                "operationId": "getTranscriptLink",
                "summary": "A signed link, valid one hour, to a stored transcript's WebVTT file",
                "parameters": [tr_id],
                "responses": responses(json("The link and where the file is.", link), one),
            }
        },
    }


def schemas() -> dict[str, Any]:
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
