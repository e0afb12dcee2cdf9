"""A raw-tracks recording lists its tracks once finished, on a real server: one audio and one
video track per stay that overlaps it (audio only with the raw-tracks-audio-only layout), keys
in Daily's form, sizes from the recorded part of each stay; the answer and the
``recording.ready-to-download`` webhook agree, and both validate against the served OpenAPI
document. Expected values are worked out here from the scenario, not read from the code."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.models import key_ms
from tests.helpers.receiver import Receiver
from tests.helpers.transcripts import Checked

T = 1_700_000_000
KEY = {"Authorization": "Bearer test-key"}
SCENARIO = f"""\
now: {T}
sessions:
  - id: s1
    room: standup
    start_time: {T - 3600}
    participants:
      - {{participant_id: p-a, user_name: A, join_time: {T - 3600}, duration: 1800}}
      - {{participant_id: p-b, user_name: B, join_time: {T - 3000}, duration: 600}}
      - {{participant_id: p-c, user_name: C, join_time: {T - 600}, duration: 60}}
recordings:
  - {{id: raw, session: s1, start_ts: {T - 3300}, end: {T - 2700}, type: raw-tracks}}
  - {{id: audio, session: s1, start_ts: {T - 3300}, end: {T - 2700}, type: raw-tracks,
     layout: raw-tracks-audio-only}}
  - {{id: cloud, session: s1, start_ts: {T - 3300}, end: {T - 2700}}}
"""
START = T - 3300
# the recording runs T-3300..T-2700: p-a is there all along, p-b from T-3000; p-c never
EXPECTED = {
    ("p-a", "audio"): (T - 3300, 600 * 8_000),
    ("p-a", "video"): (T - 3300, 600 * 125_000),
    ("p-b", "audio"): (T - 3000, 300 * 8_000),
    ("p-b", "video"): (T - 3000, 300 * 125_000),
}
NAME = re.compile(r"(?P<start>\d+)-(?P<pid>p-[a-z])-cam-(?P<kind>audio|video)-(?P<track>\d+)")


@pytest.fixture
def server() -> Iterator[ServerThread]:
    sc = load_text(SCENARIO, "raw.yaml")
    world = World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings)
    with ServerThread(world, ServerConfig(port=0)) as running:
        yield running


def _tracks(body: dict[str, object]) -> dict[tuple[str, str], tuple[int, int]]:
    folder = str(body.get("s3key") or body.get("s3_key")).rsplit("/", 1)[0]
    out = {}
    for track in body["tracks"]:  # type: ignore[attr-defined]
        directory, name = track["s3Key"].rsplit("/", 1)
        assert directory == folder
        found = NAME.fullmatch(name)
        assert found, name
        epoch = key_ms(START, str(body.get("id") or body.get("recording_id")))
        assert int(found["start"]) == epoch and found["kind"] == track["type"]
        out[(found["pid"], found["kind"])] = (int(found["track"]) // 1000, track["size"])
    return out


def test_a_finished_raw_tracks_recording_lists_a_track_per_stay_and_kind(
    server: ServerThread,
) -> None:
    api = Checked(server)
    raw = api.call("GET", "/recordings/{id}", "/recordings/raw").json()
    assert raw["status"] == "finished" and raw["duration"] == 600
    assert _tracks(raw) == EXPECTED
    audio = api.call("GET", "/recordings/{id}", "/recordings/audio").json()
    assert _tracks(audio) == {k: v for k, v in EXPECTED.items() if k[1] == "audio"}
    assert api.call("GET", "/recordings/{id}", "/recordings/cloud").json()["tracks"] == []
    listed = api.call("GET", "/recordings", "/recordings").json()
    assert {r["id"]: r["tracks"] for r in listed["data"]}["raw"] == raw["tracks"]
    requests.post(
        server.base_url + "/_fake/clock", json={"freeze_at": T - 3000}, timeout=10
    ).raise_for_status()
    running = api.call("GET", "/recordings/{id}", "/recordings/raw").json()
    assert running["status"] == "in-progress" and running["tracks"] == []


def test_the_webhook_carries_the_same_tracks(server: ServerThread, receiver: Receiver) -> None:
    requests.post(
        server.base_url + "/_fake/clock", json={"freeze_at": T - 3400}, timeout=10
    ).raise_for_status()
    hook = {"url": receiver.url, "eventTypes": ["recording.ready-to-download"]}
    made = requests.post(server.base_url + "/v1/webhooks", json=hook, headers=KEY, timeout=10)
    assert made.status_code == 200, made.text
    requests.post(
        server.base_url + "/_fake/clock", json={"freeze_at": T}, timeout=10
    ).raise_for_status()
    deadline = time.monotonic() + 10
    while len(receiver.events()) < 3 and time.monotonic() < deadline:  # delivered off the loop
        time.sleep(0.02)
    events = [json.loads(r.body) for r in receiver.events()]
    payloads = {e["payload"]["recording_id"]: e["payload"] for e in events}
    assert _tracks(payloads["raw"]) == EXPECTED
    assert "tracks" not in payloads["cloud"]
    rest = requests.get(server.base_url + "/v1/recordings/raw", headers=KEY, timeout=10).json()
    assert payloads["raw"]["tracks"] == rest["tracks"]
