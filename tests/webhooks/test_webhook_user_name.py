"""``user_name`` in participant webhooks is what the stay holds, as ``/meetings`` and presence
show it: a stay without a name is sent as ``null``,
never ``""`` (reflector's receiver refuses ``""``). ``user_id`` falls back to the participant
id (daily-js's default). Over real HTTP, with a real receiver; expected values are read from
the scenario written here and from the server's own REST answers."""

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
from tests.helpers.receiver import Receiver

MEETING = "22222222-2222-4222-8222-222222222222"
NAMES = {  # participant id -> the user_name the scenario gives it (absent: None)
    "aaaaaaaa-0000-4000-8000-00000000000a": "Ann",
    "bbbbbbbb-0000-4000-8000-00000000000b": None,
    "cccccccc-0000-4000-8000-00000000000c": "",
}
SCENARIO = {
    "now": NOW,
    "sessions": [
        {
            "id": MEETING,
            "room": "names",
            "start_time": NOW + 10,
            "participants": [
                {
                    "participant_id": pid,
                    **({} if name is None else {"user_name": name}),
                    "join_time": NOW + 10 + 5 * i,
                    "duration": 100,
                }
                for i, (pid, name) in enumerate(NAMES.items())
            ],
        }
    ],
}


@pytest.fixture
def server() -> Iterator[ServerThread]:
    config = ServerConfig(port=0, webhooks=Settings(timing=Timing(timeout=1.0)))
    with ServerThread(World(clock=Clock(NOW)), config) as s:
        yield s


def _payloads(receiver: Receiver, kind: str) -> list[dict[str, Any]]:
    events = [json.loads(r.body) for r in receiver.events()]
    return [e["payload"] for e in events if e["type"] == kind]


def _get(server: ServerThread, path: str) -> Any:
    r = requests.get(server.url + path, headers=AUTH, timeout=TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_stay_without_a_name_is_sent_as_null_like_meetings_and_presence_show_it(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    handle.load(SCENARIO)
    handle.webhooks.point_at(receiver.url)
    handle.clock.advance(30)  # every join passed, nobody left yet
    present = {p["id"]: p["userName"] for p in _get(server, "/rooms/names/presence")["data"]}
    joined = _payloads(receiver, "participant.joined")
    assert {p["session_id"]: p["user_name"] for p in joined} == NAMES == present
    assert all(p["user_id"] == p["session_id"] for p in joined)  # no token gave one
    anonymous = next(r.body for r in receiver.events() if b"bbbbbbbb" in r.body)
    assert b'"user_name":null' in anonymous  # the raw bytes, as JSON.stringify writes them
    handle.clock.advance(200)  # every leave passed
    left = _payloads(receiver, "participant.left")
    shown = {
        p["participant_id"]: p["user_name"]
        for p in _get(server, f"/meetings/{MEETING}/participants")["data"]
    }
    assert {p["session_id"]: p["user_name"] for p in left} == NAMES == shown


def test_a_live_join_without_a_name_is_sent_as_null(
    server: ServerThread, receiver: Receiver
) -> None:
    handle = server.handle()
    handle.webhooks.point_at(receiver.url, event_types=["participant.joined", "participant.left"])
    anonymous = handle.join("live")
    token = handle.token(room_name="live", user_id="u-7")  # a token without a user_name
    with_token = handle.join("live", token=token)
    named = handle.join("live", user_name="Bea")
    handle.clock.advance(20)
    for p in (anonymous, with_token, named):
        p.leave()
    expected = {
        anonymous.participant_id: (anonymous.participant_id, None),
        with_token.participant_id: ("u-7", None),
        named.participant_id: (named.participant_id, "Bea"),
    }
    for kind in ("participant.joined", "participant.left"):
        sent = {p["session_id"]: (p["user_id"], p["user_name"]) for p in _payloads(receiver, kind)}
        assert sent == expected, kind
