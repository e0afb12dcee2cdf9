"""The checks every request body shares, below the HTTP layer so the Daily routes and the test
handle apply the same ones: no field outside those a route takes, and how a value's JSON kind
is named in a 400."""

from __future__ import annotations

from typing import Any

from ..errors import invalid


def kind_of(value: object) -> str:
    """How a 400 names the JSON kind of ``value`` (``a list``, ``a string``, ``null``...)."""
    names = {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def checked_fields(value: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``value`` when it has no field outside ``fields`` (a 400 naming the first one). The
    ``info`` starts as Daily's does, ``"scope" is not allowed``: clients match that text to drop
    a field Daily refuses and send again (ScholarHub's DailyClient does, for webhooks)."""
    for key in value:
        if key not in fields:
            raise invalid(
                f'"{key[:100]}" is not allowed (an unknown field of the request body; '
                f"expected {', '.join(fields)})"
            )
    return value
