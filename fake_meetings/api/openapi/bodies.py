"""Request bodies shared by several parts of the OpenAPI document (no imports of its own, so
every part can use them)."""

from __future__ import annotations

from typing import Any


def properties_body(schema: str) -> dict[str, Any]:
    """An optional body ``{"properties": {...}}`` whose properties follow ``schema`` (a name
    in components/schemas), nothing else beside them: Daily's body for tokens and the domain."""
    wrapper = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"properties": {"$ref": f"#/components/schemas/{schema}"}},
    }
    return {"required": False, "content": {"application/json": {"schema": wrapper}}}
