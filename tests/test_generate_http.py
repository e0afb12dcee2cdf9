"""Generated data over real HTTP: byte-identical answers for the same seed, and `generate -o`
written to a file serves exactly what the generator serves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.world import World
from fake_meetings.loading import load
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
