"""The Daily room routes (contract part two, §10) on a real server (127.0.0.1), with ``requests``
and ``aiohttp``: the room object, every route, every error (Daily's envelope, nothing changed),
rooms from a scenario's ``rooms:`` block, implied by sessions and created through the API, the
timeline (a room is visible from its created_at), reset, namespaces, and pagination against an
independent model.

Expected values are computed here (sorting, time formatting) from the data the tests wrote or
the ids the server returned, never by the package."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.cli import build_parser
from fake_meetings.cli.options import UsageError, server_config
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import ScenarioError, load_data, load_file
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok, session
from tests.helpers.constants import DAY, NOW
from tests.helpers.models import keyset_page
from tests.helpers.scenarios import Scenario, small_scenario

Serve = Callable[..., ServerThread]

KEY = {"Authorization": "Bearer test-key"}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INVALID = "contains invalid characters (room names can contain A-Z, a-z, 0-9, '-', and '_')"


def iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


def rooms_world(rooms: list[dict[str, Any]], sessions: Scenario | None = None) -> World:
    data: dict[str, Any] = {"now": NOW, "rooms": rooms}
    if sessions is not None:
        data["sessions"] = sessions.as_data()["sessions"]
    scenario = load_data(data, "rooms-test", now=NOW)
    return World(scenario.sessions, Clock(NOW), scenario.rooms)


def api(c: Http, method: str, path: str, body: Any = None, **params: Any) -> Any:
    return c.call(method, path, body, headers=KEY, params=params or None)


def all_rooms(c: Http, headers: dict[str, str] = KEY) -> list[dict[str, Any]]:
    body = ok(c.get("/v1/rooms", headers=headers))
    assert body["total_count"] == len(body["data"])  # every test world holds < 100 rooms
    return list(body["data"])


DECLARED = [
    {
        "name": "standup",
        "created_at": NOW - 10 * DAY,
        "privacy": "private",
        "config": {"max_participants": 4, "start_video_off": True},
    },
    {"name": "retro", "created_at": "2024-05-20T08:30:00Z"},
    {"name": "later", "created_at": "+1h"},
]


def test_the_room_object(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(rooms_world(DECLARED), domain="acme").base_url)
    room = ok(api(c, "GET", "/v1/rooms/standup"))
    assert list(room) == ["id", "name", "api_created", "privacy", "url", "created_at", "config"]
    assert UUID_RE.fullmatch(room["id"])
    assert room["name"] == "standup"
    assert room["api_created"] is False
    assert room["privacy"] == "private"
    assert room["url"] == "https://acme.daily.co/standup"
    assert room["created_at"] == iso(NOW - 10 * DAY)
    assert room["config"] == {"max_participants": 4, "start_video_off": True}
    retro = ok(api(c, "GET", "/rooms/retro"))  # the root serves the same routes
    assert retro["created_at"] == "2024-05-20T08:30:00.000Z"
    assert retro["privacy"] == "public" and retro["config"] == {}
    # ids are stable: the list shows the same objects
    assert {r["name"]: r for r in all_rooms(c)} == {"standup": room, "retro": retro}


def test_the_default_domain_and_the_domain_option() -> None:
    def config(*argv: str) -> Any:
        return server_config(build_parser().parse_args(["serve", *argv]))

    assert config().domain == "fake-meetings"
    assert config("--domain", "my-team").domain == "my-team"
    for bad in ("my team", "-x", "a.b", ""):
        with pytest.raises(UsageError, match="Daily domain"):
            config(f"--domain={bad}")


def test_list_order_newest_first_ties_by_id_descending(serve: Serve, http_client: Http) -> None:
    tied = [{"name": f"t{i}", "created_at": NOW - DAY} for i in range(5)]
    c = http_client.at(serve(rooms_world([*DECLARED, *tied])).base_url)
    data = all_rooms(c)
    keys = [(r["created_at"], r["id"]) for r in data]
    assert keys == sorted(keys, reverse=True)
    tied_ids = sorted((r["id"] for r in data if r["name"].startswith("t")), reverse=True)
    assert [r["id"] for r in data[:5]] == tied_ids  # the newest, tied: by id descending
    assert "later" not in {r["name"] for r in data}  # created in an hour: not yet


def test_create_update_delete(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world()).base_url)
    before = all_rooms(c)
    made = ok(
        api(
            c,
            "POST",
            "/v1/rooms",
            {"name": "new-room_1", "privacy": "private", "properties": {"exp": NOW + 3600}},
        )
    )
    assert made["name"] == "new-room_1" and made["api_created"] is True
    assert made["privacy"] == "private" and made["config"] == {"exp": NOW + 3600}
    assert made["created_at"] == iso(NOW)  # created now, by the server clock
    assert made["url"] == "https://fake-meetings.daily.co/new-room_1"
    assert all_rooms(c) == [made, *before]  # the newest first
    assert ok(api(c, "GET", "/v1/rooms/new-room_1")) == made

    # a random 20-character name, and public by default
    anon = ok(api(c, "POST", "/v1/rooms"))
    assert re.fullmatch(r"[A-Za-z0-9]{20}", anon["name"]) and anon["privacy"] == "public"
    assert anon["config"] == {} and UUID_RE.fullmatch(anon["id"])
    assert ok(api(c, "POST", "/v1/rooms", {}))["name"] != anon["name"]

    # update: privacy and properties (merged; null goes back to the default)
    up = ok(
        api(
            c,
            "POST",
            "/v1/rooms/new-room_1",
            {"privacy": "public", "properties": {"exp": None, "max_participants": 2}},
        )
    )
    assert up == {**made, "privacy": "public", "config": {"max_participants": 2}}
    assert ok(api(c, "POST", "/v1/rooms/new-room_1")) == up  # an empty body changes nothing
    assert ok(api(c, "GET", "/rooms/new-room_1")) == up

    # delete: the room goes, the meeting history stays
    meetings = ok(api(c, "GET", "/v1/meetings", room="retro"))
    assert ok(api(c, "DELETE", "/v1/rooms/retro")) == {"deleted": True, "name": "retro"}
    error(api(c, "GET", "/v1/rooms/retro"), 404, "not-found", "room retro not found")
    assert ok(api(c, "GET", "/v1/meetings", room="retro")) == meetings
    assert "retro" not in {r["name"] for r in all_rooms(c)}
    # the name is free again
    assert ok(api(c, "POST", "/v1/rooms", {"name": "retro"}))["api_created"] is True


def _errors(c: Http) -> None:
    def bad(r: Any, *words: str, status: int = 400, name: str = "invalid-request-error") -> None:
        error(r, status, name, *words)

    bad(api(c, "GET", "/v1/rooms/nope"), "room nope not found", status=404, name="not-found")
    bad(
        api(c, "POST", "/v1/rooms/nope", {"privacy": "private"}),
        "room nope not found",
        status=404,
        name="not-found",
    )
    bad(api(c, "DELETE", "/rooms/nope"), "room nope not found", status=404, name="not-found")
    bad(api(c, "POST", "/v1/rooms", {"name": "standup"}), "a room named standup already exists")
    bad(api(c, "POST", "/v1/rooms", {"name": "stand up"}), f"stand up {INVALID}")
    bad(api(c, "POST", "/v1/rooms", {"name": "café"}), f"café {INVALID}")
    bad(api(c, "POST", "/v1/rooms", {"name": "x" * 129}), "too long", "128")
    bad(api(c, "POST", "/v1/rooms", {"name": ""}), "name")
    bad(api(c, "POST", "/v1/rooms", {"name": 5}), "name: must be a string")
    bad(api(c, "POST", "/v1/rooms", {"privacy": "secret"}), "privacy", "public or private")
    bad(api(c, "POST", "/v1/rooms", {"privacy": True}), "privacy")
    bad(api(c, "POST", "/v1/rooms", {"properties": [1]}), "properties: must be a JSON object")
    bad(api(c, "POST", "/v1/rooms", {"nmae": "x"}), '"nmae" is not allowed')
    bad(api(c, "POST", "/v1/rooms/standup", {"name": "other"}), '"name" is not allowed')
    bad(api(c, "POST", "/v1/rooms/standup", {"privacy": 1}), "privacy")
    bad(api(c, "POST", "/v1/rooms", "{not json"), "body: not valid JSON")
    bad(api(c, "POST", "/v1/rooms", [1, 2]), "body: expected a JSON object")
    bad(api(c, "GET", "/v1/rooms", limit="abc"), "limit")
    bad(api(c, "GET", "/v1/rooms", limit=0), "limit")
    bad(
        api(c, "GET", "/v1/rooms", starting_after="a", ending_before="b"), "cannot be used together"
    )
    bad(api(c, "GET", "/v1/rooms", starting_after="nope"), "starting_after: no room with id")
    bad(api(c, "GET", "/v1/rooms", ending_before="nope"), "ending_before: no room with id")
    bad(c.call("GET", "/v1/rooms", headers=KEY, params=[("limit", "1"), ("limit", "2")]), "limit")
    bad(c.call("GET", "/v1/rooms"), "Authorization", name="authorization-header-error")
    bad(c.call("POST", "/v1/rooms", {}), "Authorization", name="authorization-header-error")
    bad(
        c.call("PUT", "/v1/rooms/standup", headers=KEY),
        "PUT",
        status=405,
        name="method-not-allowed",
    )


def test_every_error_has_dailys_envelope_and_changes_nothing(
    serve: Serve, http_client: Http
) -> None:
    c = http_client.at(serve(rooms_world(DECLARED)).base_url)
    before = all_rooms(c)
    _errors(c)
    assert all_rooms(c) == before


def test_limit_over_100_clamps_or_is_refused_with_strict_limit(serve: Serve, plain: Http) -> None:
    many = [{"name": f"r{i:03d}", "created_at": NOW - i} for i in range(130)]
    c = plain.at(serve(rooms_world(many)).base_url)
    body = ok(api(c, "GET", "/v1/rooms", limit=500))
    assert body["total_count"] == 130 and len(body["data"]) == 100
    assert [r["name"] for r in body["data"]] == [f"r{i:03d}" for i in range(100)]
    assert len(ok(api(c, "GET", "/v1/rooms"))["data"]) == 100  # the default limit
    oldest = ok(api(c, "GET", "/v1/rooms", ending_before="OLDEST", limit=3))["data"]
    assert [r["name"] for r in oldest] == ["r127", "r128", "r129"]
    strict = plain.at(serve(rooms_world(many), strict_limit=True).base_url)
    error(api(strict, "GET", "/v1/rooms", limit=101), 400, "invalid-request-error", "limit")
    empty = plain.at(serve(rooms_world(many), unknown_cursor="empty").base_url)
    assert ok(api(empty, "GET", "/v1/rooms", starting_after="nope")) == {
        "total_count": 130,
        "data": [],
    }


def test_rooms_implied_by_sessions_and_by_live_joins(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(rooms_world([DECLARED[0]], small)).base_url)
    first: dict[str, int] = {}
    for s in small.sessions:
        first[s.room] = min(first.get(s.room, s.start_time), s.start_time)
    rooms = {r["name"]: r for r in all_rooms(c)}
    assert set(rooms) == set(first)  # standup is declared; the others are implied
    assert rooms["standup"]["created_at"] == iso(NOW - 10 * DAY)
    for name in set(first) - {"standup"}:
        assert rooms[name]["created_at"] == iso(first[name] - 1)
        assert rooms[name]["api_created"] is False and rooms[name]["privacy"] == "public"
        assert rooms[name]["config"] == {}
    # a live join into a room nobody declared brings it into being, just before its session
    ok(c.post("/_fake/clock", {"advance": 60}))
    ok(c.post("/_fake/join", {"room": "huddle"}), 201)
    assert ok(api(c, "GET", "/v1/rooms/huddle"))["created_at"] == iso(NOW + 59)


def test_rooms_follow_the_clock(serve: Serve, http_client: Http) -> None:
    future = Scenario([session("f-1", "soon", NOW + 7200)])
    c = http_client.at(serve(rooms_world(DECLARED, future)).base_url)
    names = {r["name"] for r in all_rooms(c)}
    assert names == {"standup", "retro"}  # "later" (+1h) and "soon" (a session in 2h) not yet
    error(api(c, "GET", "/v1/rooms/later"), 404, "not-found", "room later not found")
    error(api(c, "DELETE", "/v1/rooms/later"), 404, "not-found")
    ok(c.post("/_fake/clock", {"advance": 3600}))
    assert ok(api(c, "GET", "/v1/rooms/later"))["created_at"] == iso(NOW + 3600)
    ok(c.post("/_fake/clock", {"advance": 3600}))
    assert ok(api(c, "GET", "/v1/rooms/soon"))["created_at"] == iso(NOW + 7199)
    ok(c.post("/_fake/clock", {"freeze_at": NOW}))  # back: they disappear again
    assert {r["name"] for r in all_rooms(c)} == {"standup", "retro"}
    # a room the clock has not created yet gives its name up to one created now
    made = ok(api(c, "POST", "/v1/rooms", {"name": "later"}))
    assert made["created_at"] == iso(NOW) and made["api_created"] is True
    ok(c.post("/_fake/clock", {"advance": 7200}))
    assert ok(api(c, "GET", "/v1/rooms/later")) == made


def test_reset_restores_the_startup_rooms_or_none(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(rooms_world(DECLARED)).base_url)
    before = all_rooms(c)
    ok(api(c, "POST", "/v1/rooms", {"name": "extra"}))
    ok(api(c, "DELETE", "/v1/rooms/standup"))
    ok(api(c, "POST", "/v1/rooms/retro", {"privacy": "private"}))
    ok(c.post("/_fake/reset"))
    assert all_rooms(c) == before
    first_random = ok(api(c, "POST", "/v1/rooms"))
    ok(c.post("/_fake/reset"))
    assert ok(api(c, "POST", "/v1/rooms"))["name"] == first_random["name"]  # seeded per reset
    ok(c.post("/_fake/reset", params={"empty": "true"}))
    assert ok(api(c, "GET", "/v1/rooms")) == {"total_count": 0, "data": []}


def test_namespaces_have_their_own_rooms(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(rooms_world(DECLARED), namespaces=True).base_url)

    def as_key(k: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {k}"}

    made = ok(c.post("/v1/rooms", {"name": "mine"}, headers=as_key("a")))
    ok(c.delete("/v1/rooms/retro", headers=as_key("a")))
    assert {r["name"] for r in all_rooms(c, as_key("a"))} == {"standup", "mine"}
    assert {r["name"] for r in all_rooms(c, as_key("b"))} == {"standup", "retro"}
    error(c.get("/v1/rooms/mine", headers=as_key("b")), 404, "not-found")
    # random names (and ids) are seeded per namespace: the same sequence in each
    assert made["name"] == "mine"
    first_c = ok(c.post("/v1/rooms", headers=as_key("c")))
    first_d = ok(c.post("/v1/rooms", headers=as_key("d")))
    assert (first_c["name"], first_c["id"]) == (first_d["name"], first_d["id"])
    ok(c.post("/v1/rooms", {"name": "mine"}, headers=as_key("b")))  # free in b
    # the journal records room calls, per namespace
    paths = [e["path"] for e in ok(c.get("/_fake/requests", headers=as_key("b")))["data"]]
    assert paths == ["/v1/rooms", "/v1/rooms/mine", "/v1/rooms"]  # b: list, get, create


def test_faults_apply_to_room_routes(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(rooms_world(DECLARED)).base_url)
    ok(c.post("/_fake/faults", {"status": 500, "path": "/v1/rooms", "count": 1}), 201)
    error(api(c, "POST", "/v1/rooms", {"name": "x"}), 500, "server-error")
    error(api(c, "GET", "/v1/rooms/x"), 404, "not-found")  # the fault answered; nothing made


# --------------------------------------------------------------------------- scenario files

ROOMS_YAML = """\
now: 1717243200
rooms:
  - name: ok-room
    created_at: -2d
  - name: bad room
  - name: twice
    privacy: secret
  - name: twice
    config: [1]
    colour: red
  - name: fine
    created_at: yesterday
sessions:
  - room: ok-room
    start_time: -1h
    participants: [{join_time: -1h, duration: 60}]
"""


def test_a_rooms_block_is_checked_with_file_path_and_line(tmp_path: Any) -> None:
    path = tmp_path / "rooms.yaml"
    path.write_text(ROOMS_YAML)
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    lines = str(caught.value).splitlines()
    where = str(path)
    assert lines == [
        f"{where}:5: rooms[1].name: bad room {INVALID}",
        f"{where}:7: rooms[2].privacy: expected public or private; got 'secret'",
        f"{where}:10: rooms[3].colour: unknown key 'colour'; expected one of: "
        "name, created_at, privacy, api_created, config",
        f"{where}:8: rooms[3].name: duplicate room 'twice' (first at rooms[2])",
        f"{where}:9: rooms[3].config: expected a mapping of property names to values "
        "(the room's non-default properties, like {max_participants: 4}); got list",
        f"{where}:12: rooms[4].created_at: 'yesterday' is not a time: expected unix seconds "
        "(1717236000), ISO 8601 (2024-06-01T10:00:00Z), or relative to now "
        "(now, -2h, -90m, -3d, -1d2h30m, +2h)",
    ]


def test_scenario_rooms_over_the_control_plane(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(small_scenario().world()).base_url)
    before = all_rooms(c)
    r = c.post("/_fake/scenario", ROOMS_YAML)
    info = error(r, 400, "invalid-request-error", "<request body>:5: rooms[1].name")
    assert "<request body>:7: rooms[2].privacy" in info
    assert all_rooms(c) == before  # nothing loaded
    body = "now: 1717243200\nrooms:\n  - name: only\n    created_at: -1d\n"
    ok(c.post("/_fake/scenario", body))
    assert [(r["name"], r["created_at"]) for r in all_rooms(c)] == [("only", iso(NOW - DAY))]
    # append: more rooms; a name already there is refused and nothing changes
    ok(c.post("/_fake/scenario", "rooms:\n  - name: two\n", params={"mode": "append"}))
    assert {r["name"] for r in all_rooms(c)} == {"only", "two"}
    error(
        c.post("/_fake/scenario", "rooms:\n  - name: two\n", params={"mode": "append"}),
        400,
        "invalid-request-error",
        "a room named two already exists",
    )
    assert {r["name"] for r in all_rooms(c)} == {"only", "two"}
    # sessions appended name their rooms into being; declared rooms keep theirs
    ok(
        c.post(
            "/_fake/sessions",
            [
                session("a-1", "only", NOW - 60).as_data(),
                session("a-2", "third", NOW - 60).as_data(),
            ],
        ),
        201,
    )
    rooms = {r["name"]: r["created_at"] for r in all_rooms(c)}
    assert rooms == {"only": iso(NOW - DAY), "two": iso(NOW), "third": iso(NOW - 61)}


# --------------------------------------------------------------------------- pagination


class Model:
    """What GET /rooms must show: every room alive, by (created_at, id), seen at ``now``."""

    def __init__(self) -> None:
        self.rooms: dict[str, tuple[int, str]] = {}  # name -> (created_at, id)
        self.dead: list[str] = []  # ids of deleted rooms

    def ordered(self, now: int) -> list[str]:
        alive = sorted((k for k in self.rooms.values() if k[0] <= now), reverse=True)
        return [room_id for _, room_id in alive]


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from(["", "a", "b", "c", "d", "e"])),
        st.tuples(st.just("delete"), st.integers(0, 20)),
        st.tuples(st.just("tick"), st.integers(0, 2)),
        st.tuples(st.just("back"), st.integers(1, 2)),
    ),
    min_size=1,
    max_size=14,
)
QUERIES = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.sampled_from(["none", "after", "before", "oldest", "dead"]),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=4,
)


@pytest.fixture(scope="module")
def model_server() -> Any:
    from fake_meetings.config import ServerConfig

    with ServerThread(World((), Clock(NOW)), ServerConfig(port=0)) as server:
        yield server


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(ops=OPS, queries=QUERIES)
def test_pagination_matches_a_naive_model(model_server: Any, ops: Any, queries: Any) -> None:
    c = Http("requests", model_server.base_url)
    try:
        ok(c.post("/_fake/reset", params={"empty": "true"}))
        ok(c.post("/_fake/clock", {"freeze_at": NOW}))
        model, now, keys = Model(), NOW, {}
        for op, arg in ops:
            if op == "create":
                name = arg + str(len(keys)) if arg else None
                made = ok(api(c, "POST", "/v1/rooms", {"name": name} if name else {}))
                model.rooms[made["name"]] = keys[made["id"]] = (now, made["id"])
                # a room the clock moved back past gives its name up: the model forgets it
            elif op == "delete" and model.rooms:
                visible = sorted(n for n, k in model.rooms.items() if k[0] <= now)
                if visible:
                    name = visible[arg % len(visible)]
                    ok(api(c, "DELETE", f"/v1/rooms/{name}"))
                    model.dead.append(model.rooms.pop(name)[1])
            elif op == "tick":
                now += arg
                ok(c.post("/_fake/clock", {"freeze_at": now}))
            elif op == "back":
                now -= arg
                ok(c.post("/_fake/clock", {"freeze_at": now}))
        ordered = model.ordered(now)
        everyone = [k[1] for k in model.rooms.values()]
        for limit, kind, pick in queries:
            params: dict[str, Any] = {"limit": limit}
            after = before = None
            if kind == "after" and everyone:
                after = params["starting_after"] = everyone[pick % len(everyone)]
            elif kind == "before" and everyone:
                before = params["ending_before"] = everyone[pick % len(everyone)]
            elif kind == "oldest":
                before = params["ending_before"] = "OLDEST"
            elif kind == "dead" and model.dead:
                params["starting_after"] = model.dead[pick % len(model.dead)]
                error(api(c, "GET", "/v1/rooms", **params), 400, "invalid-request-error")
                continue
            body = ok(api(c, "GET", "/v1/rooms", **params))
            assert body["total_count"] == len(ordered)
            got = [r["id"] for r in body["data"]]
            assert got == keyset_page(ordered, limit, after, before, keys), (params, ordered)
        # walking with starting_after yields every visible room exactly once, in order
        walked: list[str] = []
        params = {"limit": 2}
        while True:
            data = ok(api(c, "GET", "/v1/rooms", **params))["data"]
            if not data:
                break
            walked += [r["id"] for r in data]
            params = {"limit": 2, "starting_after": data[-1]["id"]}
        assert walked == ordered
    finally:
        c.close()


def test_the_handle_loads_rooms_like_the_control_plane(serve: Serve, plain: Http) -> None:
    """In-process (the handle's local backend), a scenario's rooms come with its sessions, as
    through POST /_fake/scenario: replaced, or added to with an append (a taken name is a
    scenario error that changes nothing)."""
    server = serve(World((), Clock(NOW)))
    fake = server.handle()
    c = plain.at(server.base_url)
    declared = {
        "now": NOW,
        "rooms": [{"name": "lobby", "created_at": NOW - DAY, "privacy": "private"}],
        "sessions": [session("h-1", "standup", NOW - 3600).as_data()],
    }
    fake.load(declared)
    names = {r["name"]: r for r in ok(c.api("/v1/rooms"))["data"]}
    assert set(names) == {"lobby", "standup"} and names["lobby"]["privacy"] == "private"
    with pytest.raises(ScenarioError, match="a room named lobby already exists"):
        fake.load({"rooms": [{"name": "lobby"}], "sessions": []}, mode="append")
    assert ok(c.api("/v1/rooms"))["total_count"] == 2  # nothing changed
    fake.load({"now": NOW, "sessions": [session("h-2", "retro", NOW - 60).as_data()]})
    assert [r["name"] for r in ok(c.api("/v1/rooms"))["data"]] == ["retro"]  # replaced
