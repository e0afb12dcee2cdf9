"""Reading control-plane calls and writing their answers: the namespace a call acts on, request
bodies within ``--max-body`` (as UTF-8 text, or as one JSON object), JSON answers."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from ..domain.bodies import checked_fields, kind_of
from ..domain.nesting import check_depth, depth_info, is_depth_error
from ..errors import ApiError, invalid
from ..state.namespaces import Namespace
from .credentials import bearer_key
from .keys import CONFIG, NAMESPACES, namespace_of


def json_answer(body: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(body), status=status, content_type="application/json")


def space_of(request: web.Request) -> Namespace:
    """The namespace a control-plane call acts on (a malformed key is refused, not ignored)."""
    spaces = request.app[NAMESPACES]
    header = request.headers.get("Authorization")
    if spaces.per_key and header is not None and bearer_key(header) is None:
        raise ApiError(
            400,
            "malformed Authorization header; to choose a namespace send "
            "'Authorization: Bearer <API key>', or no header for the default namespace",
            "authorization-header-error",
        )
    return namespace_of(request)


def clock_state(space: Namespace) -> dict[str, Any]:
    clock = space.world.clock
    return {"now": clock.now(), "frozen": clock.frozen}


async def read_body(request: web.Request) -> bytes:
    limit = request.app[CONFIG].max_body
    too_big = ApiError(
        413,
        f"request body over the {limit:,}-byte limit; send less (or start the server with a "
        "larger --max-body)",
        "invalid-request-error",
    )
    if request.content_length is not None and request.content_length > limit:
        raise too_big
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise too_big from None


def as_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise invalid(f"body: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


async def json_object(request: web.Request, example: str) -> dict[str, Any]:
    raw = await read_body(request)
    if not raw.strip():
        raise invalid(f"body: empty; send a JSON object like {example}")
    return _parsed_object(raw, f"; send a JSON object like {example}", f" like {example}")


def _parsed_object(raw: bytes, fix: str = "", like: str = "") -> dict[str, Any]:
    """``raw`` as one JSON object, or a 400 (``fix`` and ``like`` complete its message)."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if is_depth_error(exc):
            raise invalid(depth_info("body", None)) from None
        raise invalid(f"body: not valid JSON ({exc}){fix}") from None
    check_depth(value, "body")
    if not isinstance(value, dict):
        raise invalid(f"body: expected a JSON object{like}; got {kind_of(value)}")
    return value


async def daily_body(request: web.Request, fields: tuple[str, ...]) -> dict[str, Any]:
    """The JSON object of a Daily-route request body, refusing a field not in ``fields``. No
    body at all is ``{}``; a body of whitespace only is not JSON, so it is a 400 like any other
    (as JSON body parsers in strict mode answer it). The field check is ``domain/bodies.py``'s,
    which the test handle's calls apply too."""
    raw = await read_body(request)
    if not raw:
        return {}
    return checked_fields(_parsed_object(raw), fields)
