"""Generated data over real HTTP: byte-identical answers for the same seed, `generate -o`
written to a file serves exactly what the generator serves, and sessions generated ahead of now
appear, run and end as the clock moves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.model import Session
from fake_meetings.domain.world import World
from fake_meetings.scenario.loading import load
from fake_meetings.testing import ServerThread

NOW = 1_717_243_200


def answers(world: World) -> list[bytes]:
    """Raw bodies for a fixed query mix, including a full walk of the list."""
    config = ServerConfig(port=0, auth=False)
    bodies: list[bytes] = []
    with ServerThread(world, config) as server, requests.Session() as http:
        first = http.get(server.url + "/meetings", timeout=10).json()
        rooms = sorted({s["room"] for s in first["data"]})
        queries = [
            "/meetings?limit=7",
            "/meetings?ongoing=true",
            "/meetings?no_participants=true&limit=50",
            f"/meetings?room={rooms[0]}&timeframe_start={NOW - 10 * 86400}",
            "/meetings?ending_before=OLDEST&limit=5",
        ]
        for query in queries:
            bodies.append(http.get(server.url + query, timeout=10).content)
        cursor = None
        for _ in range(100):  # bounded walk
            url = server.url + "/meetings" + (f"?starting_after={cursor}" if cursor else "")
            body = http.get(url, timeout=10)
            bodies.append(body.content)
            data = body.json()["data"]
            if not data:
                break
            cursor = data[-1]["id"]
            one = http.get(f"{server.url}/meetings/{cursor}/participants?limit=3", timeout=10)
            bodies.append(one.content)
    return bodies


def test_same_seed_gives_byte_identical_responses() -> None:
    spec = GenerateSpec(sessions=700, rooms=5, seed=21, start=NOW - 3 * 86400)
    a = answers(World(generate(spec, NOW), Clock(NOW)))
    b = answers(World(generate(spec, NOW), Clock(NOW)))
    assert len(a) > 10 and a == b
    c = answers(World(generate(GenerateSpec(700, 5, 22, NOW - 3 * 86400), NOW), Clock(NOW)))
    assert c != a


def test_generate_output_file_serves_like_the_generator(tmp_path: Path) -> None:
    out = tmp_path / "generated.yaml"
    command = [
        sys.executable,
        "-m",
        "fake_meetings",
        "generate",
        "600",
        "--seed",
        "8",
        "--rooms",
        "4",
        "--days",
        "3",
        "--now",
        str(NOW),
        "-o",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "wrote 600 sessions" in done.stderr
    from_file = load([str(out)])
    assert from_file.now == NOW
    spec = GenerateSpec(600, 4, 8, NOW - 3 * 86400, NOW)
    assert answers(from_file.world()) == answers(World(generate(spec, NOW), Clock(NOW)))


MONDAY = 1_717_408_800  # 2024-06-03T10:00:00Z: working hours, so the next hours hold sessions


def served(http: requests.Session, url: str) -> dict[str, dict[str, object]]:
    """Every listed session by id, walking the pages."""
    seen: dict[str, dict[str, object]] = {}
    cursor = ""
    while True:
        page = http.get(f"{url}/meetings?no_participants=true{cursor}", timeout=10).json()
        seen.update((m["id"], m) for m in page["data"])
        if not page["data"]:
            assert page["total_count"] == len(seen)
            return seen
        cursor = f"&starting_after={page['data'][-1]['id']}"


def last_leave(s: Session) -> int:
    return max(p.join_time + (p.duration or 0) for p in s.participants)


@pytest.mark.parametrize("advance", [0, 1800, 3 * 3600, 7 * 3600, 2 * 86400])
def test_sessions_generated_ahead_appear_and_end_as_the_clock_moves(advance: int) -> None:
    spec = GenerateSpec(sessions=400, rooms=6, seed=13, start=MONDAY - 86400, ahead=6 * 3600)
    sessions = generate(spec, MONDAY)
    later = MONDAY + advance
    # expected from the stays alone: started by then; ongoing while a stay leaves after then
    by_now = {s.id for s in sessions if s.start_time <= MONDAY}
    started = {s.id: s for s in sessions if s.start_time <= later}
    live = {sid for sid, s in started.items() if last_leave(s) > later}
    assert len(by_now) < 400 and (advance == 0 or len(started) > len(by_now))
    world = World(sessions, Clock(MONDAY))
    config = ServerConfig(port=0, auth=False)
    with ServerThread(world, config) as server, requests.Session() as http:
        http.trust_env = False
        before = served(http, server.url)
        moved = http.post(server.base_url + "/_fake/clock", json={"advance": advance}, timeout=10)
        assert moved.status_code == 200, moved.text
        after = served(http, server.url)
        ongoing = http.get(server.url + "/meetings?ongoing=true&limit=1", timeout=10).json()
    assert set(before) == by_now
    assert set(after) == set(started)
    assert {sid for sid, m in after.items() if m["ongoing"]} == live
    assert ongoing["total_count"] == len(live)
    for sid, meeting in after.items():
        end = min(last_leave(started[sid]), later)
        assert meeting["duration"] == end - started[sid].start_time, sid
