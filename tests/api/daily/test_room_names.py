"""Issue 26, item 12: a room name Daily forbids (POST /rooms' rule: A-Z, a-z, 0-9, '-' and '_',
at most 128 characters) enters by no other way either: a scenario's sessions (a problem at its
file and line), the control plane's loads, a live join (400, over HTTP and through the handle),
a token's room_name at a join, a capture. Before, ``a/b``, ``..``, a tab or 5,000 characters
came in that way; GET /v1/rooms then listed them with broken URLs, and ``..`` could be neither
fetched nor deleted.

On a real server (127.0.0.1, port 0) with ``requests``."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import jwt
import pytest

from fake_meetings.client.control import FakeMeetingsError
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.world import World
from fake_meetings.scenario.capture import Unusable, session_from_json
from fake_meetings.scenario.scenario import ScenarioError, load_file
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is")  # a short test key, on purpose
KEY = "test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
DAILY_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")  # docs.daily.co, written here independently
BAD = ["a/b", "..", "tab\there", "x" * 5000, "ünïcode", "a b"]


def sessions_yaml(room: str) -> str:
    quoted = room.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return (
        "sessions:\n"
        f'  - room: "{quoted}"\n'
        f"    start_time: {NOW - 600}\n"
        "    participants:\n"
        f"      - {{user_name: Alice, join_time: {NOW - 600}, duration: 60}}\n"
    )


@pytest.mark.parametrize("room", BAD, ids=["slash", "dots", "tab", "long", "unicode", "space"])
def test_a_scenario_session_in_a_forbidden_room_is_a_problem_at_its_line(
    tmp_path: Path, room: str
) -> None:
    path = tmp_path / "rooms.yaml"
    path.write_text(f"now: {NOW}\n" + sessions_yaml(room))
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: sessions[0].room: "), message
    assert "room names can contain A-Z, a-z, 0-9, '-', and '_'" in message or (
        "at most 128 characters" in message
    )
    assert len(message) < 400, len(message)  # a 5,000-character name is not quoted whole


def test_the_control_plane_loads_refuse_them(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World([], Clock(NOW))).base_url)
    for room in BAD:
        for path in ("/_fake/scenario", "/_fake/sessions"):
            r = c.post(path, sessions_yaml(room))
            error(r, 400, "invalid-request-error", "<request body>:2: sessions[0].room: ")
    assert ok(c.get("/v1/rooms", headers=AUTH))["total_count"] == 0
    ok(c.post("/_fake/sessions", sessions_yaml("fine_Room-1")), 201)
    assert [r["name"] for r in ok(c.get("/v1/rooms", headers=AUTH))["data"]] == ["fine_Room-1"]


def test_a_live_join_refuses_them(serve: Serve, plain: Http) -> None:
    server = serve(World([], Clock(NOW)))
    c = plain.at(server.base_url)
    fake = server.handle(KEY)
    for room in BAD:
        info = error(
            c.post("/_fake/join", {"room": room, "user_name": "A"}), 400, "invalid-request-error"
        )
        assert info.startswith("room: ") and len(info) < 400, info
        with pytest.raises(FakeMeetingsError, match="room: "):
            fake.join(room, user_name="A")
        if len(room) < 200:  # a token carries at most 1,024 characters
            token = jwt.encode({"r": room}, KEY, algorithm="HS256")
            r = c.post("/_fake/join", {"token": token}, headers=AUTH)
            assert error(r, 400, "invalid-request-error").startswith("room: ")
    assert ok(c.get("/v1/rooms", headers=AUTH))["total_count"] == 0
    assert ok(c.get("/v1/meetings", headers=AUTH))["total_count"] == 0
    ok(c.post("/_fake/join", {"room": "ok-room", "user_name": "A"}), 201)
    assert ok(c.get("/v1/rooms/ok-room", headers=AUTH))["name"] == "ok-room"


def test_generated_room_names_follow_the_rule() -> None:
    spec = GenerateSpec(sessions=3000, rooms=2000, seed=random.Random(7).randrange(1000))
    names = {s.room for s in generate(spec, NOW)}
    assert len(names) > 500
    assert all(DAILY_NAME.fullmatch(name) for name in names), sorted(names)[:5]


def test_a_captured_session_in_a_forbidden_room_is_left_out() -> None:
    item = {
        "id": "s-1",
        "room": "a/b",
        "start_time": NOW - 600,
        "duration": 60,
        "ongoing": False,
        "max_participants": 1,
        "participants": [
            {
                "participant_id": "p-1",
                "user_id": None,
                "user_name": "A",
                "join_time": NOW - 600,
                "duration": 60,
            }
        ],
    }
    with pytest.raises(Unusable, match="a/b contains invalid characters"):
        session_from_json(item)
