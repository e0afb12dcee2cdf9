"""The recording webhooks (contract part three, §4) over real HTTP with a real receiver:
``recording.started``, ``recording.ready-to-download`` and ``recording.error`` as the clock
passes a scenario's recordings' starts and stops, and at once when a recording is started or
stopped through ``POST /rooms/:name/recordings/start | stop`` or stopped by the live leave
that ends its session. Expected events come from the scenario written here."""

from __future__ import annotations

import json
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
from tests.helpers.models import key_ms
from tests.helpers.receiver import Receiver

SESSION = "11111111-1111-4111-8111-111111111111"
ALICE = "aaaaaaaa-0000-4000-8000-000000000001"
BOB = "bbbbbbbb-0000-4000-8000-000000000002"
DEFAULT_INSTANCE = "c3df927c-f738-4471-a2b7-066fa7e95a6b"
OTHER = "0b6f1f36-3f2e-4b4e-9a55-2a5a2d1f0c11"
# one session: Alice 100-700 s, Bob 160-1000 (the end); three recordings of it
SCENARIO = {
    "now": NOW,
    "sessions": [
        {
            "id": SESSION,
            "room": "standup",
            "start_time": NOW + 100,
            "participants": [
                {"participant_id": ALICE, "join_time": NOW + 100, "duration": 600},
                {"participant_id": BOB, "join_time": NOW + 160, "duration": 840},
            ],
        }
    ],
    "recordings": [
        {"id": "rec-1", "session": SESSION, "start_ts": NOW + 200, "end": NOW + 500},
        {"id": "rec-2", "session": SESSION, "start_ts": NOW + 600},  # until the session ends
        {
            "id": "rec-3",
            "session": SESSION,
            "start_ts": NOW + 300,
            "end": NOW + 400,
            "canceled": True,
        },
    ],
}
EXPECTED = [  # (type, instant, recording id or None) in order, from the scenario above
    ("meeting.started", NOW + 100, None),
    ("participant.joined", NOW + 100, None),
    ("participant.joined", NOW + 160, None),
    ("recording.started", NOW + 200, "rec-1"),
    ("recording.started", NOW + 300, "rec-3"),
    ("recording.error", NOW + 400, None),
    ("recording.ready-to-download", NOW + 500, "rec-1"),
    ("recording.started", NOW + 600, "rec-2"),
    ("participant.left", NOW + 700, None),
    ("participant.left", NOW + 1000, None),
    ("meeting.ended", NOW + 1000, None),
    ("recording.ready-to-download", NOW + 1000, "rec-2"),
]


@pytest.fixture
def server() -> Iterator[ServerThread]:
    timing = Timing(timeout=1.0, retry_delays=(0.05, 0.05, 0.05, 0.05))
    config = ServerConfig(port=0, webhooks=Settings(timing=timing))
    with ServerThread(World(clock=Clock(NOW)), config) as s:
        yield s


def post(s: ServerThread, path: str, body: Any = None) -> requests.Response:
    return requests.post(s.url + path, json=body, headers=AUTH, timeout=TIMEOUT)


def hook(s: ServerThread, receiver: Receiver) -> None:
    r = post(s, "/webhooks", {"url": receiver.url})
    assert r.status_code == 200, r.text


def received(receiver: Receiver) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.events()]


def summary(events: list[dict[str, Any]]) -> list[tuple[str, int, str | None]]:
    return [(e["type"], e["event_ts"], e["payload"].get("recording_id")) for e in events]


def test_a_scenario_s_recordings_emit_as_the_clock_passes_them(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    handle.load(SCENARIO)
    hook(server, receiver)
    handle.clock.advance(2000)
    handle.webhooks.settle()
    got = received(receiver)
    assert summary(got) == EXPECTED
    started = got[3]
    assert started == {
        "version": "1.0.0",
        "type": "recording.started",
        "id": f"rec-sta-{DEFAULT_INSTANCE}-{NOW + 200}",
        "payload": {
            "action": "start-cloud-recording",
            "recording_id": "rec-1",
            "layout": {"preset": "default"},
            "started_by": ALICE,
            "instance_id": DEFAULT_INSTANCE,
            "start_ts": NOW + 200,
            "room_name": "standup",
        },
        "event_ts": NOW + 200,
    }
    error = got[5]
    assert error["id"] == f"rec-err-{DEFAULT_INSTANCE}-{NOW + 400}"
    assert error["payload"] == {
        "action": "cloud-recording-error",
        "error_msg": "cloud-recording-error: recording rec-3 canceled",
        "instance_id": DEFAULT_INSTANCE,
        "room_name": "standup",
        "timestamp": NOW + 400,
    }
    ready = got[6]
    assert ready["id"] == f"rec-rtd-{DEFAULT_INSTANCE}-{NOW + 500}"
    payload = ready["payload"]
    assert list(payload) == [
        "type",
        "recording_id",
        "room_name",
        "start_ts",
        "status",
        "max_participants",
        "duration",
        "share_token",
        "s3_key",
    ]
    assert (payload["type"], payload["status"], payload["duration"]) == ("cloud", "finished", 300)
    assert payload["max_participants"] == 2
    assert payload["s3_key"] == f"fake-meetings/standup/{key_ms(NOW + 200, 'rec-1')}"
    rest = requests.get(server.url + "/recordings/rec-1", headers=AUTH, timeout=TIMEOUT).json()
    assert (rest["share_token"], rest["s3key"]) == (payload["share_token"], payload["s3_key"])
    assert got[-1]["payload"]["duration"] == 400  # rec-2: 600 to the session's end at 1000


def test_only_the_event_types_the_webhook_asks_for(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    handle.load(SCENARIO)
    r = post(server, "/webhooks", {"url": receiver.url, "eventTypes": ["recording.started"]})
    assert r.status_code == 200, r.text
    handle.clock.advance(2000)
    handle.webhooks.settle()
    assert [e[2] for e in summary(received(receiver))] == ["rec-1", "rec-3", "rec-2"]


def test_started_and_stopped_through_the_api_emit_at_once(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    handle.load(SCENARIO | {"recordings": []})
    hook(server, receiver)
    handle.clock.advance(150)  # the session started; Alice is in
    body = {"instanceId": OTHER, "layout": {"preset": "active-participant"}}
    start = post(server, "/rooms/standup/recordings/start", body)
    assert start.status_code == 200, start.text
    rec_id = start.json()["recordingId"]
    handle.webhooks.settle()
    got = received(receiver)
    assert summary(got)[-1] == ("recording.started", NOW + 150, rec_id)
    assert got[-1]["id"] == f"rec-sta-{OTHER}-{NOW + 150}"
    assert got[-1]["payload"]["layout"] == {"preset": "active-participant"}
    assert got[-1]["payload"]["started_by"] == ALICE
    handle.clock.advance(60)  # Bob joins at 160
    stop = post(server, "/rooms/standup/recordings/stop", {"instanceId": OTHER})
    assert stop.status_code == 200, stop.text
    handle.webhooks.settle()
    got = received(receiver)
    assert summary(got)[-2:] == [
        ("participant.joined", NOW + 160, None),
        ("recording.ready-to-download", NOW + 210, rec_id),
    ]
    payload = got[-1]["payload"]
    assert (payload["duration"], payload["max_participants"]) == (60, 2)
    assert got[-1]["id"] == f"rec-rtd-{OTHER}-{NOW + 210}"
    # started and stopped at one instant: nothing recorded, a recording.error
    again = post(server, "/rooms/standup/recordings/start")
    assert again.status_code == 200, again.text
    assert post(server, "/rooms/standup/recordings/stop").status_code == 200
    handle.webhooks.settle()
    assert [e["type"] for e in received(receiver)[-2:]] == ["recording.started", "recording.error"]
    # one left running stops at the session's end, as the clock passes it
    last = post(server, "/rooms/standup/recordings/start").json()["recordingId"]
    handle.clock.advance(1000)
    handle.webhooks.settle()
    assert summary(received(receiver))[-1] == ("recording.ready-to-download", NOW + 1000, last)


def test_the_live_leave_that_ends_the_session_stops_its_recording(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    hook(server, receiver)
    someone = handle.join("live-room", user_name="Z")
    rec_id = post(server, "/rooms/live-room/recordings/start").json()["recordingId"]
    handle.clock.advance(45)
    someone.leave()
    handle.webhooks.settle()
    got = received(receiver)
    assert summary(got) == [
        ("meeting.started", NOW, None),
        ("participant.joined", NOW, None),
        ("recording.started", NOW, rec_id),
        ("participant.left", NOW + 45, None),
        ("meeting.ended", NOW + 45, None),
        ("recording.ready-to-download", NOW + 45, rec_id),
    ]
    assert got[-1]["payload"]["duration"] == 45
    handle.clock.advance(100)  # passing the leave's instant again emits nothing more
    handle.webhooks.settle()
    assert len(received(receiver)) == len(got)
