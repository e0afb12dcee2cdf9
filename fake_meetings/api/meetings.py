"""The three Daily routes (contract §2-§4): parameters -> store -> render. Nothing else."""

from __future__ import annotations

from aiohttp import web

from ..domain.query import UnknownCursor, list_meetings, list_participants
from . import params, render
from .errors import invalid, not_found
from .state import CONFIG, world_of


def _json(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="application/json")


async def list_sessions(request: web.Request) -> web.Response:
    config, world = request.app[CONFIG], world_of(request)
    query, no_participants = params.meetings_query(request.query, strict_limit=config.strict_limit)
    store, now = world.store, world.clock.now()  # one snapshot, one instant per request
    try:
        page = list_meetings(store, query, config.unknown_cursor)
    except UnknownCursor as exc:
        raise invalid(f"{exc.param}: no meeting session with id {exc.value!r}") from None
    return _json(
        render.meetings_page(page.total_count, page.sessions, now, participants=not no_participants)
    )


async def get_session(request: web.Request) -> web.Response:
    world = world_of(request)
    meeting_id = request.match_info["meeting"]
    session = world.store.get(meeting_id)
    if session is None:
        raise not_found(f"no meeting session with id {meeting_id!r}")
    return _json(render.session_body(session, world.clock.now()))


async def get_participants(request: web.Request) -> web.Response:
    config, world = request.app[CONFIG], world_of(request)
    meeting_id = request.match_info["meeting"]
    session = world.store.get(meeting_id)
    if session is None:
        raise not_found(f"no meeting session with id {meeting_id!r}")
    query = params.participants_query(request.query, strict_limit=config.strict_limit)
    try:
        records = list_participants(session, query, config.unknown_cursor)
    except UnknownCursor as exc:
        raise invalid(
            f"{exc.param}: no participant with id {exc.value!r} in meeting session {meeting_id!r}"
        ) from None
    if not records:
        raise not_found(f"no more participant records in meeting session {meeting_id!r}")
    return _json(render.participants_page(records, world.clock.now()))


def add_routes(app: web.Application) -> None:
    for prefix in ("", "/v1"):
        app.router.add_get(prefix + "/meetings", list_sessions)
        app.router.add_get(prefix + "/meetings/{meeting}", get_session)
        app.router.add_get(prefix + "/meetings/{meeting}/participants", get_participants)
