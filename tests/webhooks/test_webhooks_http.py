"""Webhooks over real HTTP: Daily's /webhooks routes with a real receiver on 127.0.0.1, events
sent as the clock passes them, signatures checked with the standard library (not the
package's code), the circuit breaker and exponential retry against a receiver that fails on
purpose, and a receiver that hangs. Expected events come from the scenario written here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from fake_meetings.webhooks.settings import Settings, Timing
from tests.helpers.constants import AUTH, NOW, TIMEOUT
from tests.helpers.receiver import Receiver

KEY = base64.b64encode(b"the receiver's secret").decode()
# one session: Alice 0-600 s, Bob joins at 60 and leaves at 900 (the end), all after NOW
SCENARIO = {
    "now": NOW,
    "sessions": [
        {
            "id": "11111111-1111-4111-8111-111111111111",
            "room": "standup",
            "start_time": NOW + 100,
            "participants": [
                {
                    "participant_id": "aaaaaaaa-0000-4000-8000-000000000001",
                    "user_name": "Alice Ærø",
                    "join_time": NOW + 100,
                    "duration": 600,
                },
                {
                    "participant_id": "bbbbbbbb-0000-4000-8000-000000000002",
                    "user_id": "bob",
                    "join_time": NOW + 160,
                    "duration": 840,
                },
            ],
        }
    ],
}
EXPECTED = [  # (type, instant) in Daily's order, from the scenario above
    ("meeting.started", NOW + 100),
    ("participant.joined", NOW + 100),
    ("participant.joined", NOW + 160),
    ("participant.left", NOW + 700),
    ("participant.left", NOW + 1000),
    ("meeting.ended", NOW + 1000),
]


@pytest.fixture
def server() -> Iterator[ServerThread]:
    timing = Timing(timeout=1.0, retry_delays=(0.05, 0.05, 0.05, 0.05))
    config = ServerConfig(port=0, webhooks=Settings(timing=timing))
    with ServerThread(World(clock=Clock(NOW)), config) as s:
        yield s


def post(s: ServerThread, path: str, body: Any = None) -> requests.Response:
    return requests.post(s.url + path, json=body, headers=AUTH, timeout=TIMEOUT)


def create(s: ServerThread, url: str, **fields: Any) -> dict[str, Any]:
    r = post(s, "/webhooks", {"url": url, **fields})
    assert r.status_code == 200, r.text
    return dict(r.json())


def verify(received: Any, key: str) -> bool:
    """The receiver's check, written from Daily's rule (raw body)."""
    stamp = received.header("X-Webhook-Timestamp")
    digest = hmac.new(base64.b64decode(key), f"{stamp}.".encode() + received.body, hashlib.sha256)
    return hmac.compare_digest(
        base64.b64encode(digest.digest()).decode(), received.header("X-Webhook-Signature") or ""
    )


def test_create_probes_the_receiver_then_answers_daily_s_object(
    server: ServerThread, receiver: Receiver
) -> None:
    hook = create(server, receiver.url, hmac=KEY, eventTypes=["meeting.ended"])
    assert [r.body for r in receiver.received] == [b'{"test":"test"}']
    assert verify(receiver.received[0], KEY)
    assert hook["url"] == receiver.url and hook["hmac"] == KEY
    assert hook["state"] == "ACTIVE" and hook["failedCount"] == 0
    assert hook["retryType"] == "circuit-breaker" and hook["eventTypes"] == ["meeting.ended"]
    assert set(hook) == {
        "uuid",
        "url",
        "hmac",
        "basicAuth",
        "retryType",
        "eventTypes",
        "state",
        "failedCount",
        "lastMomentPushed",
        "domainId",
        "createdAt",
        "updatedAt",
    }
    listed = requests.get(server.url + "/webhooks", headers=AUTH, timeout=TIMEOUT)
    assert listed.json() == [hook]
    one = requests.get(server.url + f"/webhooks/{hook['uuid']}", headers=AUTH, timeout=TIMEOUT)
    assert one.json() == hook
    second = post(server, "/webhooks", {"url": receiver.url})
    assert second.status_code == 400 and "already" in second.json()["info"]


def test_a_receiver_that_does_not_answer_200_makes_the_create_a_400(
    server: ServerThread, receiver: Receiver
) -> None:
    receiver.statuses = [204]
    r = post(server, "/webhooks", {"url": receiver.url})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid-request-error" and "204" in r.json()["info"]
    closed = post(server, "/webhooks", {"url": "http://127.0.0.1:9/hooks"})
    assert closed.status_code == 400
    assert requests.get(server.url + "/webhooks", headers=AUTH, timeout=TIMEOUT).json() == []


def test_events_are_sent_in_order_as_the_clock_passes_them(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    handle.load(SCENARIO)
    create(server, receiver.url, hmac=KEY)
    handle.clock.advance(130)  # passes the start and Alice's join only
    got = [json.loads(r.body) for r in receiver.events()]
    assert [(e["type"], e["event_ts"]) for e in got] == EXPECTED[:2]
    handle.clock.set(NOW)  # backwards: nothing
    assert len(receiver.events()) == 2
    handle.clock.advance(2000)  # forward again: every instant passed again, sent again
    got = [json.loads(r.body) for r in receiver.events()]
    assert [(e["type"], e["event_ts"]) for e in got] == EXPECTED[:2] + EXPECTED
    assert [e["id"] for e in got[:2]] == [e["id"] for e in got[2:4]]
    got = got[2:]
    assert all(verify(r, KEY) for r in receiver.events())
    ended = got[-1]
    assert ended == {
        "version": "1.0.0",
        "type": "meeting.ended",
        "id": f"met-end-11111111-1111-4111-8111-111111111111-{NOW + 1000}",
        "payload": {
            "start_ts": NOW + 100,
            "end_ts": NOW + 1000,
            "meeting_id": "11111111-1111-4111-8111-111111111111",
            "room": "standup",
        },
        "event_ts": NOW + 1000,
    }
    left = got[3]["payload"]
    assert left["user_name"] == "Alice Ærø" and left["duration"] == 600
    assert "Alice Ærø".encode() in receiver.events()[5].body  # not escaped, as JSON.stringify


def test_live_joins_and_leaves_are_delivered_before_the_handle_returns(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    hook = handle.webhooks.point_at(receiver.url, event_types=["meeting.started", "meeting.ended"])
    alice = handle.join("lesson", user_name="Alice")
    handle.clock.advance(600)
    alice.leave()
    types = [json.loads(r.body)["type"] for r in receiver.events()]
    assert types == ["meeting.started", "meeting.ended"]
    ended = handle.webhooks.wait_for("meeting.ended", timeout=1)
    assert ended["payload"]["end_ts"] - ended["payload"]["start_ts"] == 600
    assert verify(receiver.events()[-1], hook["hmac"])


def test_circuit_breaker_turns_failed_after_three_failures_and_update_reactivates(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    hook = create(server, receiver.url)
    receiver.statuses = [500, 503, 404]
    for _ in range(5):
        handle.join("r")  # each join sends one participant.joined (and a start the first time)
    # the first join's two events and the second's fail; then the webhook is FAILED
    states = [d["state"] for d in handle.webhooks.deliveries()]
    assert states == ["failed", "failed", "failed"]
    now = requests.get(server.url + f"/webhooks/{hook['uuid']}", headers=AUTH, timeout=TIMEOUT)
    assert now.json()["state"] == "FAILED" and now.json()["failedCount"] == 3
    sent_before = len(receiver.events())
    handle.join("r")
    assert len(receiver.events()) == sent_before  # nothing is sent while FAILED
    again = post(server, f"/webhooks/{hook['uuid']}", {})
    assert again.status_code == 200 and again.json()["state"] == "ACTIVE"
    handle.join("r")
    assert len(receiver.events()) == sent_before + 1


def test_exponential_retries_up_to_five_tries(server: ServerThread, receiver: Receiver) -> None:
    handle = server.handle()
    create(server, receiver.url, retryType="exponential", eventTypes=["participant.joined"])
    receiver.statuses = [500, 500, 500, 500, 500, 500, 500]
    handle.join("r")
    handle.join("r")
    deliveries = handle.webhooks.deliveries()
    assert [len(d["attempts"]) for d in deliveries] == [5, 3]
    assert [d["state"] for d in deliveries] == ["failed", "delivered"]
    assert [a["status"] for a in deliveries[1]["attempts"]] == [500, 500, 200]


def test_a_hanging_receiver_slows_neither_the_api_nor_the_clock(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    create(server, receiver.url, eventTypes=["participant.joined"])
    receiver.hang = 3.0  # longer than the 1 s delivery timeout
    handle.webhooks.settle_timeout = 0.0
    t0 = time.monotonic()
    handle.join("r")
    for _ in range(20):
        r = requests.get(server.url + "/meetings", headers=AUTH, timeout=TIMEOUT)
        assert r.status_code == 200
    handle.clock.advance(60)
    assert time.monotonic() - t0 < 2.5  # bounded well below the hang (loose: a shared machine)
    assert handle.webhooks.settle(5)
    (delivery,) = handle.webhooks.deliveries()
    assert delivery["state"] == "failed" and "within 1 s" in delivery["attempts"][0]["error"]


def test_a_full_outbox_drops_and_counts(receiver: Receiver) -> None:
    timing = Timing(timeout=1.0, outbox=3)
    config = ServerConfig(port=0, webhooks=Settings(timing=timing))
    with ServerThread(World(clock=Clock(NOW)), config) as s:
        create(s, receiver.url, eventTypes=["participant.joined"])
        receiver.hang = 0.3
        handle = s.handle()
        handle.webhooks.settle_timeout = 0.0
        for _ in range(10):
            handle.join("r")
        summary = requests.get(s.url.removesuffix("/v1") + "/_fake/webhooks", timeout=TIMEOUT)
        counts = summary.json()
        assert counts["emitted"] == 10
        assert counts["dropped"] >= 10 - 3 - 1  # at most 3 waiting and 1 in flight
        assert "hmac" not in counts["webhook"]


def test_an_update_probes_again_and_basic_auth_is_sent(
    server: ServerThread, receiver: Receiver
) -> None:
    hook = create(server, receiver.url)
    receiver.statuses = [500]  # the update's test request fails: a 400, nothing changes
    refused = post(server, f"/webhooks/{hook['uuid']}", {"basicAuth": "app:pw"})
    assert refused.status_code == 400 and "500" in refused.json()["info"]
    still = requests.get(server.url + f"/webhooks/{hook['uuid']}", headers=AUTH, timeout=TIMEOUT)
    assert still.json()["basicAuth"] is None
    updated = post(server, f"/webhooks/{hook['uuid']}", {"basicAuth": "app:pw"})
    assert updated.status_code == 200 and updated.json()["basicAuth"] == "app:pw"
    probes = [r for r in receiver.received if r.body == b'{"test":"test"}']
    assert len(probes) == 3  # create, the refused update, the update
    server.handle().join("r")
    sent = receiver.events()[-1]
    assert sent.header("Authorization") == "Basic " + base64.b64encode(b"app:pw").decode()


def test_what_happened_before_the_webhook_existed_is_not_sent(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    handle.load(SCENARIO)
    handle.clock.advance(130)  # the start and Alice's join pass with no webhook
    create(server, receiver.url)
    handle.clock.advance(2000)
    got = [(json.loads(r.body)["type"], json.loads(r.body)["event_ts"]) for r in receiver.events()]
    assert got == EXPECTED[2:]
