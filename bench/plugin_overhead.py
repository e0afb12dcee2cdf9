"""Per-test overhead of the pytest plugin's ``fake_meetings`` fixture: the reset before each test
(plus the marker's data) and the test's first request, over N tests in a real pytest run.

    .venv/bin/python bench/plugin_overhead.py [N=200]

Writes a throw-away test directory, runs pytest on it in a subprocess and reads each test's
setup and call durations from pytest's own reports. Three kinds of test, N of each:

- ``baseline``: no fixture; one GET to a server started once for the module (what a request
  costs without the plugin, and pytest's own per-test cost; its first test is left out);
- ``fixture``: ``fake_meetings`` (reset: empty store, real clock, journal cleared) and one GET;
- ``marker``: the same with ``@pytest.mark.fake_meetings(scenario="ties")`` (data loaded by the
  reset; parsed once, then served from the plugin's cache).

The first fixture test also starts the session's server; it is reported apart. Each GET opens a
new connection, as ``requests.get()`` in code under test does.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

CONFTEST = """
import json, os

def pytest_runtest_logreport(report):
    if report.when in ("setup", "call"):
        with open(os.environ["OVERHEAD_OUT"], "a") as out:
            out.write(json.dumps([report.nodeid, report.when, report.duration]) + "\\n")
"""

TESTS = """
import pytest, requests

from fake_meetings.testing import serve

N = {n}
AUTH = {{"Authorization": "Bearer k"}}


def get(url, headers):
    # a new connection per test, as code under test that calls requests.get() makes
    with requests.Session() as http:
        http.trust_env = False
        return http.get(url, headers=headers, timeout=10)


@pytest.fixture(scope="module")
def plain_server():
    with serve() as server:
        yield server


@pytest.mark.parametrize("i", range(N))
def test_baseline(plain_server, i):
    r = get(plain_server.url + "/meetings", AUTH)
    assert r.status_code == 200


@pytest.mark.parametrize("i", range(N))
def test_fixture(fake_meetings, i):
    r = get(fake_meetings.url + "/meetings", fake_meetings.headers)
    assert r.json()["total_count"] == 0


@pytest.mark.parametrize("i", range(N))
@pytest.mark.fake_meetings(scenario="ties")
def test_marker(fake_meetings, i):
    r = get(fake_meetings.url + "/meetings", fake_meetings.headers)
    assert r.json()["total_count"] == 9
"""


def ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(len(values) * 0.95) - 1]
    median, mean = statistics.median(values) * 1000, statistics.mean(values) * 1000
    return f"median {median:6.2f} ms  mean {mean:6.2f} ms  p95 {p95 * 1000:6.2f} ms"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "conftest.py").write_text(textwrap.dedent(CONFTEST))
        (root / "test_overhead.py").write_text(TESTS.format(n=n))
        out = root / "durations.jsonl"
        env = {"OVERHEAD_OUT": str(out), "PATH": "/usr/bin:/bin"}
        env.update({k: v for k, v in __import__("os").environ.items() if k.startswith("LANG")})
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0:
            sys.exit(f"pytest failed:\n{proc.stdout}\n{proc.stderr}")
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    durations: dict[tuple[str, str], list[float]] = {}
    for nodeid, when, seconds in rows:
        kind = nodeid.split("::")[1].split("[")[0].removeprefix("test_")
        durations.setdefault((kind, when), []).append(seconds)
    startup = durations[("fixture", "setup")].pop(0)
    durations[("fixture", "call")].pop(0)
    for when in ("setup", "call"):  # the baseline's module server starts in its first test
        durations[("baseline", when)].pop(0)
    print(f"{n} tests of each kind; pytest {proc.stdout.strip().splitlines()[-1]}")
    print(f"session server start (first fixture test's setup): {startup * 1000:.1f} ms")
    for kind in ("baseline", "fixture", "marker"):
        setup, call = durations[(kind, "setup")], durations[(kind, "call")]
        total = [s + c for s, c in zip(setup, call, strict=True)]
        print(f"{kind:9} setup        {ms(setup)}")
        print(f"{kind:9} first GET    {ms(call)}")
        print(f"{kind:9} setup + GET  {ms(total)}")
    base = statistics.mean(
        s + c
        for s, c in zip(
            durations[("baseline", "setup")], durations[("baseline", "call")], strict=True
        )
    )
    for kind in ("fixture", "marker"):
        mean = statistics.mean(
            s + c
            for s, c in zip(durations[(kind, "setup")], durations[(kind, "call")], strict=True)
        )
        print(f"overhead of {kind} over baseline: {(mean - base) * 1000:+.2f} ms per test (mean)")


if __name__ == "__main__":
    main()
