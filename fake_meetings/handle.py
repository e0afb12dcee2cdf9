"""The handle a test drives a fake-meetings server with (what the pytest fixture returns).

One API, two backends:

- :class:`LocalBackend` changes an in-process server's ``World`` and ``Journal`` directly (the
  plugin's own server, :class:`~fake_meetings.testing.ServerThread`, ``AsyncServer``);
- :class:`RemoteBackend` drives an external server (a CI service container) through its control
  plane, ``/_fake/...`` over HTTP.

Scenarios given to :meth:`FakeMeetings.load` are read and validated exactly like scenario files:
a dict in the file format, a file path, the name of a bundled scenario (``"ties"``), or YAML
text (a string with a line break).
"""

from __future__ import annotations

import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from .domain.scenario import (
    ID_NAMESPACE,
    Scenario,
    ScenarioError,
    load_data,
    load_file,
    load_text,
)
from .domain.store import DuplicateSessionId, Store
from .domain.times import parse_instant
from .domain.validate import Problem
from .domain.world import World

if TYPE_CHECKING:
    from .state.namespaces import Namespace

Source = Mapping[str, Any] | str | os.PathLike[str]
Instant = int | str | datetime
Mode = Literal["replace", "append"]
DEFAULT_DURATION = 1800  # add_session() without participants nor duration: a 30-minute session
T = TypeVar("T")


class FakeMeetingsError(RuntimeError):
    """A fake-meetings server could not do what the handle asked."""


class ServerUnreachable(FakeMeetingsError):
    """No fake-meetings server answers at the configured URL."""


class ControlPlaneMissing(FakeMeetingsError):
    """The external server has no ``/_fake/`` control plane (an older fake-meetings)."""


class RemoteScenarioError(ScenarioError):
    """An external server refused a scenario; the message is the server's."""

    def __init__(self, message: str):
        ValueError.__init__(self, message)
        self.problems = []


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received (its journal), for assertions."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    status: int
    time: float
    fault: str | None = None  # the injected fault that answered, if any

    @classmethod
    def from_dict(cls, e: Mapping[str, Any]) -> RecordedRequest:
        """From a journal entry's JSON shape (``GET /_fake/requests`` and ``Entry.as_dict``)."""
        query = e.get("query") or {}
        return cls(
            method=str(e["method"]),
            path=str(e["path"]),
            query={str(k): list(v) if isinstance(v, list) else [v] for k, v in query.items()},
            headers={str(k): str(v) for k, v in (e.get("headers") or {}).items()},
            status=int(e["status"]),
            time=float(e["time"]),
            fault=e.get("fault"),
        )

    def header(self, name: str) -> str | None:
        """A request header, by case-insensitive name."""
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Present:
    """Someone who joined a room through the handle (``fake_meetings.join(...)``)."""

    participant_id: str  #: the participant_id /meetings shows for this stay
    session_id: str  #: the id of the meeting session joined (/meetings/{session_id})
    room: str
    handle: FakeMeetings = field(repr=False, compare=False)

    def leave(self) -> None:
        """Leave now: the stay ends at the server clock's instant."""
        self.handle.leave(self.participant_id)


class Backend(Protocol):
    def reset(self) -> None: ...
    def load(self, source: Source, mode: Mode, now: int | None) -> None: ...
    def add_sessions(self, sessions: list[dict[str, Any]]) -> None: ...
    def clock(self) -> tuple[int, bool]: ...
    def set_clock(self, instant: int) -> None: ...
    def advance_clock(self, seconds: int) -> None: ...
    def real_clock(self) -> None: ...
    def join(self, room: str, **who: Any) -> dict[str, Any]: ...
    def leave(self, participant_id: str) -> None: ...
    def requests(self) -> list[RecordedRequest]: ...
    def clear_requests(self) -> None: ...


class Clock:
    """The server clock as a test sees it: ``now()``, ``frozen``, ``set``, ``advance``, ``real``."""

    def __init__(self, backend: Backend):
        self._backend = backend

    def now(self) -> int:
        return self._backend.clock()[0]

    @property
    def frozen(self) -> bool:
        return self._backend.clock()[1]

    def set(self, instant: Instant) -> None:
        """Freeze the clock at ``instant`` (unix seconds, ISO 8601 text or a datetime)."""
        self._backend.set_clock(parse_instant(instant))

    def advance(self, seconds: float | timedelta) -> None:
        """Move the clock forward (a frozen clock stays frozen; a real one gets an offset)."""
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        self._backend.advance_clock(int(seconds))

    def real(self) -> None:
        """Back to real time, with no offset."""
        self._backend.real_clock()


class FakeMeetings:
    """A fake-meetings server under test: where it is, and how to set up what it serves."""

    def __init__(self, backend: Backend, url: str, api_key: str):
        self._backend = backend
        self.url = url  #: base URL of the API, ending in /v1 (like https://api.daily.co/v1)
        self.api_key = api_key  #: the key clients send: ``Authorization: Bearer <api_key>``
        self.clock = Clock(backend)
        self._added = 0

    def __repr__(self) -> str:
        return f"<FakeMeetings {self.url}>"

    @property
    def base_url(self) -> str:
        """The server root (``url`` without ``/v1``); the API is served there too."""
        return self.url.removesuffix("/v1")

    @property
    def headers(self) -> dict[str, str]:
        """``{"Authorization": "Bearer <api_key>"}``."""
        return {"Authorization": f"Bearer {self.api_key}"}

    def reset(self) -> None:
        """No sessions, real clock, empty request journal."""
        self._backend.reset()
        self._added = 0

    def load(self, source: Source, *, mode: Mode = "replace", now: Instant | None = None) -> None:
        """Serve a scenario: a dict in the file format, a file path, a bundled name (``"ties"``)
        or YAML text. ``mode="append"`` adds to the sessions served instead of replacing them.

        ``now`` (like ``serve --now``) freezes the clock and is the base of relative times,
        beating the scenario's own ``now:``; else the scenario's ``now:`` does both; else
        relative times count from the server clock, which is left as it is.
        Invalid input raises :class:`ScenarioError` (file, line and path of every problem) and
        changes nothing.
        """
        if mode not in ("replace", "append"):
            raise ValueError(f"mode={mode!r}: expected 'replace' or 'append'")
        self._backend.load(source, mode, parse_instant(now) if now is not None else None)

    def add_session(
        self,
        *,
        room: str = "room",
        start_time: Instant = "-1h",
        duration: int | None = None,
        ongoing: bool = False,
        participants: Sequence[Mapping[str, Any]] | None = None,
        id: str | None = None,
        max_participants: int | None = None,
    ) -> str:
        """Add one session (validated like a scenario's) and return its id.

        ``start_time`` may be relative to the server clock (``"-2h"``). Without
        ``participants``, one anonymous participant stays from ``start_time`` for ``duration``
        seconds (default 1800), or is still there when ``ongoing``. The id, when not given, is
        derived from the call's position since the last reset, its room and its start time.
        """
        session: dict[str, Any] = {"room": room, "start_time": start_time}
        if ongoing:
            session["ongoing"] = True
        if participants is None:
            stay: dict[str, Any] = {"join_time": start_time}
            if not ongoing:
                stay["duration"] = duration if duration is not None else DEFAULT_DURATION
            participants = [stay]
            if ongoing and duration is not None:
                session["duration"] = duration  # refused by validation, with the usual message
        elif duration is not None:
            session["duration"] = duration
        session["participants"] = [dict(p) for p in participants]
        if max_participants is not None:
            session["max_participants"] = max_participants
        self._added += 1
        session["id"] = (
            id
            if id is not None
            else str(uuid.uuid5(ID_NAMESPACE, f"add_session|{self._added}|{room}|{start_time}"))
        )
        self._backend.add_sessions([session])
        return str(session["id"])

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests the API received since the last reset, oldest first (the fake's own
        ``/_fake/`` endpoints are not recorded)."""
        return self._backend.requests()

    def clear_requests(self) -> None:
        self._backend.clear_requests()

    def join(
        self,
        room: str,
        *,
        user_name: str | None = None,
        user_id: str | None = None,
        owner: bool = False,
    ) -> Present:
        """Someone joins ``room`` now, at the server clock's instant: into the session ongoing
        there, or a new one that starts now. ``leave()`` on the answer ends the stay. A bad
        field (an empty room name, a user name that is not text) raises FakeMeetingsError."""
        ids = self._backend.join(room, user_name=user_name, user_id=user_id, owner=owner)
        return Present(ids["participant_id"], ids["session_id"], room, self)

    def leave(self, participant: str | Present) -> None:
        """A participant (or the id a join returned) leaves now; the last one to leave ends the
        session. An unknown id, or a stay that has left already, raises FakeMeetingsError."""
        pid = participant.participant_id if isinstance(participant, Present) else participant
        self._backend.leave(pid)


# ------------------------------------------------------------------------------ scenario input


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{value!r} cannot be sent as JSON")


def _is_text(source: Source) -> bool:
    return isinstance(source, str) and "\n" in source


def read_scenario(source: Source, *, now: int | None, wall_now: int) -> Scenario:
    """Parse and validate ``source`` (dict, YAML text, file path or bundled name)."""
    from .loading import resolve

    if isinstance(source, Mapping):
        return load_data(dict(source), "scenario dict", now=now, wall_now=wall_now)
    if isinstance(source, str) and _is_text(source):
        return load_text(source, "scenario text", now=now, wall_now=wall_now)
    return load_file(resolve(os.fspath(source)), now=now, wall_now=wall_now)


def _label(source: Source) -> str:
    if isinstance(source, Mapping):
        return "scenario dict"
    return "scenario text" if _is_text(source) else os.fspath(source)


# ------------------------------------------------------------------------------ local backend


class LocalBackend:
    """Acts on a namespace of a server in this process (through the state layer, like the
    control plane). ``run`` executes a change on the server's loop (``ServerThread.call``) so
    no request sees it half done."""

    def __init__(self, space: Namespace, run: OnLoop | None = None):
        self.space = space
        self._run: OnLoop = run or _direct
        # scenarios that do not depend on the wall clock, parsed and indexed once per session
        self._cache: dict[tuple[str, int, int, int | None], tuple[Scenario, Store]] = {}

    @property
    def world(self) -> World:
        return self.space.world

    def reset(self) -> None:
        self._run(lambda: self.space.reset(empty=True))

    def _read(self, source: Source, now: int | None) -> tuple[Scenario, Store | None]:
        key = None
        if not isinstance(source, Mapping) and not _is_text(source):
            from .loading import resolve

            path = resolve(os.fspath(source))
            stat = path.stat()
            key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, now)
            if key in self._cache:
                return self._cache[key]
        scenario = read_scenario(source, now=now, wall_now=self.world.clock.now())
        if key is not None and (now is not None or scenario.now is not None):
            self._cache[key] = (scenario, Store(scenario.sessions))
            return self._cache[key]
        return scenario, None

    def load(self, source: Source, mode: Mode, now: int | None) -> None:
        scenario, store = self._read(source, now)
        if mode == "append":
            store = self._merged(scenario, _label(source))
        elif store is None:
            store = Store(scenario.sessions)
        freeze = now if now is not None else scenario.now
        self._run(lambda: self.space.load(store, freeze))

    def _merged(self, scenario: Scenario, label: str) -> Store:
        try:
            return self.space.appended(scenario.sessions)
        except DuplicateSessionId as exc:
            problem = Problem(
                label,
                None,
                ("sessions",),
                f"session id {exc.session_id!r} is already served "
                "(load with mode='replace' to start over)",
            )
            raise ScenarioError([problem]) from None

    def add_sessions(self, sessions: list[dict[str, Any]]) -> None:
        scenario = load_data(
            {"sessions": sessions}, "add_session()", wall_now=self.world.clock.now()
        )
        store = self._merged(scenario, "add_session()")
        self._run(lambda: self.space.load(store, None))

    def clock(self) -> tuple[int, bool]:
        return self.world.clock.now(), self.world.clock.frozen

    def set_clock(self, instant: int) -> None:
        self._run(lambda: self.space.set_clock(instant))

    def advance_clock(self, seconds: int) -> None:
        self._run(lambda: self.space.advance_clock(seconds))

    def real_clock(self) -> None:
        self._run(self.space.real_clock)

    def join(self, room: str, **who: Any) -> dict[str, Any]:
        session, stay = self._refused("join", lambda: self.space.join(room, **who))
        return {"participant_id": stay.participant_id, "session_id": session.id}

    def leave(self, participant_id: str) -> None:
        self._refused("leave", lambda: self.space.leave(participant_id))

    def _refused(self, what: str, change: Callable[[], T]) -> T:
        """``change`` run on the loop; a refusal raises what the remote backend raises for the
        same call (FakeMeetingsError, with the server's message), not the server's ApiError."""
        from .errors import ApiError

        try:
            return self._run(change)
        except ApiError as exc:
            raise FakeMeetingsError(
                f"{what} refused ({exc.status} {exc.error}): {exc.info}"
            ) from None

    def requests(self) -> list[RecordedRequest]:
        return [RecordedRequest.from_dict(e.as_dict()) for e in self.space.journal]

    def clear_requests(self) -> None:
        self.space.journal.clear()


class OnLoop(Protocol):
    """Runs a change where the server runs (``ServerThread.call``) and returns its result."""

    def __call__(self, fn: Callable[[], T]) -> T: ...


def _direct(fn: Callable[[], T]) -> T:
    return fn()


# ------------------------------------------------------------------------------ remote backend


class RemoteBackend:
    """Drives an external fake-meetings through its control plane (``/_fake/...``).

    Every call sends ``Authorization: Bearer <api_key>`` (which selects the key's data on a
    server started with ``--namespaces``) and, when given, ``X-Fake-Admin-Token``. Proxies from
    the environment are not used.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        admin_token: str | None = None,
        timeout: float = 10,
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.admin_token = admin_token
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- transport

    def call(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        *,
        content_type: str = "application/json",
        query: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = content_type
        if self.admin_token:
            headers["X-Fake-Admin-Token"] = self.admin_token
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise self._refused(method, path, exc) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServerUnreachable(
                f"cannot reach fake-meetings at {self.base_url} ({method} {path}): {reason}"
            ) from None
        return json.loads(raw) if raw.strip() else None

    def _refused(self, method: str, path: str, exc: urllib.error.HTTPError) -> Exception:
        raw = exc.read()
        try:
            envelope = json.loads(raw)
            info = str(envelope.get("info") or envelope)
        except (ValueError, AttributeError):
            info = raw[:300].decode("utf-8", "replace")
        what = f"{method} {self.base_url}{path} answered {exc.code}"
        if exc.code == 404 and path == "/_fake/leave" and info.startswith("no participant"):
            return FakeMeetingsError(f"{what}: {info}")  # the route is there; the id is not
        if exc.code in (404, 405) and path.startswith("/_fake/"):
            return ControlPlaneMissing(
                f"the fake-meetings server at {self.base_url} has no control plane ({what}: "
                f"{info}). Using an external server needs a fake-meetings version that serves "
                "the /_fake/ control endpoints (reset, scenario, sessions, clock, requests)."
            )
        if exc.code in (401, 403):
            return FakeMeetingsError(
                f"{what}: {info}. If the server runs with --admin-token, give the same token "
                "with --fake-meetings-admin-token or FAKE_MEETINGS_ADMIN_TOKEN."
            )
        if exc.code == 400 and path in ("/_fake/scenario", "/_fake/sessions"):
            return RemoteScenarioError(info)
        return FakeMeetingsError(f"{what}: {info}")

    def wait_healthy(self, timeout: float) -> dict[str, Any]:
        """``GET /_fake/health`` until it answers or ``timeout`` seconds pass."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                health = self.call("GET", "/_fake/health", timeout=max(0.2, min(left, 5)))
            except ServerUnreachable as exc:
                if time.monotonic() + 0.2 >= deadline:
                    raise ServerUnreachable(f"{exc} (waited {timeout:g} s)") from None
                time.sleep(0.2)
                continue
            except FakeMeetingsError as exc:
                raise ServerUnreachable(
                    f"{self.base_url} does not look like fake-meetings: {exc}"
                ) from None
            if not isinstance(health, dict) or health.get("status") != "ok":
                raise ServerUnreachable(
                    f"{self.base_url}/_fake/health answered {health!r}, not fake-meetings' "
                    '{"status": "ok", ...}'
                )
            return health

    def _post_json(self, path: str, payload: Any, **kw: Any) -> Any:
        body = json.dumps(payload, default=_jsonable).encode()
        return self.call("POST", path, body, **kw)

    # -- Backend

    def reset(self) -> None:
        self.call("POST", "/_fake/reset", query={"empty": "true"})

    def load(self, source: Source, mode: Mode, now: int | None) -> None:
        query = {"mode": mode}
        if now is not None:
            # resolved here, so `now` beats the scenario's own `now:` exactly as in-process
            from .domain.dump import dump_scenario

            scenario = read_scenario(source, now=now, wall_now=now)
            text = io.StringIO()
            dump_scenario(scenario.sessions, text, now=now)
            body, content_type = text.getvalue().encode(), "application/yaml"
        elif isinstance(source, Mapping):
            body = json.dumps(dict(source), default=_jsonable).encode()
            content_type = "application/json"
        elif isinstance(source, str) and _is_text(source):
            body, content_type = source.encode(), "application/yaml"
        else:
            from .loading import resolve

            body = Path(resolve(os.fspath(source))).read_bytes()
            content_type = "application/yaml"
        try:
            self.call("POST", "/_fake/scenario", body, content_type=content_type, query=query)
        except RemoteScenarioError:
            # the server names its request body; the same check here names the user's file
            self._explain(lambda wall: read_scenario(source, now=now, wall_now=wall))
            raise

    def add_sessions(self, sessions: list[dict[str, Any]]) -> None:
        try:
            self._post_json("/_fake/sessions", sessions)
        except RemoteScenarioError:
            self._explain(
                lambda wall: load_data({"sessions": sessions}, "add_session()", wall_now=wall)
            )
            raise

    @staticmethod
    def _explain(check: Callable[[int], object]) -> None:
        """Raise the local validator's error (with file names and lines) if it finds one;
        return when it finds none (then the server's own message is the one to show)."""
        import time

        try:
            check(int(time.time()))
        except ScenarioError as exc:
            raise ScenarioError(exc.problems) from None

    def clock(self) -> tuple[int, bool]:
        answer = self.call("GET", "/_fake/clock")
        return int(answer["now"]), bool(answer["frozen"])

    def set_clock(self, instant: int) -> None:
        self._post_json("/_fake/clock", {"freeze_at": instant})

    def advance_clock(self, seconds: int) -> None:
        self._post_json("/_fake/clock", {"advance": seconds})

    def real_clock(self) -> None:
        self._post_json("/_fake/clock", {"real": True})

    def join(self, room: str, **who: Any) -> dict[str, Any]:
        answer = self._post_json("/_fake/join", {"room": room, **who})
        return {"participant_id": answer["participant_id"], "session_id": answer["session_id"]}

    def leave(self, participant_id: str) -> None:
        self._post_json("/_fake/leave", {"participant_id": participant_id})

    def requests(self) -> list[RecordedRequest]:
        answer = self.call("GET", "/_fake/requests")
        return [RecordedRequest.from_dict(e) for e in answer["data"]]

    def clear_requests(self) -> None:
        self.call("DELETE", "/_fake/requests")
