"""``POST /_fake/join`` and ``POST /_fake/leave``: someone joins a room now, or leaves it now
(contract part two, §9). The state layer does the change; this module reads the body and says
what happened."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..domain import timeline
from ..domain.model import Participant, Session
from ..errors import invalid
from .bodies import json_answer, json_object, space_of

JOIN_EXAMPLE = '{"room": "standup", "user_name": "Alice", "user_id": "u-1", "owner": false}'
LEAVE_EXAMPLE = '{"participant_id": "<the id a join returned>"}'
MAX_TEXT = 1024  # characters of a room name, a user name or id


def _text(body: dict[str, Any], name: str, example: str, *, required: bool) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        need = "required: a non-empty string" if required else "a non-empty string or null"
        raise invalid(f"{name}: {need}; got {value!r:.100}; like {example}")
    if len(value) > MAX_TEXT:
        raise invalid(f"{name}: at most {MAX_TEXT} characters; got {len(value)}")
    return value


def _answer(session: Session, stay: Participant, now: int) -> dict[str, Any]:
    return {
        "participant_id": stay.participant_id,
        "session_id": session.id,
        "room": session.room,
        "user_id": stay.user_id,
        "user_name": stay.user_name,
        "owner": stay.owner,
        "join_time": stay.join_time,
        "leave_time": stay.leave,
        "session_ongoing": timeline.ongoing(session, now),
    }


async def join(request: web.Request) -> web.Response:
    body = await json_object(request, JOIN_EXAMPLE)
    unknown = [k for k in body if k not in ("room", "user_name", "user_id", "owner")]
    if unknown:
        raise invalid(f"unknown field {unknown[0]!r:.100}; send fields like {JOIN_EXAMPLE}")
    room = _text(body, "room", JOIN_EXAMPLE, required=True)
    assert room is not None
    owner = body.get("owner", False)
    if not isinstance(owner, bool):
        raise invalid(f"owner: must be true or false; got {owner!r:.100}")
    user_name = _text(body, "user_name", JOIN_EXAMPLE, required=False)
    user_id = _text(body, "user_id", JOIN_EXAMPLE, required=False)
    space = space_of(request)
    async with space.lock:  # not in the middle of a load that appends to the current sessions
        session, stay = space.join(room, user_name=user_name, user_id=user_id, owner=owner)
    return json_answer(_answer(session, stay, space.world.clock.now()), status=201)


async def leave(request: web.Request) -> web.Response:
    body = await json_object(request, LEAVE_EXAMPLE)
    unknown = [k for k in body if k != "participant_id"]
    if unknown:
        raise invalid(f"unknown field {unknown[0]!r:.100}; send {LEAVE_EXAMPLE}")
    participant_id = _text(body, "participant_id", LEAVE_EXAMPLE, required=True)
    assert participant_id is not None
    space = space_of(request)
    async with space.lock:
        session, stay = space.leave(participant_id)
    return json_answer(_answer(session, stay, space.world.clock.now()))
