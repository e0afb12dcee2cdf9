"""The OpenAPI operations and schemas of webhooks.ROUTES (contract part two, §13)."""

from __future__ import annotations

from ...domain.webhook import DAILY_EVENT_TYPES, MAX_TEXT, MAX_URL, RETRY_TYPES
from .parts import Context, Operations, Schema, answer, path_param, ref, responses

_HOOK = ref("Webhook")
_TEXT = {"type": ["string", "null"], "maxLength": MAX_TEXT}
_UUID = path_param("uuid", "The webhook's uuid.")


def _body(required: list[str]) -> Schema:
    schema: Schema = ref("WebhookRequest")
    if required:
        schema = {"allOf": [schema, {"type": "object", "required": required}]}
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


def _list(c: Context) -> Schema:
    return {
        "summary": "The domain's webhooks: an array of at most one",
        "responses": responses(
            answer("The webhooks.", {"type": "array", "maxItems": 1, "items": _HOOK}), c.errors
        ),
    }


def _create(c: Context) -> Schema:
    return {
        "summary": "Create the webhook (probes the url first: it must answer 200)",
        "requestBody": _body(["url"]),
        "responses": responses(answer("The webhook.", _HOOK), c.sent),
    }


def _one(c: Context) -> Schema:
    return {
        "summary": "One webhook",
        "parameters": [_UUID],
        "responses": responses(answer("The webhook.", _HOOK), c.one),
    }


def _update(c: Context) -> Schema:
    return {
        "summary": "Update the webhook (probes again; re-activates a FAILED one)",
        "parameters": [_UUID],
        "requestBody": _body([]),
        "responses": responses(answer("The webhook.", _HOOK), c.sent_one),
    }


def _delete(c: Context) -> Schema:
    deleted = {
        "type": "object",
        "required": ["deleted", "uuid"],
        "properties": {"deleted": {"const": True}, "uuid": {"type": "string"}},
    }
    return {
        "summary": "Delete the webhook",
        "parameters": [_UUID],
        "responses": responses(answer("Deleted.", deleted), c.one),
    }


OPERATIONS: Operations = {
    "listWebhooks": _list,
    "createWebhook": _create,
    "getWebhook": _one,
    "updateWebhook": _update,
    "deleteWebhook": _delete,
}


def schemas() -> dict[str, Schema]:
    event_types = {"type": "array", "items": {"enum": list(DAILY_EVENT_TYPES)}}
    return {
        "WebhookRequest": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "url": {"type": "string", "maxLength": MAX_URL, "pattern": "^https?://"},
                "eventTypes": {"anyOf": [event_types, {"type": "null"}]},
                "hmac": _TEXT,
                "basicAuth": _TEXT,
                "retryType": {"anyOf": [{"enum": list(RETRY_TYPES)}, {"type": "null"}]},
            },
        },
        "Webhook": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "uuid",
                "url",
                "hmac",
                "basicAuth",
                "retryType",
                "eventTypes",
                "state",
                "failedCount",
                "lastMomentPushed",
                "domainId",
                "createdAt",
                "updatedAt",
            ],
            "properties": {
                "uuid": {"type": "string"},
                "url": {"type": "string"},
                "hmac": {"type": "string"},
                "basicAuth": {"type": ["string", "null"]},
                "retryType": {"enum": list(RETRY_TYPES)},
                "eventTypes": event_types,
                "state": {"enum": ["ACTIVE", "FAILED"]},
                "failedCount": {"type": "integer", "minimum": 0},
                "lastMomentPushed": {"type": ["string", "null"]},
                "domainId": {"type": "string"},
                "createdAt": {"type": "string"},
                "updatedAt": {"type": "string"},
            },
        },
    }
