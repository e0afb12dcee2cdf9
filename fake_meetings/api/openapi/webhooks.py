"""The OpenAPI paths and schemas of webhooks.ROUTES (contract part two, §13), for
``openapi.document``; kept apart so each file stays readable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...domain.webhook import DAILY_EVENT_TYPES, MAX_TEXT, MAX_URL, RETRY_TYPES

Json = Callable[[str, dict[str, Any]], dict[str, Any]]
Responses = Callable[[dict[str, Any], tuple[str, ...]], dict[str, Any]]
PathParam = Callable[[str, str], dict[str, Any]]

_HOOK = {"$ref": "#/components/schemas/Webhook"}
_TEXT = {"type": ["string", "null"], "maxLength": MAX_TEXT}


def paths(
    errors: tuple[str, ...],
    one: tuple[str, ...],
    json: Json,
    responses: Responses,
    path_param: PathParam,
) -> dict[str, Any]:
    uuid = path_param("uuid", "The webhook's uuid.")
    sent = tuple(sorted({*errors, "413"}))

    def body(required: list[str]) -> dict[str, Any]:
        schema: dict[str, Any] = {"$ref": "#/components/schemas/WebhookRequest"}
        if required:
            schema = {"allOf": [schema, {"type": "object", "required": required}]}
        return {"required": bool(required), "content": {"application/json": {"schema": schema}}}

    return {
        "/webhooks": {
            "get": {
                "operationId": "listWebhooks",
                "summary": "The domain's webhooks: an array of at most one",
                "responses": responses(
                    json("The webhooks.", {"type": "array", "maxItems": 1, "items": _HOOK}), errors
                ),
            },
            "post": {
                "operationId": "createWebhook",
                "summary": "Create the webhook (probes the url first: it must answer 200)",
                "requestBody": body(["url"]),
                "responses": responses(json("The webhook.", _HOOK), sent),
            },
        },
        "/webhooks/{uuid}": {
            "get": {
                "operationId": "getWebhook",
                "summary": "One webhook",
                "parameters": [uuid],
                "responses": responses(json("The webhook.", _HOOK), one),
            },
            "post": {
                "operationId": "updateWebhook",
                "summary": "Update the webhook (probes again; re-activates a FAILED one)",
                "parameters": [uuid],
                "requestBody": body([]),
                "responses": responses(json("The webhook.", _HOOK), tuple(sorted({*one, "413"}))),
            },
            "delete": {
                "operationId": "deleteWebhook",
                "summary": "Delete the webhook",
                "parameters": [uuid],
                "responses": responses(
                    json(
                        "Deleted.",
                        {
                            "type": "object",
                            "required": ["deleted", "uuid"],
                            "properties": {"deleted": {"const": True}, "uuid": {"type": "string"}},
                        },
                    ),
                    one,
                ),
            },
        },
    }


def schemas() -> dict[str, Any]:
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
