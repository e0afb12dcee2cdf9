"""The OpenAPI operations and schemas of tokens.ROUTES (contract part two, §11)."""

from __future__ import annotations

from ...domain.tokens import MAX_TEXT, PROPERTIES
from .parts import (
    Context,
    Operations,
    Schema,
    answer,
    path_param,
    properties_body,
    query,
    ref,
    responses,
)


def _create(c: Context) -> Schema:
    return {
        "summary": "Create a meeting token (unknown properties: 400)",
        "requestBody": properties_body("TokenRequest"),
        "responses": responses(answer("The token (an HS256 JWT).", ref("MeetingToken")), c.sent),
    }


def _validate(c: Context) -> Schema:
    return {
        "summary": "Validate a meeting token (bad, expired or not yet valid: 400)",
        "parameters": [
            path_param("token", "A meeting token (a JWT)."),
            query(
                "ignoreNbf",
                "true: a token whose nbf is still ahead is valid.",
                {"type": "boolean"},
            ),
        ],
        "responses": responses(
            answer("The token's properties, by their full names.", ref("TokenProperties")),
            c.errors,
        ),
    }


OPERATIONS: Operations = {"createMeetingToken": _create, "validateMeetingToken": _validate}


def schemas() -> dict[str, Schema]:
    kinds: dict[str, Schema] = {
        "a boolean": {"type": "boolean"},
        "an integer": {"type": "integer", "minimum": 0, "maximum": 2**53 - 1},
        "a string": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "a JSON object": {"type": "object"},
    }
    sent: Schema = {}
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
