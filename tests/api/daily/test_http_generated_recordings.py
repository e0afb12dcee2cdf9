"""Generated recordings over a real server on 127.0.0.1: a `generate:` block with `recorded:`
loaded through the control plane, then ``GET /v1/recordings`` at random clock positions (pages,
cursors, ``total_count``, the room filter, ``in_progress``, each item's status) against a naive
model of the same recordings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.config import ServerConfig
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.models import keyset_page, naive_status

KEY = {"Authorization": "Bearer test-key"}
T = 1_717_243_200


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(World(), ServerConfig(port=0)) as running:
        yield running


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 150),
    share=st.sampled_from([0.2, 0.5, 1.0]),
    queries=st.lists(
        st.tuples(
            st.integers(-2 * 86400, 3 * 3600),  # the clock, from T
            st.integers(1, 40),
            st.sampled_from(["none", "after", "before", "oldest"]),
            st.integers(0, 10**6),
            st.sampled_from([None, True, False]),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_pages_of_generated_recordings_match_a_naive_model(
    server: ServerThread, seed: int, count: int, share: float, queries: list[Any]
) -> None:
    text = (
        f"now: {T}\ngenerate: {{sessions: {count}, rooms: 3, seed: {seed}, start: -3d, "
        f"ahead: 3h, recorded: {share}}}\n"
    )
    local = load_text(text, "generated.yaml")
    recs, sessions = list(local.recordings), {s.id: s for s in local.sessions}
    base = server.base_url
    loaded = requests.post(base + "/_fake/scenario", data=text, timeout=30)
    assert loaded.status_code == 200, loaded.text
    keys = {r.id: (r.start_ts, r.id) for r in recs}
    for offset, limit, kind, pick, in_progress, by_room in queries:
        now = T + offset
        clock = requests.post(base + "/_fake/clock", json={"freeze_at": now}, timeout=10)
        assert clock.status_code == 200, clock.text
        room = recs[pick % len(recs)].room_name if by_room and recs else None
        visible = {r.id for r in recs if r.start_ts <= now}
        cursor = recs[pick % len(recs)].id if recs else None
        if cursor is not None and cursor not in visible:
            cursor = None  # a cursor not listed yet: its own rule, tested elsewhere
        params: dict[str, Any] = {"limit": limit}
        if room is not None:
            params["room_name"] = room
        if in_progress is not None:
            params["in_progress"] = "true" if in_progress else "false"
        after = before = None
        if kind == "after" and cursor is not None:
            after = params["starting_after"] = cursor
        elif kind == "before" and cursor is not None:
            before = params["ending_before"] = cursor
        elif kind == "oldest":
            before = params["ending_before"] = "OLDEST"
        status = {r.id: naive_status(r, sessions[r.mtg_session_id], now) for r in recs}
        kept = [
            r
            for r in recs
            if r.id in visible
            and room in (None, r.room_name)
            and in_progress in (None, status[r.id][0] == "in-progress")
        ]
        ordered = [r.id for r in sorted(kept, key=lambda r: keys[r.id], reverse=True)]
        answer = requests.get(base + "/v1/recordings", params=params, headers=KEY, timeout=10)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["total_count"] == len(ordered)
        assert [r["id"] for r in body["data"]] == keyset_page(ordered, limit, after, before, keys)
        by_id = {r.id: r for r in recs}
        for item in body["data"]:
            r = by_id[item["id"]]
            assert (item["status"], item.get("duration")) == status[r.id]
            assert (item["room_name"], item["mtgSessionId"]) == (r.room_name, r.mtg_session_id)


def test_generated_recordings_do_not_count_against_the_bound() -> None:
    """A namespace bounds the recordings clients start and files declare (2 here); the
    generated ones are bounded by the sessions generated: a `generate:` block with far more
    recordings than the bound loads, and clients can still start recordings up to it."""
    from fake_meetings.api.keys import NAMESPACES
    from fake_meetings.state.namespaces import Bounds

    text = (
        f"now: {T}\ngenerate: {{sessions: 200, seed: 1, recorded: 0.5}}\n"
        f"sessions:\n  - {{id: live, room: live, start_time: {T - 60},\n"
        f"     participants: [{{join_time: {T - 60}, duration: 7200}}]}}\n"
    )
    with ServerThread(World(), ServerConfig(port=0)) as server:
        server.app[NAMESPACES].default.bounds = Bounds(recordings=2)
        base = server.base_url
        loaded = requests.post(base + "/_fake/scenario", data=text, timeout=30)
        assert loaded.status_code == 200, loaded.text
        listed = requests.get(base + "/v1/recordings", headers=KEY, timeout=10).json()
        assert listed["total_count"] > 2
        start, stop = (base + f"/v1/rooms/live/recordings/{verb}" for verb in ("start", "stop"))
        for _ in range(2):
            assert requests.post(start, headers=KEY, timeout=10).status_code == 200
            assert requests.post(stop, headers=KEY, timeout=10).status_code == 200
        refused = requests.post(start, headers=KEY, timeout=10)
        assert refused.status_code == 400
        assert "at most 2 recordings besides generated ones" in refused.json()["info"]
