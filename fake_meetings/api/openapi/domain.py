"""The OpenAPI operations and schemas of domain.ROUTES (contract part three, §1): each
property's schema follows its kind in ``domain/domainconfig.py``."""

from __future__ import annotations

from ...domain.domainconfig import BUCKET_KEYS, KINDS, LANGS, MAX_TEMPLATE, PERMISSIONS
from .parts import Context, Operations, Schema, answer, properties_body, ref, responses


def _bucket(keys: tuple[str, ...]) -> Schema:
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
_SCHEMA_OF_KIND: dict[str, Schema] = {
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


_DOMAIN = answer("Daily's domain object.", ref("Domain"))


def _get(c: Context) -> Schema:
    return {
        "summary": "The domain: its name, id and configuration (served under /v1 only)",
        "responses": responses(_DOMAIN, c.errors),
    }


def _set(c: Context) -> Schema:
    return {
        "summary": "Set domain properties (unknown or read-only ones: 400)",
        "requestBody": properties_body("DomainProperties"),
        "responses": responses(_DOMAIN, c.sent),
    }


OPERATIONS: Operations = {"getDomainConfig": _get, "setDomainConfig": _set}


def schemas() -> Schema:
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
