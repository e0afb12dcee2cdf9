"""What one namespace may hold, on a real server: a room's properties (at
most ``rooms.MAX_PROPERTIES`` bytes of JSON), rooms (``--max-rooms``) and sessions
(``--max-sessions``). Crossing a bound is a 400 ``invalid-request-error`` naming it, and
changes nothing; the options read flags and environment variables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest

from fake_meetings.cli import build_parser
from fake_meetings.cli.options import UsageError, server_config
from fake_meetings.config import DEFAULT_MAX_ROOMS, DEFAULT_MAX_SESSIONS
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.rooms import MAX_PROPERTIES
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import ScenarioError, load_data
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
KEY = {"Authorization": "Bearer test-key"}
OTHER = {"Authorization": "Bearer other-key"}


def api(c: Http, method: str, path: str, body: Any = None, headers: Any = KEY) -> Any:
    return c.call(method, path, body, headers=headers)


def padded(size: int) -> dict[str, Any]:
    """Properties whose compact JSON is exactly ``size`` bytes."""
    overhead = len(orjson.dumps({"x": ""}))
    return {"x": "a" * (size - overhead)}


def count(c: Http, path: str, headers: Any = KEY) -> int:
    """``total_count`` of a list: /v1/rooms, or /_fake/sessions for the sessions a namespace
    holds (/v1/meetings leaves out a join not yet recorded: Daily's ten-second rule)."""
    return int(ok(api(c, "GET", path, headers=headers))["total_count"])


def test_room_properties_are_bounded(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(World((), Clock(NOW))).base_url)
    at_bound = padded(MAX_PROPERTIES)
    assert len(orjson.dumps(at_bound)) == MAX_PROPERTIES
    room = ok(api(c, "POST", "/v1/rooms", {"name": "full", "properties": at_bound}))
    assert room["config"] == at_bound
    over = padded(MAX_PROPERTIES + 1)
    info = error(
        api(c, "POST", "/v1/rooms", {"name": "over", "properties": over}),
        400,
        "invalid-request-error",
        "properties",
        f"{MAX_PROPERTIES:,} bytes",
        f"{MAX_PROPERTIES + 1:,}",
    )
    assert info.startswith("properties: ")
    error(api(c, "GET", "/v1/rooms/over"), 404, "not-found")  # nothing created

    # a room grown update by update stops at the bound, and stays as it was
    ok(api(c, "POST", "/v1/rooms", {"name": "grows"}))
    chunk = "b" * (MAX_PROPERTIES // 4)
    kept: dict[str, Any] = {}
    for i in range(3):
        kept[f"k{i}"] = chunk
        assert (
            ok(api(c, "POST", "/v1/rooms/grows", {"properties": {f"k{i}": chunk}}))["config"]
            == kept
        )
    error(
        api(c, "POST", "/v1/rooms/grows", {"properties": {"k3": chunk}}),
        400,
        "invalid-request-error",
        f"{MAX_PROPERTIES:,} bytes",
    )
    assert ok(api(c, "GET", "/v1/rooms/grows"))["config"] == kept
    # a property set to null leaves the config: the room shrinks, and may grow again
    ok(api(c, "POST", "/v1/rooms/grows", {"properties": {"k0": None, "k3": chunk}}))
    # the full room changes privacy, its properties untouched
    assert ok(api(c, "POST", "/v1/rooms/full", {"privacy": "private"}))["config"] == at_bound


def test_a_scenario_room_config_is_bounded() -> None:
    data = {"rooms": [{"name": "big", "config": padded(MAX_PROPERTIES + 1)}]}
    with pytest.raises(ScenarioError, match=f"at most {MAX_PROPERTIES:,} bytes"):
        load_data(data, "bounds-test", now=NOW)
    fits = load_data({"rooms": [{"name": "big", "config": padded(MAX_PROPERTIES)}]}, "t", now=NOW)
    assert len(fits.rooms) == 1


def test_rooms_per_namespace_are_bounded(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(World((), Clock(NOW)), max_rooms=3, namespaces=True).base_url)
    for name in ("a", "b", "c"):
        ok(api(c, "POST", "/v1/rooms", {"name": name}))
    for body in ({"name": "d"}, {}):  # named or not
        error(
            api(c, "POST", "/v1/rooms", body),
            400,
            "invalid-request-error",
            "at most 3 rooms",
            "--max-rooms",
            "would make 4",
        )
    assert count(c, "/v1/rooms") == 3
    # a join naming a new room into being is refused too: no room, no session
    error(
        c.post("/_fake/join", {"room": "e"}, headers=KEY),
        400,
        "invalid-request-error",
        "--max-rooms",
    )
    assert count(c, "/v1/rooms") == 3 and count(c, "/_fake/sessions") == 0
    ok(c.post("/_fake/join", {"room": "a"}, headers=KEY), 201)  # a room that exists: fine
    # so is a load that declares or implies one room too many, whole
    rooms = [{"name": n} for n in ("p", "q", "r", "s")]
    error(
        c.post("/_fake/scenario", {"rooms": rooms}, headers=KEY),
        400,
        "invalid-request-error",
        "would make 4",
    )
    sessions = [
        {
            "room": "x",
            "start_time": NOW - 60,
            "participants": [{"join_time": NOW - 60, "duration": 5}],
        }
    ]
    error(
        c.post("/_fake/sessions", sessions, headers=KEY, params={"mode": "append"}),
        400,
        "invalid-request-error",
        "--max-rooms",
    )
    assert count(c, "/v1/rooms") == 3 and count(c, "/_fake/sessions") == 1
    # another key's namespace holds its own rooms; a delete makes room
    ok(api(c, "POST", "/v1/rooms", {"name": "d"}, headers=OTHER))
    ok(api(c, "DELETE", "/v1/rooms/c"))
    ok(api(c, "POST", "/v1/rooms", {"name": "d"}))
    assert count(c, "/v1/rooms") == 3


def test_sessions_per_namespace_are_bounded(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(World((), Clock(NOW)), max_sessions=4).base_url)
    generate = {"generate": {"sessions": 3, "rooms": 2, "seed": 1}}
    assert ok(c.post("/_fake/scenario", generate))["sessions"] == 3
    info = error(
        c.post("/_fake/scenario", generate, params={"mode": "append"}),
        400,
        "invalid-request-error",
        "at most 4 sessions",
        "--max-sessions",
        "would make 6",
    )
    assert info.startswith("sessions: ")
    assert count(c, "/_fake/sessions") == 3
    big = {"generate": {"sessions": 5, "rooms": 2, "seed": 1}}
    error(c.post("/_fake/scenario", big), 400, "invalid-request-error", "would make 5")
    assert count(c, "/_fake/sessions") == 3
    ok(c.post("/_fake/join", {"room": "live-1"}), 201)  # a new session: the fourth
    ok(c.post("/_fake/join", {"room": "live-1"}), 201)  # the same session: no more
    error(c.post("/_fake/join", {"room": "live-2"}), 400, "invalid-request-error", "would make 5")
    assert count(c, "/_fake/sessions") == 4
    error(c.get("/v1/rooms/live-2", headers=KEY), 404, "not-found")  # no room implied either
    ok(c.post("/_fake/reset"))
    ok(c.post("/_fake/join", {"room": "live-2"}), 201)


def test_the_bound_options() -> None:
    def config(*argv: str) -> Any:
        return server_config(build_parser().parse_args(["serve", *argv]))

    assert (config().max_rooms, config().max_sessions) == (DEFAULT_MAX_ROOMS, DEFAULT_MAX_SESSIONS)
    assert DEFAULT_MAX_ROOMS >= 100_000 and DEFAULT_MAX_SESSIONS > 1_000_000
    chosen = config("--max-rooms", "7", "--max-sessions", "9")
    assert (chosen.max_rooms, chosen.max_sessions) == (7, 9)
    for flag in ("--max-rooms", "--max-sessions"):
        for bad in ("0", "-1", "many"):
            with pytest.raises(UsageError, match=flag):
                config(f"{flag}={bad}")


def test_the_bound_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_MEETINGS_MAX_ROOMS", "11")
    monkeypatch.setenv("FAKE_MEETINGS_MAX_SESSIONS", "12")
    config = server_config(build_parser().parse_args(["serve"]))
    assert (config.max_rooms, config.max_sessions) == (11, 12)
    assert server_config(build_parser().parse_args(["serve", "--max-rooms", "5"])).max_rooms == 5
    monkeypatch.setenv("FAKE_MEETINGS_MAX_SESSIONS", "0")
    with pytest.raises(UsageError, match="FAKE_MEETINGS_MAX_SESSIONS"):
        server_config(build_parser().parse_args(["serve"]))
