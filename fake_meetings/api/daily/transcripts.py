"""The Daily transcript routes (contract part three, §3): ``GET /transcript``,
``GET /transcript/:id``, ``DELETE /transcript/:id``, ``GET /transcript/:id/access-link`` and
``POST /rooms/:name/transcription/start | update | stop``.

Every answer is the namespace's transcripts as seen at the server clock's instant (read once
per request): visible from its start, ``t_in_progress`` until it stops, then ``t_finished``
(``domain/transcripts.py``). The access link names the stored WebVTT file, served by the fake
(``files.py``), valid one hour (Daily's links take no ``valid_for_secs``).
"""

from __future__ import annotations

import orjson
from aiohttp import web

from ...domain.domainconfig import DOMAIN_ID, no_api_access
from ...domain.query import UnknownCursor
from ...domain.transcribestart import START_FIELDS, STOP_FIELDS, UPDATE_FIELDS, checked_instance
from ...domain.transcripts import (
    STORAGE_PROPERTY,
    Transcript,
    as_json,
    list_transcripts,
    out_params,
    place_of,
    seen_at,
)
from ...domain.world import World, transcript_json
from ..bodies import daily_body, json_answer
from ..errors import invalid, not_found
from ..keys import CONFIG, NAMESPACES, namespace_of, request_key, world_of
from . import files, params
from .route import Route

LINK_VALID_FOR = 3600  # seconds: Daily's transcript links are valid one hour [D tr-link]


def _visible(world: World, tr_id: str, now: int) -> Transcript:
    transcript = world.transcripts.visible(tr_id, now)
    if transcript is None:
        raise not_found(f"transcript {tr_id} not found")
    return transcript


async def list_all(request: web.Request) -> web.Response:
    config, world = request.app[CONFIG], world_of(request)
    now = world.clock.now()  # one snapshot, one instant per request
    query = params.transcripts_query(request.query, strict_limit=config.strict_limit)
    try:
        page = list_transcripts(world.transcripts, query, now, config.unknown_cursor)
    except UnknownCursor as exc:
        raise invalid(f"{exc.param}: no transcript with id {exc.value!r}") from None
    place, store = place_of(world.domain.properties, config.domain), world.store
    data = [
        as_json(seen_at(t, store.get(t.mtg_session_id), now), DOMAIN_ID, place)
        for t in page.transcripts
    ]
    body = orjson.dumps({"total_count": page.total_count, "data": data})
    return web.Response(body=body, content_type="application/json")


async def get_one(request: web.Request) -> web.Response:
    world = world_of(request)
    now = world.clock.now()
    transcript = _visible(world, request.match_info["id"], now)
    return json_answer(transcript_json(world, transcript, now, request.app[CONFIG].domain))


async def delete(request: web.Request) -> web.Response:
    """The object as it was, with ``status: "t_deleted"`` [D tr-del]."""
    space = namespace_of(request)
    world = space.world
    now = world.clock.now()
    _visible(world, request.match_info["id"], now)  # the 404 before any change
    transcript = space.delete_transcript(request.match_info["id"])
    return json_answer(
        transcript_json(world, transcript, now, request.app[CONFIG].domain, "t_deleted")
    )


async def access_link(request: web.Request) -> web.Response:
    """``{transcriptId, link, download_link, outParams}``: the link under both names Daily's
    docs have given it (``link`` in the older reference, which clients read; ``download_link``
    in the current example) [?]; no stored file (storage was off when it started,
    or it is not finished) is a 400 with Daily's text [C] (the status is [?])."""
    space = namespace_of(request)
    world = space.world
    now = world.clock.now()
    transcript = _visible(world, request.match_info["id"], now)
    seen = seen_at(transcript, world.store.get(transcript.mtg_session_id), now)
    refused = no_api_access(world.domain.properties, "transcription_bucket")
    if refused is not None:
        raise refused
    if not transcript.stored:
        raise invalid(
            f"Transcriptions not stored for {transcript.id}. consider "
            f'"{STORAGE_PROPERTY}" domain/room property'
        )
    if not seen.vtt_available:
        raise invalid(f"transcript {transcript.id} is {seen.status}: its file is not ready")
    key = request_key(request) if request.app[NAMESPACES].per_key else None
    link = files.transcript_link(request, key, transcript, now + LINK_VALID_FOR)
    place = place_of(world.domain.properties, request.app[CONFIG].domain)
    return json_answer(
        {
            "transcriptId": transcript.id,
            "link": link,
            "download_link": link,
            "outParams": out_params(transcript, place),
        }
    )


async def start(request: web.Request) -> web.Response:
    """Daily's answer: ``{"sent": "true"}`` (a string) [D rtr-start]."""
    instance = checked_instance(await daily_body(request, START_FIELDS))
    namespace_of(request).start_transcription(request.match_info["name"], instance)
    return json_answer({"sent": "true"})


async def update(request: web.Request) -> web.Response:
    """The answer, not documented [?]: the start's."""
    instance = checked_instance(await daily_body(request, UPDATE_FIELDS))
    namespace_of(request).update_transcription(request.match_info["name"], instance)
    return json_answer({"sent": "true"})


async def stop(request: web.Request) -> web.Response:
    """The answer, not documented [?]: the start's."""
    instance = checked_instance(await daily_body(request, STOP_FIELDS))
    namespace_of(request).stop_transcription(request.match_info["name"], instance)
    return json_answer({"sent": "true"})


# Served under /v1 and at the root, described by the OpenAPI document, like every family's.
ROUTES = (
    Route("GET", "/transcript", list_all, "listTranscripts"),
    Route("GET", "/transcript/{id}", get_one, "getTranscript"),
    Route("DELETE", "/transcript/{id}", delete, "deleteTranscript"),
    Route("GET", "/transcript/{id}/access-link", access_link, "getTranscriptLink"),
    Route("POST", "/rooms/{name}/transcription/start", start, "startTranscription"),
    Route("POST", "/rooms/{name}/transcription/update", update, "updateTranscription"),
    Route("POST", "/rooms/{name}/transcription/stop", stop, "stopTranscription"),
)
