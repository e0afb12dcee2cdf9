"""`fake-meetings serve` with one part swapped out, to measure what that part costs (bench only).

    python bench/variant_server.py --no-journal serve ARGS...   # requests are not journaled
    python bench/variant_server.py --uncached serve ARGS...     # GET /meetings as before the
                                                                # render cache: parse, query,
                                                                # render.meetings_page per request

Everything else is the real command line and the real app.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from aiohttp import web


def no_journal() -> str:
    from fake_meetings.state import journal

    journal.Journal.record = lambda self, *args, **kwargs: None  # type: ignore[method-assign]
    return "Journal.record patched out (no entry is built)"


def uncached() -> str:
    from fake_meetings.api.daily import meetings, params, render
    from fake_meetings.api.errors import invalid
    from fake_meetings.api.keys import CONFIG, world_of
    from fake_meetings.domain.query import UnknownCursor, list_meetings

    async def list_sessions(request: web.Request) -> web.Response:
        config, world = request.app[CONFIG], world_of(request)
        query, no_participants = params.meetings_query(
            request.query, strict_limit=config.strict_limit
        )
        store, now = world.store, world.clock.now()
        try:
            page = list_meetings(store, query, now, config.unknown_cursor)
        except UnknownCursor as exc:
            raise invalid(f"{exc.param}: no meeting session with id {exc.value!r}") from None
        body = render.meetings_page(
            page.total_count, page.sessions, now, participants=not no_participants
        )
        return web.Response(body=body, content_type="application/json")

    # routes.daily_routes() reads the families' tables when the app is made
    first = replace(meetings.ROUTES[0], handler=list_sessions)
    meetings.ROUTES = (first, *meetings.ROUTES[1:])
    return "GET /meetings renders with render.meetings_page on every request"


VARIANTS = {"--no-journal": no_journal, "--uncached": uncached}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in VARIANTS:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(VARIANTS)} serve ARGS...")
    what = VARIANTS[sys.argv[1]]()
    print(f"variant {sys.argv[1]}: {what}", file=sys.stderr, flush=True)
    from fake_meetings.cli import main

    sys.exit(main(sys.argv[2:]))
