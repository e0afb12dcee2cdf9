"""Hardening of the control plane (``--no-admin``, ``--admin-token``), and the control-plane
options of ``fake-meetings serve`` (flags and environment variables), run as a real subprocess.

Every wait is bounded and every started process is killed in ``finally``.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.processes import clean_env, start_serve
from tests.helpers.scenarios import small_scenario

Serve = Callable[..., ServerThread]
TOTAL = len(small_scenario().sessions)
LISTEN_RE = re.compile(r"^fake-meetings listening on (http://127\.0\.0\.1:(\d+))$")
CONTROL_ROUTES = [
    ("GET", "/_fake/version"),
    ("GET", "/_fake/openapi.json"),
    ("POST", "/_fake/reset"),
    ("POST", "/_fake/scenario"),
    ("GET", "/_fake/sessions"),
    ("POST", "/_fake/sessions"),
    ("GET", "/_fake/clock"),
    ("POST", "/_fake/clock"),
    ("GET", "/_fake/faults"),
    ("POST", "/_fake/faults"),
    ("DELETE", "/_fake/faults"),
    ("DELETE", "/_fake/faults/fault-1"),
    ("GET", "/_fake/requests"),
    ("DELETE", "/_fake/requests"),
]


# ----------------------------------------------------------------- in-process


def test_no_admin_leaves_only_health(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(small_scenario().world(), admin=False).base_url)
    for method, path in CONTROL_ROUTES:
        error(c.call(method, path, b"{}"), 404, "not-found", path)
    assert ok(c.get("/_fake/health"))["sessions"] == TOTAL
    assert ok(c.api("/v1/meetings"))["total_count"] == TOTAL


def test_admin_token_is_required_on_the_control_plane(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(small_scenario().world(), admin_token="s3cret").base_url)
    for method, path in CONTROL_ROUTES:
        error(c.call(method, path, b"{}"), 401, "authentication-error", "X-Fake-Admin-Token")
        error(
            c.call(method, path, b"{}", headers={"X-Fake-Admin-Token": "wrong"}),
            401,
            "authentication-error",
            "wrong",
        )
    token = {"X-Fake-Admin-Token": "s3cret"}
    assert ok(c.get("/_fake/clock", headers=token))["frozen"] is True
    assert ok(c.post("/_fake/scenario", "sessions: []", headers=token))["sessions"] == 0
    assert ok(c.get("/_fake/health"))["sessions"] == 0  # health needs no token
    assert ok(c.api("/v1/meetings"))["total_count"] == 0  # the API needs none either


# ----------------------------------------------------------------- the command line


class Cli:
    def __init__(self, proc: subprocess.Popen[bytes], lines: list[str]):
        self.proc = proc
        self.lines = lines
        match = LISTEN_RE.match(lines[0])
        assert match, lines
        self.port = int(match.group(2))
        self.http = Http("requests", match.group(1))


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Callable[..., Cli]]:
    procs: list[subprocess.Popen[bytes]] = []
    clients: list[Http] = []

    def start(*args: str, **env: str) -> Cli:
        proc, lines = start_serve(["--port", "0", *args], tmp_path, env)
        procs.append(proc)
        served = Cli(proc, lines)
        clients.append(served.http)
        return served

    try:
        yield start
    finally:
        for c in clients:
            c.close()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.communicate(timeout=10)


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fake_meetings", *args],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net/tcp")
def test_binds_loopback_only_by_default(cli: Callable[..., Cli]) -> None:
    s = cli("--scenario", "single")
    assert listening_addresses(s.port) == {"127.0.0.1"}
    assert "control plane /_fake/: on" in s.lines[1]


@pytest.mark.slow
def test_flags(cli: Callable[..., Cli]) -> None:
    s = cli(
        "--scenario",
        "single",
        "--namespaces",
        "--admin-token",
        "tok",
        "--max-body",
        "100",
        "--journal-cap",
        "2",
        "--rate-limit",
    )
    assert "control plane /_fake/: token; namespaces per key; rate limit" in s.lines[1], s.lines
    c, token = s.http, {"X-Fake-Admin-Token": "tok"}
    error(c.get("/_fake/clock"), 401, "authentication-error")
    assert ok(c.get("/_fake/version", headers=token))["namespaces"] is True
    error(
        c.post("/_fake/scenario", "sessions: []\n" + "#" * 100, headers=token),
        413,
        "invalid-request-error",
        "100-byte limit",
    )
    for _ in range(3):
        ok(c.api("/v1/meetings", key="k1"))
    assert len(ok(c.get("/_fake/requests", headers={**token, **key("k1")}))["data"]) == 2
    assert ok(c.get("/_fake/requests", headers=token))["data"] == []  # k1 has its own journal
    started = time.monotonic()
    statuses = [c.api("/v1/meetings", key="k2").status for _ in range(25)]
    if time.monotonic() - started < 1.0:  # all in one second: exactly 20 get through
        assert statuses == [200] * 20 + [429] * 5
    else:
        assert statuses[:20] == [200] * 20


def key(k: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {k}"}


@pytest.mark.slow
def test_environment_variables(cli: Callable[..., Cli]) -> None:
    s = cli(
        "--scenario",
        "single",
        FAKE_MEETINGS_NO_ADMIN="1",
        FAKE_MEETINGS_NAMESPACES="yes",
        FAKE_MEETINGS_RATE_LIMIT="true",
        FAKE_MEETINGS_JOURNAL_CAP="5",
        FAKE_MEETINGS_MAX_BODY="4096",
    )
    assert "control plane /_fake/: off; namespaces per key; rate limit" in s.lines[1], s.lines
    error(s.http.get("/_fake/clock"), 404, "not-found")
    assert ok(s.http.get("/_fake/health"))["status"] == "ok"


@pytest.mark.slow
def test_admin_token_from_the_environment(cli: Callable[..., Cli]) -> None:
    s = cli("--scenario", "single", FAKE_MEETINGS_ADMIN_TOKEN="env-token")
    error(s.http.get("/_fake/clock"), 401, "authentication-error")
    assert ok(s.http.get("/_fake/clock", headers={"X-Fake-Admin-Token": "env-token"}))


@pytest.mark.slow
def test_journal_cap_drops_the_oldest(cli: Callable[..., Cli]) -> None:
    s = cli("--scenario", "ties", "--journal-cap", "3")
    for n in range(5):
        s.http.api("/v1/meetings", limit=str(n + 1))
    data = ok(s.http.get("/_fake/requests"))["data"]
    assert [e["query"]["limit"] for e in data] == [["3"], ["4"], ["5"]]


@pytest.mark.slow
def test_max_namespaces_from_the_environment(cli: Callable[..., Cli]) -> None:
    s = cli("--scenario", "ties", "--namespaces", FAKE_MEETINGS_MAX_NAMESPACES="2")
    for key in ("a", "b", "c"):
        s.http.api("/v1/meetings", key=key)
    listing = ok(s.http.get("/_fake/namespaces"))
    assert [n["key"] for n in listing["data"]] == ["b", "c"] and listing["cap"] == 2


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--max-body", "abc"], {}, "--max-body"),
        (["--max-body", "0"], {}, "--max-body"),
        (["--journal-cap", "-1"], {}, "--journal-cap"),
        (["--journal-bytes", "1000"], {}, "at least 65536"),
        (["--max-namespaces", "0"], {}, "--max-namespaces"),
        ([], {"FAKE_MEETINGS_MAX_NAMESPACES": "x"}, "FAKE_MEETINGS_MAX_NAMESPACES"),
        (["--header-timeout", "0"], {}, "--header-timeout"),
        (["--keepalive-timeout", "soon"], {}, "--keepalive-timeout"),
        (["--max-connections", "0"], {}, "--max-connections"),
        ([], {"FAKE_MEETINGS_HEADER_TIMEOUT": "nan"}, "FAKE_MEETINGS_HEADER_TIMEOUT"),
        ([], {"FAKE_MEETINGS_KEEPALIVE_TIMEOUT": "-1"}, "FAKE_MEETINGS_KEEPALIVE_TIMEOUT"),
        ([], {"FAKE_MEETINGS_MAX_CONNECTIONS": "many"}, "FAKE_MEETINGS_MAX_CONNECTIONS"),
        (["--no-admin", "--admin-token", "t"], {}, "contradict"),
        ([], {"FAKE_MEETINGS_MAX_BODY": "1k"}, "FAKE_MEETINGS_MAX_BODY"),
        ([], {"FAKE_MEETINGS_NAMESPACES": "maybe"}, "FAKE_MEETINGS_NAMESPACES"),
        ([], {"FAKE_MEETINGS_NO_ADMIN": "1", "FAKE_MEETINGS_ADMIN_TOKEN": "t"}, "contradict"),
    ],
)
def test_bad_control_options_exit_2(
    tmp_path: Path, args: list[str], env: dict[str, str], words: str
) -> None:
    r = run(["serve", "--port", "0", *args], tmp_path, **env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert words in r.stderr, r.stderr


@pytest.mark.slow
def test_help_mentions_the_control_options(tmp_path: Path) -> None:
    r = run(["serve", "--help"], tmp_path)
    assert r.returncode == 0
    for option in (
        "--namespaces",
        "--rate-limit",
        "--no-admin",
        "--admin-token",
        "--max-body",
        "--journal-cap",
        "--journal-bytes",
        "--max-namespaces",
        "--header-timeout",
        "--keepalive-timeout",
        "--max-connections",
        "FAKE_MEETINGS_ADMIN_TOKEN",
        "FAKE_MEETINGS_MAX_CONNECTIONS",
    ):
        assert option in r.stdout, option
