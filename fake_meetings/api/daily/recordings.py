"""The Daily recording routes (contract part three, §2): ``GET /recordings``,
``GET /recordings/:id``, ``DELETE /recordings/:id`` and ``GET /recordings/:id/access-link``.

Every answer is the namespace's recordings as seen at the server clock's instant (read once per
request): a recording is visible from its ``start_ts``, in progress until it stops, then
finished (``domain/recordings.py``). Recordings come from scenario files (``recordings:``) and
from ``POST /rooms/:name/recordings/start | update | stop`` (bodies: ``domain/recordstart.py``;
the changes: ``state/recordingchanges.py``).
"""

from __future__ import annotations

from aiohttp import web

from ...domain.domainconfig import no_api_access
from ...domain.query import UnknownCursor
from ...domain.recordings import FINISHED, RAW_TRACKS, Recording, list_recordings, seen_at
from ...domain.recordstart import START_FIELDS, STOP_FIELDS, start_options, stop_options
from ...domain.world import World
from ..bodies import daily_body, json_answer
from ..errors import invalid, not_found
from ..keys import CONFIG, NAMESPACES, namespace_of, request_key, world_of
from . import files, params
from .recording_cache import RECORDING_BYTES
from .route import Route


def _object(world: World, recording: Recording, now: int, domain: str) -> bytes:
    """Its JSON object's bytes (kept once it has stopped: ``recording_cache.py``)."""
    session = world.store.get(recording.mtg_session_id)
    return RECORDING_BYTES.render(recording, session, now, domain, world.domain.recordings_template)


def _visible(world: World, rec_id: str, now: int) -> Recording:
    recording = world.recordings.visible(rec_id, now)
    if recording is None:
        raise not_found(f"recording {rec_id} not found")
    return recording


async def list_all(request: web.Request) -> web.Response:
    config, world = request.app[CONFIG], world_of(request)
    now = world.clock.now()  # one snapshot, one instant per request
    recordings, store, domain = world.recordings, world.store, world.domain
    query_string = request.rel_url.raw_query_string
    body = RECORDING_BYTES.page(query_string, recordings, store, config, domain, now)
    if body is not None:
        return web.Response(body=body, content_type="application/json")
    query = params.recordings_query(request.query, strict_limit=config.strict_limit)
    try:
        page = list_recordings(recordings, query, now, config.unknown_cursor, store.get)
    except UnknownCursor as exc:
        raise invalid(f"{exc.param}: no recording with id {exc.value!r}") from None
    data = b",".join([_object(world, r, now, config.domain) for r in page.recordings])
    body = b'{"total_count":%d,"data":[%b]}' % (page.total_count, data)
    stops = [r.stop(store.get(r.mtg_session_id)) for r in page.recordings]
    if query.in_progress is None and all(stop <= now for stop in stops):
        # the same from its latest stop while the same recordings are visible
        lo, hi = recordings.visible_span(now)
        instants = (max(lo, max(stops, default=lo)), hi)
    else:
        instants = (now, now + 1)  # this instant only
    RECORDING_BYTES.keep_page(query_string, (recordings, store), (config, domain), instants, body)
    return web.Response(body=body, content_type="application/json")


async def get_one(request: web.Request) -> web.Response:
    world = world_of(request)
    now = world.clock.now()
    recording = _visible(world, request.match_info["id"], now)
    body = _object(world, recording, now, request.app[CONFIG].domain)
    return web.Response(body=body, content_type="application/json")


async def delete(request: web.Request) -> web.Response:
    recording = namespace_of(request).delete_recording(request.match_info["id"])
    return json_answer({"deleted": True, "id": recording.id})


async def access_link(request: web.Request) -> web.Response:
    space = namespace_of(request)
    world = space.world
    now = world.clock.now()
    recording = _visible(world, request.match_info["id"], now)
    valid_for = params.valid_for_secs(request.query)
    refused = no_api_access(world.domain.properties, "recordings_bucket")
    if refused is not None:
        raise refused
    if recording.type == RAW_TRACKS:  # Daily: access links do not cover rtp/raw tracks
        raise invalid(
            f"recording {recording.id} is a raw-tracks recording: an access link covers one "
            "file, and its tracks are files of their own (each track's s3Key names one)"
        )
    seen = seen_at(recording, world.store.get(recording.mtg_session_id), now)
    if seen.status != FINISHED:
        raise invalid(
            f"recording {recording.id} is {seen.status}: only a finished recording has a file"
        )
    expires = now + valid_for
    key = request_key(request) if request.app[NAMESPACES].per_key else None
    link = files.download_link(request, key, recording, expires)
    return json_answer({"download_link": link, "expires": expires})


async def start(request: web.Request) -> web.Response:
    """The answer Daily does not document [?]: ``{"status": "sent", "recordingId": <id>}`` (a
    client reads ``recordingId``; the real id reaches others through recording.started)."""
    options = start_options(await daily_body(request, START_FIELDS))
    recording = namespace_of(request).start_recording(request.match_info["name"], options)
    return json_answer({"status": "sent", "recordingId": recording.id})


async def update(request: web.Request) -> web.Response:
    options = start_options(await daily_body(request, START_FIELDS))
    namespace_of(request).update_recording(request.match_info["name"], options)
    return json_answer({"status": "sent"})


async def stop(request: web.Request) -> web.Response:
    options = stop_options(await daily_body(request, STOP_FIELDS))
    namespace_of(request).stop_recording(request.match_info["name"], options)
    return json_answer({"status": "sent"})


# The Daily recording routes, declared once like rooms.ROUTES: served under /v1 and at the
# root, described by the OpenAPI document, listed by /_fake/version.
ROUTES = (
    Route("GET", "/recordings", list_all, "listRecordings"),
    Route("GET", "/recordings/{id}", get_one, "getRecording"),
    Route("DELETE", "/recordings/{id}", delete, "deleteRecording"),
    Route("GET", "/recordings/{id}/access-link", access_link, "getRecordingLink"),
    Route("POST", "/rooms/{name}/recordings/start", start, "startRecording"),
    Route("POST", "/rooms/{name}/recordings/update", update, "updateRecording"),
    Route("POST", "/rooms/{name}/recordings/stop", stop, "stopRecording"),
)
