"""Every route's slowest request at scale, and the API during a 31-day clock jump.

    python bench/routes_scale_bench.py            # 1,000,000 sessions, 5,000 in one room
    python bench/routes_scale_bench.py --quick    # 100,000 sessions, 1,000 in one room

One server process (``serve --generate N --rooms 100000``, sessions over 280 days before its
frozen clock and 31 days after it, so about a tenth of them are still to come, and a webhook
from start-up pointing at ``receiver_server.py``), then:

1. **Each route**: people join one room (``POST /_fake/join``) until it holds the largest
   number; then each Daily route and control-plane call is asked ``--samples`` times in turn on
   one keep-alive connection, and its slowest answer and p99 are printed, with their ratio to
   ``GET /_fake/health``'s (the baseline, asked as often in the same turns). Not asked:
   ``GET /_fake/sessions`` (the whole export: ``scale_bench.py`` measures its stalls),
   ``POST /_fake/reset``, ``/_fake/scenario`` and ``POST /_fake/sessions`` (they replace what
   is measured), and ``DELETE /_fake/namespaces`` and ``POST /v1/webhooks``.
2. **A 31-day jump**: ``POST /_fake/clock {"advance": 31 days}`` passes every session still to
   come, with the webhook in place; meanwhile a second connection asks ``GET
   /v1/meetings?limit=10`` back to back until the move's events are read and sent (or 60 s).
   Its slowest answer and p99 are printed against the same request on the idle server just
   before (the baseline), with the webhook's counts (events built, delivered, dropped).

Prints one Markdown table. The slowest answer of a route is one sample: a shared machine's
hiccup shows there first; p99 (of 30 samples, the second slowest) less so.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_bench import NOW, Server, fake_server
from scale_bench import Conn
from webhooks_bench import receiver

NOW_S = 1_717_426_800  # NOW in unix seconds
ROOM = "bench-big"
JUMP = 31 * 86_400

Body = Callable[[int], object]  # a request body for the i-th sample (None: no body)


def p99(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def row(name: str, seconds: list[float], base: float) -> str:
    worst, high = max(seconds), p99(seconds)
    return f"| {name} | {len(seconds)} | {worst * 1e3:.1f} | {high * 1e3:.1f} | {high / base:.1f} |"


def fill_room(conn: Conn, people: int) -> list[str]:
    """``people`` join ROOM; their participant ids."""
    ids = []
    for i in range(people):
        joined = conn.json("POST", "/_fake/join", {"room": ROOM, "user_name": f"Guest {i}"})
        ids.append(str(joined["participant_id"]))
    return ids


def routes(conn: Conn, hook: str, people: list[str]) -> list[tuple[str, str, str, Body | None]]:
    """(label, method, path, body) of every route asked; ``{i}`` in a path is the sample."""
    meetings = conn.json("GET", "/v1/meetings?limit=100")["data"]
    assert isinstance(meetings, list)
    meeting = meetings[-1]["id"]
    token = conn.json("POST", "/v1/meeting-tokens", {"properties": {"room_name": ROOM}})["token"]
    leaving = iter(people)
    return [
        ("GET /v1/meetings", "GET", "/v1/meetings", None),
        ("GET /v1/meetings?ongoing=true", "GET", "/v1/meetings?ongoing=true", None),
        ("GET /v1/meetings?room=(big)", "GET", f"/v1/meetings?room={ROOM}", None),
        ("GET /v1/meetings/:id", "GET", f"/v1/meetings/{meeting}", None),
        ("GET /v1/meetings/:id/participants", "GET", f"/v1/meetings/{meeting}/participants", None),
        ("GET /v1/presence", "GET", "/v1/presence", None),
        ("GET /v1/rooms/(big)/presence", "GET", f"/v1/rooms/{ROOM}/presence", None),
        ("GET /v1/rooms", "GET", "/v1/rooms", None),
        ("POST /v1/rooms", "POST", "/v1/rooms", lambda i: {"name": f"scale-{i}"}),
        ("GET /v1/rooms/:name", "GET", "/v1/rooms/scale-{i}", None),
        ("POST /v1/rooms/:name", "POST", "/v1/rooms/scale-{i}", lambda i: {"privacy": "private"}),
        ("DELETE /v1/rooms/:name", "DELETE", "/v1/rooms/scale-{i}", None),
        ("POST /v1/meeting-tokens", "POST", "/v1/meeting-tokens", lambda i: {"properties": {}}),
        ("GET /v1/meeting-tokens/:token", "GET", f"/v1/meeting-tokens/{token}", None),
        ("GET /v1/", "GET", "/v1/", None),
        (
            "POST /v1/",
            "POST",
            "/v1/",
            lambda i: {"properties": {"enable_hand_raising": i % 2 == 0}},
        ),
        ("GET /v1/webhooks", "GET", "/v1/webhooks", None),
        ("GET /v1/webhooks/:uuid", "GET", f"/v1/webhooks/{hook}", None),
        ("POST /v1/webhooks/:uuid (probes)", "POST", f"/v1/webhooks/{hook}", lambda i: {}),
        ("GET /_fake/version", "GET", "/_fake/version", None),
        ("GET /_fake/openapi.json", "GET", "/_fake/openapi.json", None),
        ("GET /_fake/clock", "GET", "/_fake/clock", None),
        ("POST /_fake/clock (advance 1 s)", "POST", "/_fake/clock", lambda i: {"advance": 1}),
        ("POST /_fake/join (big room)", "POST", "/_fake/join", lambda i: {"room": ROOM}),
        (
            "POST /_fake/leave (big room)",
            "POST",
            "/_fake/leave",
            lambda i: {"participant_id": next(leaving)},
        ),
        ("GET /_fake/faults", "GET", "/_fake/faults", None),
        (
            "POST /_fake/faults",
            "POST",
            "/_fake/faults",
            lambda i: {"path": "/v1/nothing-asked", "status": 500, "count": 1},
        ),
        ("DELETE /_fake/faults", "DELETE", "/_fake/faults", None),
        ("GET /_fake/requests", "GET", "/_fake/requests", None),
        ("DELETE /_fake/requests", "DELETE", "/_fake/requests", None),
        ("GET /_fake/namespaces", "GET", "/_fake/namespaces", None),
        ("GET /_fake/webhooks", "GET", "/_fake/webhooks", None),
        ("DELETE /_fake/webhooks", "DELETE", "/_fake/webhooks", None),
        (
            "POST /_fake/webhooks/settle",
            "POST",
            "/_fake/webhooks/settle",
            lambda i: {"timeout": 10},
        ),
    ]


def each_route(server: Server, people: int, samples: int) -> list[str]:
    conn = Conn(server)
    t0 = time.perf_counter()
    ids = fill_room(conn, people)
    print(f"{people:,} joined {ROOM} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    hooks = json.loads(conn.ok("GET", "/v1/webhooks"))
    asked = routes(conn, hooks[0]["uuid"], ids)
    health: list[float] = []
    times: dict[str, list[float]] = {label: [] for label, *_ in asked}
    for i in range(samples):
        health.append(conn.call("GET", "/_fake/health")[2])
        for label, method, path, body in asked:
            status, out, seconds = conn.call(
                method, path.replace("{i}", str(i)), None if body is None else body(i)
            )
            if status not in (200, 201):
                raise RuntimeError(f"{label}: {status} {out[:300]!r}")
            times[label].append(seconds)
    base = p99(health)
    lines = [row("GET /_fake/health (baseline)", health, base)]
    lines += [row(label, times[label], base) for label, *_ in asked]
    return lines


def jump(server: Server) -> tuple[list[str], str]:
    """The API during a 31-day jump, against the same request on the idle server."""
    path = "/v1/meetings?limit=10"
    probe = Conn(server)
    idle = [probe.call("GET", path)[2] for _ in range(300)]
    control = Conn(server)
    during: list[float] = []
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            during.append(probe.call("GET", path)[2])

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(0.2)
    moved = control.call("POST", "/_fake/clock", {"advance": JUMP})
    deadline = time.monotonic() + 60
    summary = control.json("GET", "/_fake/webhooks?limit=0")
    while time.monotonic() < deadline:
        summary = control.json("GET", "/_fake/webhooks?limit=0")
        if not summary.get("reading") and not summary["pending"]:
            break
        time.sleep(0.1)
    done.set()
    asking.join()
    base = p99(idle)
    lines = [
        row(f"GET {path}, idle (baseline)", idle, base),
        row(f"GET {path} during the jump", during, base),
        row("POST /_fake/clock (advance 31 days)", [moved[2]], base),
    ]
    counts = ", ".join(
        f"{name} {summary.get(name, '-'):,}" if isinstance(summary.get(name), int) else name
        for name in ("emitted", "built", "delivered", "dropped", "pending")
    )
    return lines, f"webhook after the jump ({time.monotonic() - deadline + 60:.1f} s): {counts}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 sessions, fewer samples")
    parser.add_argument("--sessions", type=int, help="generated sessions (default 1,000,000)")
    args = parser.parse_args()
    sessions = args.sessions or (100_000 if args.quick else 1_000_000)
    people = 1_000 if args.quick else 5_000
    samples = 10 if args.quick else 30
    hook = receiver()
    t0 = time.perf_counter()
    server = fake_server(
        "fake",
        *("--generate", str(sessions), "--seed", "1", "--rooms", "100000"),
        *("--days", "280", "--ahead", "31d", "--now", NOW),
        *("--webhook-url", hook.url + "/hooks"),
    )
    print(
        f"started with {sessions:,} sessions in {time.perf_counter() - t0:.0f} s", file=sys.stderr
    )
    try:
        lines = each_route(server, people, samples)
        jumped, counts = jump(server)
    finally:
        server.stop()
        hook.stop()
    print(
        f"{sessions:,} generated sessions, 100,000 rooms, {people:,} people in one room, "
        f"{samples} samples a route; a webhook from start-up.\n"
    )
    print("| request | samples | slowest ms | p99 ms | p99 / baseline p99 |")
    print("|---|---|---|---|---|")
    print("\n".join(lines))
    print("\n".join(jumped))
    print(f"\n{counts}.")


if __name__ == "__main__":
    main()
