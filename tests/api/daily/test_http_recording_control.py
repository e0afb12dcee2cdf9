"""``POST /rooms/:name/recordings/start | update | stop`` (contract part three, §2.5) on a real
server with ``requests``: a started recording belongs to the room's ongoing session, starts at
the server clock's instant and runs until stopped, its maxDuration or its session's end; the
bodies are checked; the errors are the contract's (nobody in the room, an active stream on
the instance, nothing to stop, an unknown room); faults apply as to every Daily route."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread

KEY = {"Authorization": "Bearer test-key"}
T = 1_700_000_000
OTHER = "0b6f1f36-3f2e-4b4e-9a55-2a5a2d1f0c11"
SCENARIO = f"""\
now: {T}
rooms:
  - name: empty
    created_at: -1d
sessions:
  - id: s1
    room: standup
    start_time: -10m
    participants:
      - {{participant_id: p-a, user_name: A, join_time: -10m}}
      - {{participant_id: p-b, user_name: B, join_time: -5m, duration: 600}}
"""


@pytest.fixture
def server() -> Iterator[ServerThread]:
    sc = load_text(SCENARIO, "control.yaml")
    world = World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings)
    with ServerThread(world, ServerConfig(port=0)) as running:
        yield running


def _post(server: ServerThread, path: str, body: Any = None) -> requests.Response:
    return requests.post(server.base_url + path, json=body, headers=KEY, timeout=10)


def _get(server: ServerThread, path: str) -> Any:
    r = requests.get(server.base_url + path, headers=KEY, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _clock(server: ServerThread, at: int) -> None:
    r = requests.post(server.base_url + "/_fake/clock", json={"freeze_at": at}, timeout=10)
    assert r.status_code == 200, r.text


def _error(r: requests.Response, status: int, error: str, words: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == error
    assert words in body["info"]


def test_start_then_stop_makes_a_finished_recording_of_the_ongoing_session(
    server: ServerThread,
) -> None:
    r = _post(server, "/v1/rooms/standup/recordings/start")
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["status"] == "sent"
    rec_id = answer["recordingId"]
    seen = _get(server, f"/v1/recordings/{rec_id}")
    assert seen["status"] == "in-progress"
    assert (seen["room_name"], seen["start_ts"], seen["mtgSessionId"]) == ("standup", T, "s1")
    assert "duration" not in seen
    assert seen["max_participants"] == 2  # A and B are both there at T
    _clock(server, T + 90)
    assert _post(server, "/rooms/standup/recordings/stop").json() == {"status": "sent"}
    done = _get(server, f"/v1/recordings/{rec_id}")
    assert (done["status"], done["duration"]) == ("finished", 90)
    _clock(server, T + 3600)
    assert _get(server, f"/v1/recordings/{rec_id}")["duration"] == 90
    assert _get(server, "/v1/recordings")["total_count"] == 1


def test_a_second_start_on_the_same_instance_is_an_active_stream(server: ServerThread) -> None:
    first = _post(server, "/v1/rooms/standup/recordings/start", {"type": "cloud"})
    assert first.status_code == 200, first.text
    _error(
        _post(server, "/v1/rooms/standup/recordings/start"),
        400,
        "invalid-request-error",
        "has an active stream",
    )
    other = _post(
        server, "/v1/rooms/standup/recordings/start", {"type": "raw-tracks", "instanceId": OTHER}
    )
    assert other.status_code == 200, other.text
    assert other.json()["recordingId"] != first.json()["recordingId"]
    # a cloud stop does not reach the raw-tracks recording on OTHER
    _error(
        _post(server, "/v1/rooms/standup/recordings/stop", {"instanceId": OTHER}),
        400,
        "invalid-request-error",
        "no cloud recording in progress",
    )
    stop = _post(
        server, "/v1/rooms/standup/recordings/stop", {"instanceId": OTHER, "type": "raw-tracks"}
    )
    assert stop.status_code == 200, stop.text
    body = _get(server, "/v1/recordings?in_progress=true")
    assert [r["id"] for r in body["data"]] == [first.json()["recordingId"]]


def test_nobody_in_the_room_unknown_room_and_nothing_to_stop(server: ServerThread) -> None:
    _error(
        _post(server, "/v1/rooms/empty/recordings/start"), 404, "not-found", "not hosting a call"
    )
    _error(_post(server, "/v1/rooms/nope/recordings/start"), 404, "not-found", "room nope")
    _error(_post(server, "/v1/rooms/nope/recordings/stop"), 404, "not-found", "room nope")
    _error(
        _post(server, "/v1/rooms/standup/recordings/stop"),
        400,
        "invalid-request-error",
        "no cloud recording in progress",
    )
    _error(
        _post(server, "/v1/rooms/standup/recordings/update", {"layout": {"preset": "default"}}),
        400,
        "invalid-request-error",
        "no recording in progress",
    )
    started = _post(server, "/v1/rooms/standup/recordings/start")
    assert started.status_code == 200
    assert _post(server, "/v1/rooms/standup/recordings/stop").status_code == 200
    # a duplicate stop is a 400 too
    _error(_post(server, "/v1/rooms/standup/recordings/stop"), 400, "invalid-request-error", "no")
    assert _get(server, "/v1/recordings")["total_count"] == 1


def test_update_answers_sent_and_refuses_raw_tracks(server: ServerThread) -> None:
    assert _post(server, "/v1/rooms/standup/recordings/start").status_code == 200
    r = _post(
        server,
        "/v1/rooms/standup/recordings/update",
        {"layout": {"preset": "portrait", "variant": "inset", "max_cam_streams": 2}},
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "sent"}
    _error(
        _post(server, "/v1/rooms/standup/recordings/update", {"type": "raw-tracks"}),
        400,
        "invalid-request-error",
        "cannot be updated",
    )


def test_a_recording_stops_at_its_max_duration_or_its_session_s_end(
    server: ServerThread,
) -> None:
    short = _post(server, "/v1/rooms/standup/recordings/start", {"maxDuration": 30}).json()
    _clock(server, T + 30)
    seen = _get(server, f"/v1/recordings/{short['recordingId']}")
    assert (seen["status"], seen["duration"]) == ("finished", 30)
    # the instance is free again: a new recording, stopped by the session's end
    long = _post(server, "/v1/rooms/standup/recordings/start").json()
    left = requests.post(
        server.base_url + "/_fake/leave", json={"participant_id": "p-a"}, timeout=10
    )
    assert left.status_code == 200, left.text
    _clock(server, T + 100)
    assert _get(server, f"/v1/recordings/{long['recordingId']}")["status"] == "in-progress"
    _clock(server, T + 400)  # B, the last one there, left at T + 300: the session ended
    ended = _get(server, f"/v1/recordings/{long['recordingId']}")
    assert (ended["status"], ended["duration"]) == ("finished", 270)
    _error(
        _post(server, "/v1/rooms/standup/recordings/start"), 404, "not-found", "not hosting a call"
    )


def test_a_recording_of_a_live_join_until_the_leave(server: ServerThread) -> None:
    joined = requests.post(
        server.base_url + "/_fake/join", json={"room": "empty", "user_name": "Z"}, timeout=10
    )
    assert joined.status_code == 201, joined.text
    who = joined.json()
    started = _post(server, "/v1/rooms/empty/recordings/start").json()
    _clock(server, T + 45)
    requests.post(
        server.base_url + "/_fake/leave", json={"participant_id": who["participant_id"]}, timeout=10
    )
    seen = _get(server, f"/v1/recordings/{started['recordingId']}")
    assert (seen["status"], seen["duration"], seen["mtgSessionId"]) == (
        "finished",
        45,
        who["session_id"],
    )
    assert seen["max_participants"] == 1


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"type": "video"}, '"type"'),
        ({"instanceId": "nope"}, '"instanceId"'),
        ({"instanceId": 5}, '"instanceId"'),
        ({"width": 641}, "even"),
        ({"height": "720"}, '"height"'),
        ({"videoBitrate": 5}, '"videoBitrate"'),
        ({"audioBitrate": 321}, '"audioBitrate"'),
        ({"maxDuration": 0}, '"maxDuration"'),
        ({"maxDuration": True}, '"maxDuration"'),
        ({"backgroundColor": "red"}, '"backgroundColor"'),
        ({"layout": "default"}, '"layout"'),
        ({"layout": {}}, '"layout.preset"'),
        ({"layout": {"preset": "active-participant", "max_cam_streams": 2}}, "is not allowed"),
        ({"layout": {"preset": "default", "max_cam_streams": 21}}, "max_cam_streams"),
        ({"layout": {"preset": "raw-tracks-audio-only"}}, "raw-tracks"),
        ({"colour": "#000000"}, '"colour" is not allowed'),
    ],
)
def test_a_bad_start_body_is_a_400_naming_the_field_and_starts_nothing(
    server: ServerThread, body: dict[str, Any], words: str
) -> None:
    _error(
        _post(server, "/v1/rooms/standup/recordings/start", body),
        400,
        "invalid-request-error",
        words,
    )
    assert _get(server, "/v1/recordings")["total_count"] == 0


def test_a_full_start_body_and_a_stop_without_a_body(server: ServerThread) -> None:
    body = {
        "type": "cloud-audio-only",
        "instanceId": OTHER.upper(),
        "layout": {"preset": "custom", "composition_params": {"x": 1}, "participants": {}},
        "width": 1280,
        "height": 720,
        "fps": 30,
        "videoBitrate": 2000,
        "audioBitrate": 128,
        "minIdleTimeOut": 300,
        "maxDuration": 600,
        "backgroundColor": "#FF112233",
    }
    assert _post(server, "/v1/rooms/standup/recordings/start", body).status_code == 200
    r = requests.post(
        server.base_url + "/v1/rooms/standup/recordings/stop",
        data=b"",
        headers={**KEY, "Content-Type": ""},
        timeout=10,
    )
    _error(r, 400, "invalid-request-error", "no cloud recording")  # the default instance
    stop = _post(server, "/v1/rooms/standup/recordings/stop", {"instanceId": OTHER})
    assert stop.status_code == 200, stop.text


def test_a_fault_answers_the_start_like_any_daily_route(server: ServerThread) -> None:
    fault = requests.post(
        server.base_url + "/_fake/faults",
        json={"path": "/v1/rooms/standup/recordings/start", "status": 503},
        timeout=10,
    )
    assert fault.status_code in (200, 201), fault.text
    assert _post(server, "/v1/rooms/standup/recordings/start").status_code == 503
    assert _get(server, "/v1/recordings")["total_count"] == 0
    assert _post(server, "/v1/rooms/standup/recordings/start").status_code == 200


def test_a_reset_forgets_started_recordings_and_their_ids_repeat(server: ServerThread) -> None:
    first = _post(server, "/v1/rooms/standup/recordings/start").json()["recordingId"]
    r = requests.post(server.base_url + "/_fake/reset", timeout=10)
    assert r.status_code == 200, r.text
    assert _get(server, "/v1/recordings")["total_count"] == 0
    again = _post(server, "/v1/rooms/standup/recordings/start").json()["recordingId"]
    assert again == first


def test_recordings_per_namespace_are_bounded(server: ServerThread) -> None:
    """A client starting and stopping recordings in a loop is stopped at the namespace's bound
    (MAX_RECORDINGS; a bound of 2 here) with a 400 naming it, and nothing is recorded."""
    from fake_meetings.api.keys import NAMESPACES
    from fake_meetings.state.namespaces import Bounds

    server.app[NAMESPACES].default.bounds = Bounds(recordings=2)
    for _ in range(2):
        assert _post(server, "/v1/rooms/standup/recordings/start").status_code == 200
        assert _post(server, "/v1/rooms/standup/recordings/stop").status_code == 200
    _error(
        _post(server, "/v1/rooms/standup/recordings/start"),
        400,
        "invalid-request-error",
        "a namespace holds at most 2 recordings",
    )
    assert _get(server, "/v1/recordings")["total_count"] == 2
