"""The three Daily routes (contract §2-§4): parameters -> store -> render. Nothing else.

Every answer is the timeline as seen at the server clock's instant (read once per request),
as Daily's records hold it: the namespace's ``min_stay`` picks the store's listed store
(the ten-second rule, ``domain/recorded.py``); its render cache renders with the same rule.
Bodies come from the snapshot's :mod:`render_cache` (same bytes as :mod:`render`, the reference
renderer). A body is keyed by everything it depends on besides the snapshot and the clock
second: the raw query string, the options that change the answer, and where the clock stands in
the timeline (the store's instant key for a list; whether the session has settled for one
session). A request whose key is cached skips parsing and the query engine; the same query
string always parses the same way, and an invalid one is never cached (it raises before
anything is stored).
"""

from __future__ import annotations

from aiohttp import web

from ...domain import timeline
from ...domain.model import Session
from ...domain.query import UnknownCursor, list_meetings, list_participants
from ...domain.store import Store
from ..errors import invalid, not_found
from ..keys import CONFIG, world_of
from . import params
from .render_cache import cache_of
from .route import Route


async def list_sessions(request: web.Request) -> web.Response:
    config, world = request.app[CONFIG], world_of(request)
    # one snapshot, one instant per request; what the ten-second rule lists of it
    store, now = world.store.listed(world.min_stay), world.clock.now()
    cache = cache_of(store)
    key = (
        "list",
        request.rel_url.raw_query_string,
        config.strict_limit,
        config.unknown_cursor,
        store.at(now).key,
    )
    body = cache.body(key, now)
    if body is None:
        query, no_participants = params.meetings_query(
            request.query, strict_limit=config.strict_limit
        )
        try:
            page = list_meetings(store, query, now, config.unknown_cursor)
        except UnknownCursor as exc:
            raise invalid(f"{exc.param}: no meeting session with id {exc.value!r}") from None
        entry = cache.listed(page, now, participants=not no_participants)
        body = cache.keep(key, entry, now)
    return web.Response(body=body, content_type="application/json")


async def get_session(request: web.Request) -> web.Response:
    world = world_of(request)
    store, now = world.store.listed(world.min_stay), world.clock.now()
    meeting_id = request.match_info["meeting"]
    session = _visible(store, meeting_id, now)
    cache = cache_of(store)
    key = ("session", meeting_id, timeline.settled(session, now))
    body = cache.body(key, now)
    if body is None:
        body = cache.keep(key, cache.session(session, now), now)
    return web.Response(body=body, content_type="application/json")


async def get_participants(request: web.Request) -> web.Response:
    config, world = request.app[CONFIG], world_of(request)
    min_stay = world.min_stay
    store, now = world.store.listed(min_stay), world.clock.now()
    meeting_id = request.match_info["meeting"]
    session = _visible(store, meeting_id, now)
    cache = cache_of(store)
    # a live session's records follow the clock (who has joined by now): its pages are not kept
    settled = timeline.settled(session, now)
    key = (
        "participants",
        meeting_id,
        request.rel_url.raw_query_string,
        config.strict_limit,
        config.unknown_cursor,
    )
    body = cache.body(key, now) if settled else None
    if body is None:
        query = params.participants_query(request.query, strict_limit=config.strict_limit)
        try:
            records = list_participants(session, query, now, config.unknown_cursor, min_stay)
        except UnknownCursor as exc:
            raise invalid(
                f"{exc.param}: no participant with id {exc.value!r} "
                f"in meeting session {meeting_id!r}"
            ) from None
        if not records:
            raise not_found(f"no more participant records in meeting session {meeting_id!r}")
        page = cache.participants_page(session, records, now)
        body = cache.keep(key, page, now) if settled else page.at(now)
    return web.Response(body=body, content_type="application/json")


# The Daily routes, declared once: the router serves them (under /v1 and at the root), the
# OpenAPI document's paths are made from them (each names its operation's operationId), and
# /_fake/version lists them.
ROUTES = (
    Route("GET", "/meetings", list_sessions, "listMeetings"),
    Route("GET", "/meetings/{meeting}", get_session, "getMeeting"),
    Route("GET", "/meetings/{meeting}/participants", get_participants, "getMeetingParticipants"),
)


def _visible(store: Store, meeting_id: str, now: int) -> Session:
    """The session ``meeting_id`` as visible at ``now``, or Daily's 404 (one session route and
    its participants answer alike)."""
    session = store.visible(meeting_id, now)
    if session is None:
        raise not_found(f"no meeting session with id {meeting_id!r}")
    return session
