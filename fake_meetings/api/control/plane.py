"""The control plane: the fake's own endpoints under the reserved prefix ``/_fake/``.

JSON in and out; every error through :func:`errors.error_response` (raised as ``ApiError``).
Each call acts on one namespace (see ``namespaces.py``), chosen by the same Bearer key as the
API calls. Loading data is atomic: the new sessions are parsed and indexed off the event loop,
then the store (and the clock, for a ``now:``) is swapped in one step, so an API request sees
either the old data or the new, never a mix; a bad body changes nothing.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

import orjson
from aiohttp import web

from ... import __version__
from ...config import ServerConfig
from ...domain.drawn import passing
from ...domain.times import parse_instant
from ..bodies import clock_state, json_answer, json_object, space_of
from ..credentials import same_secret
from ..daily import render
from ..errors import VERSION_KEY, ApiError, invalid, not_found
from ..keys import NAMESPACES, existing_namespace
from ..openapi import document as openapi
from . import failures, live, loads
from . import webhooks as control_webhooks
from .browser import refuse_browser_attacks
from .faults import parse_fault

PREFIX = "/_fake/"
ADMIN_TOKEN_HEADER = "X-Fake-Admin-Token"
_LIMIT = re.compile("[0-9]{1,9}")  # ?limit= of GET /_fake/requests (ASCII digits only)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# ----------------------------------------------------------------------------- handlers


async def health(request: web.Request) -> web.Response:
    space = existing_namespace(request) or request.app[NAMESPACES].default
    return json_answer({"status": "ok", "version": __version__, "sessions": len(space.world.store)})


async def version(request: web.Request) -> web.Response:
    return json_answer(
        {
            "version": __version__,
            "emulates": openapi.EMULATES,
            "routes": list(openapi.ROUTES),
            "openapi": PREFIX + "openapi.json",
            "namespaces": request.app[NAMESPACES].per_key,
        }
    )


async def reset(request: web.Request) -> web.Response:
    empty = request.query.get("empty", "false")
    if empty not in ("true", "false"):
        raise invalid(f"empty: must be true or false; got {empty!r}")
    space = space_of(request)
    await space.in_turn(lambda: space.reset(empty=empty == "true"))
    return json_answer({"sessions": len(space.world.store), **clock_state(space)})


async def load_scenario(request: web.Request) -> web.Response:
    mode = request.query.get("mode", "replace")
    if mode not in ("replace", "append"):
        raise invalid(f"mode: must be replace or append; got {mode!r}")
    from .scenario import load  # the scenario reader (and PyYAML) on first use

    space, store = await load(request, append=mode == "append", sessions_only=False)
    return json_answer({"sessions": len(store), **clock_state(space)})


async def add_sessions(request: web.Request) -> web.Response:
    from .scenario import load

    _, store = await load(request, append=True, sessions_only=True)
    return json_answer({"sessions": len(store)}, status=201)


EXPORT_SLICE = 0.002  # seconds of rendering between two writes (and a turn of the loop)
EXPORT_BATCH = 16  # sessions rendered between two looks at the clock
EXPORT_BYTES = 256 * 1024  # bytes rendered at most between two writes


async def dump_sessions(request: web.Request) -> web.StreamResponse:
    """Every session visible now, as ``GET /meetings`` shows them (newest first, participants
    included), in one JSON body ``{"total_count": N, "data": [...]}``, streamed: sessions are
    rendered a few milliseconds' worth at a time, each part written (waiting while the client
    is behind) and the loop given a turn before the next, so other requests are served
    meanwhile and the server holds one part, not the body (at 100,000 sessions, 82 MB built in
    7.5 s on the loop). It answers from the snapshot and instant of its start; a generated
    session's stays are drawn for the export and not kept (``drawn.passing``)."""
    world = space_of(request).world
    store, now = world.store, world.clock.now()
    visible = store.visible_count(now)  # as the API shows them at now
    response = web.StreamResponse()
    response.headers[VERSION_KEY] = __version__  # before the head is sent, as the pipeline would
    response.content_type = "application/json"
    await response.prepare(request)
    await response.write(b'{"total_count":%d,"data":[' % visible)
    sessions, dumps, clock = store.sessions, orjson.dumps, time.perf_counter
    parts: list[bytes] = []
    size, started, first = 0, clock(), True
    for hi in range(visible, 0, -EXPORT_BATCH):
        batch = sessions[max(0, hi - EXPORT_BATCH) : hi]
        batch.reverse()
        for s in batch:
            part = dumps(render.session_dict(passing(s), now, participants=True))
            parts.append(part)
            size += len(part)
        if size >= EXPORT_BYTES or clock() - started >= EXPORT_SLICE:
            await response.write((b"" if first else b",") + b",".join(parts))
            parts, size, first = [], 0, False
            await asyncio.sleep(0)  # a turn for the others, even when the client keeps up
            started = clock()
    if parts:
        await response.write((b"" if first else b",") + b",".join(parts))
    await response.write(b"]}")
    await response.write_eof()
    return response


CLOCK_EXAMPLE = '{"freeze_at": 1717243200}, {"advance": 60} or {"real": true}'


async def get_clock(request: web.Request) -> web.Response:
    return json_answer(clock_state(space_of(request)))


async def set_clock(request: web.Request) -> web.Response:
    body = await json_object(request, CLOCK_EXAMPLE)
    actions = [k for k in ("freeze_at", "advance", "real") if k in body]
    unknown = [k for k in body if k not in ("freeze_at", "advance", "real")]
    if unknown:
        raise invalid(
            f"unknown field {unknown[0]!r}; send exactly one of freeze_at, advance, real, "
            f"like {CLOCK_EXAMPLE}"
        )
    if len(actions) != 1:
        raise invalid(f"give exactly one of freeze_at, advance, real; like {CLOCK_EXAMPLE}")
    space = space_of(request)
    action, value = actions[0], body[actions[0]]
    if action == "freeze_at":
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise invalid(f"freeze_at: must be unix seconds or an ISO 8601 string; got {value!r}")
        try:
            instant = parse_instant(value)
        except ValueError as exc:
            raise invalid(f"freeze_at: {exc}") from None
        await space.in_turn(lambda: space.set_clock(instant))
    elif action == "advance":
        if type(value) is not int:
            raise invalid(f"advance: must be a whole number of seconds; got {value!r}")
        seconds = value  # the clock checks the range (domain/clock.py)
        await space.in_turn(lambda: space.advance_clock(seconds))
    elif value is not True:
        raise invalid(f"real: must be true (to return to real time); got {value!r}")
    else:
        await space.in_turn(space.real_clock)
    return json_answer(clock_state(space))


FAULT_EXAMPLE = '{"status": 429, "path": "/v1/meetings", "count": 3}'


async def add_fault(request: web.Request) -> web.Response:
    fault = parse_fault(await json_object(request, FAULT_EXAMPLE))
    space_of(request).arm_fault(fault)
    return json_answer(fault.as_dict(), status=201)


async def list_faults(request: web.Request) -> web.Response:
    return json_answer({"data": [f.as_dict() for f in space_of(request).armed_faults()]})


async def clear_faults(request: web.Request) -> web.Response:
    return json_answer({"cleared": space_of(request).clear_faults()})


async def remove_fault(request: web.Request) -> web.Response:
    fault_id = request.match_info["fault"]
    space_of(request).remove_fault(fault_id)
    return json_answer({"cleared": 1})


async def list_requests(request: web.Request) -> web.Response:
    path, method = request.query.get("path") or None, request.query.get("method") or None
    limit_text = request.query.get("limit")
    limit = None
    if limit_text is not None:
        if not _LIMIT.fullmatch(limit_text):
            raise invalid(
                f"limit: must be a whole number from 0 to 999999999; got {limit_text[:40]!r}"
            )
        limit = int(limit_text)
    entries = space_of(request).requests(path, method, limit)
    return json_answer({"data": [e.as_dict() for e in entries]})


async def clear_requests(request: web.Request) -> web.Response:
    return json_answer({"cleared": space_of(request).clear_requests()})


async def list_namespaces(request: web.Request) -> web.Response:
    spaces = request.app[NAMESPACES]
    data = []
    for key in spaces.keys():  # noqa: SIM118 - a list copy, not a dict
        space = spaces.get(key)
        assert space is not None
        data.append(
            {
                "key": key,
                "sessions": len(space.world.store),
                "requests": len(space.journal),
                "faults": len(space.faults),
            }
        )
    return json_answer(
        {"enabled": spaces.per_key, "cap": spaces.cap, "evicted": spaces.evicted, "data": data}
    )


async def delete_namespace(request: web.Request) -> web.Response:
    key = request.match_info["key"]
    if not request.app[NAMESPACES].delete(key):
        raise not_found(f"no namespace for key {key!r} (GET /_fake/namespaces lists them)")
    return json_answer({"deleted": 1})


async def delete_namespaces(request: web.Request) -> web.Response:
    spaces = request.app[NAMESPACES]
    keys = spaces.keys()
    for key in keys:
        spaces.delete(key)
    return json_answer({"deleted": len(keys)})


def _openapi(config: ServerConfig) -> Handler:
    """The document is built on its first request (not at every start), then kept."""
    built: list[bytes] = []

    async def serve_document(request: web.Request) -> web.Response:
        if not built:
            built.append(orjson.dumps(openapi.document(config)))
        return web.Response(body=built[0], content_type="application/json")

    return serve_document


def _guarded(handler: Handler, config: ServerConfig) -> Handler:
    token, host = config.admin_token, config.host

    async def guarded(request: web.Request) -> web.StreamResponse:
        refuse_browser_attacks(request, host)
        if token is not None:
            sent = request.headers.get(ADMIN_TOKEN_HEADER)
            if not same_secret(sent, token):
                raise ApiError(
                    401,
                    "the control plane needs the admin token: send "
                    f"'{ADMIN_TOKEN_HEADER}: <token>' (the value of --admin-token)"
                    + (" - the one sent is wrong" if sent is not None else ""),
                    "authentication-error",
                )
        return await handler(request)

    return guarded


def add_routes(
    app: web.Application, config: ServerConfig, wrap: Callable[[Handler], Handler]
) -> None:
    """Health always (readiness probes need no token); the rest unless ``--no-admin``. Each
    handler is wrapped in ``wrap``, the app's pipeline."""
    app.router.add_get(PREFIX + "health", wrap(health))
    if not config.admin:
        return
    loads.install(app)  # loads under way are abandoned when the server stops
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "version", version),
        ("GET", "openapi.json", _openapi(config)),
        ("POST", "reset", reset),
        ("POST", "scenario", load_scenario),
        ("GET", "sessions", dump_sessions),
        ("POST", "sessions", add_sessions),
        ("GET", "clock", get_clock),
        ("POST", "clock", set_clock),
        ("GET", "faults", list_faults),
        ("POST", "faults", add_fault),
        ("DELETE", "faults", clear_faults),
        ("DELETE", "faults/{fault}", remove_fault),
        ("GET", "requests", list_requests),
        ("DELETE", "requests", clear_requests),
        ("POST", "join", live.join),
        ("POST", "leave", live.leave),
        ("GET", "namespaces", list_namespaces),
        ("DELETE", "namespaces", delete_namespaces),
        ("DELETE", "namespaces/{key}", delete_namespace),
        *control_webhooks.ROUTES,
        *failures.ROUTES,
    ]
    for method, path, handler in routes:
        app.router.add_route(method, PREFIX + path, wrap(_guarded(handler, config)))
