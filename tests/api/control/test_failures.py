"""``POST /_fake/recordings/{recording}/fail`` and ``POST /_fake/transcripts/{transcript}/fail``
on a real server with a real webhook receiver: the ``recording.error`` / ``transcript.error``
payloads (the fields of docs/reference/webhooks.md), the REST objects after the failure, the
refusals in Daily's envelope, and the clock moved back before the failure (in progress again,
as after a stop; the failure sent again as the clock passes it). Expected values are worked
out from the scenario written here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.models import key_ms
from tests.helpers.receiver import Receiver

KEY = {"Authorization": "Bearer test-key"}
T = 1_700_000_000
INSTANCE = "c3df927c-f738-4471-a2b7-066fa7e95a6b"  # Daily's default instance
SCENARIO = f"""\
now: {T}
sessions:
  - id: s1
    room: standup
    start_time: -10m
    participants:
      - {{participant_id: p-a, join_time: -10m}}
recordings:
  - {{id: rec-live, session: s1, start_ts: -5m}}
  - {{id: rec-done, session: s1, start_ts: -9m, end: -8m}}
transcripts:
  - {{id: tr-live, session: s1, start_ts: -4m}}
"""


@pytest.fixture
def server(receiver: Receiver) -> Iterator[ServerThread]:
    sc = load_text(SCENARIO, "failures.yaml")
    world = World(
        sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings, transcripts=sc.transcripts
    )
    with ServerThread(world, ServerConfig(port=0)) as running:
        r = requests.post(
            running.base_url + "/v1/webhooks", json={"url": receiver.url}, headers=KEY, timeout=10
        )
        assert r.status_code == 200, r.text
        yield running


def post(server: ServerThread, path: str, body: Any = None, **kw: Any) -> requests.Response:
    return requests.post(server.base_url + path, json=body, headers=KEY, timeout=10, **kw)


def get(server: ServerThread, path: str) -> dict[str, Any]:
    r = requests.get(server.base_url + path, headers=KEY, timeout=10)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def clock(server: ServerThread, at: int) -> None:
    assert post(server, "/_fake/clock", {"freeze_at": at}).status_code == 200


def delivered(server: ServerThread, receiver: Receiver) -> list[dict[str, Any]]:
    assert post(server, "/_fake/webhooks/settle", {"timeout": 5}).json()["settled"] is True
    return [json.loads(r.body) for r in receiver.events()]


def refused(r: requests.Response, status: int, error: str, words: str) -> None:
    assert r.status_code == status, r.text
    assert r.json()["error"] == error, r.text
    assert words in r.json()["info"], r.text


def test_a_failed_recording_sends_recording_error_and_shows_canceled(
    server: ServerThread, receiver: Receiver
) -> None:
    clock(server, T + 20)
    r = post(server, "/_fake/recordings/rec-live/fail", {"error": "cloud-recording-error: boom"})
    assert r.status_code == 200, r.text
    assert (r.json()["id"], r.json()["status"], r.json()["duration"]) == ("rec-live", "canceled", 0)
    (event,) = [e for e in delivered(server, receiver) if e["type"].startswith("recording.")]
    assert event == {
        "version": "1.0.0",
        "type": "recording.error",
        "id": f"rec-err-{INSTANCE}-{T + 20}",
        "payload": {
            "action": "cloud-recording-error",
            "error_msg": "cloud-recording-error: boom",
            "instance_id": INSTANCE,
            "room_name": "standup",
            "timestamp": T + 20,
        },
        "event_ts": T + 20,
    }
    seen = get(server, "/v1/recordings/rec-live")
    assert (seen["status"], seen["duration"], seen["start_ts"]) == ("canceled", 0, T - 300)
    link = requests.get(
        server.base_url + "/v1/recordings/rec-live/access-link", headers=KEY, timeout=10
    )
    refused(link, 400, "invalid-request-error", "only a finished recording has a file")


def test_a_failed_transcript_sends_transcript_error_and_shows_t_error(
    server: ServerThread, receiver: Receiver
) -> None:
    clock(server, T + 20)
    room_id = get(server, "/v1/rooms/standup")["id"]
    r = post(server, "/_fake/transcripts/tr-live/fail", {"error": "no audio track"})
    assert r.status_code == 200, r.text
    assert (r.json()["transcriptId"], r.json()["status"]) == ("tr-live", "t_error")
    (event,) = [e for e in delivered(server, receiver) if e["type"].startswith("transcript.")]
    assert (event["type"], event["id"], event["event_ts"]) == (
        "transcript.error",
        "3431-tra-err-tr-live",
        T + 20,
    )
    key = f"fake-meetings/standup/{key_ms(T - 240, 'tr-live')}.vtt"
    assert event["payload"] == {
        "id": "tr-live",
        "info": {"instanceId": INSTANCE, "startTs": T - 240, "endTs": T + 20},
        "room_id": room_id,
        "room_name": "standup",
        "mtg_session_id": "s1",
        "max_participants": 1,
        "duration": 260,
        "participant_minutes": 4.33,  # p-a, there all along: 260 s
        "status": "t_error",
        "out_params": {
            "s3": {"key": key, "bucket": "daily-meeting-transcripts", "region": "us-west-2"}
        },
        "error": "no audio track",
    }
    seen = get(server, "/v1/transcript/tr-live")
    assert (seen["status"], seen["duration"], seen["error"], seen["isVttAvailable"]) == (
        "t_error",
        260,
        "no audio track",
        False,
    )


def test_without_a_body_the_default_texts_are_sent(
    server: ServerThread, receiver: Receiver
) -> None:
    assert post(server, "/_fake/recordings/rec-live/fail").status_code == 200
    assert post(server, "/_fake/transcripts/tr-live/fail").status_code == 200
    texts = {
        e["type"]: e["payload"].get("error_msg", e["payload"].get("error"))
        for e in delivered(server, receiver)
    }
    assert texts == {
        "recording.error": "cloud-recording-error: recording failed",
        "transcript.error": "transcription failed",
    }


def test_refusals_are_daily_s_envelope_and_change_nothing(server: ServerThread) -> None:
    refused(
        post(server, "/_fake/recordings/nope/fail"), 404, "not-found", "recording nope not found"
    )
    refused(
        post(server, "/_fake/transcripts/nope/fail"), 404, "not-found", "transcript nope not found"
    )
    refused(
        post(server, "/_fake/recordings/rec-done/fail"),
        400,
        "invalid-request-error",
        "recording rec-done is finished, not in progress: only a recording in progress can fail",
    )
    refused(
        post(server, "/_fake/recordings/rec-live/fail", {"reason": "x"}),
        400,
        "invalid-request-error",
        '"reason" is not allowed',
    )
    refused(
        post(server, "/_fake/transcripts/tr-live/fail", {"error": ["x"]}),
        400,
        "invalid-request-error",
        "error: must be a string",
    )
    refused(
        post(server, "/_fake/recordings/rec-live/fail", {"error": "x" * 1001}),
        400,
        "invalid-request-error",
        "error: at most 1,000 characters",
    )
    bad = requests.post(
        server.base_url + "/_fake/recordings/rec-live/fail", data=b"{", headers=KEY, timeout=10
    )
    refused(bad, 400, "invalid-request-error", "body: not valid JSON")
    assert get(server, "/v1/recordings/rec-live")["status"] == "in-progress"
    assert get(server, "/v1/transcript/tr-live")["status"] == "t_in_progress"
    assert post(server, "/_fake/recordings/rec-live/fail").status_code == 200
    refused(
        post(server, "/_fake/recordings/rec-live/fail"),
        400,
        "invalid-request-error",
        "recording rec-live is canceled, not in progress",
    )


def test_the_clock_moved_back_shows_it_in_progress_and_passing_it_again_sends_it_again(
    server: ServerThread, receiver: Receiver
) -> None:
    clock(server, T + 20)
    assert post(server, "/_fake/recordings/rec-live/fail", {"error": "boom"}).status_code == 200
    assert post(server, "/_fake/transcripts/tr-live/fail", {"error": "mute"}).status_code == 200
    clock(server, T + 5)
    seen = get(server, "/v1/recordings/rec-live")
    assert seen["status"] == "in-progress" and "duration" not in seen
    assert get(server, "/v1/transcript/tr-live")["status"] == "t_in_progress"
    clock(server, T + 60)
    assert get(server, "/v1/recordings/rec-live")["status"] == "canceled"
    assert get(server, "/v1/transcript/tr-live")["status"] == "t_error"
    failures = [
        (e["type"], e["event_ts"], e["payload"].get("error_msg", e["payload"].get("error")))
        for e in delivered(server, receiver)
        if e["type"].endswith(".error")
    ]
    assert failures == [
        ("recording.error", T + 20, "boom"),
        ("transcript.error", T + 20, "mute"),
        ("recording.error", T + 20, "boom"),  # the clock passed the failure again
        ("transcript.error", T + 20, "mute"),
    ]


def test_a_reset_brings_the_scenario_s_items_back(server: ServerThread) -> None:
    assert post(server, "/_fake/recordings/rec-live/fail").status_code == 200
    assert post(server, "/_fake/transcripts/tr-live/fail").status_code == 200
    assert post(server, "/_fake/reset").status_code == 200
    assert get(server, "/v1/recordings/rec-live")["status"] == "in-progress"
    assert get(server, "/v1/transcript/tr-live")["status"] == "t_in_progress"


def test_with_namespaces_a_failure_stays_in_its_key_s_namespace() -> None:
    sc = load_text(SCENARIO, "failures.yaml")
    world = World(
        sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings, transcripts=sc.transcripts
    )
    with ServerThread(world, ServerConfig(port=0, namespaces=True)) as running:
        base = running.base_url

        def status(key: str) -> str:
            r = requests.get(
                base + "/v1/recordings/rec-live", headers={"Authorization": key}, timeout=10
            )
            assert r.status_code == 200, r.text
            return str(r.json()["status"])

        failed = requests.post(
            base + "/_fake/recordings/rec-live/fail",
            headers={"Authorization": "Bearer a"},
            timeout=10,
        )
        assert failed.status_code == 200, failed.text
        assert (status("Bearer a"), status("Bearer b")) == ("canceled", "in-progress")
