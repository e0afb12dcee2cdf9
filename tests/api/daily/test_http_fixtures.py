"""Every bundled scenario, served over a real socket with a frozen clock: paging through it
yields each session exactly once, in order, and the counts add up (contract §2, §4).

The scenarios are discovered when the tests are collected, so new fixture files are picked up.
Expected counts come from reading the YAML file independently (``yaml.safe_load``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import yaml

from fake_meetings.config import ServerConfig
from fake_meetings.scenario.bundled import bundled_names, fixtures_dir
from fake_meetings.scenario.loading import load
from fake_meetings.testing import ServerThread
from tests.helpers.clients import check_int_times
from tests.helpers.constants import AUTH, NOW, TIMEOUT

NAMES = bundled_names()
MAX_PAGES = 10_000


@dataclass
class Served:
    name: str
    raw: list[dict[str, Any]]  # the file's sessions, as plain YAML
    ids: list[str]  # the loaded session ids, in file order
    server: ServerThread
    http: requests.Session

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.server.url + path, params=params, headers=AUTH, timeout=TIMEOUT)

    def page(self, **params: Any) -> dict[str, Any]:
        r = self.get("/meetings", **params)
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("application/json")
        body = r.json()
        check_int_times(body)
        return dict(body)

    def walk(self, limit: int, **filters: Any) -> list[dict[str, Any]]:
        """starting_after=<last id> until an empty page; every page's total_count is checked
        against the first one."""
        out: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": limit, **filters}
        total = None
        for _ in range(MAX_PAGES):
            body = self.page(**params)
            total = body["total_count"] if total is None else total
            assert body["total_count"] == total
            if not body["data"]:
                assert len(out) == total
                return out
            assert len(body["data"]) <= limit
            out += body["data"]
            params["starting_after"] = body["data"][-1]["id"]
        raise AssertionError("page walk did not end")


def test_bundled_scenarios_are_found() -> None:
    assert "empty" in NAMES
    assert all((fixtures_dir() / f"{n}.yaml").is_file() for n in NAMES)


@pytest.fixture(scope="module", params=NAMES)
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    name = request.param
    raw_doc = yaml.safe_load((fixtures_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    raw = list(raw_doc.get("sessions") or [])
    loaded = load([name], now=NOW)
    assert loaded.now == NOW
    with (
        ServerThread(loaded.world(), ServerConfig(port=0)) as server,
        requests.Session() as http,
    ):
        http.trust_env = False
        yield Served(name, raw, [s.id for s in loaded.sessions], server, http)


def test_scenario_loads_every_session_of_the_file(served: Served) -> None:
    assert len(served.ids) == len(served.raw)
    assert len(set(served.ids)) == len(served.ids)
    for raw, session_id in zip(served.raw, served.ids, strict=True):
        if "id" in raw:
            assert str(raw["id"]) == session_id


@pytest.mark.parametrize("limit", [100, 7])
def test_walk_yields_every_session_once_in_order(served: Served, limit: int) -> None:
    sessions = served.walk(limit)
    got = [s["id"] for s in sessions]
    assert len(got) == len(set(got)), "a session appeared twice"
    assert sorted(got) == sorted(served.ids)
    assert len(got) == len(served.raw)
    keys = [(s["start_time"], s["id"]) for s in sessions]
    assert all(a > b for a, b in itertools.pairwise(keys)), "not newest first"


def test_first_page_and_total_count(served: Served) -> None:
    body = served.page()
    assert body["total_count"] == len(served.raw)
    assert len(body["data"]) == min(100, len(served.raw))
    if not served.raw:
        assert body == {"total_count": 0, "data": []}


def test_walk_backwards_from_oldest(served: Served) -> None:
    pages: list[list[str]] = []
    params: dict[str, Any] = {"ending_before": "OLDEST", "limit": 40}
    for _ in range(MAX_PAGES):
        data = served.page(**params)["data"]
        if not data:
            break
        pages.append([s["id"] for s in data])
        params["ending_before"] = data[0]["id"]
    forwards = [s["id"] for s in served.walk(100)]
    assert [i for p in reversed(pages) for i in p] == forwards


def test_per_room_filters_add_up(served: Served) -> None:
    rooms = {str(s["room"]) for s in served.raw}
    seen: list[str] = []
    for room in sorted(rooms):
        expected = sum(1 for s in served.raw if str(s["room"]) == room)
        assert served.page(room=room, limit=1)["total_count"] == expected
        sessions = served.walk(50, room=room)
        assert len(sessions) == expected
        assert {s["room"] for s in sessions} == {room}
        seen += [s["id"] for s in sessions]
    assert sorted(seen) == sorted(served.ids)
    assert served.page(room="no-such-room-in-any-fixture") == {"total_count": 0, "data": []}


def test_ongoing_filters_add_up(served: Served) -> None:
    ongoing = sum(1 for s in served.raw if s.get("ongoing") is True)
    live = served.walk(100, ongoing="true")
    done = served.walk(100, ongoing="false")
    assert len(live) == ongoing
    assert len(done) == len(served.raw) - ongoing
    assert all(s["ongoing"] is True for s in live)
    assert all(s["ongoing"] is False for s in done)


def test_timeframe_halves_add_up(served: Served) -> None:
    sessions = served.walk(100)
    if not sessions:
        return
    starts = sorted(s["start_time"] for s in sessions)
    middle = starts[len(starts) // 2]
    before = served.page(timeframe_end=middle, limit=1)["total_count"]
    after = served.page(timeframe_start=middle, limit=1)["total_count"]
    assert before + after == len(sessions)
    assert before == sum(1 for t in starts if t < middle)


def test_served_sessions_are_consistent(served: Served) -> None:
    for s in served.walk(100):
        assert s["participants"], s["id"]
        assert s["max_participants"] >= 1
        if s["ongoing"]:
            assert s["duration"] == NOW - s["start_time"]
        else:
            ends = [p["join_time"] + p["duration"] for p in s["participants"]]
            assert s["start_time"] + s["duration"] == max(ends), s["id"]
        for p in s["participants"]:
            assert p["duration"] >= 0


def test_participants_endpoint_returns_every_record(served: Served) -> None:
    for raw, session_id in zip(served.raw, served.ids, strict=True):
        one = served.get(f"/meetings/{session_id}")
        assert one.status_code == 200
        embedded = one.json()["participants"]
        assert len(embedded) == len(raw["participants"])
        records: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 10}
        for _ in range(MAX_PAGES):
            r = served.get(f"/meetings/{session_id}/participants", **params)
            if r.status_code == 404:
                assert r.json()["error"] == "not-found"
                break
            assert r.status_code == 200, r.text
            data = r.json()["data"]
            assert 1 <= len(data) <= 10
            records += data
            params["joined_after"] = data[-1]["participant_id"]
        else:
            raise AssertionError("participants walk did not end")
        assert records == embedded
        keys = [(p["join_time"], p["participant_id"]) for p in records]
        assert keys == sorted(keys)
        assert len({p["participant_id"] for p in records}) == len(records)
