"""Daily's ten-second rule over real HTTP (127.0.0.1): ``/meetings`` shows a stay once it has
lasted ``min_stay`` (10 s by default) and never a shorter one, while presence does not wait;
``--min-stay`` (and ``FAKE_MEETINGS_MIN_STAY``), ``ServerConfig.min_stay`` and the handle's
``min_stay`` set it, 0 turning it off; generated data never shows a stay under 10 s at any clock
position. Expected values come from the instants the tests set, or from the naive model of
``tests/helpers/models.py`` fed with the timeline the control plane exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fake_meetings.cli import build_parser
from fake_meetings.cli.options import UsageError, server_config
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, ok
from tests.helpers.constants import MIN_STAY, NOW
from tests.helpers.models import naive_session

Serve = Callable[..., ServerThread]
RECORD = ("participant_id", "join_time", "duration")


def join(c: Http, room: str, **who: Any) -> Any:
    return ok(c.post("/_fake/join", {"room": room, **who}), 201)


def advance(c: Http, seconds: int) -> None:
    ok(c.post("/_fake/clock", {"advance": seconds}))


def meetings(c: Http, **params: Any) -> Any:
    return ok(c.api("/v1/meetings", **params))


def test_a_stay_is_shown_once_it_has_lasted_ten_seconds(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(World((), Clock(NOW))).base_url)
    alice = join(c, "standup", user_name="Alice")
    sid = alice["session_id"]
    # presence does not wait; /meetings does
    (present,) = ok(c.api("/v1/rooms/standup/presence"))["data"]
    assert present["userName"] == "Alice"
    for _ in range(MIN_STAY):
        assert meetings(c) == {"total_count": 0, "data": []}
        assert meetings(c, ongoing="true")["total_count"] == 0
        assert c.api(f"/v1/meetings/{sid}").status == 404
        assert c.api(f"/v1/meetings/{sid}/participants").status == 404
        advance(c, 1)
    (s,) = meetings(c)["data"]  # NOW + 10
    assert (s["id"], s["start_time"], s["duration"], s["ongoing"]) == (sid, NOW, 10, True)
    assert [p["duration"] for p in s["participants"]] == [10]
    # Bob stays 5 s: never shown; Carol stays 30 s: shown from her tenth second
    bob = join(c, "standup", user_name="Bob")
    advance(c, 5)
    ok(c.post("/_fake/leave", {"participant_id": bob["participant_id"]}))
    carol = join(c, "standup", user_name="Carol")  # NOW + 15
    advance(c, 9)
    assert [p["user_name"] for p in ok(c.api(f"/v1/meetings/{sid}"))["participants"]] == ["Alice"]
    assert ok(c.api(f"/v1/meetings/{sid}"))["max_participants"] == 1
    advance(c, 1)  # NOW + 25
    shown = ok(c.api(f"/v1/meetings/{sid}"))
    assert [p["user_name"] for p in shown["participants"]] == ["Alice", "Carol"]
    assert shown["max_participants"] == 2
    records = ok(c.api(f"/v1/meetings/{sid}/participants"))["data"]
    assert [(p["user_name"], p["duration"]) for p in records] == [("Alice", 25), ("Carol", 10)]
    advance(c, 20)
    for p in (alice, carol):
        ok(c.post("/_fake/leave", {"participant_id": p["participant_id"]}))
    advance(c, 3600)
    (ended,) = meetings(c)["data"]
    assert (ended["duration"], ended["ongoing"], ended["max_participants"]) == (45, False, 2)
    assert [p["user_name"] for p in ended["participants"]] == ["Alice", "Carol"]
    # a meeting whose only stay was short is never listed
    brief = join(c, "retro")
    advance(c, 3)
    ok(c.post("/_fake/leave", {"participant_id": brief["participant_id"]}))
    for seconds in (0, 10, 86_400):
        advance(c, seconds)
        assert meetings(c, room="retro")["total_count"] == 0
        assert c.api(f"/v1/meetings/{brief['session_id']}").status == 404
    assert meetings(c)["total_count"] == 1


def test_min_stay_0_shows_a_join_at_once(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World((), Clock(NOW)), min_stay=0).base_url)
    alice = join(c, "standup")
    (s,) = meetings(c)["data"]
    assert (s["id"], s["duration"], s["participants"][0]["duration"]) == (alice["session_id"], 0, 0)


def test_the_handle_sets_min_stay_until_a_reset(serve: Serve, plain: Http) -> None:
    server = serve(World((), Clock(NOW)))
    fm = server.handle("test-key")
    c = plain.at(server.base_url)
    assert fm.min_stay == MIN_STAY
    fm.min_stay = 0
    fm.clock.set(NOW)
    fm.join("standup")
    assert meetings(c)["total_count"] == 1
    fm.min_stay = 30
    assert meetings(c)["total_count"] == 0
    fm.clock.advance(30)
    assert meetings(c)["total_count"] == 1
    for bad in (-1, 1.5, "10", True):
        with pytest.raises(ValueError, match="min_stay"):
            fm.min_stay = bad  # type: ignore[assignment]
    fm.reset()
    assert fm.min_stay == MIN_STAY


def options(*argv: str) -> Any:
    return server_config(build_parser().parse_args(["serve", *argv]))


def test_the_option_and_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert options().min_stay is None  # each namespace's own: 10, or a scenario's min_stay:
    assert options("--min-stay", "0").min_stay == 0
    assert options("--min-stay", "30").min_stay == 30
    monkeypatch.setenv("FAKE_MEETINGS_MIN_STAY", "5")
    assert options().min_stay == 5
    assert options("--min-stay", "0").min_stay == 0  # a flag wins
    for bad in ("-1", "1.5", "ten"):
        with pytest.raises(UsageError, match="--min-stay"):
            options("--min-stay", bad)
    monkeypatch.setenv("FAKE_MEETINGS_MIN_STAY", "x")
    with pytest.raises(UsageError, match="FAKE_MEETINGS_MIN_STAY"):
        options()


def test_a_server_started_with_min_stay_keeps_it_after_a_reset(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World((), Clock(NOW)), min_stay=30).base_url)
    ok(c.post("/_fake/reset"))
    ok(c.post("/_fake/clock", {"freeze_at": NOW}))
    join(c, "standup")
    advance(c, 29)
    assert meetings(c)["total_count"] == 0
    advance(c, 1)
    assert meetings(c)["total_count"] == 1


def test_generated_data_never_shows_a_stay_under_ten_seconds(serve: Serve, plain: Http) -> None:
    """Sessions spread over the hours around ``NOW`` (some start after it): at clock positions
    0, 2, 9, 10 and 11 s after session starts, every page is the naive model's, fed with the
    stays the control plane exports once they have all happened."""
    spec = GenerateSpec(sessions=60, rooms=3, seed=7, start=NOW - 3 * 3600, ahead=3 * 3600)
    sessions = generate(spec, NOW)
    c = plain.at(serve(World(sessions, Clock(NOW + 30 * 86_400))).base_url)
    everything = ok(c.get("/_fake/sessions"))["data"]
    assert len(everything) == 60
    stays = {
        s["id"]: [(p["participant_id"], p["join_time"], p["duration"]) for p in s["participants"]]
        for s in everything
    }
    assert all(d is not None and d >= MIN_STAY for ps in stays.values() for _, _, d in ps)
    starts = sorted({s["start_time"] for s in everything})
    for now in sorted({start + lag for start in starts[::4] for lag in (0, 2, 9, 10, 11)}):
        ok(c.post("/_fake/clock", {"freeze_at": now}))
        want = {}
        for s in everything:
            seen = naive_session(s["start_time"], stays[s["id"]], now, MIN_STAY)
            if seen is not None:
                want[s["id"]] = seen
        page = meetings(c)
        assert page["total_count"] == len(want), now
        for got in page["data"]:
            seen = want[got["id"]]
            for field in ("start_time", "duration", "ongoing", "max_participants"):
                assert got[field] == seen[field], (now, got["id"], field)
            shown = [tuple(p[k] for k in RECORD) for p in got["participants"]]
            assert shown == seen["participants"], (now, got["id"])
            assert all(p["duration"] >= MIN_STAY for p in got["participants"])
