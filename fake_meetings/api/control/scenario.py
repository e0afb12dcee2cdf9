"""The control plane's loading of data: ``POST /_fake/scenario`` and ``POST /_fake/sessions``.

Apart from ``plane.py`` so that a server imports the scenario reader (and PyYAML) only when data
is first loaded over HTTP. A body is parsed and indexed off the event loop (in a thread that a
stopping server abandons: ``loads.py``), then swapped in at once (see ``plane.py``); a bad body
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from aiohttp import web

from ...domain.store import Store
from ...scenario.scenario import SHOWN, Scenario, ScenarioError, build
from ...scenario.validate import Problem
from ...scenario.yamldoc import Document, YamlSyntaxError, read_yaml
from ...state.namespaces import Namespace
from ..bodies import as_text, read_body, space_of
from ..errors import ApiError
from .loads import LOADS, Load

SOURCE = "<request body>"  # how scenario errors name a request body, like a file name
MAX_GENERATED_HERE = 100_000  # a generate: block over HTTP; bigger sets: --generate at start-up


def refused(exc: ScenarioError) -> ApiError:
    """A 400 whose ``info`` lists the problems as ``validate`` prints them, and whose
    ``problems`` gives each one structured (the first :data:`SHOWN`, as ``info`` shows)."""
    sent = [p.as_json() for p in exc.problems[:SHOWN]]
    return ApiError(400, str(exc), "invalid-request-error", problems=sent)


def _problem(path: tuple[str | int, ...], message: str, doc: Document | None = None) -> Problem:
    return Problem(SOURCE, doc.line_of(path) if doc is not None else None, path, message)


def _read(text: str) -> Document:
    try:
        return read_yaml(text)
    except YamlSyntaxError as exc:
        raise ScenarioError([Problem(SOURCE, exc.line, (), str(exc))]) from None


def _parse_scenario(
    text: str, wall_now: int, *, sessions_only: bool, check: Callable[[int], None]
) -> tuple[Scenario, Document]:
    """A request body in the scenario file format (YAML or JSON) -> its sessions.

    ``sessions_only``: the body is a list of sessions, or ``{"sessions": [...]}``.
    Raises ScenarioError with every problem, lines counted in the body. ``check`` is called
    as sessions are generated (it raises to abandon the work).
    """
    try:
        doc = _read(text)
        if sessions_only:
            doc = _as_sessions_document(doc)
        _check_generate_size(doc)
        scenario = build(doc, SOURCE, now=None, wall_now=wall_now, progress=check)
        return scenario, doc
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


async def load(
    request: web.Request, *, append: bool, sessions_only: bool
) -> tuple[Namespace, Store]:
    text = as_text(await read_body(request))
    space = space_of(request)

    async def work() -> tuple[Namespace, Store]:
        with request.app[LOADS].started() as job:  # abandoned if the server stops meanwhile
            return await _load(job, space, text, append=append, sessions_only=sessions_only)

    return await space.exclusive(work)


async def _load(
    job: Load, space: Namespace, text: str, *, append: bool, sessions_only: bool
) -> tuple[Namespace, Store]:
    world = space.world
    parse = partial(_parse_scenario, sessions_only=sessions_only, check=job.check)
    try:
        scenario, doc = await job.run(parse, text, world.clock.now())
        # the bounds, the ids an append would serve twice, the store: off the loop too
        prepare = partial(space.prepare_load, append=append, doc=doc)
        store = await job.run(prepare, scenario, SOURCE)
    except ScenarioError as exc:
        raise refused(exc) from None
    # one step, no await in between: a request sees the old store, rooms and clock or the
    # new (the rooms a body declares are checked against the current ones in that step)
    space.commit_load(scenario, store, append=append)
    return space, store
