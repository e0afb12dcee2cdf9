"""Namespaces (``--namespaces``): each Bearer key has its own sessions, clock, faults and journal,
started from the start-up scenario; control-plane calls choose theirs by the same header."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable

from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, as_yaml_sessions, error, ok, rooms_scenario
from tests.helpers.constants import DAY, NOW
from tests.helpers.scenarios import small_scenario

Serve = Callable[..., ServerThread]
TOTAL = len(small_scenario().sessions)


def key(k: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {k}"}


def test_data_clock_faults_and_journal_are_per_key(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world(), namespaces=True).base_url)
    mine = rooms_scenario("mine", 3, NOW - DAY, NOW)
    ok(c.post("/_fake/scenario", as_yaml_sessions(mine.sessions), headers=key("w1")))
    ok(c.post("/_fake/clock", {"advance": 3600}, headers=key("w1")))
    ok(
        c.post("/_fake/faults", {"status": 500, "path": "/v1/meetings/s-01"}, headers=key("w1")),
        201,
    )

    assert ok(c.api("/v1/meetings", key="w1"))["total_count"] == 3
    assert ok(c.api("/v1/meetings", key="w2"))["total_count"] == TOTAL
    assert ok(c.get("/_fake/clock", headers=key("w1"))) == {"now": NOW + 3600, "frozen": True}
    assert ok(c.get("/_fake/clock", headers=key("w2"))) == {"now": NOW, "frozen": True}
    assert ok(c.get("/_fake/clock")) == {"now": NOW, "frozen": True}  # default namespace
    ongoing = small.by_id["s-07"]
    assert ok(c.api("/v1/meetings/s-07", key="w2"))["duration"] == ongoing.duration_at(NOW)
    # w1's fault: w2 is not affected (and w1 has no s-01 any more: the fault still answers)
    assert ok(c.api("/v1/meetings/s-01", key="w2"))["id"] == "s-01"
    error(c.api("/v1/meetings/s-01", key="w1"), 500, "server-error")
    assert ok(c.get("/_fake/faults", headers=key("w2"))) == {"data": []}
    # journals
    w1 = [e["path"] for e in ok(c.get("/_fake/requests", headers=key("w1")))["data"]]
    w2 = [e["path"] for e in ok(c.get("/_fake/requests", headers=key("w2")))["data"]]
    assert w1 == ["/v1/meetings", "/v1/meetings/s-01"]
    assert w2 == ["/v1/meetings", "/v1/meetings/s-07", "/v1/meetings/s-01"]
    assert ok(c.get("/_fake/requests")) == {"data": []}
    # health counts the caller's sessions
    assert ok(c.get("/_fake/health", headers=key("w1")))["sessions"] == 3
    assert ok(c.get("/_fake/health"))["sessions"] == TOTAL


def test_a_new_key_starts_from_the_startup_data_and_reset_is_per_key(
    serve: Serve, plain: Http
) -> None:
    small = small_scenario()
    c = plain.at(serve(small.world(), namespaces=True).base_url)
    ok(c.post("/_fake/scenario", "sessions: []", headers=key("w1")))
    ok(c.post("/_fake/clock", {"freeze_at": 5}, headers=key("w1")))
    ok(c.post("/_fake/scenario", "sessions: []"))  # the default namespace too
    fresh = ok(c.api("/v1/meetings", key="w3"))
    assert fresh["total_count"] == TOTAL
    assert [s["id"] for s in fresh["data"]] == small.ordered_ids()
    assert ok(c.get("/_fake/clock", headers=key("w3"))) == {"now": NOW, "frozen": True}
    assert ok(c.post("/_fake/reset", headers=key("w1"))) == {
        "sessions": TOTAL,
        "now": NOW,
        "frozen": True,
    }
    assert ok(c.get("/_fake/sessions"))["total_count"] == 0  # the default one kept its change


def test_parallel_workers_do_not_see_each_other(serve: Serve) -> None:
    server = serve(small_scenario().world(), namespaces=True)

    def worker(n: int) -> list[int]:
        c = Http("requests", server.base_url)
        try:
            mine = rooms_scenario(f"worker{n}", n + 1, NOW - DAY, NOW)
            ok(c.post("/_fake/scenario", as_yaml_sessions(mine.sessions), headers=key(f"k{n}")))
            counts = []
            for _ in range(20):
                page = ok(c.api("/v1/meetings", key=f"k{n}"))
                assert [s["id"] for s in page["data"]] == mine.ordered_ids()
                counts.append(page["total_count"])
                ok(c.post("/_fake/clock", {"advance": 1}, headers=key(f"k{n}")))
            assert ok(c.get("/_fake/clock", headers=key(f"k{n}")))["now"] == NOW + 20
            return counts
        finally:
            c.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(worker, range(6)))
    assert results == [[n + 1] * 20 for n in range(6)]


def test_without_namespaces_every_key_shares_one_world(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(small_scenario().world()).base_url)
    ok(c.post("/_fake/scenario", "sessions: []", headers=key("w1")))
    assert ok(c.api("/v1/meetings", key="w2"))["total_count"] == 0


def test_namespace_selection_needs_a_well_formed_header(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(small_scenario().world(), namespaces=True).base_url)
    for header in ("Basic abc", "Bearer", "Bearer    "):
        error(
            c.get("/_fake/clock", headers={"Authorization": header}),
            400,
            "authorization-header-error",
            "Bearer",
        )
