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
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import orjson
from aiohttp import web

from .. import __version__
from ..config import ServerConfig
from ..domain.model import Session
from ..domain.scenario import Scenario, ScenarioError, build
from ..domain.store import Store
from ..domain.times import MAX_TIMESTAMP, parse_instant
from ..domain.validate import Problem
from ..domain.yamldoc import Document, YamlSyntaxError, read_yaml
from ..state.namespaces import Namespace
from . import control_webhooks, live, openapi, render
from .bodies import as_text, clock_state, json_answer, json_object, read_body, space_of
from .browser import refuse_browser_attacks
from .credentials import same_secret
from .errors import ApiError, invalid, not_found
from .faults import parse_fault
from .state import NAMESPACES, existing_namespace

PREFIX = "/_fake/"
ADMIN_TOKEN_HEADER = "X-Fake-Admin-Token"
SOURCE = "<request body>"  # how scenario errors name a request body, like a file name
_LIMIT = re.compile("[0-9]{1,9}")  # ?limit= of GET /_fake/requests (ASCII digits only)
MAX_GENERATED_HERE = 100_000  # a generate: block over HTTP; bigger sets: --generate at start-up
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
T = TypeVar("T")


async def _off_loop(fn: Callable[..., T], *args: Any) -> T:
    """Run CPU-bound work (parsing, indexing) in a thread so API requests keep flowing."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args))


def _problem(path: tuple[str | int, ...], message: str, doc: Document | None = None) -> Problem:
    return Problem(SOURCE, doc.line_of(path) if doc is not None else None, path, message)


def _read(text: str) -> Document:
    try:
        return read_yaml(text)
    except YamlSyntaxError as exc:
        raise ScenarioError([Problem(SOURCE, exc.line, (), str(exc))]) from None


def _parse_scenario(text: str, wall_now: int, *, sessions_only: bool) -> tuple[Scenario, Document]:
    """A request body in the scenario file format (YAML or JSON) -> its sessions.

    ``sessions_only``: the body is a list of sessions, or ``{"sessions": [...]}``.
    Raises ScenarioError with every problem, lines counted in the body.
    """
    try:
        doc = _read(text)
        if sessions_only:
            doc = _as_sessions_document(doc)
        _check_generate_size(doc)
        return build(doc, SOURCE, now=None, wall_now=wall_now), doc
    except RecursionError:
        raise ScenarioError(
            [_problem((), "nested too deeply; a scenario needs only a few levels")]
        ) from None


def _as_sessions_document(doc: Document) -> Document:
    if isinstance(doc.data, list):
        lines = {("sessions", *path): line for path, line in doc.lines.items()}
        lines[()] = doc.lines.get((), 1)
        return Document({"sessions": doc.data}, lines)
    if isinstance(doc.data, dict):
        extra = [key for key in doc.data if key != "sessions"]
        if extra:
            raise ScenarioError(
                [
                    _problem(
                        (extra[0],),
                        f"unknown key {extra[0]!r}; send a list of sessions or "
                        "{sessions: [...]} (POST /_fake/scenario takes now: and generate:)",
                        doc,
                    )
                ]
            )
        if "sessions" in doc.data:
            return doc
    raise ScenarioError(
        [_problem((), "expected a list of sessions, or a mapping {sessions: [...]}", doc)]
    )


def _check_generate_size(doc: Document) -> None:
    block = doc.data.get("generate") if isinstance(doc.data, dict) else None
    count = block.get("sessions") if isinstance(block, dict) else None
    if type(count) is int and count > MAX_GENERATED_HERE:
        raise ScenarioError(
            [
                _problem(
                    ("generate", "sessions"),
                    f"at most {MAX_GENERATED_HERE:,} sessions can be generated through the "
                    "control plane; serve more with --generate at start-up",
                    doc,
                )
            ]
        )


def _clashes(new: Sequence[Session], store: Store, doc: Document) -> list[Problem]:
    """Sessions of a body that would append an id the namespace already serves."""
    written = doc.data.get("sessions") if isinstance(doc.data, dict) else None
    count = len(written) if isinstance(written, list) else 0
    problems = []
    for i, session in enumerate(new):
        if store.get(session.id) is not None:
            path: tuple[str | int, ...] = ("sessions", i, "id") if i < count else ("generate",)
            problems.append(
                _problem(
                    path,
                    f"session id {session.id!r} is already served; give another id "
                    "(sessions without an id get one derived from their content), or "
                    "load with mode=replace",
                    doc,
                )
            )
    return problems


async def _load(
    request: web.Request, *, append: bool, sessions_only: bool
) -> tuple[Namespace, Store]:
    text = as_text(await read_body(request))
    space = space_of(request)
    async with space.lock:
        world = space.world
        try:
            scenario, doc = await _off_loop(
                partial(_parse_scenario, sessions_only=sessions_only), text, world.clock.now()
            )
        except ScenarioError as exc:
            raise invalid(str(exc)) from None
        if append:
            problems = _clashes(scenario.sessions, world.store, doc)
            if problems:
                raise invalid(str(ScenarioError(problems)))
            store = await _off_loop(space.appended, scenario.sessions)
        else:
            store = await _off_loop(Store, scenario.sessions)
        # one step, no await in between: a request sees the old store, rooms and clock or the
        # new (the rooms a body declares are checked against the current ones in that step)
        space.load(
            store, scenario.now, scenario.rooms, append=append, webhook=scenario.webhook
        )
    return space, store


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
    async with space.lock:
        space.reset(empty=empty == "true")
        return json_answer({"sessions": len(space.world.store), **clock_state(space)})


async def load_scenario(request: web.Request) -> web.Response:
    mode = request.query.get("mode", "replace")
    if mode not in ("replace", "append"):
        raise invalid(f"mode: must be replace or append; got {mode!r}")
    space, store = await _load(request, append=mode == "append", sessions_only=False)
    return json_answer({"sessions": len(store), **clock_state(space)})


async def add_sessions(request: web.Request) -> web.Response:
    _, store = await _load(request, append=True, sessions_only=True)
    return json_answer({"sessions": len(store)}, status=201)


async def dump_sessions(request: web.Request) -> web.Response:
    world = space_of(request).world
    store, now = world.store, world.clock.now()
    visible = store.sessions[: store.visible_count(now)]  # as the API shows them at now
    body = render.meetings_page(len(visible), reversed(visible), now, participants=True)
    return web.Response(body=body, content_type="application/json")


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
    async with space.lock:
        action, value = actions[0], body[actions[0]]
        if action == "freeze_at":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise invalid(
                    f"freeze_at: must be unix seconds or an ISO 8601 string; got {value!r}"
                )
            try:
                instant = parse_instant(value)
            except ValueError as exc:
                raise invalid(f"freeze_at: {exc}") from None
            space.set_clock(instant)
        elif action == "advance":
            if type(value) is not int:
                raise invalid(f"advance: must be a whole number of seconds; got {value!r}")
            target = space.world.clock.now() + value
            if not 0 <= target < MAX_TIMESTAMP:
                raise invalid(
                    f"advance: {value} would move the clock to {target}, out of range "
                    "(unix seconds from 0 to 2**53)"
                )
            space.advance_clock(value)
        elif value is not True:
            raise invalid(f"real: must be true (to return to real time); got {value!r}")
        else:
            space.real_clock()
        return json_answer(clock_state(space))


FAULT_EXAMPLE = '{"status": 429, "path": "/v1/meetings", "count": 3}'


async def add_fault(request: web.Request) -> web.Response:
    fault = parse_fault(await json_object(request, FAULT_EXAMPLE))
    space_of(request).faults.add(fault)
    return json_answer(fault.as_dict(), status=201)


async def list_faults(request: web.Request) -> web.Response:
    return json_answer({"data": [f.as_dict() for f in space_of(request).faults.list()]})


async def clear_faults(request: web.Request) -> web.Response:
    return json_answer({"cleared": space_of(request).faults.clear()})


async def remove_fault(request: web.Request) -> web.Response:
    fault_id = request.match_info["fault"]
    if not space_of(request).faults.remove(fault_id):
        raise not_found(f"no fault with id {fault_id!r} (GET /_fake/faults lists them)")
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
    entries = space_of(request).journal.select(path, method, limit)
    return json_answer({"data": [e.as_dict() for e in entries]})


async def clear_requests(request: web.Request) -> web.Response:
    return json_answer({"cleared": space_of(request).journal.clear()})


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
    body = orjson.dumps(openapi.document(config))

    async def serve_document(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

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


def add_routes(app: web.Application, config: ServerConfig) -> None:
    """Health always (readiness probes need no token); the rest unless ``--no-admin``."""
    app.router.add_get(PREFIX + "health", health)
    if not config.admin:
        return
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
    ]
    for method, path, handler in routes:
        app.router.add_route(method, PREFIX + path, _guarded(handler, config))
