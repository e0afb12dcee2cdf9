"""The pytest plugin, tested as its users meet it: test files run by an inner pytest (pytester).

The plugin is not named anywhere (no ``-p``, no ``pytest_plugins``): the inner runs get it from
the package's ``pytest11`` entry point, as an installed user would. Expected values are written
in the inner tests from the data they declare, never read back from the package.
"""

from __future__ import annotations

import importlib.metadata
import json
import socket
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # each test runs pytest inside pytest
pytest_plugins = ["pytester"]

SETTINGS_ENV = (
    "FAKE_MEETINGS_URL",
    "FAKE_MEETINGS_API_KEY",
    "FAKE_MEETINGS_ADMIN_TOKEN",
    "FAKE_MEETINGS_CONNECT_TIMEOUT",
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
)

# Imported by every inner test file: a real client, no proxies, bounded waits.
PRELUDE = """
import time, threading
import pytest, requests

TIMEOUT = 10

def get(fake, path, **params):
    with requests.Session() as s:
        s.trust_env = False
        return s.get(fake.url + path, params=params, headers=fake.headers, timeout=TIMEOUT)
"""


UNRELATED_PLUGINS = ("schemathesis", "hypothesispytest", "anyio", "faker")


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester directory whose runs see none of the plugin's settings from this process, and
    none of the plugins this project's own tests bring (schemathesis, hypothesis, anyio, faker's):
    a user's session need not have them, and loading them made each inner pytest start 4 times
    slower (about 5 s against 1.2 s here), with xdist once per worker."""
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    pytester.makeini(
        f"""
        [pytest]
        asyncio_mode = strict
        asyncio_default_fixture_loop_scope = function
        addopts = {" ".join(f"-p no:{name}" for name in UNRELATED_PLUGINS)}
        """
    )
    return pytester


def write(pytester: pytest.Pytester, body: str, name: str = "test_inner") -> None:
    pytester.makepyfile(**{name: PRELUDE + textwrap.dedent(body)})


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", *args)


@pytest.fixture
def control_plane() -> Iterator[Any]:
    """A real fake-meetings (in a thread of this process) for the external-server mode."""
    from fake_meetings.config import ServerConfig
    from fake_meetings.domain.world import World
    from fake_meetings.testing import ServerThread

    with ServerThread(World(), ServerConfig(port=0)) as server:
        require_control_plane(server.base_url)
        yield server


def require_control_plane(base_url: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        opener.open(base_url + "/_fake/clock", timeout=10).close()
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise
        pytest.skip("this tree's server has no control plane (/_fake/clock answers 404) yet")


@pytest.fixture(params=["in-process", "external"])
def mode(request: pytest.FixtureRequest) -> list[str]:
    """Runs a test twice: with the plugin's own server, and with an external one (the same
    inner tests must pass against both)."""
    if request.param == "in-process":
        return []
    server = request.getfixturevalue("control_plane")
    return [f"--fake-meetings-url={server.url}"]


# --------------------------------------------------------------------------- registration


def test_the_plugin_is_registered_by_entry_point() -> None:
    points = importlib.metadata.entry_points(group="pytest11")
    assert [p.value for p in points if p.name == "fake_meetings"] == ["fake_meetings.pytest_plugin"]


def test_inert_unless_used(inner: pytest.Pytester) -> None:
    """A session that never asks for the fixture starts no server and imports no server code."""
    write(
        inner,
        """
        import sys

        def test_plain():
            server_code = {
                "fake_meetings.testing.runners",  # the plugin's package is loaded; not these
                "fake_meetings.testing.handle",
                "fake_meetings.handle",
                "fake_meetings.api.app",
                "fake_meetings.domain.world",
            }
            assert not server_code & set(sys.modules)
            assert not [t for t in threading.enumerate() if t.name == "fake-meetings"]
        """,
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_help_lists_the_options(inner: pytest.Pytester) -> None:
    result = run(inner, "--help")
    out = result.stdout.str()
    for flag in (
        "--fake-meetings-url",
        "--fake-meetings-api-key",
        "--fake-meetings-admin-token",
        "--fake-meetings-connect-timeout",
    ):
        assert flag in out
    assert "fake_meetings_url" in out  # the ini setting


# --------------------------------------------------------------------------- the fixture


def test_fixture_serves_an_empty_api(inner: pytest.Pytester, mode: list[str]) -> None:
    write(
        inner,
        """
        def test_empty(fake_meetings):
            assert fake_meetings.url.startswith("http://127.0.0.1:")
            assert fake_meetings.url.endswith("/v1")
            assert fake_meetings.api_key == "fake-meetings"
            assert fake_meetings.headers == {"Authorization": "Bearer fake-meetings"}
            r = get(fake_meetings, "/meetings")
            assert r.status_code == 200
            assert r.json() == {"total_count": 0, "data": []}
            assert not fake_meetings.clock.frozen
            assert abs(fake_meetings.clock.now() - time.time()) < 5

        def test_served_at_the_root_too(fake_meetings):
            with requests.Session() as s:
                s.trust_env = False
                r = s.get(fake_meetings.base_url + "/meetings", headers=fake_meetings.headers,
                          timeout=TIMEOUT)
            assert r.json() == {"total_count": 0, "data": []}

        def test_one_server_per_session(fake_meetings, request):
            urls = request.config.stash.setdefault(URLS, set())
            urls.add(fake_meetings.url)
            assert len(urls) == 1

        def test_one_server_per_session_again(fake_meetings, request):
            urls = request.config.stash.setdefault(URLS, set())
            urls.add(fake_meetings.url)
            assert len(urls) == 1

        URLS = pytest.StashKey()
        """,
    )
    run(inner, *mode).assert_outcomes(passed=4)


def test_reset_isolates_tests(inner: pytest.Pytester, mode: list[str]) -> None:
    """Whatever one test loads, freezes or requests, the next one starts from nothing."""
    write(
        inner,
        """
        @pytest.fixture(params=range(3))
        def round(request):
            return request.param

        def test_dirty(fake_meetings, round):
            fake_meetings.add_session(room="left-over", start_time=1_700_000_000, duration=60)
            fake_meetings.load("single", mode="append")
            fake_meetings.clock.set(1_800_000_000)  # after both sessions: both are visible
            get(fake_meetings, "/meetings")
            assert get(fake_meetings, "/meetings").json()["total_count"] == 2

        def test_clean(fake_meetings, round):
            assert fake_meetings.requests == []
            assert not fake_meetings.clock.frozen
            assert abs(fake_meetings.clock.now() - time.time()) < 5
            assert get(fake_meetings, "/meetings").json() == {"total_count": 0, "data": []}
            assert len(fake_meetings.requests) == 1
        """,
    )
    # test_dirty's rounds all run before test_clean's, and each dirty round starts clean too
    run(inner, "-v", *mode).assert_outcomes(passed=6)


def test_marker_loads_data(inner: pytest.Pytester, mode: list[str]) -> None:
    write(
        inner,
        """
        SINGLE = "4b1e9a72-3c5d-4f08-9e6a-1d2c3b4a5f60"
        TIES_FIRST = ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                      "f03b6a94-2d7e-4b1c-9e58-7c0a3f1d6b22"]

        @pytest.mark.fake_meetings(scenario="ties")
        def test_bundled_name(fake_meetings):
            body = get(fake_meetings, "/meetings", limit=2).json()
            assert body["total_count"] == 9
            assert [s["id"] for s in body["data"]] == TIES_FIRST
            assert fake_meetings.clock.frozen and fake_meetings.clock.now() == 1717243200

        @pytest.mark.fake_meetings("single", "ties")
        def test_several_are_merged(fake_meetings):
            assert get(fake_meetings, "/meetings").json()["total_count"] == 10
            assert get(fake_meetings, "/meetings/" + SINGLE).status_code == 200

        @pytest.mark.fake_meetings(scenario="ongoing", now="2024-06-01T13:00:00Z")
        def test_now_beats_the_scenario_now(fake_meetings):
            assert fake_meetings.clock.now() == 1717246800
            # relative times count from `now`: eng-pairing started 2h10m before it
            body = get(fake_meetings, "/meetings", room="eng-pairing-9vd").json()
            (session,) = body["data"]
            assert session["start_time"] == 1717246800 - 7800
            assert session["duration"] == 7800

        @pytest.mark.fake_meetings(now=1_600_000_000)
        def test_now_alone_freezes_the_clock(fake_meetings):
            assert fake_meetings.clock.frozen and fake_meetings.clock.now() == 1_600_000_000
            assert get(fake_meetings, "/meetings").json()["total_count"] == 0

        @pytest.mark.fake_meetings(scenario={"sessions": [
            {"id": "m-1", "room": "r", "start_time": 1_700_000_000,
             "participants": [{"join_time": 1_700_000_000, "duration": 90}]}]})
        def test_a_dict(fake_meetings):
            assert get(fake_meetings, "/meetings/m-1").json()["duration"] == 90

        @pytest.mark.fake_meetings(scenario="single")
        class TestOnAClass:
            def test_one(self, fake_meetings):
                assert get(fake_meetings, "/meetings").json()["total_count"] == 1

            @pytest.mark.fake_meetings(scenario="ties")
            def test_closest_wins(self, fake_meetings):
                assert get(fake_meetings, "/meetings").json()["total_count"] == 9

        def test_no_marker_after_markers(fake_meetings):
            assert get(fake_meetings, "/meetings").json()["total_count"] == 0
        """,
    )
    run(inner, *mode).assert_outcomes(passed=8)


def test_marker_mistakes_fail_clearly(inner: pytest.Pytester, mode: list[str]) -> None:
    inner.makefile(
        ".yaml",
        broken="sessions:\n  - room: r\n    start_time: yesterday\n    participants: []\n",
    )
    write(
        inner,
        """
        @pytest.mark.fake_meetings(scenario="broken.yaml")
        def test_broken_file(fake_meetings):
            pass

        @pytest.mark.fake_meetings(scenario="no-such-thing")
        def test_unknown_name(fake_meetings):
            pass

        @pytest.mark.fake_meetings(scenarios="ties")
        def test_unknown_argument(fake_meetings):
            pass
        """,
    )
    result = run(inner, *mode)
    result.assert_outcomes(errors=3)
    out = result.stdout.str()
    assert "broken.yaml:3: sessions[0].start_time: 'yesterday' is not a time" in out
    assert "broken.yaml:4: sessions[0].participants" in out
    assert "no-such-thing: (top level): no such file, and no bundled scenario" in out
    assert "Traceback" not in out and "handle.py" not in out
    # each failure is printed once, not a second time as the context of pytest's Failed
    assert "During handling of the above exception" not in out
    # (pytest's short summary, untruncated when CI is set, repeats each message once more)
    errors = out.split("short test summary info")[0]
    assert errors.count("no-such-thing: (top level)") == 1, out
    assert "unknown argument(s) scenarios" in out


def test_loaded_rooms_are_served_in_both_modes(inner: pytest.Pytester, mode: list[str]) -> None:
    inner.makefile(
        ".yaml",
        rooms="""
        rooms:
          - {name: lobby, created_at: -1d, privacy: private}
        sessions:
          - {id: s1, room: standup, start_time: -1h, participants: [{join_time: -1h, duration: 60}]}
        """,
    )
    write(
        inner,
        """
        def test_rooms_of_a_file(fake_meetings):
            fake_meetings.load("rooms.yaml", now="2024-06-01T12:00:00Z")
            rooms = get(fake_meetings, "/rooms").json()
            assert {r["name"]: r["privacy"] for r in rooms["data"]} == {
                "lobby": "private", "standup": "public"}
            lobby = get(fake_meetings, "/rooms/lobby").json()
            assert lobby["created_at"] == "2024-05-31T12:00:00.000Z"
        """,
    )
    run(inner, *mode).assert_outcomes(passed=1)


def test_the_handle_creates_rooms_in_both_modes(inner: pytest.Pytester, mode: list[str]) -> None:
    write(
        inner,
        """
        from fake_meetings.testing import FakeMeetingsError

        def test_a_room_in_one_line(fake_meetings):
            fake_meetings.clock.set("2024-06-03T15:00:00Z")
            config = {"max_participants": 2}
            room = fake_meetings.room("lesson-42", privacy="private", properties=config)
            assert (room["name"], room["privacy"]) == ("lesson-42", "private")
            assert room["api_created"] is True
            assert room["config"] == {"max_participants": 2}
            assert room["created_at"] == "2024-06-03T15:00:00.000Z"
            assert get(fake_meetings, "/rooms/lesson-42").json() == room
            anonymous = fake_meetings.room()
            assert len(anonymous["name"]) == 20
            for bad in ("lesson-42", "no spaces", ""):
                with pytest.raises(FakeMeetingsError):
                    fake_meetings.room(bad)
            assert get(fake_meetings, "/rooms").json()["total_count"] == 2
        """,
    )
    run(inner, *mode).assert_outcomes(passed=1)


def test_load_and_add_session(inner: pytest.Pytester, mode: list[str]) -> None:
    inner.makefile(
        ".yaml",
        mine="""
        now: 2024-01-01T00:00:00Z
        sessions:
          - id: from-file
            room: r
            start_time: -1h
            participants: [{join_time: -1h, duration: 600}]
        """,
    )
    write(
        inner,
        """
        from fake_meetings.scenario.scenario import ScenarioError

        def test_file_then_append(fake_meetings):
            fake_meetings.load("mine.yaml")
            assert fake_meetings.clock.now() == 1704067200
            s = get(fake_meetings, "/meetings/from-file").json()
            assert (s["start_time"], s["duration"]) == (1704067200 - 3600, 600)
            sid = fake_meetings.add_session(room="extra", start_time="-30m", duration=120)
            s = get(fake_meetings, "/meetings/" + sid).json()
            assert (s["room"], s["start_time"], s["duration"]) == ("extra", 1704067200 - 1800, 120)
            assert s["max_participants"] == 1 and s["ongoing"] is False
            assert get(fake_meetings, "/meetings").json()["total_count"] == 2
            fake_meetings.load("mine.yaml")  # replace: the added session is gone
            assert get(fake_meetings, "/meetings").json()["total_count"] == 1

        def test_yaml_text_and_append(fake_meetings):
            fake_meetings.clock.set("2024-06-01T12:00:00Z")
            fake_meetings.load("sessions:\\n  - {id: t1, room: a, start_time: -10m, "
                               "participants: [{join_time: -10m, duration: 60}]}\\n")
            fake_meetings.load({"sessions": [{"id": "t2", "room": "b", "start_time": "-5m",
                                "participants": [{"join_time": "-5m", "duration": 30}]}]},
                               mode="append")
            body = get(fake_meetings, "/meetings").json()
            assert [(s["id"], s["start_time"]) for s in body["data"]] == [
                ("t2", 1717243200 - 300), ("t1", 1717243200 - 600)]

        def test_invalid_input_changes_nothing(fake_meetings):
            fake_meetings.add_session(id="keep", room="r")
            with pytest.raises(ScenarioError, match=r"sessions\\[0\\]: missing required key"):
                fake_meetings.load({"sessions": [{"room": "r"}]})
            with pytest.raises(ScenarioError, match="'keep' is already served"):
                fake_meetings.add_session(id="keep", room="r")
            with pytest.raises(ScenarioError, match="must be omitted when ongoing"):
                fake_meetings.add_session(room="r", ongoing=True, duration=5)
            with pytest.raises(ValueError, match="mode="):
                fake_meetings.load("single", mode="merge")
            assert [s["id"] for s in get(fake_meetings, "/meetings").json()["data"]] == ["keep"]

        def test_add_session_with_participants(fake_meetings):
            fake_meetings.clock.set(10_000)
            sid = fake_meetings.add_session(room="r", start_time=5_000, participants=[
                {"participant_id": "a", "join_time": 5_000, "duration": 100, "user_name": "A"},
                {"participant_id": "b", "join_time": 5_050, "duration": 100},
            ])
            s = get(fake_meetings, "/meetings/" + sid).json()
            assert (s["duration"], s["max_participants"]) == (150, 2)
            ids = [p["participant_id"] for p in s["participants"]]
            assert ids == ["a", "b"]

        def test_generated_ids_are_distinct_and_stable(fake_meetings):
            first = fake_meetings.add_session(room="r", start_time=1_000)
            second = fake_meetings.add_session(room="r", start_time=1_000)
            assert first != second
            fake_meetings.reset()
            assert fake_meetings.add_session(room="r", start_time=1_000) == first
        """,
    )
    run(inner, *mode).assert_outcomes(passed=5)


def test_journal_records_requests(inner: pytest.Pytester, mode: list[str]) -> None:
    write(
        inner,
        """
        def test_journal(fake_meetings):
            fake_meetings.load("ties")
            get(fake_meetings, "/meetings", room="team-sync", limit=2)
            with requests.Session() as s:
                s.trust_env = False
                s.get(fake_meetings.url + "/meetings/nope", timeout=TIMEOUT)  # no auth header
            first, second = fake_meetings.requests
            assert (first.method, first.path, first.status) == ("GET", "/v1/meetings", 200)
            assert first.query == {"room": ["team-sync"], "limit": ["2"]}
            assert first.param("limit") == "2" and first.param("missing") is None
            assert first.header("authorization") == "Bearer fake-meetings"
            assert first.headers["Authorization"] == "Bearer fake-meetings"
            assert abs(first.time - time.time()) < 10
            assert (second.path, second.status) == ("/v1/meetings/nope", 400)
            assert second.header("Authorization") is None
            fake_meetings.clear_requests()
            assert fake_meetings.requests == []
        """,
    )
    run(inner, *mode).assert_outcomes(passed=1)


def test_clock_moves_ongoing_durations(inner: pytest.Pytester, mode: list[str]) -> None:
    write(
        inner,
        """
        from datetime import datetime, timedelta, timezone

        def test_frozen_then_advanced(fake_meetings):
            fake_meetings.clock.set(datetime(2024, 6, 1, 12, tzinfo=timezone.utc))
            sid = fake_meetings.add_session(room="live", start_time="-10m", participants=[
                {"participant_id": "stays", "join_time": "-10m"},
                {"participant_id": "left", "join_time": "-9m", "duration": 60},
            ], ongoing=True)
            s = get(fake_meetings, "/meetings/" + sid).json()
            assert (s["ongoing"], s["duration"]) == (True, 600)
            assert [p["duration"] for p in s["participants"]] == [600, 60]
            fake_meetings.clock.advance(120)
            fake_meetings.clock.advance(timedelta(minutes=1))
            assert fake_meetings.clock.now() == 1717243200 + 180
            s = get(fake_meetings, "/meetings/" + sid).json()
            assert s["duration"] == 780
            assert [p["duration"] for p in s["participants"]] == [780, 60]
            assert get(fake_meetings, "/meetings", ongoing="true").json()["total_count"] == 1

        def test_real_clock_with_offset(fake_meetings):
            sid = fake_meetings.add_session(room="live", start_time="-1h", ongoing=True)
            before = get(fake_meetings, "/meetings/" + sid).json()["duration"]
            assert 3600 <= before <= 3605
            fake_meetings.clock.advance(3600)
            assert not fake_meetings.clock.frozen
            after = get(fake_meetings, "/meetings/" + sid).json()["duration"]
            assert 7200 <= after <= 7205
            fake_meetings.clock.set(0)
            fake_meetings.clock.real()
            assert not fake_meetings.clock.frozen
            assert abs(fake_meetings.clock.now() - time.time()) < 5
        """,
    )
    run(inner, *mode).assert_outcomes(passed=2)


def test_a_meeting_driven_live(inner: pytest.Pytester, mode: list[str]) -> None:
    """join(), clock moves and leave() through the handle: the API shows the meeting as it
    happened, in-process and against an external server alike."""
    write(
        inner,
        """
        T = 1717243200

        def test_alice_alone(fake_meetings):
            fake_meetings.clock.set(T)
            alice = fake_meetings.join("standup", user_name="Alice")
            assert alice.room == "standup"
            # listed once Alice has stayed 10 s (Daily's ten-second rule)
            assert get(fake_meetings, "/meetings/" + alice.session_id).status_code == 404
            fake_meetings.clock.advance(10)
            live = get(fake_meetings, "/meetings/" + alice.session_id).json()
            assert (live["start_time"], live["ongoing"], live["duration"]) == (T, True, 10)
            fake_meetings.clock.advance(590)
            alice.leave()
            fake_meetings.clock.advance(3600)  # later reads see the same ended meeting
            (s,) = get(fake_meetings, "/meetings").json()["data"]
            assert s == {
                "id": alice.session_id, "room": "standup", "start_time": T, "duration": 600,
                "ongoing": False, "max_participants": 1,
                "participants": [{"user_id": None, "participant_id": alice.participant_id,
                                  "user_name": "Alice", "join_time": T, "duration": 600}],
            }

        def test_two_people_one_meeting(fake_meetings):
            fake_meetings.clock.set("2024-06-01T12:00:00Z")
            host = fake_meetings.join("sales", user_name="Host", user_id="u-1", owner=True)
            fake_meetings.clock.advance(60)
            guest = fake_meetings.join("sales", user_name="Guest")
            assert guest.session_id == host.session_id != guest.participant_id
            fake_meetings.clock.advance(240)
            fake_meetings.leave(host)
            s = get(fake_meetings, "/meetings/" + host.session_id).json()
            assert (s["ongoing"], s["duration"], s["max_participants"]) == (True, 300, 2)
            fake_meetings.clock.advance(100)
            fake_meetings.leave(guest.participant_id)
            s = get(fake_meetings, "/meetings/" + host.session_id).json()
            assert (s["ongoing"], s["duration"]) == (False, 400)
            assert [p["duration"] for p in s["participants"]] == [300, 340]
            again = fake_meetings.join("sales")
            assert again.session_id != host.session_id
            fake_meetings.clock.advance(10)
            assert get(fake_meetings, "/meetings").json()["total_count"] == 2

        def test_nothing_left_from_the_tests_before(fake_meetings):
            assert get(fake_meetings, "/meetings").json() == {"total_count": 0, "data": []}

        @pytest.mark.fake_meetings(scenario="ongoing")
        def test_joining_a_scenario_meeting(fake_meetings):
            ongoing = get(fake_meetings, "/meetings", ongoing="true").json()["data"]
            room = ongoing[0]["room"]
            newest = [s for s in ongoing if s["room"] == room][0]
            me = fake_meetings.join(room, user_name="Me")
            assert me.session_id == newest["id"]
            fake_meetings.clock.advance(10)
            s = get(fake_meetings, "/meetings/" + newest["id"]).json()
            assert s["participants"][-1]["participant_id"] == me.participant_id

        def test_mistakes_raise_and_change_nothing(fake_meetings):
            from fake_meetings.testing import FakeMeetingsError

            fake_meetings.clock.set(T)
            alice = fake_meetings.join("r")
            alice.leave()
            before = get(fake_meetings, "/meetings").json()
            with pytest.raises(FakeMeetingsError, match="already left"):
                alice.leave()
            with pytest.raises(FakeMeetingsError, match="no participant") as refused:
                fake_meetings.leave("nobody")
            assert type(refused.value) is FakeMeetingsError  # the server has a control plane
            assert "control plane" not in str(refused.value)
            for room in ("", "   ", 7, None):
                with pytest.raises(FakeMeetingsError, match="room"):
                    fake_meetings.join(room)
            with pytest.raises(FakeMeetingsError, match="user_name"):
                fake_meetings.join("r", user_name="")
            with pytest.raises(FakeMeetingsError, match="owner"):
                fake_meetings.join("r", owner="yes")
            assert get(fake_meetings, "/meetings").json() == before
        """,
    )
    run(inner, *mode).assert_outcomes(passed=5)


def test_meeting_tokens_from_the_handle(inner: pytest.Pytester, mode: list[str]) -> None:
    """token() makes a token in one line (in-process: the server's signer; external: POST
    /v1/meeting-tokens); the API validates it and a join with it applies its fields."""
    write(
        inner,
        """
        T = 1717243200

        def test_a_token_round_trip(fake_meetings):
            from fake_meetings.testing import FakeMeetingsError

            fake_meetings.clock.set(T)
            token = fake_meetings.token(room_name="standup", user_name="Alice", exp=T + 60)
            assert token.count(".") == 2
            seen = get(fake_meetings, "/meeting-tokens/" + token).json()
            assert seen == {"room_name": "standup", "user_name": "Alice", "exp": T + 60}
            alice = fake_meetings.join(token=token)
            assert alice.room == "standup"
            fake_meetings.clock.advance(10)
            (p,) = get(fake_meetings, "/meetings/" + alice.session_id).json()["participants"]
            assert p["user_name"] == "Alice"
            with pytest.raises(FakeMeetingsError, match="not valid for room"):
                fake_meetings.join("retro", token=token)
            with pytest.raises(FakeMeetingsError, match="is_owner"):
                fake_meetings.token(is_owner="yes")
            fake_meetings.clock.advance(50)
            with pytest.raises(FakeMeetingsError, match="expired"):
                fake_meetings.join(token=token)
        """,
    )
    run(inner, *mode).assert_outcomes(passed=1)


def test_api_key_option_makes_the_key_exact(inner: pytest.Pytester) -> None:
    write(
        inner,
        """
        def test_key(fake_meetings):
            assert fake_meetings.api_key == "secret-main"
            assert get(fake_meetings, "/meetings").status_code == 200
            with requests.Session() as s:
                s.trust_env = False
                r = s.get(fake_meetings.url + "/meetings",
                          headers={"Authorization": "Bearer other"}, timeout=TIMEOUT)
            assert r.status_code == 401
        """,
    )
    run(inner, "--fake-meetings-api-key=secret-{worker}").assert_outcomes(passed=1)


# --------------------------------------------------------------------------- async variant


def test_async_fixture_runs_on_the_test_loop(inner: pytest.Pytester) -> None:
    write(
        inner,
        """
        import asyncio
        import aiohttp

        async def fetch(fake, path):
            async with aiohttp.ClientSession(trust_env=False) as s:
                async with s.get(fake.url + path, headers=fake.headers,
                                 timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as r:
                    return r.status, await r.json()

        @pytest.mark.asyncio
        @pytest.mark.fake_meetings(scenario="ties")
        async def test_no_thread(fake_meetings_async):
            assert not [t for t in threading.enumerate() if t.name == "fake-meetings"]
            status, body = await fetch(fake_meetings_async, "/meetings")
            assert (status, body["total_count"]) == (200, 9)
            assert fake_meetings_async.requests[0].path == "/v1/meetings"

        @pytest.mark.asyncio
        async def test_fresh_each_test(fake_meetings_async):
            status, body = await fetch(fake_meetings_async, "/meetings")
            assert body == {"total_count": 0, "data": []}
            fake_meetings_async.clock.set(5_000)
            sid = fake_meetings_async.add_session(start_time=4_000, ongoing=True)
            fake_meetings_async.clock.advance(10)
            status, body = await fetch(fake_meetings_async, "/meetings/" + sid)
            assert body["duration"] == 1010

        @pytest.mark.asyncio
        async def test_sync_fixture_from_async_code(fake_meetings):
            fake_meetings.add_session(room="r")
            status, body = await fetch(fake_meetings, "/meetings")
            assert body["total_count"] == 1
        """,
    )
    run(inner).assert_outcomes(passed=3)


# --------------------------------------------------------------------------- xdist


def test_xdist_workers_are_isolated(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker has its own server and key; tests on both workers run interleaved, each
    seeing only its own data."""
    write(
        inner,
        """
        import os, json, pathlib

        @pytest.mark.parametrize("i", range(12))
        def test_isolated(fake_meetings, i):
            worker = os.environ["PYTEST_XDIST_WORKER"]
            assert fake_meetings.api_key == "fake-meetings-" + worker
            sid = fake_meetings.add_session(id=f"s-{i}", room=f"room-{i}")
            time.sleep(0.02)  # the other worker writes meanwhile
            body = get(fake_meetings, "/meetings").json()
            assert [s["id"] for s in body["data"]] == [sid]
            out = pathlib.Path(os.environ["SEEN_DIR"]) / f"{i}.json"
            out.write_text(json.dumps([worker, fake_meetings.url]))
        """,
    )
    seen = inner.mkdir("seen")
    monkeypatch.setenv("SEEN_DIR", str(seen))
    result = inner.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", timeout=120)
    result.assert_outcomes(passed=12)
    records = [json.loads(p.read_text()) for p in seen.iterdir()]
    assert len(records) == 12
    workers = {w for w, _ in records}
    assert workers == {"gw0", "gw1"}
    # one server per worker: exactly one URL per worker, and the two differ
    url_of = {w: {u for w2, u in records if w2 == w} for w in workers}
    assert all(len(urls) == 1 for urls in url_of.values())
    assert url_of["gw0"] != url_of["gw1"]


BARRIER_TEST = """
import json, os, pathlib

def test_both_workers_at_once(fake_meetings):
    # --dist each: this one test runs on both workers; each adds its session, waits until the
    # other has added its own, then records what it sees
    worker = os.environ["PYTEST_XDIST_WORKER"]
    out = pathlib.Path(os.environ["SEEN_DIR"])
    fake_meetings.add_session(id="s-" + worker, room=worker)
    (out / (worker + ".ready")).write_text("")
    deadline = time.monotonic() + 30
    while len(list(out.glob("*.ready"))) < 2:
        assert time.monotonic() < deadline, "the other worker never got here"
        time.sleep(0.01)
    ids = [s["id"] for s in get(fake_meetings, "/meetings").json()["data"]]
    journal = [r.path for r in fake_meetings.requests]
    record = {"key": fake_meetings.api_key, "url": fake_meetings.url, "ids": ids,
              "journal": journal}
    (out / (worker + ".json")).write_text(json.dumps(record))
"""


def run_both_workers_at_once(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str, test: str = BARRIER_TEST
) -> dict[str, dict[str, Any]]:
    write(inner, test, name="test_barrier")
    seen = inner.mkdir("seen")
    monkeypatch.setenv("SEEN_DIR", str(seen))
    result = inner.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "--dist", "each", *args, timeout=120
    )
    result.assert_outcomes(passed=2)
    return {p.stem: json.loads(p.read_text()) for p in seen.glob("*.json")}


def test_xdist_in_process_servers_isolate_workers_running_at_once(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = run_both_workers_at_once(inner, monkeypatch)
    assert set(seen) == {"gw0", "gw1"}
    for worker, record in seen.items():
        assert record["key"] == f"fake-meetings-{worker}"
        assert record["ids"] == [f"s-{worker}"]
        assert record["journal"] == ["/v1/meetings"]
    assert seen["gw0"]["url"] != seen["gw1"]["url"]


def external_server(**options: Any) -> Any:
    from fake_meetings.config import ServerConfig
    from fake_meetings.domain.world import World
    from fake_meetings.testing import ServerThread

    if "namespaces" in options and "namespaces" not in ServerConfig.__dataclass_fields__:
        pytest.skip("this tree's server has no --namespaces yet")
    return ServerThread(World(), ServerConfig(port=0, **options))


def test_xdist_one_external_server_with_namespaces_isolates_workers(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented set-up for xdist against one service container: per-worker keys (the
    default) and a server started with --namespaces."""
    with external_server(namespaces=True) as server:
        require_control_plane(server.base_url)
        seen = run_both_workers_at_once(inner, monkeypatch, f"--fake-meetings-url={server.url}")
    assert set(seen) == {"gw0", "gw1"}
    for worker, record in seen.items():
        assert record["key"] == f"fake-meetings-{worker}"
        assert record["url"] == server.url
        assert record["ids"] == [f"s-{worker}"]
        assert record["journal"] == ["/v1/meetings"]


LIVE_BARRIER_TEST = """
import json, os, pathlib

def test_both_workers_meet_at_once(fake_meetings):
    # --dist each: both workers join a room of the same name at the same time, each on its
    # own frozen clock, and each must see a meeting of its own
    worker = os.environ["PYTEST_XDIST_WORKER"]
    out = pathlib.Path(os.environ["SEEN_DIR"])
    start = 1717243200 + (0 if worker == "gw0" else 86400)
    fake_meetings.clock.set(start)
    me = fake_meetings.join("standup", user_name=worker)
    (out / (worker + ".ready")).write_text("")
    deadline = time.monotonic() + 30
    while len(list(out.glob("*.ready"))) < 2:
        assert time.monotonic() < deadline, "the other worker never got here"
        time.sleep(0.01)
    fake_meetings.clock.advance(600)
    me.leave()
    (out / (worker + ".left")).write_text("")
    while len(list(out.glob("*.left"))) < 2:
        assert time.monotonic() < deadline, "the other worker never left"
        time.sleep(0.01)
    data = get(fake_meetings, "/meetings").json()["data"]
    record = {"start": start, "session": me.session_id, "meetings": data}
    (out / (worker + ".json")).write_text(json.dumps(record))
"""


def test_xdist_one_external_server_with_namespaces_isolates_live_meetings(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers join and leave a room of the same name at once, on one server started with
    --namespaces: each sees one meeting, its own, ended after its own 600 s."""
    with external_server(namespaces=True) as server:
        require_control_plane(server.base_url)
        seen = run_both_workers_at_once(
            inner, monkeypatch, f"--fake-meetings-url={server.url}", test=LIVE_BARRIER_TEST
        )
    assert set(seen) == {"gw0", "gw1"}
    for worker, record in seen.items():
        (meeting,) = record["meetings"]
        assert meeting["id"] == record["session"]
        assert (meeting["room"], meeting["start_time"]) == ("standup", record["start"])
        assert (meeting["ongoing"], meeting["duration"], meeting["max_participants"]) == (
            False,
            600,
            1,
        )
        assert [p["user_name"] for p in meeting["participants"]] == [worker]


def test_xdist_one_external_server_without_namespaces_is_shared(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control of the test above: without --namespaces the workers do see each other."""
    with external_server() as server:
        require_control_plane(server.base_url)
        seen = run_both_workers_at_once(inner, monkeypatch, f"--fake-meetings-url={server.url}")
    assert set(seen) == {"gw0", "gw1"}
    assert any(record["ids"] != [f"s-{worker}"] for worker, record in seen.items())


# --------------------------------------------------------------------------- external mode


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_external_unreachable_fails_clearly(inner: pytest.Pytester) -> None:
    write(
        inner,
        """
        def test_a(fake_meetings):
            pass

        def test_b(fake_meetings):
            pass

        def test_without_fixture():
            pass
        """,
    )
    port = closed_port()
    started = time.monotonic()
    result = run(
        inner,
        f"--fake-meetings-url=http://127.0.0.1:{port}/v1",
        "--fake-meetings-connect-timeout=0.6",
    )
    elapsed = time.monotonic() - started
    result.assert_outcomes(passed=1, errors=2)
    out = result.stdout.str()
    assert "the external server given by --fake-meetings-url" in out
    assert f"cannot reach fake-meetings at http://127.0.0.1:{port}" in out
    assert "waited 0.6 s" in out
    assert "During handling of the above exception" not in out
    assert elapsed < 8  # one wait for the session, not one per test


def test_external_url_must_be_http(inner: pytest.Pytester) -> None:
    write(inner, "def test_a(fake_meetings):\n    pass\n")
    result = run(inner, "--fake-meetings-url=localhost:8080")
    result.assert_outcomes(errors=1)
    assert "'localhost:8080' is not an http:// or https:// URL" in result.stdout.str()


@pytest.fixture
def health_only_server() -> Iterator[Any]:
    """A server answering only GET /_fake/health, as fake-meetings did before its control
    plane; it records the headers of every request it gets."""
    from aiohttp import web

    from fake_meetings.testing import ServerThread

    seen: list[tuple[str, str, dict[str, str]]] = []

    @web.middleware
    async def record(request: web.Request, handler):  # type: ignore[no-untyped-def]
        seen.append((request.method, request.path, dict(request.headers)))
        return await handler(request)

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "version": "0.0.1", "sessions": 0})

    class Stub(ServerThread):
        async def _main(self) -> None:
            import asyncio

            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            app = web.Application(middlewares=[record])
            app.router.add_get("/_fake/health", health)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = runner.addresses[0][1]
            self._ready.set()
            try:
                await self._stop.wait()
            finally:
                await runner.cleanup()

    from fake_meetings.domain.world import World

    with Stub(World()) as stub:
        stub.seen = seen
        yield stub


def test_external_without_control_plane_names_it(
    inner: pytest.Pytester, health_only_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings: the command line beats the environment, which beats the ini file; the
    control-plane calls carry the API key and the admin token."""
    server = health_only_server
    inner.makeini(
        f"""
        [pytest]
        fake_meetings_url = http://127.0.0.1:{closed_port()}
        fake_meetings_admin_token = from-ini
        asyncio_default_fixture_loop_scope = function
        """
    )
    monkeypatch.setenv("FAKE_MEETINGS_URL", server.base_url)
    monkeypatch.setenv("FAKE_MEETINGS_ADMIN_TOKEN", "from-env")
    write(inner, "def test_a(fake_meetings):\n    pass\n")
    result = run(inner, "--fake-meetings-admin-token=from-cli", "--fake-meetings-api-key=k1")
    result.assert_outcomes(errors=1)
    out = result.stdout.str()
    assert "cannot reset the server before the test" in out
    assert f"the fake-meetings server at {server.base_url} has no control plane" in out
    assert "POST " in out and "/_fake/reset answered 404" in out
    seen = server.seen
    assert [(m, p) for m, p, _ in seen] == [("GET", "/_fake/health"), ("POST", "/_fake/reset")]
    for _, _, headers in seen:
        assert headers["Authorization"] == "Bearer k1"
        assert headers["X-Fake-Admin-Token"] == "from-cli"


def test_external_ini_setting_is_read(inner: pytest.Pytester, health_only_server: Any) -> None:
    server = health_only_server
    inner.makeini(
        f"""
        [pytest]
        fake_meetings_url = {server.base_url}/v1/
        asyncio_default_fixture_loop_scope = function
        """
    )
    write(inner, "def test_a(fake_meetings):\n    pass\n")
    result = run(inner)
    result.assert_outcomes(errors=1)
    assert "has no control plane" in result.stdout.str()
    seen = server.seen
    assert seen[0][1] == "/_fake/health"
    assert seen[0][2]["Authorization"] == "Bearer fake-meetings"
    assert "X-Fake-Admin-Token" not in seen[0][2]


def test_async_fixture_with_an_external_server(inner: pytest.Pytester, control_plane: Any) -> None:
    """With an external server, ``fake_meetings_async`` is the same reset handle on it."""
    write(
        inner,
        f"""
        import aiohttp

        @pytest.mark.asyncio
        @pytest.mark.fake_meetings(scenario="single")
        async def test_external(fake_meetings_async):
            assert fake_meetings_async.url == "{control_plane.url}"
            fake_meetings_async.add_session(room="extra")
            async with aiohttp.ClientSession(trust_env=False) as s:
                async with s.get(fake_meetings_async.url + "/meetings",
                                 headers=fake_meetings_async.headers) as r:
                    assert (await r.json())["total_count"] == 2
        """,
    )
    run(inner, f"--fake-meetings-url={control_plane.url}").assert_outcomes(passed=1)
