"""``POST /_fake/join`` and ``POST /_fake/leave``: someone joins a room now, or leaves it now
(contract part two, §9). The state layer does the change; this module reads the body and says
what happened."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ...domain import timeline
from ...domain.model import Participant, Session
from ...domain.tokens import MAX_TOKEN
from ...errors import invalid
from ...state.livechanges import MAX_TEXT, check_owner, check_text
from ..bodies import json_answer, json_object, space_of
from ..daily import tokens

JOIN_EXAMPLE = (
    '{"room": "standup", "user_name": "Alice", "user_id": "u-1", "owner": false} '
    '(or {"token": "<a meeting token>"})'
)
JOIN_FIELDS = ("room", "user_name", "user_id", "owner", "token")
LEAVE_EXAMPLE = '{"participant_id": "<the id a join returned>"}'


def _text(body: dict[str, Any], name: str, example: str, *, required: bool) -> str | None:
    most = MAX_TOKEN if name == "token" else MAX_TEXT  # a token: as long as one minted
    return check_text(name, body.get(name), required=required, hint=f"; like {example}", most=most)


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
    unknown = [k for k in body if k not in JOIN_FIELDS]
    if unknown:
        raise invalid(f"unknown field {unknown[0]!r:.100}; send fields like {JOIN_EXAMPLE}")
    token = _text(body, "token", JOIN_EXAMPLE, required=False)
    room = _text(body, "room", JOIN_EXAMPLE, required=token is None)
    owner = check_owner(body.get("owner", False))
    user_name = _text(body, "user_name", JOIN_EXAMPLE, required=False)
    user_id = _text(body, "user_id", JOIN_EXAMPLE, required=False)
    space = space_of(request)

    def change() -> tuple[Session, Participant]:
        # a token: verified at the instant of the join; its room, user fields and time limits
        # apply (§9, §11)
        found = tokens.check_token(request, token) if token is not None else None
        return space.join(room, user_name=user_name, user_id=user_id, owner=owner, token=found)

    # in turn: not in the middle of a load that appends to the current sessions
    session, stay = await space.in_turn(change)
    return json_answer(_answer(session, stay, space.world.clock.now()), status=201)


async def leave(request: web.Request) -> web.Response:
    body = await json_object(request, LEAVE_EXAMPLE)
    unknown = [k for k in body if k != "participant_id"]
    if unknown:
        raise invalid(f"unknown field {unknown[0]!r:.100}; send {LEAVE_EXAMPLE}")
    participant_id = _text(body, "participant_id", LEAVE_EXAMPLE, required=True)
    assert participant_id is not None
    space = space_of(request)
    session, stay = await space.in_turn(lambda: space.leave(participant_id))
    return json_answer(_answer(session, stay, space.world.clock.now()))
