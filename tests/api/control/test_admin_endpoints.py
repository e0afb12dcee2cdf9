"""Every control-plane endpoint over real HTTP (``requests`` and ``aiohttp``): the wire format
the pytest plugin's external-server mode is written against."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from fake_meetings import __version__
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import (
    SCENARIO_FIELDS,
    VERSION_HEADER,
    Http,
    as_yaml_sessions,
    error,
    ok,
    rooms_scenario,
    session,
)
from tests.helpers.constants import AUTH, DAY, NOW
from tests.helpers.scenarios import Scenario, small_scenario

Serve = Callable[..., ServerThread]


def started(serve: Serve, scenario: Scenario | None = None, **options: Any) -> ServerThread:
    return serve((scenario or small_scenario()).world(), **options)


def ids(page: dict[str, Any]) -> list[str]:
    return [s["id"] for s in page["data"]]


# ----------------------------------------------------------------- health, version, header


def test_health_and_version(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    health = ok(c.get("/_fake/health"))
    assert health == {"status": "ok", "version": __version__, "sessions": len(small.sessions)}
    version = ok(c.get("/_fake/version"))
    assert version["version"] == __version__
    assert version["emulates"] == "Daily REST API v1"
    assert version["routes"] == [
        "GET /v1/meetings",
        "GET /v1/meetings/{meeting}",
        "GET /v1/meetings/{meeting}/participants",
        "GET /v1/rooms",
        "POST /v1/rooms",
        "GET /v1/rooms/{name}",
        "POST /v1/rooms/{name}",
        "DELETE /v1/rooms/{name}",
        "GET /v1/presence",
        "GET /v1/rooms/{name}/presence",
        "POST /v1/meeting-tokens",
        "GET /v1/meeting-tokens/{token}",
        "GET /v1/webhooks",
        "POST /v1/webhooks",
        "GET /v1/webhooks/{uuid}",
        "POST /v1/webhooks/{uuid}",
        "DELETE /v1/webhooks/{uuid}",
        "GET /v1/",
        "POST /v1/",
        "GET /v1/recordings",
        "GET /v1/recordings/{id}",
        "DELETE /v1/recordings/{id}",
        "GET /v1/recordings/{id}/access-link",
        "POST /v1/rooms/{name}/recordings/start",
        "POST /v1/rooms/{name}/recordings/update",
        "POST /v1/rooms/{name}/recordings/stop",
        "GET /v1/transcript",
        "GET /v1/transcript/{id}",
        "DELETE /v1/transcript/{id}",
        "GET /v1/transcript/{id}/access-link",
        "POST /v1/rooms/{name}/transcription/start",
        "POST /v1/rooms/{name}/transcription/update",
        "POST /v1/rooms/{name}/transcription/stop",
    ]


def test_every_response_carries_the_version_header(serve: Serve, http_client: Http) -> None:
    c = http_client.at(started(serve).base_url)
    answers = [
        c.api("/v1/meetings"),  # API 200
        c.api("/meetings/s-01"),
        c.api("/v1/meetings", limit="x"),  # API 400
        c.get("/v1/meetings"),  # no auth: 400
        c.api("/v1/meetings/nope"),  # 404
        c.api("/v1/nowhere"),  # no route
        c.call("POST", "/v1/meetings", headers=AUTH),  # 405
        c.get("/_fake/health"),
        c.get("/_fake/clock"),
        c.post("/_fake/clock", "not json"),  # control-plane 400
        c.get("/_fake/nowhere"),  # control-plane 404
        c.call("PUT", "/_fake/clock"),  # control-plane 405
    ]
    for r in answers:
        assert r.headers.get(VERSION_HEADER) == __version__, (r.status, r.body[:200])


def test_a_request_too_broken_to_reach_the_app_still_gets_the_header(serve: Serve) -> None:
    server = started(serve)
    request = b"GET /v1/meetings HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer and len(answer) < 65536:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    head = answer.split(b"\r\n\r\n")[0].decode("latin-1").lower()
    assert head.split()[1] == "400", head  # answered before any route or middleware ran
    assert f"{VERSION_HEADER}: {__version__}" in head.splitlines(), head


def test_405_on_the_control_plane_names_the_allowed_methods(serve: Serve, plain: Http) -> None:
    c = plain.at(started(serve).base_url)
    r = c.call("PUT", "/_fake/clock")
    error(r, 405, "method-not-allowed", "GET", "POST")
    assert set(r.headers["allow"].split(",")) >= {"GET", "POST"}


# ----------------------------------------------------------------- scenario, reset, sessions


def test_scenario_replace_then_reset(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    new = rooms_scenario("lab", 3, NOW - DAY, NOW)
    body = ok(c.post("/_fake/scenario", as_yaml_sessions(new.sessions)))
    assert set(body) == SCENARIO_FIELDS
    assert body == {"sessions": 3, "now": NOW, "frozen": True}  # no now: the clock is kept
    page = ok(c.api("/v1/meetings"))
    assert page["total_count"] == 3
    assert ids(page) == new.ordered_ids()
    assert page["data"] == [s.expected(NOW) for s in new.ordered()]

    ok(c.post("/_fake/clock", {"advance": 120}))
    ok(c.post("/_fake/faults", {"status": 500}), 201)
    c.api("/v1/meetings")  # answered by the fault, and journaled
    assert ok(c.get("/_fake/requests"))["data"]
    body = ok(c.post("/_fake/reset"))
    assert body == {"sessions": len(small.sessions), "now": NOW, "frozen": True}
    assert ids(ok(c.api("/v1/meetings"))) == small.ordered_ids()
    assert ok(c.get("/_fake/faults")) == {"data": []}
    journal = ok(c.get("/_fake/requests"))["data"]
    assert [e["status"] for e in journal] == [200]  # only the request after the reset


def test_scenario_with_now_freezes_the_clock_and_relative_times_count_from_it(
    serve: Serve, http_client: Http
) -> None:
    c = http_client.at(started(serve).base_url)
    t = NOW + 5 * DAY
    text = (
        f"now: {t}\n"
        "sessions:\n"
        "  - {id: rel, room: r, start_time: -2h, participants: [{join_time: -2h, duration: 60}]}\n"
        "  - id: live\n"
        "    room: r\n"
        "    start_time: -10m\n"
        "    ongoing: true\n"
        "    participants: [{participant_id: here, join_time: -10m}]\n"
    )
    assert ok(c.post("/_fake/scenario", text)) == {"sessions": 2, "now": t, "frozen": True}
    assert ok(c.get("/_fake/clock")) == {"now": t, "frozen": True}
    rel = ok(c.api("/v1/meetings/rel"))
    assert rel["start_time"] == t - 7200
    assert ok(c.api("/v1/meetings/live"))["duration"] == 600


def test_scenario_as_json_without_content_type(serve: Serve, plain: Http) -> None:
    c = plain.at(started(serve).base_url)
    new = rooms_scenario("json", 2, NOW - 3600, NOW)
    body = ok(c.post("/_fake/scenario", new.as_data()))  # plain bytes, no Content-Type
    assert body == {"sessions": 2, "now": NOW, "frozen": True}
    assert ids(ok(c.api("/v1/meetings"))) == new.ordered_ids()


def test_scenario_append(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    extra = rooms_scenario("extra", 2, NOW - 3 * DAY, NOW)
    body = ok(
        c.post("/_fake/scenario", as_yaml_sessions(extra.sessions), params={"mode": "append"})
    )
    assert body["sessions"] == len(small.sessions) + 2
    both = Scenario(small.sessions + extra.sessions)
    page = ok(c.api("/v1/meetings"))
    assert page["total_count"] == len(both.sessions)
    assert ids(page) == both.ordered_ids()


def test_scenario_bad_mode(serve: Serve, plain: Http) -> None:
    c = plain.at(started(serve).base_url)
    error(
        c.post("/_fake/scenario", "sessions: []", params={"mode": "merge"}),
        400,
        "invalid-request-error",
        "mode",
        "replace",
        "append",
    )


def test_scenario_error_names_body_line_and_path_and_changes_nothing(
    serve: Serve, http_client: Http
) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    specs = rooms_scenario("ok", 4, NOW - DAY, NOW).sessions
    text = as_yaml_sessions(specs)
    # sessions[3].room becomes a list: a line we can compute from the text
    lines = text.splitlines()
    room_line = [i for i, line in enumerate(lines) if line.strip() == "room: ok"][3]
    lines[room_line] = "    room: [not, a, string]"
    info = error(c.post("/_fake/scenario", "\n".join(lines) + "\n"), 400, "invalid-request-error")
    assert info.startswith(f"<request body>:{room_line + 1}: sessions[3].room: "), info
    assert ids(ok(c.api("/v1/meetings"))) == small.ordered_ids()


def test_add_sessions_as_a_list_and_as_a_mapping(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    one = session("added-1", "newroom", NOW - 500)
    two = session("added-2", "newroom", NOW - 400, ongoing=True)
    r = c.post("/_fake/sessions", [one.as_data()])
    assert ok(r, 201) == {"sessions": len(small.sessions) + 1}
    r = c.post("/_fake/sessions", {"sessions": [two.as_data()]})
    assert ok(r, 201) == {"sessions": len(small.sessions) + 2}
    assert ok(c.api("/v1/meetings/added-1")) == one.expected(NOW)
    assert ok(c.api("/v1/meetings/added-2")) == two.expected(NOW)
    room = ok(c.api("/v1/meetings", room="newroom"))
    assert ids(room) == ["added-2", "added-1"]


def test_add_sessions_id_clash_is_400_and_adds_nothing(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    fresh = session("fresh", "r", NOW - 900)
    clash = session("s-01", "r", NOW - 800)  # s-01 is served already
    info = error(
        c.post("/_fake/sessions", [fresh.as_data(), clash.as_data()]),
        400,
        "invalid-request-error",
        "sessions[1].id",
        "'s-01'",
    )
    assert info.startswith("<request body>:1: "), info
    assert ok(c.get("/_fake/sessions"))["total_count"] == len(small.sessions)
    error(c.api("/v1/meetings/fresh"), 404, "not-found")


def test_dump_sessions_renders_like_the_api(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    dump = ok(c.get("/_fake/sessions"))
    assert dump["total_count"] == len(small.sessions)
    assert dump["data"] == [s.expected(NOW) for s in small.ordered()]


# ----------------------------------------------------------------- clock


def test_clock_freeze_advance_and_real(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(started(serve, small).base_url)
    assert ok(c.get("/_fake/clock")) == {"now": NOW, "frozen": True}
    assert ok(c.post("/_fake/clock", {"advance": 90})) == {"now": NOW + 90, "frozen": True}
    assert ok(c.post("/_fake/clock", {"advance": -30})) == {"now": NOW + 60, "frozen": True}
    # an ongoing session's duration follows the server clock
    ongoing = small.by_id["s-07"]
    assert ok(c.api("/v1/meetings/s-07"))["duration"] == ongoing.duration_at(NOW + 60)
    t = NOW + 3 * DAY
    assert ok(c.post("/_fake/clock", {"freeze_at": t})) == {"now": t, "frozen": True}
    iso = ok(c.post("/_fake/clock", {"freeze_at": "2024-06-02T00:00:00Z"}))
    assert iso == {"now": NOW + 12 * 3600, "frozen": True}
    real = ok(c.post("/_fake/clock", {"real": True}))
    assert real["frozen"] is False
    wall = ok(c.get("/_fake/clock"))["now"]
    assert abs(real["now"] - wall) <= 2
    assert wall > NOW + 365 * DAY  # the machine's clock, far after the test data's NOW
    # advance on a real clock shifts it
    shifted = ok(c.post("/_fake/clock", {"advance": 10 * DAY}))
    assert shifted["frozen"] is False
    assert abs(shifted["now"] - (wall + 10 * DAY)) <= 2


def test_reset_returns_a_real_clock_to_real_time(serve: Serve, plain: Http) -> None:
    server = serve(World(small_scenario().world().store.sessions, Clock()))
    c = plain.at(server.base_url)
    start = ok(c.get("/_fake/clock"))
    assert start["frozen"] is False
    ok(c.post("/_fake/clock", {"freeze_at": 1000}))
    assert ok(c.post("/_fake/reset"))["frozen"] is False
    assert abs(ok(c.get("/_fake/clock"))["now"] - start["now"]) <= 2


# ----------------------------------------------------------------- journal


def test_journal_lists_filters_and_clears(serve: Serve, http_client: Http) -> None:
    c = http_client.at(started(serve).base_url)
    c.api("/v1/meetings", limit="2", room="standup")
    c.api("/v1/meetings/s-01")
    c.api("/meetings/s-02/participants")
    c.call("POST", "/v1/meetings", headers=AUTH)
    c.get("/_fake/clock")  # the control plane is not journaled
    data = ok(c.get("/_fake/requests"))["data"]
    assert [(e["method"], e["path"], e["status"]) for e in data] == [
        ("GET", "/v1/meetings", 200),
        ("GET", "/v1/meetings/s-01", 200),
        ("GET", "/meetings/s-02/participants", 200),
        ("POST", "/v1/meetings", 405),
    ]
    first = data[0]
    assert first["query"] == {"limit": ["2"], "room": ["standup"]}
    assert first["headers"]["Authorization"] == AUTH["Authorization"]
    assert isinstance(first["time"], float)
    assert set(first) >= {"method", "path", "query", "headers", "status", "time"}
    only = ok(c.get("/_fake/requests", params={"path": "/v1/meetings/"}))["data"]
    assert [e["path"] for e in only] == ["/v1/meetings/s-01"]
    posts = ok(c.get("/_fake/requests", params={"method": "post"}))["data"]
    assert [e["status"] for e in posts] == [405]
    assert ok(c.delete("/_fake/requests")) == {"cleared": 4}
    assert ok(c.get("/_fake/requests")) == {"data": []}


# ----------------------------------------------------------------- faults CRUD


def test_faults_add_list_delete(serve: Serve, http_client: Http) -> None:
    c = http_client.at(started(serve).base_url)
    a = ok(c.post("/_fake/faults", {"status": 429, "path": "/v1/meetings", "count": 3}), 201)
    assert a["status"] == 429 and a["count"] == 3 and a["error"] == "rate-limit-error"
    assert a["path"] == "/v1/meetings" and isinstance(a["id"], str) and a["id"]
    b = ok(c.post("/_fake/faults", {"status": 503, "probability": 0.5, "method": "get"}), 201)
    assert b["probability"] == 0.5 and b["method"] == "GET" and b["error"] == "server-error"
    assert b["id"] != a["id"]
    error(c.api("/v1/meetings"), 429, "rate-limit-error")
    listed = ok(c.get("/_fake/faults"))["data"]
    assert [f["id"] for f in listed] == [a["id"], b["id"]]
    assert listed[0]["count"] == 2  # remaining
    assert ok(c.delete(f"/_fake/faults/{b['id']}")) == {"cleared": 1}
    error(c.delete(f"/_fake/faults/{b['id']}"), 404, "not-found", b["id"])
    assert ok(c.delete("/_fake/faults")) == {"cleared": 1}
    assert ok(c.get("/_fake/faults")) == {"data": []}
    assert ok(c.api("/v1/meetings"))["total_count"] == len(small_scenario().sessions)
