"""The OpenAPI paths and schemas of domain.ROUTES (contract part three, §1), for
``openapi.document``: each property's schema follows its kind in ``domain/domainconfig.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...domain.domainconfig import BUCKET_KEYS, KINDS, LANGS, MAX_TEMPLATE, PERMISSIONS
from .bodies import properties_body

Json = Callable[[str, dict[str, Any]], dict[str, Any]]
Responses = Callable[[dict[str, Any], tuple[str, ...]], dict[str, Any]]


def _bucket(keys: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": ["object", "null"],
        "additionalProperties": False,
        "properties": {
            k: {"type": "boolean" if k.startswith("allow_") else "string"} for k in keys
        },
    }


_TEMPLATE = {
    "type": "string",
    "maxLength": MAX_TEMPLATE,
    "description": "Must contain {epoch_time}; A-Z, a-z, 0-9, '.', '/', '_', '-' and "
    "{placeholders} only.",
}
_SCHEMA_OF_KIND: dict[str, dict[str, Any]] = {
    "boolean": {"type": "boolean"},
    "text or null": {"type": ["string", "null"]},
    "lang": {"enum": list(LANGS)},
    "number": {"type": "number"},
    "list": {"type": "array"},
    "bucket": _bucket(BUCKET_KEYS["bucket"]),
    "recordings bucket": _bucket(BUCKET_KEYS["recordings bucket"]),
    "recordings template": _TEMPLATE,
    "transcription template": _TEMPLATE,
    "permissions": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            k: (
                {"type": "boolean"}
                if isinstance(v, bool) and k == "hasPresence"
                else {"type": ["boolean", "array"]}
                if isinstance(v, bool)
                else {"type": "object"}
            )
            for k, v in PERMISSIONS.items()
        },
    },
}


def paths(errors: tuple[str, ...], json: Json, responses: Responses) -> dict[str, Any]:
    domain = json("Daily's domain object.", {"$ref": "#/components/schemas/Domain"})
    body = properties_body("DomainProperties")
    return {
        "/": {
            "get": {
                "operationId": "getDomainConfig",
                "summary": "The domain: its name, id and configuration (served under /v1 only)",
                "responses": responses(domain, errors),
            },
            "post": {
                "operationId": "setDomainConfig",
                "summary": "Set domain properties (unknown or read-only ones: 400)",
                "requestBody": body,
                "responses": responses(domain, tuple(sorted({*errors, "413"}))),
            },
        }
    }


def schemas() -> dict[str, Any]:
    return {
        "Domain": {
            "type": "object",
            "required": ["domain_name", "domain_id", "config"],
            "additionalProperties": False,
            "properties": {
                "domain_name": {"type": "string"},
                "domain_id": {"type": "string"},
                "config": {"type": "object"},
            },
        },
        "DomainProperties": {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: _SCHEMA_OF_KIND[kind] for name, kind in KINDS.items()},
        },
    }
