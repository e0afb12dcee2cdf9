"""The client of a fake-meetings server's control plane (``/_fake/...``) over HTTP, and the
errors the test handle raises (whichever backend it runs on)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ..scenario.scenario import ScenarioError
from ..scenario.validate import Problem


class FakeMeetingsError(RuntimeError):
    """A fake-meetings server could not do what the handle asked."""


class ServerUnreachable(FakeMeetingsError):
    """No fake-meetings server answers at the configured URL."""


class ControlPlaneMissing(FakeMeetingsError):
    """The external server has no ``/_fake/`` control plane (an older fake-meetings)."""


class RemoteScenarioError(ScenarioError):
    """An external server refused a scenario; the message is the server's, and ``sent`` holds
    its problems as it sent them (``file``, ``line``, ``path``, ``message`` each)."""

    def __init__(self, message: str, sent: list[object] | None = None):
        ValueError.__init__(self, message)
        self.problems = []
        self.sent = sent or []

    def named(self, source: str, *, lines: bool) -> ScenarioError:
        """The server's problems as the handle's own, ``source`` named as their file (``lines``:
        the body sent was the source's bytes, so the server counted the source's lines); this
        error itself when the server sent none it could read."""
        problems = [p for v in self.sent if (p := Problem.from_json(v, source)) is not None]
        if not problems:
            return self
        return ScenarioError([p if lines else replace(p, line=None) for p in problems])


def _unknown_id(path: str, info: str) -> bool:
    """A 404 of a control-plane route that is there, for an id it does not know (a route
    missing answers "no route ...")."""
    if path == "/_fake/leave":
        return info.startswith("no participant")
    return path.endswith("/fail") and info.endswith(" not found")


WEBHOOK_PROBE = 10.0  # seconds a webhook create/update may add: the server probes the URL


def to_json(value: Any) -> bytes:
    """A request body: ``value`` as JSON, dates and datetimes as ISO 8601 text."""
    return json.dumps(value, default=_jsonable).encode()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{value!r} cannot be sent as JSON")


class ControlPlane:
    """Calls the control plane of the fake-meetings server at ``base_url``.

    Every call sends ``Authorization: Bearer <api_key>`` (which selects the key's data on a
    server started with ``--namespaces``) and, when given, ``X-Fake-Admin-Token``. Proxies from
    the environment are not used. A refusal raises :class:`FakeMeetingsError` (or a subclass)
    with the server's message.
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
        sent: list[object] = []
        try:
            envelope = json.loads(raw)
            info = str(envelope.get("info") or envelope)
            if isinstance(envelope.get("problems"), list):
                sent = envelope["problems"]
        except (ValueError, AttributeError):
            info = raw[:300].decode("utf-8", "replace")
        what = f"{method} {self.base_url}{path} answered {exc.code}"
        if exc.code == 404 and _unknown_id(path, info):
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
            return RemoteScenarioError(info, sent)
        return FakeMeetingsError(f"{what}: {info}")

    def _post_json(self, path: str, payload: Any) -> Any:
        return self.call("POST", path, to_json(payload))

    # -- the control plane's calls

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

    def reset(self) -> None:
        """``POST /_fake/reset?empty=true``: no sessions, real clock, empty journal."""
        self.call("POST", "/_fake/reset", query={"empty": "true"})

    def post_scenario(self, body: bytes, content_type: str, mode: str) -> None:
        """``POST /_fake/scenario``: a scenario file's bytes (YAML or JSON); a refusal raises
        :class:`RemoteScenarioError`."""
        self.call("POST", "/_fake/scenario", body, content_type=content_type, query={"mode": mode})

    def post_sessions(self, sessions: list[dict[str, Any]]) -> None:
        """``POST /_fake/sessions``: sessions added to those served."""
        self._post_json("/_fake/sessions", sessions)

    def clock(self) -> tuple[int, bool]:
        answer = self.call("GET", "/_fake/clock")
        return int(answer["now"]), bool(answer["frozen"])

    def set_clock(self, instant: int) -> None:
        self._post_json("/_fake/clock", {"freeze_at": instant})

    def advance_clock(self, seconds: int) -> None:
        self._post_json("/_fake/clock", {"advance": seconds})

    def real_clock(self) -> None:
        self._post_json("/_fake/clock", {"real": True})

    def join(self, room: str | None, **who: Any) -> dict[str, Any]:
        answer = self._post_json("/_fake/join", {"room": room, **who})
        keys = ("participant_id", "session_id", "room")
        return {k: answer[k] for k in keys if k in answer}

    def token(self, properties: dict[str, Any]) -> str:
        """``POST /v1/meeting-tokens`` (a Daily route, with this client's API key)."""
        answer = self._post_json("/v1/meeting-tokens", {"properties": properties})
        return str(answer["token"])

    def room(self, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /v1/rooms`` (a Daily route, with this client's API key): the room."""
        return dict(self._post_json("/v1/rooms", body))

    def leave(self, participant_id: str) -> None:
        self._post_json("/_fake/leave", {"participant_id": participant_id})

    def start_recording(self, room: str, body: dict[str, Any]) -> str:
        """``POST /v1/rooms/:name/recordings/start``: the new recording's id."""
        path = f"/v1/rooms/{urllib.parse.quote(room, safe='')}/recordings/start"
        return str(self._post_json(path, body)["recordingId"])

    def stop_recording(self, room: str, body: dict[str, Any]) -> None:
        """``POST /v1/rooms/:name/recordings/stop``."""
        self._post_json(f"/v1/rooms/{urllib.parse.quote(room, safe='')}/recordings/stop", body)

    def recordings(self, room: str | None) -> list[dict[str, Any]]:
        """Every page of ``GET /v1/recordings`` (of ``room`` when given), newest first."""
        found: list[dict[str, Any]] = []
        query = {"limit": "100"} | ({"room_name": room} if room is not None else {})
        while True:
            page = self.call("GET", "/v1/recordings", query=query)["data"]
            found += page
            if len(page) < 100:
                return found
            query["starting_after"] = page[-1]["id"]

    def start_transcription(self, room: str, body: dict[str, Any]) -> None:
        """``POST /v1/rooms/:name/transcription/start``."""
        path = f"/v1/rooms/{urllib.parse.quote(room, safe='')}/transcription/start"
        self._post_json(path, body)

    def stop_transcription(self, room: str, body: dict[str, Any]) -> None:
        """``POST /v1/rooms/:name/transcription/stop``."""
        self._post_json(f"/v1/rooms/{urllib.parse.quote(room, safe='')}/transcription/stop", body)

    def fail_recording(self, rec_id: str, error: str | None) -> None:
        """``POST /_fake/recordings/:id/fail`` (``error``: the text, else the server's)."""
        self._fail("recordings", rec_id, error)

    def fail_transcript(self, tr_id: str, error: str | None) -> None:
        """``POST /_fake/transcripts/:id/fail`` (``error``: the text, else the server's)."""
        self._fail("transcripts", tr_id, error)

    def _fail(self, kind: str, item: str, error: str | None) -> None:
        body = {} if error is None else {"error": error}
        self._post_json(f"/_fake/{kind}/{urllib.parse.quote(item, safe='')}/fail", body)

    def transcripts(self, room: str | None) -> list[dict[str, Any]]:
        """Every page of ``GET /v1/transcript`` (of ``room``'s id when given), newest first."""
        found: list[dict[str, Any]] = []
        query = {"limit": "100"}
        if room is not None:
            answer = self.call("GET", f"/v1/rooms/{urllib.parse.quote(room, safe='')}")
            query["roomId"] = str(answer["id"])
        while True:
            page = self.call("GET", "/v1/transcript", query=query)["data"]
            found += page
            if len(page) < 100:
                return found
            query["starting_after"] = page[-1]["transcriptId"]

    def webhook_call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """A Daily ``/webhooks`` route (with this client's API key); ``path`` after /v1."""
        data = to_json(body) if body is not None else None
        return self.call(method, "/v1" + path, data, timeout=self.timeout + WEBHOOK_PROBE)

    def webhook_log(self, limit: int) -> dict[str, Any]:
        """``GET /_fake/webhooks``: the webhook's deliveries and counts."""
        return dict(self.call("GET", "/_fake/webhooks", query={"limit": str(limit)}))

    def clear_webhook_log(self) -> None:
        self.call("DELETE", "/_fake/webhooks")

    def settle(self, timeout: float) -> bool:
        """``POST /_fake/webhooks/settle``: wait until no delivery waits (at most ``timeout``)."""
        body = to_json({"timeout": timeout})
        answer = self.call("POST", "/_fake/webhooks/settle", body, timeout=self.timeout + timeout)
        return bool(answer["settled"])

    def journal(self) -> list[dict[str, Any]]:
        """``GET /_fake/requests``: the journal's entries, as JSON objects."""
        answer = self.call("GET", "/_fake/requests")
        return list(answer["data"])

    def clear_requests(self) -> None:
        self.call("DELETE", "/_fake/requests")
