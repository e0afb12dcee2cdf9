"""Issue 26, item 1: JSON nested deeper than the fake's bound (64 levels) is refused where it is
read, with Daily's 400 envelope naming the bound, and nothing is stored: orjson reads 1,024
levels but writes 255, so a deep value once kept made every answer that writes it a 500.

On a real server (127.0.0.1, port 0) with ``requests``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt
import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import ScenarioError, load_text
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is")  # a short test key, on purpose
KEY = "test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
DEEP = 300  # past orjson's 255 levels of writing, within its 1,024 of reading


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def server(serve: Serve, plain: Http) -> Http:
    return plain.at(serve(World([], Clock(NOW))).base_url)


def test_a_deep_room_is_refused_and_not_stored(serve: Serve, plain: Http) -> None:
    c = server(serve, plain)
    body = {"name": "deep", "properties": nested(DEEP)}
    error(c.post("/v1/rooms", body, headers=AUTH), 400, "invalid-request-error", "64 levels")
    assert ok(c.get("/v1/rooms", headers=AUTH))["total_count"] == 0
    error(c.get("/v1/rooms/deep", headers=AUTH), 404, "not-found")
    ok(c.post("/v1/rooms", {"name": "deep"}, headers=AUTH))
    info = error(
        c.post("/v1/rooms/deep", {"properties": nested(DEEP)}, headers=AUTH),
        400,
        "invalid-request-error",
    )
    assert "nested more than 64 levels" in info and "body.properties" in info, info
    assert ok(c.get("/v1/rooms/deep", headers=AUTH))["name"] == "deep"
    assert ok(c.get("/v1/rooms", headers=AUTH))["total_count"] == 1


def test_deeper_than_orjson_reads_is_the_same_400(serve: Serve, plain: Http) -> None:
    c = server(serve, plain)
    text = '{"name": "x", "properties": ' + '{"a": ' * 2000 + "1" + "}" * 2001
    error(c.post("/v1/rooms", text, headers=AUTH), 400, "invalid-request-error", "64 levels")
    error(c.post("/_fake/clock", "[" * 2000 + "]" * 2000), 400, "invalid-request-error", "64")


def test_the_bound_itself_is_accepted(serve: Serve, plain: Http) -> None:
    c = server(serve, plain)
    body = {"name": "edge", "properties": nested(63)}  # the body is level 1: 64 in all
    ok(c.post("/v1/rooms", body, headers=AUTH))
    assert ok(c.get("/v1/rooms/edge", headers=AUTH))["config"] == nested(63)
    assert ok(c.get("/v1/rooms", headers=AUTH))["total_count"] == 1


def test_a_deep_token_is_refused_when_minted(serve: Serve, plain: Http) -> None:
    c = server(serve, plain)
    body = {"properties": {"permissions": nested(DEEP)}}
    error(c.post("/v1/meeting-tokens", body, headers=AUTH), 400, "invalid-request-error", "64")


def test_a_self_signed_deep_token_is_refused_not_a_500(serve: Serve, plain: Http) -> None:
    c = server(serve, plain)
    token = jwt.encode({"r": "standup", "p": nested(DEEP)}, KEY, algorithm="HS256")
    info = error(c.get(f"/v1/meeting-tokens/{token}", headers=AUTH), 400, "invalid-request-error")
    assert "payload" in info and "64 levels" in info, info
    fine = jwt.encode({"r": "standup", "p": nested(3)}, KEY, algorithm="HS256")
    assert ok(c.get(f"/v1/meeting-tokens/{fine}", headers=AUTH))["permissions"] == nested(3)


def test_control_plane_bodies_have_the_same_bound(serve: Serve, plain: Http) -> None:
    c = server(serve, plain)
    body = {"room": "standup", "user_name": "x", "extra": nested(DEEP)}
    error(c.post("/_fake/join", body), 400, "invalid-request-error", "64 levels")
    error(c.post("/_fake/faults", {"x": nested(DEEP)}), 400, "invalid-request-error", "64")
    assert ok(c.get("/_fake/clock"))["now"] == NOW


def test_a_scenario_room_config_nested_through_aliases_is_a_problem(
    serve: Serve, plain: Http
) -> None:
    """YAML aliases can nest a value deeper than the document's own 64 levels: each anchor
    holds 55 levels and the alias of the one before."""
    parts = []
    for i in range(6):
        inner = f"*a{i - 1}" if i else "1"
        parts.append(f"k{i}: &a{i} " + "[" * 55 + inner + "]" * 55)
    text = "rooms:\n  - name: r\n    config: {" + ", ".join(parts) + "}\n"
    try:
        load_text(text, "deep.yaml")
    except ScenarioError as exc:
        assert str(exc).startswith("deep.yaml:3: rooms[0].config: "), str(exc)
        assert "64 levels" in str(exc)
    else:
        raise AssertionError("a config nested 330 levels was loaded")
    c = server(serve, plain)
    error(c.post("/_fake/scenario", text), 400, "invalid-request-error", "64 levels")
    assert ok(c.get("/v1/rooms", headers=AUTH))["total_count"] == 0
