"""``POST /_fake/recordings/{recording}/fail`` and ``POST /_fake/transcripts/{transcript}/fail``:
a recording or a transcript in progress fails now, so a test can exercise a client's
``recording.error`` / ``transcript.error`` handling. The optional body ``{"error": "text"}``
is the failure's text; the state layer checks it and makes the change
(``state/failures.py``); this module reads the body and answers the object as Daily's
``GET /recordings/:id`` or ``GET /transcript/:id`` shows it now."""

from __future__ import annotations

from aiohttp import web

from ...domain.recordings import as_json, seen_at
from ...domain.world import transcript_json
from ..bodies import daily_body, json_answer, space_of
from ..keys import CONFIG

FIELDS = ("error",)


async def fail_recording(request: web.Request) -> web.Response:
    body = await daily_body(request, FIELDS)
    space = space_of(request)
    rec_id = request.match_info["recording"]
    failed = await space.in_turn(lambda: space.fail_recording(rec_id, body.get("error")))
    world = space.world
    now = world.clock.now()
    seen = seen_at(failed, world.store.get(failed.mtg_session_id), now)
    domain = request.app[CONFIG].domain
    return json_answer(as_json(seen, domain, world.domain.recordings_template))


async def fail_transcript(request: web.Request) -> web.Response:
    body = await daily_body(request, FIELDS)
    space = space_of(request)
    tr_id = request.match_info["transcript"]
    failed = await space.in_turn(lambda: space.fail_transcript(tr_id, body.get("error")))
    world = space.world
    return json_answer(
        transcript_json(world, failed, world.clock.now(), request.app[CONFIG].domain)
    )


ROUTES = (
    ("POST", "recordings/{recording}/fail", fail_recording),
    ("POST", "transcripts/{transcript}/fail", fail_transcript),
)
