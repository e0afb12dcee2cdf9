"""``POST /rooms/:name/transcription/start | update | stop`` (contract part three, §3.3) on a
real server: a transcription belongs to the room's ongoing session and runs until stopped or
its session ends; the bodies are checked; the errors are Daily's (nobody in the room, already
in progress on the instance, nothing to update or stop, an unknown room); faults, reset and
the namespace's bound apply; every answer is checked against the OpenAPI document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.testing import ServerThread
from tests.helpers.transcripts import (
    KEY,
    Checked,
    T,
    clock,
    error,
    listed,
    served,
    start,
    stop,
)


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with served() as running:
        yield running


@pytest.fixture
def api(server: ServerThread) -> Checked:
    return Checked(server)


def test_the_session_s_end_stops_it(server: ServerThread, api: Checked) -> None:
    joined = requests.post(
        api.base + "/_fake/join", json={"room": "empty", "user_name": "Zed"}, timeout=10
    )
    assert joined.status_code == 201, joined.text
    start(api, "empty")
    clock(server, T + 90)
    left = requests.post(
        api.base + "/_fake/leave",
        json={"participant_id": joined.json()["participant_id"]},
        timeout=10,
    )
    assert left.status_code == 200, left.text
    clock(server, T + 200)
    seen = listed(api, mtgSessionId=joined.json()["session_id"])
    assert seen["total_count"] == 1
    assert (seen["data"][0]["status"], seen["data"][0]["duration"]) == ("t_finished", 90)
    error(stop(api, "empty"), 404, "not-found", "no transcription to stop")


def test_start_update_stop_errors(api: Checked) -> None:
    error(start(api, "empty"), 404, "not-found", "not hosting a call")
    error(start(api, "nowhere"), 404, "not-found", "nowhere")
    error(stop(api), 404, "not-found", "no transcription to stop")
    update = "/rooms/{name}/transcription/update"
    error(
        api.call("POST", update, "/rooms/standup/transcription/update"),
        404,
        "not-found",
        "no transcription to update",
    )
    start(api)
    error(start(api), 400, "invalid-request-error", "already")
    other = {"instanceId": "0b6f1f36-3f2e-4b4e-9a55-2a5a2d1f0c11"}
    assert start(api, body=other).status_code == 200  # another instance: a second transcript
    assert (
        api.call(
            "POST", update, "/rooms/standup/transcription/update", {"participants": ["p-a"]}
        ).status_code
        == 200
    )
    assert stop(api, body=other).status_code == 200
    assert stop(api).status_code == 200
    assert listed(api)["total_count"] == 2


@pytest.mark.parametrize(
    ("body", "info"),
    [
        ({"nope": 1}, '"nope" is not allowed'),
        ({"language": 3}, '"language"'),
        ({"punctuate": "yes"}, '"punctuate"'),
        ({"endpointing": -5}, '"endpointing"'),
        ({"redact": [1]}, '"redact"'),
        ({"extra": []}, '"extra"'),
        ({"participants": "p-a"}, '"participants"'),
        ({"instanceId": "x"}, '"instanceId"'),
    ],
)
def test_start_bodies_are_checked(api: Checked, body: dict[str, Any], info: str) -> None:
    error(start(api, body=body), 400, "invalid-request-error", info)
    assert listed(api)["total_count"] == 0


def test_a_fault_answers_the_start_like_any_daily_route(server: ServerThread, api: Checked) -> None:
    fault = requests.post(
        api.base + "/_fake/faults",
        json={"path": "/v1/rooms/standup/transcription/start", "status": 503},
        timeout=10,
    )
    assert fault.status_code in (200, 201), fault.text
    raw = requests.post(api.base + "/v1/rooms/standup/transcription/start", headers=KEY, timeout=10)
    assert raw.status_code == 503, raw.text  # an injected fault: not in the document
    assert listed(api)["total_count"] == 0
    assert start(api).status_code == 200


def test_a_reset_forgets_them_and_ids_repeat(server: ServerThread, api: Checked) -> None:
    start(api)
    first = listed(api)["data"][0]["transcriptId"]
    assert requests.post(api.base + "/_fake/reset", timeout=10).status_code == 200
    assert listed(api)["total_count"] == 0
    start(api)
    assert listed(api)["data"][0]["transcriptId"] == first


def test_transcripts_per_namespace_are_bounded(
    server: ServerThread, api: Checked, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fake_meetings.state import transcription

    monkeypatch.setattr(transcription, "MAX_TRANSCRIPTS", 2)
    for _ in range(2):
        assert start(api).status_code == 200
        assert stop(api).status_code == 200
    error(start(api), 400, "invalid-request-error", "a namespace holds at most 2 transcripts")
    assert listed(api)["total_count"] == 2
