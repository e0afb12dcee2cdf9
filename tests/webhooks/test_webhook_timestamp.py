"""``X-Webhook-Timestamp`` and a server clock frozen in the past (contract part two §9a; issue
27 item 4). A receiver that refuses signatures older than 300 s took none from a fake frozen
at 2024-06-01: the header was the fake clock. Now it is the wall-clock time of sending by
default (and so is the signed string), while ``event_ts`` and the payload's times stay on the
fake clock; ``--webhook-timestamp clock`` (FAKE_MEETINGS_WEBHOOK_TIMESTAMP, a scenario's
``webhook:`` block, the in-process handle) puts the server clock in the header instead.

The receivers here are real HTTP servers on 127.0.0.1 that check the signature and the age
the way such receivers do (standard library only), against their own clock: the wall clock,
or one frozen to the fake's."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from fake_meetings.cli import build_parser
from fake_meetings.cli.options import UsageError
from fake_meetings.cli.webhook_options import webhook_settings
from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.handle import FakeMeetingsError
from fake_meetings.scenario.scenario import ScenarioError, load_text
from fake_meetings.testing import ServerThread
from fake_meetings.webhooks.settings import Settings, Timing
from tests.helpers.constants import AUTH, NOW, TIMEOUT
from tests.helpers.processes import start_serve

KEY = base64.b64encode(b"the receiver's own secret").decode()
MAX_AGE = 300  # seconds: what such receivers accept
MEETING = "33333333-3333-4333-8333-333333333333"
SESSION = {  # one meeting, 100 s to 400 s after NOW
    "id": MEETING,
    "room": "stamped",
    "start_time": NOW + 100,
    "participants": [{"participant_id": "p-stamped", "join_time": NOW + 100, "duration": 300}],
}


@dataclass(frozen=True)
class Got:
    stamp: str
    body: bytes
    answered: int


class StrictReceiver:
    """Answers 200 only to a request whose signature verifies and whose
    ``X-Webhook-Timestamp`` is within ``MAX_AGE`` of its own clock (``now()``); 401 else."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self.got: list[Got] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stamp = self.headers.get("X-Webhook-Timestamp") or ""
                sent = self.headers.get("X-Webhook-Signature") or ""
                status = 200 if receiver.accepts(stamp, sent, body) else 401
                receiver.got.append(Got(stamp, body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def accepts(self, stamp: str, signature: str, body: bytes) -> bool:
        message = stamp.encode() + b"." + body
        digest = hmac.new(base64.b64decode(KEY), message, hashlib.sha256).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode(), signature):
            return False
        return stamp.isdigit() and abs(self.now() - int(stamp)) <= MAX_AGE

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/daily"

    def events(self) -> list[tuple[dict[str, Any], Got]]:
        return [(json.loads(g.body), g) for g in self.got if g.body != b'{"test":"test"}']

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def wall_receiver() -> Iterator[StrictReceiver]:
    receiver = StrictReceiver(time.time)
    yield receiver
    receiver.close()


@pytest.fixture
def frozen_receiver() -> Iterator[StrictReceiver]:
    """A receiver whose clock is frozen to the fake's (NOW and the first minutes after it)."""
    receiver = StrictReceiver(lambda: NOW + 200)
    yield receiver
    receiver.close()


def _server(**webhooks: Any) -> ServerThread:
    settings = Settings(timing=Timing(timeout=2.0), **webhooks)
    return ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0, webhooks=settings))


def test_by_default_a_receiver_checking_the_age_takes_events_of_a_fake_frozen_in_the_past(
    wall_receiver: StrictReceiver,
) -> None:
    with _server() as server:
        handle = server.handle()
        handle.load({"now": NOW, "sessions": [SESSION]})
        before = int(time.time())
        handle.webhooks.point_at(wall_receiver.url, hmac=KEY)  # its probe is checked too
        handle.clock.advance(500)
        after = int(time.time())
        assert [d["state"] for d in handle.webhooks.deliveries()] == ["delivered"] * 4
        events = wall_receiver.events()
        assert [e["event_ts"] for e, _ in events] == [NOW + 100, NOW + 100, NOW + 400, NOW + 400]
        assert events[-1][0]["payload"]["end_ts"] == NOW + 400  # payload times: the fake's
        for got in wall_receiver.got:  # the probe and the four events
            assert got.answered == 200 and before <= int(got.stamp) <= after + 1
        assert handle.webhooks.timestamp == "wall"


def test_clock_mode_from_the_in_process_handle_suits_a_receiver_frozen_to_the_fake(
    frozen_receiver: StrictReceiver,
) -> None:
    with _server() as server:
        handle = server.handle()
        handle.load({"now": NOW, "sessions": [SESSION]})
        handle.webhooks.timestamp = "clock"
        assert handle.webhooks.timestamp == "clock"
        handle.webhooks.point_at(frozen_receiver.url, hmac=KEY)
        handle.clock.advance(150)  # the start and the join, sent at NOW + 150
        assert [g.stamp for g in frozen_receiver.got] == [str(NOW)] + [str(NOW + 150)] * 2
        assert all(g.answered == 200 for g in frozen_receiver.got)
        assert [e["event_ts"] for e, _ in frozen_receiver.events()] == [NOW + 100] * 2
        with pytest.raises(FakeMeetingsError, match="timestamp: must be wall"):
            handle.webhooks.timestamp = "now"
        handle.reset()  # back to the server's mode
        assert handle.webhooks.timestamp == "wall"


def test_clock_mode_from_a_scenario_webhook_block_over_the_control_plane(
    frozen_receiver: StrictReceiver,
) -> None:
    scenario = (
        f"now: {NOW}\n"
        "sessions:\n"
        f"  - {json.dumps(SESSION)}\n"
        "webhook:\n"
        f"  url: {frozen_receiver.url}\n"
        f"  hmac: {KEY}\n"
        "  timestamp: clock\n"
    )
    with _server() as server:
        root = server.url.removesuffix("/v1")
        r = requests.post(
            root + "/_fake/scenario",
            data=scenario.encode(),
            headers={"Content-Type": "application/yaml"},
            timeout=TIMEOUT,
        )
        assert r.status_code == 200, r.text
        r = requests.post(root + "/_fake/clock", json={"advance": 500}, timeout=TIMEOUT)
        assert r.status_code == 200, r.text
        assert server.handle().webhooks.settle(5)
        assert [g.stamp for g in frozen_receiver.got] == [str(NOW + 500)] * 4
        assert all(g.answered == 200 for g in frozen_receiver.got)
        summary = requests.get(root + "/_fake/webhooks", timeout=TIMEOUT).json()
        assert summary["timestamp"] == "clock"


def test_a_scenario_s_timestamp_is_checked_with_its_line() -> None:
    text = f"now: {NOW}\nsessions: []\nwebhook:\n  url: http://127.0.0.1:9/x\n  timestamp: now\n"
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "hooks.yaml")
    assert "hooks.yaml:5" in str(caught.value) and "webhook.timestamp" in str(caught.value)
    assert "wall" in str(caught.value) and "clock" in str(caught.value)


def test_the_server_option_stamps_webhooks_created_through_daily_s_api(
    frozen_receiver: StrictReceiver,
) -> None:
    with _server(timestamp="clock") as server:
        r = requests.post(
            server.url + "/webhooks",
            json={"url": frozen_receiver.url, "hmac": KEY},
            headers=AUTH,
            timeout=TIMEOUT,
        )
        assert r.status_code == 200, r.text  # the probe was stamped NOW: accepted
        server.handle().join("live")  # at NOW: meeting.started, participant.joined
        assert [g.stamp for g in frozen_receiver.got] == [str(NOW)] * 3
        assert all(g.answered == 200 for g in frozen_receiver.got)


def _settings(*argv: str) -> Settings:
    return webhook_settings(build_parser().parse_args(["serve", *argv]))


def test_flag_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAKE_MEETINGS_WEBHOOK_TIMESTAMP", raising=False)
    assert _settings().timestamp is None  # the desk's default: wall
    assert _settings("--webhook-timestamp", "clock").timestamp == "clock"
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_TIMESTAMP", "clock")
    assert _settings().timestamp == "clock"
    assert _settings("--webhook-timestamp", "wall").timestamp == "wall"  # a flag wins
    monkeypatch.setenv("FAKE_MEETINGS_WEBHOOK_TIMESTAMP", "frozen")
    with pytest.raises(UsageError, match="FAKE_MEETINGS_WEBHOOK_TIMESTAMP 'frozen'"):
        _settings()
    with pytest.raises(SystemExit):
        _settings("--webhook-timestamp", "frozen")


def test_serve_reads_the_environment_variable(
    frozen_receiver: StrictReceiver, tmp_path: Any
) -> None:
    proc, lines = start_serve(
        ["--port", "0", "--now", str(NOW), "--webhook-url", frozen_receiver.url],
        tmp_path,
        {"FAKE_MEETINGS_WEBHOOK_TIMESTAMP": "clock", "FAKE_MEETINGS_WEBHOOK_HMAC": KEY},
    )
    try:
        url = next(w for line in lines for w in line.split() if w.startswith("http://"))
        root = url.rstrip("/").removesuffix("/v1")
        r = requests.post(root + "/_fake/join", json={"room": "env"}, timeout=TIMEOUT)
        assert r.status_code == 201, r.text
        deadline = time.monotonic() + 10
        while len(frozen_receiver.got) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [g.stamp for g in frozen_receiver.got] == [str(NOW)] * 2
    finally:
        proc.terminate()
        proc.wait(10)
