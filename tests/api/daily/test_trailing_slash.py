"""One trailing slash more or less: Daily's own demos
post to ``/v1/rooms/`` and ``/v1/meeting-tokens/``. Every Daily route answers the same in both
forms, on a real server; the journal keeps the path as it was sent."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from fake_meetings.api.routes import daily_routes
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.scenarios import small_scenario

Serve = Callable[..., ServerThread]
KEY = {"Authorization": "Bearer test-key"}


def _other(path: str) -> str:
    """The path in the form its route was not declared in (written here, not imported)."""
    return path[:-1] if path.endswith("/") else path + "/"


def test_daily_demos_create_rooms_and_tokens_with_a_trailing_slash(
    serve: Serve, http_client: Http
) -> None:
    c = http_client.at(serve(small_scenario().world()).base_url)
    room = ok(c.post("/v1/rooms/", {"name": "slashed", "privacy": "private"}, headers=KEY))
    assert (room["name"], room["privacy"]) == ("slashed", "private")
    assert ok(c.get("/v1/rooms/slashed/", headers=KEY)) == room
    assert ok(c.get("/v1/rooms/slashed", headers=KEY)) == room
    token = ok(c.post("/v1/meeting-tokens/", {"properties": {"room_name": "slashed"}}, headers=KEY))
    seen = ok(c.get(f"/v1/meeting-tokens/{token['token']}/", headers=KEY))
    assert seen == ok(c.get(f"/v1/meeting-tokens/{token['token']}", headers=KEY))
    assert seen["room_name"] == "slashed"
    updated = ok(c.post("/rooms/slashed/", {"privacy": "public"}, headers=KEY))
    assert updated["privacy"] == "public"
    assert ok(c.delete("/v1/rooms/slashed/", headers=KEY)) == {"deleted": True, "name": "slashed"}
    error(c.get("/v1/rooms/slashed/", headers=KEY), 404, "not-found", "room slashed not found")


READS = [
    "/v1/meetings",
    "/v1/meetings/s-01",
    "/v1/meetings/s-01/participants",
    "/v1/presence",
    "/v1/rooms",
    "/v1/rooms/standup",
    "/v1/rooms/standup/presence",
    "/v1/webhooks",
    "/meetings",
    "/rooms/retro",
]


@pytest.mark.parametrize("path", READS)
def test_a_read_answers_the_same_with_a_trailing_slash(
    small_server: ServerThread, http_client: Http, path: str
) -> None:
    c = http_client.at(small_server.base_url)
    plain, slashed = c.get(path, headers=KEY), c.get(path + "/", headers=KEY)
    assert (slashed.status, slashed.body) == (plain.status, plain.body)
    assert plain.status == 200
    query = {"limit": "1"}
    plain, slashed = (c.get(p, headers=KEY, params=query) for p in (path, path + "/"))
    assert (slashed.status, slashed.body) == (plain.status, plain.body)


VALUES = {"name": "standup", "meeting": "s-01"}  # any other parameter: "x"


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: VALUES.get(m.group(1), "x"), path)


@pytest.mark.parametrize(
    ("method", "path"), [(r.method, r.path) for r in daily_routes()], ids=lambda v: str(v)
)
def test_every_daily_route_is_served_in_its_other_form(
    small_server: ServerThread, plain: Http, method: str, path: str
) -> None:
    """No route answers ``no route`` in the other form, nor 405 (a body that is no valid one
    still reaches the route: its error names the route's own rule, not the path)."""
    c = plain.at(small_server.base_url)
    for prefix in ("/v1", ""):
        other = _other(prefix + _concrete(path))
        if not other:
            continue
        r = c.call(method, other, b"not json" if method == "POST" else None, headers=KEY)
        body: Any = r.json()
        assert not (isinstance(body, dict) and "no route" in body.get("info", "")), (other, body)
        assert r.status != 405, (other, body)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/rooms/", {"GET", "POST"}),
        ("PATCH", "/v1/rooms/any-room/", {"GET", "POST", "DELETE"}),
        ("DELETE", "/v1/meetings/", {"GET"}),
    ],
)
def test_a_405_in_the_other_form_names_the_same_methods(
    small_server: ServerThread, plain: Http, method: str, path: str, allowed: set[str]
) -> None:
    r = plain.at(small_server.base_url).call(method, path, headers=KEY)
    error(r, 405, "method-not-allowed")
    assert set(r.headers["allow"].split(",")) == allowed


@pytest.mark.parametrize("path", ["/v1/rooms//", "/v1/meetings//", "/v1//rooms", "/v1/rooms/x//"])
def test_only_one_trailing_slash_is_taken(
    small_server: ServerThread, plain: Http, path: str
) -> None:
    error(plain.at(small_server.base_url).get(path, headers=KEY), 404, "not-found", "no route")


def test_the_journal_keeps_the_path_as_sent(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(small_scenario().world()).base_url)
    ok(c.get("/v1/meetings/", headers=KEY, params={"limit": "2"}))
    ok(c.post("/v1/rooms/", {"name": "journaled"}, headers=KEY))
    ok(c.get("/v1/rooms", headers=KEY))
    entries = ok(c.get("/_fake/requests"))["data"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/v1/meetings/", 200),
        ("POST", "/v1/rooms/", 200),
        ("GET", "/v1/rooms", 200),
    ]
