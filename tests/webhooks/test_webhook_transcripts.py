"""The transcript webhooks (contract part three, §4) over real HTTP with a real receiver:
``transcript.started`` at once when a transcription starts through the API,
``transcript.ready-to-download`` when it stops with its file stored (through the API, or as the
clock passes its session's end), nothing more when storage is off, ``transcript.error`` for
one that failed; Daily's payloads and spellings."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.api.keys import NAMESPACES
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
# one session: Alice 100-700 s, Bob 160-1000 (the end)
SCENARIO = {
    "now": NOW,
    "sessions": [
        {
            "id": SESSION,
            "room": "standup",
            "start_time": NOW + 100,
            "participants": [
                {
                    "participant_id": ALICE,
                    "user_name": "Alice",
                    "join_time": NOW + 100,
                    "duration": 600,
                },
                {
                    "participant_id": BOB,
                    "user_name": "Bob",
                    "join_time": NOW + 160,
                    "duration": 840,
                },
            ],
        }
    ],
}


@pytest.fixture
def server() -> Iterator[ServerThread]:
    timing = Timing(timeout=1.0, retry_delays=(0.05, 0.05, 0.05, 0.05))
    config = ServerConfig(port=0, webhooks=Settings(timing=timing))
    with ServerThread(World(clock=Clock(NOW)), config) as s:
        yield s


def post(s: ServerThread, path: str, body: Any = None) -> requests.Response:
    r = requests.post(s.url + path, json=body, headers=AUTH, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r


def received(receiver: Receiver, prefix: str = "transcript.") -> list[dict[str, Any]]:
    events = [json.loads(r.body) for r in receiver.events()]
    return [e for e in events if e["type"].startswith(prefix)]


def _setup(server: ServerThread, receiver: Receiver, storage: bool) -> str:
    handle = server.handle()
    handle.load(SCENARIO)
    post(server, "/", {"properties": {"enable_transcription_storage": storage}})
    post(server, "/webhooks", {"url": receiver.url})
    handle.clock.advance(150)  # the session started; Alice is in
    post(server, "/rooms/standup/transcription/start")
    room_id: str = requests.get(
        server.url + "/rooms/standup", headers=AUTH, timeout=TIMEOUT
    ).json()["id"]
    return room_id


def test_started_then_ready_with_daily_s_payloads(server: ServerThread, receiver: Receiver) -> None:
    room_id = _setup(server, receiver, storage=True)
    handle = server.handle()
    handle.webhooks.settle()
    (started,) = received(receiver)
    tr_id = started["payload"]["id"]
    key = f"fake-meetings/standup/{key_ms(NOW + 150, tr_id)}.vtt"
    s3 = {"key": key, "bucket": "daily-meeting-transcripts", "region": "us-west-2"}
    assert started == {
        "version": "1.1.0",
        "type": "transcript.started",
        "id": f"3431-tra-sta-{tr_id}",
        "payload": {
            "id": tr_id,
            "info": {"instanceId": DEFAULT_INSTANCE},
            "room_id": room_id,
            "room_name": "standup",
            "mtg_session_id": SESSION,
            "max_participants": 1,
            "duration": 0,
            "participant_minutes": 0,
            "status": "t_in_progress",
            "out_params": {"s3": s3},
        },
        "event_ts": NOW + 150,
    }
    handle.clock.advance(70)  # Bob joined at 160
    post(server, "/rooms/standup/transcription/stop")
    handle.webhooks.settle()
    ready = received(receiver)[-1]
    assert (ready["type"], ready["id"], ready["event_ts"]) == (
        "transcript.ready-to-download",
        f"3431-tra-rtd-{tr_id}",
        NOW + 220,
    )
    payload = ready["payload"]
    assert list(payload) == [
        "id",
        "out_params",
        "room_id",
        "room_name",
        "mtg_session_id",
        "duration",
        "participant_minutes",
        "status",
        "domain_id",
    ]
    assert (payload["duration"], payload["status"], payload["out_params"]) == (
        70,
        "t_finished",
        {"s3": s3},
    )
    assert payload["participant_minutes"] == round((70 + 60) / 60, 2)  # Alice 70 s, Bob 60 s
    rest = requests.get(server.url + f"/transcript/{tr_id}", headers=AUTH, timeout=TIMEOUT).json()
    assert (rest["transcriptId"], rest["roomId"], rest["mtgSessionId"]) == (
        payload["id"],
        payload["room_id"],
        payload["mtg_session_id"],
    )
    assert rest["domainId"] == payload["domain_id"] and rest["outParams"]["key"] == key


def test_the_session_s_end_stops_it_as_the_clock_passes(
    server: ServerThread, receiver: Receiver
) -> None:
    _setup(server, receiver, storage=True)
    handle = server.handle()
    handle.clock.advance(2000)
    handle.webhooks.settle()
    events = [json.loads(r.body) for r in receiver.events()]
    tail = [(e["type"], e["event_ts"]) for e in events][-2:]
    assert tail == [("meeting.ended", NOW + 1000), ("transcript.ready-to-download", NOW + 1000)]
    assert events[-1]["payload"]["duration"] == 850


def test_storage_off_announces_no_file(server: ServerThread, receiver: Receiver) -> None:
    _setup(server, receiver, storage=False)
    handle = server.handle()
    handle.clock.advance(30)
    post(server, "/rooms/standup/transcription/stop")
    handle.webhooks.settle()
    assert [e["type"] for e in received(receiver)] == ["transcript.started"]


def test_a_failed_transcript_emits_transcript_error(
    server: ServerThread, receiver: Receiver
) -> None:
    _setup(server, receiver, storage=True)
    handle = server.handle()
    space = server.app[NAMESPACES].default
    tr_id = space.world.transcripts.ordered[0].id
    server.call(lambda: space.fail_transcription(tr_id, "transcription failed: no audio"))
    handle.clock.advance(30)
    post(server, "/rooms/standup/transcription/stop")
    handle.webhooks.settle()
    error = received(receiver)[-1]
    assert (error["type"], error["id"]) == ("transcript.error", f"3431-tra-err-{tr_id}")
    payload = error["payload"]
    assert payload["info"] == {
        "instanceId": DEFAULT_INSTANCE,
        "startTs": NOW + 150,
        "endTs": NOW + 180,
    }
    assert (payload["status"], payload["error"], payload["duration"]) == (
        "t_error",
        "transcription failed: no audio",
        30,
    )
    rest = requests.get(server.url + f"/transcript/{tr_id}", headers=AUTH, timeout=TIMEOUT).json()
    assert (rest["status"], rest["error"], rest["isVttAvailable"]) == (
        "t_error",
        "transcription failed: no audio",
        False,
    )
