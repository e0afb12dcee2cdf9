"""Start-up benchmark: process start to the first 200 response, against pytest-httpserver.

    python bench/startup_bench.py            # 7 fresh processes per side, medians
    python bench/startup_bench.py --runs 15

What a test fixture pays: load the bundled ``default`` scenario (291 sessions from YAML), start
``fake_meetings.testing.ServerThread`` on a free port, and get a 200 for ``GET /v1/meetings``
over a fresh connection. The baseline does the same with pytest-httpserver (``HTTPServer``,
one ``expect_request`` answering a body of the same size). Each measure runs in a fresh
process with the modules already imported (as in a pytest session, where the plugin is
imported before the first test); import times are printed apart. A second start in the same
process (a warm one) is shown too.

The figure that counts is the whole of it: from the parent's ``subprocess`` call (interpreter
start, ``site``, imports, scenario load, server start) to the child's first 200, read on
``time.perf_counter`` in both processes (the system-wide monotonic clock on Linux and macOS),
with pytest-httpserver's in the same run as its baseline. Needs pytest-httpserver
(``make bench`` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

TARGET_MS = 150.0
TARGET_PROCESS_RATIO = 2.0  # target: process start to first 200 / pytest-httpserver's

# Each child defines start() -> (host, port, stop), then runs TIMED: two starts, each to its
# first 200 over a fresh connection.
TIMED = r"""
def start_and_get():
    global at_200
    t0 = time.perf_counter()
    host, port, stop = start()
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/v1/meetings", headers={"Authorization": "Bearer x"})
    response = conn.getresponse()
    body = response.read()
    at_200 = time.perf_counter()
    elapsed = at_200 - t0
    assert response.status == 200, response.status
    conn.close()
    stop()
    return elapsed, len(body)

first, size = start_and_get()
process = at_200
second, _ = start_and_get()
print(json.dumps({"import": imported, "first": first, "second": second, "size": size,
                  "at_200": process}))
"""

FAKE = (
    r"""
import json, sys, time
t = time.perf_counter()
import http.client
from fake_meetings.config import ServerConfig
from fake_meetings.scenario.loading import load
from fake_meetings.testing import ServerThread
imported = time.perf_counter() - t

def start():
    server = ServerThread(load(["default"]).world(), ServerConfig(port=0)).start()
    return server.host, server.port, server.stop
"""
    + TIMED
)

HTTPSERVER = (
    r"""
import json, sys, time
t = time.perf_counter()
import http.client
from pytest_httpserver import HTTPServer
imported = time.perf_counter() - t
size = int(sys.argv[1])
body = b'{"x":"' + b"a" * max(0, size - 8) + b'"}'

def start():
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("/v1/meetings").respond_with_data(body, content_type="application/json")
    server.start()
    return "127.0.0.1", server.port, server.stop
"""
    + TIMED
)

# The floor of any server built on aiohttp: aiohttp itself answering a constant body of the same
# size, started in a thread as ServerThread does. Importing aiohttp builds two TLS contexts
# (aiohttp.connector loads the system's CA certificates at import), which pytest-httpserver
# does not pay.
BARE_AIOHTTP = (
    r"""
import asyncio, json, sys, threading, time
t = time.perf_counter()
import http.client
from aiohttp import web
imported = time.perf_counter() - t
size = int(sys.argv[1])
body = b'{"x":"' + b"a" * max(0, size - 8) + b'"}'

async def answer(request):
    return web.Response(body=body, content_type="application/json")

def start():
    loop, ready, box = asyncio.new_event_loop(), threading.Event(), {}

    def run():
        app = web.Application()
        app.router.add_get("/v1/meetings", answer)
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        box["port"] = site._server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)

    def stop():
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)

    return "127.0.0.1", box["port"], stop
"""
    + TIMED
)


# Bytecode is cached, as in an installed package: with PYTHONDONTWRITEBYTECODE set, a source
# checkout would compile every module of the package in every child (the baseline's are cached).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def child(code: str, *args: str) -> dict[str, float]:
    """One fresh process; ``process`` is from this call to the child's first 200."""
    spawned = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
        env=CHILD_ENV,
    )
    if out.returncode != 0:
        raise SystemExit(f"start-up child failed:\n{out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout)
    result["process"] = result.pop("at_200") - spawned
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per side")
    args = parser.parse_args()
    try:
        import pytest_httpserver  # noqa: F401
    except ImportError:
        sys.exit("pytest-httpserver is not installed: pip install pytest-httpserver (make bench)")

    print("\n== Start-up: process start to the first 200 (default scenario) ==")
    size = str(int(child(FAKE)["size"]))  # a warm-up of each side, untimed (writes bytecode)
    child(HTTPSERVER, size)
    child(BARE_AIOHTTP, size)
    fake: list[dict[str, float]] = []
    base: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    for _ in range(args.runs):  # interleaved, so every side meets the same machine load
        fake.append(child(FAKE))
        base.append(child(HTTPSERVER, size))
        bare.append(child(BARE_AIOHTTP, size))

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows) * 1000

    print(
        f"{'':<24} {'first start ms':>15} {'second start ms':>16} {'imports ms':>11} "
        f"{'process ms':>11}"
    )
    sides = (("fake-meetings", fake), ("pytest-httpserver", base), ("bare aiohttp", bare))
    for name, rows in sides:
        print(
            f"{name:<24} {med(rows, 'first'):>15.1f} {med(rows, 'second'):>16.1f} "
            f"{med(rows, 'import'):>11.0f} {med(rows, 'process'):>11.0f}"
        )
    first_fake, first_base = med(fake, "first"), med(base, "first")
    lo, hi = min(r["first"] for r in fake) * 1000, max(r["first"] for r in fake) * 1000
    print(
        f"(fake-meetings first start over {args.runs} processes: {lo:.1f}-{hi:.1f} ms; body "
        f"{int(fake[0]['size']):,} B, the same size for the pytest-httpserver answer)"
    )
    print(f"ratio fake-meetings / pytest-httpserver (first start): {first_fake / first_base:.1f}")
    verdict = "MET" if first_fake <= TARGET_MS else "NOT MET"
    print(f"TARGET 3  start to first 200 = {first_fake:.0f} ms (<= {TARGET_MS:.0f} ms): {verdict}")
    proc_fake, proc_base = med(fake, "process"), med(base, "process")
    ratio = proc_fake / proc_base
    verdict = "MET" if ratio <= TARGET_PROCESS_RATIO else "NOT MET"
    print(
        f"TARGET  process start to first 200, imports included / pytest-httpserver's = "
        f"{proc_fake:.0f} / {proc_base:.0f} ms = {ratio:.2f}x "
        f"(<= {TARGET_PROCESS_RATIO:.0f}x): {verdict}"
    )
    proc_bare = med(bare, "process")
    print(
        f"  the floor, aiohttp alone answering the same bytes: {proc_bare:.0f} ms = "
        f"{proc_bare / proc_base:.2f}x pytest-httpserver's; fake-meetings = "
        f"{proc_fake / proc_bare:.2f}x aiohttp alone"
    )


if __name__ == "__main__":
    main()
