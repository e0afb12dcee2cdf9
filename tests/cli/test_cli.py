"""The command line, run as a real subprocess (``python -m fake_meetings``) and queried over HTTP.

Every wait is bounded and every started process is killed in ``finally``.
"""

from __future__ import annotations

import contextlib
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from fake_meetings.cli import build_parser
from fake_meetings.cli.options import ENV_PREFIX, UsageError, server_config
from fake_meetings.progress import LARGE
from fake_meetings.scenario.bundled import bundled_names
from tests.helpers.constants import NOW, TIMEOUT
from tests.helpers.processes import clean_env, start_serve

pytestmark = pytest.mark.slow  # each test starts the command line as a process

START_TIMEOUT = 20  # seconds for the server to print its two lines
STOP_TIMEOUT = 10
LISTEN_RE = re.compile(r"^fake-meetings listening on (http://127\.0\.0\.1:(\d+))$")

SCENARIO = """\
now: 1717243200
sessions:
  - id: cli-1
    room: standup
    start_time: 1717236000
    participants:
      - {participant_id: a, join_time: 1717236000, duration: 1800}
  - id: cli-2
    room: retro
    start_time: -1h
    participants:
      - {participant_id: b, join_time: -1h, duration: 600}
  - id: cli-3
    room: standup
    start_time: -10m
    ongoing: true
    participants:
      - {participant_id: c, join_time: -10m}
"""

# no `now:`; one ongoing session with absolute times, so its duration shows the clock
CLOCKLESS = """\
sessions:
  - id: live
    room: standup
    start_time: 1717236000
    ongoing: true
    participants:
      - {participant_id: here, join_time: 1717236000}
      - {participant_id: left, join_time: 1717236100, duration: 300}
  - id: rel
    room: retro
    start_time: -2h
    participants:
      - {participant_id: r, join_time: -2h, duration: 60}
"""

BAD = """\
sessions:
  - room: standup
    start_time: 1717236000
    participants:
      - join_time: not-a-time
        duration: 60
  - room: retro
    start_time: 1717236000
    participants:
      - join_time: 1717236000
        duration: -5
"""


def run(
    args: list[str], cwd: Path, timeout: float = 30, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fake_meetings", *args],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


class Served:
    """A running ``fake-meetings serve``: its URL, its two start-up lines, an HTTP session."""

    def __init__(self, proc: subprocess.Popen[bytes], lines: list[str]):
        self.proc = proc
        self.lines = lines
        match = LISTEN_RE.match(lines[0])
        assert match, lines
        self.base_url = match.group(1)
        self.port = int(match.group(2))
        self.http = requests.Session()
        self.http.trust_env = False

    def get(
        self, path: str, headers: dict[str, str] | None = None, **params: Any
    ) -> requests.Response:
        return self.http.get(
            self.base_url + path,
            params=params,
            headers={"Authorization": "Bearer k"} if headers is None else headers,
            timeout=TIMEOUT,
        )

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.http.close()
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """Factory: start ``serve`` with args and env; every process is killed at teardown."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str, **env: str) -> Served:
        proc, lines = start_serve(args, tmp_path, env, START_TIMEOUT)
        procs.append(proc)
        return Served(proc, lines)

    try:
        yield start
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.communicate(timeout=STOP_TIMEOUT)


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "three.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture
def clockless_file(tmp_path: Path) -> Path:
    path = tmp_path / "clockless.yaml"
    path.write_text(CLOCKLESS, encoding="utf-8")
    return path


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


# ----------------------------------------------------------------- serve


def test_serve_prints_the_url_and_a_count_serves_and_stops_on_sigterm(
    serve: Any, scenario_file: Path
) -> None:
    s = serve("--port", "0", "--scenario", str(scenario_file))
    assert s.port != 0
    assert re.search(r"\b3 sessions\b", s.lines[1]), s.lines
    # the route families served, on the same line
    assert "routes: /v1/meetings, /v1/rooms, /v1/presence, /v1/meeting-tokens" in s.lines[1]
    r = s.get("/v1/meetings")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["total_count"] == 3
    assert [m["id"] for m in body["data"]] == ["cli-3", "cli-2", "cli-1"]
    # relative times count from the file's now:
    assert body["data"][1]["start_time"] == NOW - 3600
    assert body["data"][0]["duration"] == 600  # frozen by now: in the file
    assert s.get("/meetings/cli-1").json()["duration"] == 1800
    assert s.get("/meetings").json() == body
    assert s.get("/v1/meetings", headers={}).status_code == 400  # auth required by default
    assert s.get("/_fake/health", headers={}).status_code == 200
    assert s.stop(signal.SIGTERM) == 0


def test_sigint_is_a_clean_stop_too(serve: Any, scenario_file: Path) -> None:
    s = serve("--port", "0", "--scenario", str(scenario_file))
    assert s.get("/v1/meetings").status_code == 200
    assert s.stop(signal.SIGINT) == 0


@pytest.mark.parametrize("now", [str(NOW), "2024-06-01T12:00:00Z", "2024-06-01T14:00:00+02:00"])
def test_now_freezes_the_clock(serve: Any, clockless_file: Path, now: str) -> None:
    s = serve("--port", "0", "--scenario", str(clockless_file), "--now", now)
    live = s.get("/v1/meetings/live").json()
    assert live["duration"] == NOW - 1717236000
    assert {p["participant_id"]: p["duration"] for p in live["participants"]} == {
        "here": NOW - 1717236000,
        "left": 300,
    }
    # relative times count from --now
    assert s.get("/v1/meetings/rel").json()["start_time"] == NOW - 7200
    if now == str(NOW):
        time.sleep(1.1)  # frozen: a second later nothing moved
        assert s.get("/v1/meetings/live").json() == live
    assert s.stop() == 0


def test_now_beats_the_scenarios_now(serve: Any, scenario_file: Path) -> None:
    s = serve("--port", "0", "--scenario", str(scenario_file), "--now", str(NOW + 1000))
    body = s.get("/v1/meetings").json()
    assert body["data"][1]["start_time"] == NOW + 1000 - 3600  # "-1h" from --now
    assert body["data"][0]["duration"] == 600  # "-10m" from --now, frozen at --now
    assert s.stop() == 0


def test_without_now_the_clock_runs_in_real_time(serve: Any, clockless_file: Path) -> None:
    before = int(time.time())
    s = serve("--port", "0", "--scenario", str(clockless_file))
    after = int(time.time())
    duration = s.get("/v1/meetings/live").json()["duration"]
    assert before - 1717236000 <= duration <= after + 5 - 1717236000
    assert s.stop() == 0


def test_environment_variables(serve: Any, clockless_file: Path) -> None:
    s = serve(
        FAKE_MEETINGS_PORT="0",
        FAKE_MEETINGS_NO_AUTH="1",
        FAKE_MEETINGS_SCENARIO=str(clockless_file),
        FAKE_MEETINGS_NOW=str(NOW),
    )
    assert s.port != 0
    assert re.search(r"\b2 sessions\b", s.lines[1]), s.lines
    r = s.get("/v1/meetings", headers={})
    assert r.status_code == 200
    assert r.json()["total_count"] == 2
    assert s.get("/v1/meetings/live", headers={}).json()["duration"] == NOW - 1717236000
    assert s.stop() == 0


@pytest.mark.parametrize("flag", ["TRUE", "yes"])
def test_no_auth_env_spellings(serve: Any, scenario_file: Path, flag: str) -> None:
    s = serve("--port", "0", "--scenario", str(scenario_file), FAKE_MEETINGS_NO_AUTH=flag)
    assert s.get("/v1/meetings", headers={}).status_code == 200
    assert s.stop() == 0


def test_api_key_from_the_environment(serve: Any, scenario_file: Path) -> None:
    s = serve("--port", "0", "--scenario", str(scenario_file), FAKE_MEETINGS_API_KEY="envkey")
    assert s.get("/v1/meetings", headers={"Authorization": "Bearer envkey"}).status_code == 200
    r = s.get("/v1/meetings", headers={"Authorization": "Bearer other"})
    assert r.status_code == 401
    assert r.json()["error"] == "authentication-error"
    r = s.get("/v1/meetings", headers={})
    assert r.status_code == 400
    assert r.json()["error"] == "authorization-header-error"
    assert s.stop() == 0


def test_flags_beat_environment_variables(
    serve: Any, scenario_file: Path, clockless_file: Path
) -> None:
    s = serve(
        "--port",
        "0",
        "--api-key",
        "flagkey",
        "--now",
        str(NOW + 100),
        "--scenario",
        str(clockless_file),
        FAKE_MEETINGS_PORT="not-a-port",
        FAKE_MEETINGS_API_KEY="envkey",
        FAKE_MEETINGS_NOW=str(NOW),
        FAKE_MEETINGS_SCENARIO=str(scenario_file),
    )
    assert s.get("/v1/meetings", headers={"Authorization": "Bearer flagkey"}).status_code == 200
    assert s.get("/v1/meetings", headers={"Authorization": "Bearer envkey"}).status_code == 401
    live = s.get("/v1/meetings/live", headers={"Authorization": "Bearer flagkey"}).json()
    assert live["duration"] == NOW + 100 - 1717236000
    body = s.get("/v1/meetings", headers={"Authorization": "Bearer flagkey"}).json()
    assert sorted(m["id"] for m in body["data"]) == ["live", "rel"]
    assert s.stop() == 0


def test_no_auth_flag_beats_api_key_env(serve: Any, scenario_file: Path) -> None:
    s = serve(
        "--port", "0", "--no-auth", "--scenario", str(scenario_file), FAKE_MEETINGS_API_KEY="k9"
    )
    assert s.get("/v1/meetings", headers={}).status_code == 200
    assert s.stop() == 0


def test_strict_limit_and_unknown_cursor_flags(serve: Any, scenario_file: Path) -> None:
    s = serve(
        "--port",
        "0",
        "--scenario",
        str(scenario_file),
        "--strict-limit",
        "--unknown-cursor",
        "empty",
    )
    r = s.get("/v1/meetings", limit=101)
    assert r.status_code == 400
    assert r.json()["error"] == "invalid-request-error"
    assert s.get("/v1/meetings", starting_after="nope").json() == {"total_count": 3, "data": []}
    assert s.stop() == 0


def test_strict_limit_and_unknown_cursor_env(serve: Any, scenario_file: Path) -> None:
    s = serve(
        "--port",
        "0",
        "--scenario",
        str(scenario_file),
        FAKE_MEETINGS_STRICT_LIMIT="1",
        FAKE_MEETINGS_UNKNOWN_CURSOR="empty",
    )
    assert s.get("/v1/meetings", limit=101).status_code == 400
    assert s.get("/v1/meetings", ending_before="nope").json() == {"total_count": 3, "data": []}
    assert s.stop() == 0


def test_default_limit_behaviour_without_options(serve: Any, scenario_file: Path) -> None:
    s = serve("--port", "0", "--scenario", str(scenario_file))
    assert len(s.get("/v1/meetings", limit=101).json()["data"]) == 3  # clamped, not refused
    assert s.get("/v1/meetings", starting_after="nope").status_code == 400
    assert s.stop() == 0


def test_scenario_by_bundled_name(serve: Any) -> None:
    s = serve("--port", "0", "--scenario", "empty")
    assert re.search(r"\b0 sessions\b", s.lines[1]), s.lines
    assert s.get("/v1/meetings").json() == {"total_count": 0, "data": []}
    assert s.stop() == 0


def test_several_scenarios_are_merged(
    serve: Any, scenario_file: Path, clockless_file: Path
) -> None:
    s = serve("--port", "0", "--scenario", str(scenario_file), "--scenario", str(clockless_file))
    assert re.search(r"\b5 sessions\b", s.lines[1]), s.lines
    assert s.get("/v1/meetings").json()["total_count"] == 5
    assert s.stop() == 0


# ----------------------------------------------------------------- failures before serving


def test_bad_scenario_exits_1_listing_every_problem(tmp_path: Path, bad_file: Path) -> None:
    r = run(["serve", "--port", "0", "--scenario", str(bad_file)], tmp_path)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "listening" not in r.stdout
    lines = r.stderr.strip().splitlines()
    assert any(
        re.match(
            rf"^{re.escape(str(bad_file))}:5: sessions\[0\]\.participants\[0\]\.join_time: \S", line
        )
        for line in lines
    ), r.stderr
    assert any(
        re.match(
            rf"^{re.escape(str(bad_file))}:11: sessions\[1\]\.participants\[0\]\.duration: \S", line
        )
        for line in lines
    ), r.stderr


def test_scenario_with_a_yaml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("sessions:\n  - room: [unclosed\n", encoding="utf-8")
    r = run(["serve", "--port", "0", "--scenario", str(path)], tmp_path)
    assert r.returncode == 1
    assert "listening" not in r.stdout
    assert re.match(rf"^{re.escape(str(path))}:\d+: ", r.stderr), r.stderr


def test_unknown_scenario_name_lists_the_bundled_ones(tmp_path: Path) -> None:
    r = run(["serve", "--port", "0", "--scenario", "no-such-scenario"], tmp_path)
    assert r.returncode == 1
    assert "listening" not in r.stdout
    assert "no-such-scenario" in r.stderr
    for name in bundled_names():
        assert name in r.stderr


@pytest.mark.parametrize("now", ["yesterday", "1.5", "2024-13-45T00:00:00Z"])
def test_bad_now_flag_exits_2(tmp_path: Path, scenario_file: Path, now: str) -> None:
    r = run(["serve", "--port", "0", "--scenario", str(scenario_file), "--now", now], tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "listening" not in r.stdout
    assert "--now" in r.stderr
    assert now in r.stderr


def test_bad_now_env_exits_2(tmp_path: Path, scenario_file: Path) -> None:
    r = run(
        ["serve", "--port", "0", "--scenario", str(scenario_file)],
        tmp_path,
        FAKE_MEETINGS_NOW="not-a-time",
    )
    assert r.returncode == 2
    assert "not-a-time" in r.stderr


@pytest.mark.parametrize(
    "name", ["FAKE_MEETINGS_NO_AUTH", "FAKE_MEETINGS_STRICT_LIMIT", "FAKE_MEETINGS_ACCESS_LOG"]
)
def test_bad_boolean_env_exits_2(tmp_path: Path, scenario_file: Path, name: str) -> None:
    r = run(["serve", "--port", "0", "--scenario", str(scenario_file)], tmp_path, **{name: "maybe"})
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "listening" not in r.stdout
    assert name in r.stderr
    assert "maybe" in r.stderr


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (["--port", "99999"], {}, "99999"),
        ([], {"FAKE_MEETINGS_PORT": "http"}, "http"),
        ([], {"FAKE_MEETINGS_UNKNOWN_CURSOR": "skip"}, "skip"),
        (["--port", "abc"], {}, "--port"),
        (["--unknown-cursor", "skip"], {}, "--unknown-cursor"),
        (["--api-key", "k", "--no-auth"], {}, "--no-auth"),
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, scenario_file: Path, args: list[str], env: dict[str, str], needle: str
) -> None:
    r = run(["serve", "--scenario", str(scenario_file), *args], tmp_path, **env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "listening" not in r.stdout
    assert needle in r.stderr


# ----------------------------------------------------------------- validate and help


def test_validate_ok(tmp_path: Path, scenario_file: Path, clockless_file: Path) -> None:
    r = run(["validate", str(scenario_file)], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stdout
    r = run(["validate", str(scenario_file), str(clockless_file), "empty"], tmp_path)
    assert r.returncode == 0, r.stderr


def test_validate_every_bundled_scenario(tmp_path: Path) -> None:
    names = bundled_names()
    r = run(["validate", *names], tmp_path, timeout=60)
    assert r.returncode == 0, r.stderr


def test_validate_bad(tmp_path: Path, scenario_file: Path, bad_file: Path) -> None:
    r = run(["validate", str(bad_file)], tmp_path)
    assert r.returncode == 1
    assert re.search(
        rf"^{re.escape(str(bad_file))}:5: sessions\[0\]\.participants\[0\]\.join_time: ",
        r.stderr,
        re.M,
    ), r.stderr
    r = run(["validate", str(scenario_file), str(bad_file)], tmp_path)
    assert r.returncode == 1
    r = run(["validate", "no-such-scenario"], tmp_path)
    assert r.returncode == 1
    assert "empty" in r.stderr


def test_validate_catches_a_merge_conflict(tmp_path: Path, scenario_file: Path) -> None:
    twin = tmp_path / "twin.yaml"
    twin.write_text(SCENARIO, encoding="utf-8")  # the same explicit ids
    r = run(["validate", str(scenario_file), str(twin)], tmp_path)
    assert r.returncode == 1
    assert "cli-1" in r.stderr


def test_help_mentions_the_options(tmp_path: Path) -> None:
    r = run(["--help"], tmp_path)
    assert r.returncode == 0
    assert "serve" in r.stdout and "validate" in r.stdout
    r = run(["serve", "--help"], tmp_path)
    assert r.returncode == 0
    for option in (
        "--scenario",
        "--host",
        "--port",
        "--api-key",
        "--no-auth",
        "--now",
        "--strict-limit",
        "--unknown-cursor",
        "--access-log",
        "FAKE_MEETINGS_PORT",
    ):
        assert option in r.stdout, option
    for name in bundled_names():
        assert name in r.stdout
    r = run(["validate", "--help"], tmp_path)
    assert r.returncode == 0
    assert "FILE" in r.stdout


# ----------------------------------------------------------------- first-run messages


@pytest.mark.parametrize("host", ["999.1.1.1", "nosuch.invalid"])
def test_a_bad_host_names_the_host_not_the_port(tmp_path: Path, host: str) -> None:
    r = run(["serve", "--host", host, "--port", "0", "--scenario", "empty"], tmp_path, timeout=60)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "listening" not in r.stdout
    assert host in r.stderr and "change --host" in r.stderr, r.stderr
    assert "--port" not in r.stderr, r.stderr


def test_a_bad_host_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    r = run(
        ["serve", "--port", "0", "--scenario", "empty"], tmp_path, FAKE_MEETINGS_HOST="999.1.1.1"
    )
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "change FAKE_MEETINGS_HOST" in r.stderr, r.stderr


def test_a_port_in_use_suggests_another_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        r = run(["serve", "--port", port, "--scenario", "empty"], tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "already in use" in r.stderr and "pick another --port" in r.stderr, r.stderr
    assert "--host" not in r.stderr, r.stderr


@pytest.mark.parametrize("spec", ["./nope.yaml", "some/dir/x.yaml", "nope.yaml"])
def test_a_missing_scenario_file_says_so_with_its_absolute_path(tmp_path: Path, spec: str) -> None:
    r = run(["serve", "--port", "0", "--scenario", spec], tmp_path)
    assert r.returncode == 1, (r.stdout, r.stderr)
    absolute = (tmp_path / spec).resolve()
    assert f"the file {absolute} does not exist" in r.stderr, r.stderr
    assert "bundled scenarios" not in r.stderr, r.stderr


def test_a_missing_bundled_name_written_as_a_file_gets_the_bare_name(tmp_path: Path) -> None:
    r = run(["serve", "--port", "0", "--scenario", "ties.yaml"], tmp_path)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "give its bare name: ties" in r.stderr, r.stderr


@pytest.mark.parametrize("spec", ["nope", "./nope.yaml"])
def test_a_missing_scenario_from_the_environment_names_the_variable(
    tmp_path: Path, spec: str
) -> None:
    r = run(["serve", "--port", "0"], tmp_path, FAKE_MEETINGS_SCENARIO=spec)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "(from FAKE_MEETINGS_SCENARIO)" in r.stderr, r.stderr
    assert ("bundled scenarios: " in r.stderr) == (spec == "nope"), r.stderr


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["serve", "--prot", "0"], "--prot: did you mean --port?"),
        (["serve", "--scenaro=ties"], "--scenaro: did you mean --scenario?"),
        (["generate", "10", "--dayz", "3"], "--dayz: did you mean --days?"),
        (["--verison"], "--verison: did you mean --version?"),
    ],
)
def test_an_unknown_option_gets_a_suggestion(tmp_path: Path, args: list[str], hint: str) -> None:
    r = run(args, tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "unrecognized arguments" in r.stderr and hint in r.stderr, r.stderr


def test_an_unknown_option_far_from_any_gets_no_suggestion(tmp_path: Path) -> None:
    r = run(["serve", "--zzzzzz"], tmp_path)
    assert r.returncode == 2
    assert "unrecognized arguments: --zzzzzz" in r.stderr and "did you mean" not in r.stderr


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(tmp_path: Path, flag: str) -> None:
    from fake_meetings import __version__

    r = run([flag], tmp_path)
    assert (r.returncode, r.stdout.strip()) == (0, f"fake-meetings {__version__}")


# ----------------------------------------------------------------- generate: header, progress


def test_the_generate_header_regenerates_the_same_bytes(tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    # options from the environment too, and the clock from --now: all must be in the header
    env = {"FAKE_MEETINGS_DAYS": "3", "FAKE_MEETINGS_SEED": "5", "FAKE_MEETINGS_TZ": "Asia/Tokyo"}
    r = run(["generate", "40", "--rooms", "3", "--now", "2024-06-01T12:00:00Z", "-o", str(first)],
            tmp_path, **env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    text = first.read_text(encoding="utf-8")
    command = re.search(r"^# Generated by `fake-meetings (generate [^`]+)`", text, re.M)
    assert command, text[:500]
    assert "--days 3" in command.group(1) and "--now 1717243200" in command.group(1)
    again = run([*command.group(1).split(), "-o", str(tmp_path / "again.yaml")], tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.yaml").read_bytes() == first.read_bytes()


MONDAY = 1_717_408_800  # 2024-06-03T10:00:00Z: working hours, so the next two hold sessions
DURATION_FORMS = "expected seconds (7200) or a duration in w, d, h, m, s (2h, 90m, 1d2h30m, 45s)"


def test_serve_generate_ahead_serves_what_started_by_now(tmp_path: Path, serve: Any) -> None:
    options = ["--generate", "200", "--days", "1", "--ahead", "2h", "--now", str(MONDAY)]
    out = tmp_path / "ahead.yaml"
    r = run(["generate", *options[1:], "-o", str(out)], tmp_path)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    starts = [s["start_time"] for s in yaml.safe_load(text)["sessions"]]
    assert len(starts) == 200 and all(MONDAY - 86400 <= t < MONDAY + 7200 for t in starts)
    started = sum(t <= MONDAY for t in starts)
    assert 0 < started < 200
    s = serve("--port", "0", *options)
    assert s.get("/v1/meetings", limit=1).json()["total_count"] == started
    # the header's command, --ahead included, writes the very same bytes again
    command = re.search(r"^# Generated by `fake-meetings (generate [^`]+)`", text, re.M)
    assert command and " --ahead 7200 " in command.group(1), text[:500]
    again = run([*command.group(1).split(), "-o", str(tmp_path / "again.yaml")], tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.yaml").read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["serve", "--port", "0", "--generate", "5", "--ahead", "soon"], {},
         f"--ahead: 'soon' is not a duration: {DURATION_FORMS}"),
        (["generate", "5", "--ahead=-2h"], {}, "--ahead: '-2h' is not a duration"),
        (["generate", "5", "--ahead", "366d"], {}, "--ahead: '366d' is too long: at most 365d"),
        (["serve", "--port", "0", "--generate", "5"], {"FAKE_MEETINGS_AHEAD": "2h30"},
         f"FAKE_MEETINGS_AHEAD: '2h30' is not a duration: {DURATION_FORMS}"),
    ],
)  # fmt: skip
def test_a_bad_ahead_exits_2_naming_its_source_and_the_forms(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    r = run(args, tmp_path, **env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert r.stderr.startswith(f"fake-meetings: {message}"), r.stderr


def test_small_generate_runs_are_quiet(tmp_path: Path) -> None:
    r = run(["generate", "500", "--now", str(NOW), "-o", str(tmp_path / "s.yaml")], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [f"wrote 500 sessions to {tmp_path / 's.yaml'}"]


BIG = LARGE  # the smallest run that reports its progress whatever the machine's speed
PROGRESS_RE = re.compile(rf"^fake-meetings: generating sessions: ([\d,]+)/{BIG:,} \(\d+%\) after ")
TENTHS = [f"{BIG // 10 * i:,}" for i in range(1, 11)]


def tenths(lines: list[str]) -> list[str]:
    """The progress counts printed at each tenth (a slow machine adds lines in between)."""
    counts = [m.group(1) for m in map(PROGRESS_RE.match, lines) if m]
    return [c for c in counts if c in TENTHS]


def test_generate_reports_progress_on_a_pipe(tmp_path: Path) -> None:
    out = tmp_path / "big.yaml"
    r = run(["generate", str(BIG), "--now", str(NOW), "-o", str(out)], tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert "\r" not in r.stderr
    assert tenths(lines) == TENTHS, lines
    assert "fake-meetings: generating sessions: done in " in r.stderr
    assert any(line.startswith(f"fake-meetings: writing {out}: ") for line in lines), lines


def test_serve_generate_reports_progress_before_listening(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "fake_meetings", "serve", "--port", "0", "--now", str(NOW),
         "--generate", str(BIG)],
        cwd=tmp_path, env=clean_env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    timer = threading.Timer(300, proc.kill)
    timer.start()
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("fake-meetings listening on "):
            line = proc.stdout.readline()
            assert line, f"exited {proc.wait()} before listening: {lines}"
            lines.append(line.rstrip("\n"))
        assert tenths(lines) == TENTHS, lines
        assert any(line.startswith(f"fake-meetings: indexing {BIG:,} sessions") for line in lines)
        match = LISTEN_RE.match(lines[-1])
        assert match, lines
        with requests.Session() as http:
            http.trust_env = False
            health = http.get(match.group(1) + "/_fake/health", timeout=TIMEOUT).json()
        assert health["sessions"] == BIG  # it serves, so its signal handlers are set
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=STOP_TIMEOUT)


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (
            ["--max-connections", "0"],
            {},
            "--max-connections '0': expected a whole number, 1 or more",
        ),
        (
            [],
            {"MAX_CONNECTIONS": "0"},
            "FAKE_MEETINGS_MAX_CONNECTIONS '0': expected a whole number, 1 or more",
        ),
        (
            [],
            {"MAX_NAMESPACES": "-3"},
            "FAKE_MEETINGS_MAX_NAMESPACES '-3': expected a whole number, 1 or more",
        ),
        (["--max-body", "²"], {}, "--max-body '²': expected a whole number, 1 or more"),
        (["--journal-cap", "x"], {}, "--journal-cap 'x': expected a whole number, 0 or more"),
    ],
)
def test_a_bad_number_names_its_source_and_value(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(ENV_PREFIX + name, value)
    args = build_parser().parse_args(["serve", *argv])
    with pytest.raises(UsageError) as info:
        server_config(args)
    assert str(info.value) == message
