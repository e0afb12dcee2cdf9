"""Helpers of the control-plane tests (tests/api/control/test_admin_*.py and the Daily routes
that are written to): a real client that can send bodies (``requests``, or ``aiohttp`` on a private
loop), envelope assertions, and small scenario builders whose expected answers are computed
here, not by the package. Its fixtures (``http_client``, ``plain``) are in ``fixtures.py``."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers.clients import AiohttpClient, RequestsClient, Resp, SyncClient
from tests.helpers.scenarios import PartSpec, Scenario, SessionSpec

VERSION_HEADER = "x-fake-meetings-version"  # Resp lower-cases header names
SCENARIO_FIELDS = {"sessions", "now", "frozen"}
Body = bytes | str | dict[str, Any] | list[Any] | None


def encode(body: Body) -> bytes | None:
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


class Http:
    """One real HTTP client against ``base`` (http://127.0.0.1:PORT): ``clients.py``'s
    ``requests`` or ``aiohttp`` client (``kind``), with a base URL and bodies."""

    def __init__(self, kind: str, base: str = ""):
        self.kind = kind
        self.base = base
        self._client: SyncClient = RequestsClient() if kind == "requests" else AiohttpClient()

    def at(self, base: str) -> Http:
        self.base = base
        return self

    def call(
        self,
        method: str,
        path: str,
        body: Body = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | list[tuple[str, str]] | None = None,
    ) -> Resp:
        return self._client.request(method, self.base + path, params, headers, encode(body))

    def get(self, path: str, **kw: Any) -> Resp:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Body = None, **kw: Any) -> Resp:
        return self.call("POST", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Resp:
        return self.call("DELETE", path, **kw)

    def api(self, path: str, key: str = "test-key", **params: Any) -> Resp:
        """A Daily API GET with a Bearer key."""
        return self.call("GET", path, headers={"Authorization": f"Bearer {key}"}, params=params)

    def close(self) -> None:
        self._client.close()


def ok(r: Resp, status: int = 200) -> Any:
    """The JSON body of a successful control-plane answer (checked: status, JSON, version)."""
    assert r.status == status, (r.status, r.body[:500])
    assert r.content_type == "application/json", r.headers
    assert r.headers.get(VERSION_HEADER), r.headers
    return r.json()


def error(r: Resp, status: int, name: str, *words: str) -> str:
    """Assert Daily's envelope with this status and error; returns ``info``."""
    assert r.status == status, (r.status, r.body[:500])
    assert r.content_type == "application/json", r.headers
    assert r.headers.get(VERSION_HEADER), r.headers
    body = r.json()
    assert set(body) - {"problems"} == {"error", "info"}, body
    assert body["error"] == name, body
    info = body["info"]
    assert isinstance(info, str) and info.strip()
    for problem in body.get("problems", []):  # a scenario refusal's, each one in info too
        assert set(problem) == {"file", "line", "path", "message"}, body
        assert problem["message"] in info, (problem, info)
    for word in words:
        assert word in info, (word, info)
    return str(info)


def session(
    sid: str, room: str, start: int, *, duration: int = 600, ongoing: bool = False
) -> SessionSpec:
    """A one-participant session (still present when ``ongoing``)."""
    part = PartSpec(f"{sid}-p", start, None if ongoing else duration)
    return SessionSpec(sid, room, start, [part], ongoing=ongoing)


def rooms_scenario(room: str, count: int, start: int, now: int) -> Scenario:
    """``count`` ended sessions of one room, ids ``{room}-000`` ... one minute apart."""
    sessions = [session(f"{room}-{i:03d}", room, start + 60 * i) for i in range(count)]
    return Scenario(sessions, now=now)


def as_yaml_sessions(specs: list[SessionSpec]) -> str:
    """The sessions as block YAML (so that errors have distinct line numbers)."""
    lines = ["sessions:"]
    for s in specs:
        lines += [f"  - id: {s.id}", f"    room: {s.room}", f"    start_time: {s.start_time}"]
        if s.ongoing:
            lines.append("    ongoing: true")
        lines.append("    participants:")
        for p in s.participants:
            lines += [
                f"      - participant_id: {p.participant_id}",
                f"        join_time: {p.join_time}",
            ]
            if p.duration is not None:
                lines.append(f"        duration: {p.duration}")
    return "\n".join(lines) + "\n"


def state(c: Http, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything the control plane shows of a namespace, to compare before and after."""
    return {
        "sessions": ok(c.get("/_fake/sessions", headers=headers)),
        "clock": ok(c.get("/_fake/clock", headers=headers)),
        "faults": ok(c.get("/_fake/faults", headers=headers)),
    }
