"""Rooms, presence and the sessions export at scale, over HTTP.

    python bench/scale_bench.py            # 100,000 rooms, 5,000 present, 100,000 sessions
    python bench/scale_bench.py --quick    # fewer operations at the same sizes

Each figure is measured against a server process (``serve``) while a second connection asks
``GET /_fake/health`` back to back: the longest health answer during an operation is the
event loop's longest stall (nothing else is served meanwhile). Each is printed with its
baseline from the same run:

- ``POST /v1/rooms``, ``POST /v1/rooms/:name`` and ``DELETE /v1/rooms/:name`` at 100,000
  rooms, the slowest of each and the longest stall, against the same at 2,000 rooms (target:
  a ratio near 1: a change costs O(log n), not a copy of every room);
- ``POST /_fake/join`` into a room with 5,000 present, median and slowest, against a join into
  a room with 50 present (target: a ratio near 1);
- the presence and meetings reads right after a join into that room of 5,000 (a new snapshot,
  so nothing of the answer is kept): the loop's longest stall while each is answered (target:
  under 50 ms; the client's latency also counts sending a body of about 1 MB);
- ``GET /_fake/sessions`` at 100,000 sessions: the longest stall while it is written, against
  the longest health answer over as long with nothing else going on (target: a few ms, not
  the seconds the whole body took to build), and the server's RSS growth meanwhile.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from http_bench import Server, fake_server

NOW = "2024-06-03T15:00:00Z"
NOW_S = 1_717_426_800
HEADERS = {"Authorization": "Bearer bench", "Content-Type": "application/json"}


class Conn:
    """One keep-alive connection; ``call`` returns (status, body, seconds)."""

    def __init__(self, server: Server):
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=600)

    def call(self, method: str, path: str, body: object = None) -> tuple[int, bytes, float]:
        data = None if body is None else json.dumps(body).encode()
        t0 = time.perf_counter()
        self.conn.request(method, path, body=data, headers=HEADERS)
        response = self.conn.getresponse()
        out = response.read()
        return response.status, out, time.perf_counter() - t0

    def ok(self, method: str, path: str, body: object = None) -> bytes:
        """The body of a 2xx answer (anything else stops the benchmark, saying what)."""
        got, out, _ = self.call(method, path, body)
        if not 200 <= got < 300:
            raise RuntimeError(f"{method} {path}: {got} {out[:300]!r}")
        return out

    def json(self, method: str, path: str, body: object = None) -> dict[str, object]:
        value = json.loads(self.ok(method, path, body))
        assert isinstance(value, dict)
        return value

    def close(self) -> None:
        self.conn.close()


class Pinger:
    """Asks ``GET /_fake/health`` back to back on its own connection, keeping the longest
    answer since the last :meth:`reset` (the event loop's longest stall meanwhile)."""

    def __init__(self, server: Server):
        self.conn = Conn(server)
        self.longest = 0.0
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            _, _, seconds = self.conn.call("GET", "/_fake/health")
            self.longest = max(self.longest, seconds)
            self.count += 1
            time.sleep(0.0005)

    def reset(self) -> None:
        self.longest, self.count = 0.0, 0

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.conn.close()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def rss(server: Server) -> int:
    return server.rss_bytes()


def rooms_server(rooms: int, directory: Path) -> Server:
    """A server whose namespace holds ``rooms`` rooms, declared by a scenario file, created
    over the 30 days before now."""
    path = directory / f"rooms-{rooms}.json"
    declared = [
        {"name": f"room-{i}", "created_at": NOW_S - 30 * 86400 + i * 30 * 86400 // rooms}
        for i in range(rooms)
    ]
    path.write_text(json.dumps({"now": NOW_S, "rooms": declared, "sessions": []}))
    return fake_server(f"{rooms} rooms", "--scenario", str(path), log=True)


def room_ops(server: Server, count: int) -> dict[str, tuple[list[float], float]]:
    """``count`` creates, updates and deletes: each kind's latencies and the longest stall."""
    c, pinger = Conn(server), Pinger(server)
    total = json.loads(c.ok("GET", "/v1/rooms?limit=1"))["total_count"]
    out: dict[str, tuple[list[float], float]] = {}
    names = [f"bench-{i}" for i in range(count)]
    kinds: list[tuple[str, Callable[[str], tuple[str, str, object]]]] = [
        ("POST /v1/rooms", lambda n: ("POST", "/v1/rooms", {"name": n})),
        ("POST /v1/rooms/:name", lambda n: ("POST", f"/v1/rooms/{n}", {"privacy": "private"})),
        ("DELETE /v1/rooms/:name", lambda n: ("DELETE", f"/v1/rooms/{n}", None)),
    ]
    time.sleep(0.05)
    for kind, request in kinds:
        pinger.reset()
        times = []
        for name in names:
            method, path, body = request(name)
            status, answer, seconds = c.call(method, path, body)
            if status != 200:
                raise RuntimeError(f"{method} {path}: {status} {answer[:300]!r}")
            times.append(seconds)
        out[kind] = (times, pinger.longest)
    after = json.loads(c.ok("GET", "/v1/rooms?limit=1"))["total_count"]
    assert after == total, (after, total)
    pinger.stop()
    c.close()
    print(f"  ({total:,} rooms)", file=sys.stderr)
    return out


def present_scenario(present: int) -> dict[str, object]:
    """One ongoing session in room ``big`` with ``present`` open stays."""
    stays = [
        {"participant_id": f"p-{i}", "join_time": NOW_S - 600 + i % 300} for i in range(present)
    ]
    start = NOW_S - 600
    return {"now": NOW_S, "sessions": [{"room": "big", "start_time": start, "participants": stays}]}


def joins(server: Server, present: int, count: int) -> tuple[list[float], float]:
    c = Conn(server)
    c.ok("POST", "/_fake/scenario", present_scenario(present))
    pinger = Pinger(server)
    time.sleep(0.05)
    pinger.reset()
    times = []
    for i in range(count):
        status, answer, seconds = c.call("POST", "/_fake/join", {"room": "big", "user_id": str(i)})
        if status != 201:
            raise RuntimeError(f"join: {status} {answer[:300]!r}")
        times.append(seconds)
    longest = pinger.longest
    pinger.stop()
    c.close()
    return times, longest


READS = ("/v1/rooms/big/presence", "/v1/presence", "/v1/meetings", "/v1/meetings?room=big")


def reads_after_a_join(server: Server, present: int, count: int) -> dict[str, list[float]]:
    """The event loop's longest stall while each of ``READS`` is answered, each read right
    after a join into ``big`` (a new snapshot: nothing of the answer is kept), ``count`` times,
    with ``present`` people in the room."""
    c = Conn(server)
    c.ok("POST", "/_fake/scenario", present_scenario(present))
    pinger = Pinger(server)
    time.sleep(0.05)
    stalls: dict[str, list[float]] = {path: [] for path in READS}
    for i in range(count):
        for path in READS:
            c.ok("POST", "/_fake/join", {"room": "big", "user_id": f"r{i}"})
            time.sleep(0.002)  # the pinger's answer to the join's stall comes in first
            pinger.reset()
            c.ok("GET", path)
            seen = pinger.count
            while pinger.count < seen + 2:  # a health answer begun after the read has come back
                time.sleep(0.0005)
            stalls[path].append(pinger.longest)
    pinger.stop()
    c.close()
    return stalls


def export(server: Server) -> tuple[float, float, float, int, int]:
    """GET /_fake/sessions: its time, the longest stall meanwhile, the longest health answer
    over as long when idle, the body's size and the server's RSS growth meanwhile."""
    c, pinger = Conn(server), Pinger(server)
    before = rss(server)
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss(server))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    time.sleep(0.05)
    pinger.reset()
    sampler.start()
    status, body, seconds = c.call("GET", "/_fake/sessions")
    done.set()
    sampler.join()
    stall = pinger.longest
    if status != 200:
        raise RuntimeError(f"GET /_fake/sessions: {status}")
    json.loads(body)  # whole and valid
    pinger.reset()
    time.sleep(seconds)
    idle = pinger.longest
    pinger.stop()
    c.close()
    return seconds, stall, idle, len(body), peak[0] - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer operations, same sizes")
    parser.add_argument("--rooms", type=int, default=100_000)
    parser.add_argument("--present", type=int, default=5_000)
    parser.add_argument("--sessions", type=int, default=100_000)
    args = parser.parse_args()
    ops = 30 if args.quick else 200
    print(f"scale_bench: {ops} of each operation")

    print(f"\nrooms: {args.rooms:,} rooms against 2,000 (slowest; longest stall of the loop)")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (2_000, args.rooms):
            server = rooms_server(size, Path(tmp))
            try:
                results[size] = room_ops(server, ops)
            finally:
                server.stop()
    for kind in results[2_000]:
        (small, small_stall), (big, big_stall) = results[2_000][kind], results[args.rooms][kind]
        print(
            f"  {kind:24} median {ms(statistics.median(big))}  slowest {ms(max(big))}"
            f"  stall {ms(big_stall)}   at 2,000: slowest {ms(max(small))} stall "
            f"{ms(small_stall)}   ratio (slowest) {max(big) / max(small):6.2f}"
        )

    print(f"\njoin: into a room with {args.present:,} present against 50 present")
    server = fake_server("joins", "--now", NOW)
    try:
        small_j, small_stall = joins(server, 50, ops)
        big_j, big_stall = joins(server, args.present, ops)
    finally:
        server.stop()
    print(
        f"  POST /_fake/join        median {ms(statistics.median(big_j))}  slowest "
        f"{ms(max(big_j))}  stall {ms(big_stall)}   at 50: median "
        f"{ms(statistics.median(small_j))}   ratio (median) "
        f"{statistics.median(big_j) / statistics.median(small_j):6.2f}"
    )

    print(f"\nreads right after a join, {args.present:,} present: the loop's longest stall")
    server = fake_server("reads", "--now", NOW)
    try:
        stalls = reads_after_a_join(server, args.present, max(5, ops // 6))
    finally:
        server.stop()
    for path, found in stalls.items():
        print(
            f"  GET {path:28} median stall {ms(statistics.median(found))}  longest {ms(max(found))}"
        )

    print(f"\nexport: GET /_fake/sessions at {args.sessions:,} sessions")
    server = fake_server(
        "export", "--generate", str(args.sessions), "--seed", "1", "--now", NOW, log=True
    )
    try:
        seconds, stall, idle, size, grown = export(server)
    finally:
        server.stop()
    print(
        f"  GET /_fake/sessions     took {ms(seconds)}  {size / 1e6:.0f} MB  longest stall "
        f"{ms(stall)}   idle over as long: {ms(idle)}   ratio {stall / idle:6.1f}"
        f"   RSS +{grown / 1e6:.0f} MB"
    )


if __name__ == "__main__":
    main()
