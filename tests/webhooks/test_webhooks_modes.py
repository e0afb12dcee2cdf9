"""Webhooks in every way the fake runs: per namespace (``--namespaces``, with a start-up
webhook in each), with the clock in real time (events sent as wall time passes them), through
an external server's control plane (the handle's remote backend), and from the command line
(``serve --webhook-*``). Real receivers on 127.0.0.1; expected values written here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from fake_meetings.testing.handle import FakeMeetings
from fake_meetings.testing.remote import RemoteBackend
from fake_meetings.webhooks.settings import Settings, Timing
from tests.helpers.constants import NOW, TIMEOUT
from tests.helpers.processes import start_serve
from tests.helpers.receiver import Receiver

KEY = base64.b64encode(b"shared secret").decode()
FAST = Timing(timeout=1.0, retry_delays=(0.05,) * 4)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def signed_with(key: str, r: object) -> bool:
    stamp = r.header("X-Webhook-Timestamp")  # type: ignore[attr-defined]
    body: bytes = r.body  # type: ignore[attr-defined]
    mac = hmac.new(base64.b64decode(key), f"{stamp}.".encode() + body, hashlib.sha256).digest()
    return base64.b64encode(mac).decode() == r.header("X-Webhook-Signature")  # type: ignore[attr-defined]


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_each_namespace_has_its_own_webhook(receiver: Receiver) -> None:
    startup = {"url": receiver.url, "hmac": KEY, "eventTypes": ["participant.joined"]}
    config = ServerConfig(port=0, namespaces=True, webhooks=Settings(FAST, 0, startup))
    with ServerThread(World(clock=Clock(NOW)), config) as s, requests.Session() as http:
        base = s.base_url
        hooks = {
            k: http.get(s.url + "/webhooks", headers=bearer(k), timeout=TIMEOUT).json()
            for k in ("a", "b")
        }
        assert [h["url"] for h in hooks["a"]] == [receiver.url] == [h["url"] for h in hooks["b"]]
        for key, room in (("a", "room-a"), ("b", "room-b")):
            r = http.post(
                base + "/_fake/join", json={"room": room}, headers=bearer(key), timeout=TIMEOUT
            )
            assert r.status_code == 201
        assert wait_until(lambda: len(receiver.events()) == 2, 5)
        rooms = sorted(json.loads(r.body)["payload"]["room"] for r in receiver.events())
        assert rooms == ["room-a", "room-b"]
        # b moves its webhook elsewhere: a's events still go to the first receiver only
        other = Receiver().start()
        try:
            uuid = hooks["b"][0]["uuid"]
            gone = http.delete(s.url + f"/webhooks/{uuid}", headers=bearer("b"), timeout=TIMEOUT)
            assert gone.json() == {"deleted": True, "uuid": uuid}
            made = http.post(
                s.url + "/webhooks", json={"url": other.url}, headers=bearer("b"), timeout=TIMEOUT
            )
            assert made.status_code == 200, made.text
            http.post(
                base + "/_fake/join", json={"room": "room-b"}, headers=bearer("b"), timeout=TIMEOUT
            )
            http.post(
                base + "/_fake/join", json={"room": "room-a"}, headers=bearer("a"), timeout=TIMEOUT
            )
            assert wait_until(lambda: len(other.events()) >= 1 and len(receiver.events()) == 3, 5)
            assert [json.loads(r.body)["payload"]["room"] for r in other.events()] == ["room-b"]
            assert json.loads(receiver.events()[-1].body)["payload"]["room"] == "room-a"
        finally:
            other.stop()
        assert all(signed_with(KEY, r) for r in receiver.events())


@pytest.mark.slow
def test_in_real_time_events_come_as_wall_time_passes_them(receiver: Receiver) -> None:
    with ServerThread(World(), ServerConfig(port=0, webhooks=Settings(FAST))) as s:
        handle = s.handle()
        handle.webhooks.point_at(receiver.url)
        start = int(time.time()) + 1
        handle.load(
            {
                "sessions": [
                    {
                        "id": "real-time",
                        "room": "live",
                        "start_time": start,
                        "participants": [{"join_time": start, "duration": 1}],
                    }
                ]
            }
        )
        assert receiver.events() == []  # nothing has happened yet
        assert wait_until(lambda: len(receiver.events()) == 4, 6)
        got = [json.loads(r.body) for r in receiver.events()]
        assert [(e["type"], e["event_ts"]) for e in got] == [
            ("meeting.started", start),
            ("participant.joined", start),
            ("participant.left", start + 1),
            ("meeting.ended", start + 1),
        ]


def test_the_handle_drives_an_external_server_s_webhook(receiver: Receiver) -> None:
    with ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0)) as s:
        handle = FakeMeetings(RemoteBackend(s.base_url, "k"), s.url, "k")
        hook = handle.webhooks.point_at(receiver.url, hmac=KEY, event_types=["meeting.ended"])
        assert hook["hmac"] == KEY and handle.webhooks.webhook == hook
        alice = handle.join("remote")
        handle.clock.advance(42)
        alice.leave()  # returns after the delivery (the settle call)
        (ended,) = [json.loads(r.body) for r in receiver.events()]
        assert ended["payload"]["end_ts"] - ended["payload"]["start_ts"] == 42
        assert handle.webhooks.wait_for("meeting.ended", timeout=1) == ended
        assert [d["state"] for d in handle.webhooks.deliveries()] == ["delivered"]
        handle.webhooks.clear()
        assert handle.webhooks.deliveries() == []
        handle.webhooks.remove()
        assert handle.webhooks.webhook is None


def test_serve_sends_to_the_webhook_given_at_start_up(receiver: Receiver, tmp_path: Path) -> None:
    url = receiver.url.replace("http://", "http://user:pass@")
    args = ["--port", "0", "--now", str(NOW), "--webhook-url", url, "--webhook-hmac", KEY]
    proc, lines = start_serve(args, tmp_path, {})
    try:
        assert KEY not in "".join(lines) and "pass@" not in "".join(lines)
        assert receiver.url.removeprefix("http://") in lines[1]
        base = lines[0].split()[-1].removesuffix("/v1").rstrip("/")
        base = base if base.startswith("http") else "http://" + base
        r = requests.post(base + "/_fake/join", json={"room": "cli"}, timeout=TIMEOUT)
        assert r.status_code == 201, r.text
        assert wait_until(lambda: len(receiver.events()) == 2, 5)
        first = receiver.events()[0]
        assert signed_with(KEY, first)
        # credentials in the URL are sent as Basic auth, as HTTP clients do
        assert first.header("Authorization") == "Basic " + base64.b64encode(b"user:pass").decode()
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


async def test_on_the_test_s_own_loop_changes_do_not_wait_but_events_still_go(
    receiver: Receiver,
) -> None:
    """``fake_meetings_async``'s server (AsyncServer) shares the test's loop: the handle cannot
    wait there, so its changes return at once and the deliveries follow while the test awaits."""
    import asyncio

    import aiohttp

    from fake_meetings.testing.runners import AsyncServer

    async with AsyncServer(World(clock=Clock(NOW)), ServerConfig(port=0)) as s:
        handle = s.handle("k")
        async with aiohttp.ClientSession() as http:
            r = await http.post(
                s.url + "/webhooks", json={"url": receiver.url}, headers=bearer("k")
            )
            assert r.status == 200, await r.text()
        alice = handle.join("same-loop")  # returns without waiting for the delivery
        handle.clock.advance(30)
        alice.leave()
        for _ in range(100):
            if len(receiver.events()) == 4:
                break
            await asyncio.sleep(0.05)
        types = [json.loads(r.body)["type"] for r in receiver.events()]
        assert types == [
            "meeting.started",
            "participant.joined",
            "participant.left",
            "meeting.ended",
        ]
