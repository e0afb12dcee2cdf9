"""``fake-meetings capture`` against difficult sources, all fake-meetings servers on 127.0.0.1:
429s, 5xx and dropped connections injected through the control plane's faults, a slowed source
interrupted with SIGINT / SIGTERM (the CLI as a subprocess), and an account of 12,000 sessions
behind Daily's rate limit; and the README's example with `serve` and `capture` as processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from fake_meetings.cli import main
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_file
from fake_meetings.testing import ServerThread
from tests.helpers.capture import UPSTREAM, query_mix, world_from_text
from tests.helpers.constants import DAY, NOW, TIMEOUT
from tests.helpers.processes import clean_env, start_serve

pytestmark = pytest.mark.slow  # processes and captures of thousands of sessions

KEY = "sk-capture-SECRET-51e0"
Serve = Callable[..., ServerThread]
FAST = ["--backoff", "0.01", "--max-retries", "4"]


def fault(server: ServerThread, **body: Any) -> None:
    r = requests.post(f"{server.base_url}/_fake/faults", json=body, timeout=TIMEOUT)
    assert r.status_code == 201, r.text


def journal(server: ServerThread) -> list[dict[str, Any]]:
    r = requests.get(f"{server.base_url}/_fake/requests", timeout=TIMEOUT)
    return list(r.json()["data"])


def capture(
    capsys: pytest.CaptureFixture[str], url: str, out: Path, *extra: str
) -> tuple[int, str]:
    status = main(["capture", "--base-url", url, "--api-key", KEY, "-o", str(out), *extra])
    return status, capsys.readouterr().err


def generated(count: int) -> World:
    return World(generate(GenerateSpec(count, 8, 1, NOW - 30 * DAY), NOW), Clock(NOW))


def test_429_5xx_and_drops_are_retried_and_the_file_is_the_same(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    clean, faulty = tmp_path / "clean.yaml", tmp_path / "faulty.yaml"
    assert capture(capsys, upstream.url, clean)[0] == 0
    fault(upstream, status=429, path="/v1/meetings", count=2)
    fault(upstream, status=503, path="/v1/rooms", count=1)
    fault(upstream, status=500, path="/v1/meetings", count=2)
    fault(upstream, drop=True, path="/v1/meetings", count=1)
    # five failures in a row for the first page: one short of giving up
    status, err = capture(capsys, upstream.url, faulty, "--backoff", "0.01", "--max-retries", "5")
    assert status == 0, err
    assert "6 retries" in err
    for problem in ("429 rate-limit-error", "503 server-error", "500 server-error", "retry 5 of 5"):
        assert problem in err
    assert faulty.read_text().split("now:")[1] == clean.read_text().split("now:")[1]
    statuses = [e["status"] for e in journal(upstream) if e["path"].startswith("/v1/")]
    assert statuses.count(429) == 2 and statuses.count(500) == 2 and statuses.count(0) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"status": 429}, "429 rate-limit-error"),
        ({"status": 502}, "502 server-error"),
        ({"drop": True}, "gave up"),
    ],
)
def test_persistent_failures_give_up_with_a_message_and_no_file(
    serve: Serve,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    body: dict[str, Any],
    message: str,
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    fault(upstream, path="/v1/meetings", probability=1, **body)
    out = tmp_path / "never.yaml"
    status, err = capture(capsys, upstream.url, out, *FAST)
    assert status == 1
    last = err.strip().splitlines()[-1]
    assert "gave up on GET" in last and "after 4 retries" in last and "nothing written" in last
    assert message in err and KEY not in err
    assert list(tmp_path.iterdir()) == []  # neither the file nor a temporary one
    assert len([e for e in journal(upstream) if e["path"] == "/v1/meetings"]) == 5


def test_a_refusal_is_not_retried(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    fault(upstream, status=400, path="/v1/meetings", count=1, info="timeframe_start: bad")
    status, err = capture(capsys, upstream.url, tmp_path / "x.yaml", *FAST)
    assert status == 1
    assert "answered 400 invalid-request-error: timeframe_start: bad" in err
    assert "retry" not in err and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_capture_writes_nothing(
    serve: Serve, tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    upstream = serve(generated(3000))
    fault(upstream, delay_ms=300, probability=1)  # every Daily route slowed down
    out = tmp_path / "out.yaml"
    out.write_text("the previous capture\n")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fake_meetings",
            "capture",
            "--base-url",
            upstream.url,
            "-o",
            str(out),
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=clean_env(DAILY_API_KEY=KEY),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(journal(upstream)) < 4:
            time.sleep(0.1)
        assert len(journal(upstream)) >= 4, "the capture did not get going"
        assert len(list(tmp_path.iterdir())) == 2  # the old file and the streamed sessions
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
        proc.wait(timeout=10)
    err = stderr.decode()
    assert proc.returncode == code, err
    assert "interrupted; nothing written" in err and "Traceback" not in err
    assert stdout == b""
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]
    assert out.read_text() == "the previous capture\n"
    assert KEY not in err


def test_12000_sessions_behind_the_rate_limit(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every page read at Daily's pace (20 requests/s) without one 429, progress shown."""
    upstream = serve(generated(12_000), rate_limit=True)
    out = tmp_path / "big.yaml"
    status, err = capture(capsys, upstream.url, out)
    assert status == 0, err
    assert "wrote 12,000 sessions" in err and "0 retries" in err
    entries = journal(upstream)
    pages = [e for e in entries if e["path"] == "/v1/meetings"]
    assert len(pages) == 121  # 120 full pages, then the empty one
    assert pages[-1]["query"]["starting_after"] and "no_participants" not in pages[0]["query"]
    assert {e["status"] for e in entries} == {200}  # paced: the server's limit never hit
    progress = [line for line in err.splitlines() if "capturing sessions: " in line]
    assert len(progress) >= 5
    assert any("/12,000" in line and "pages" in line and "requests/s" in line for line in progress)
    assert len(load_file(out).sessions) == 12_000


def test_memory_is_flat_in_the_number_of_sessions(tmp_path: Path) -> None:
    """Sessions go to the file as pages arrive: the peak of Python allocations while capturing
    12,000 sessions is not much above the peak for 3,000 (the servers run in subprocesses, so
    only the capture is measured)."""
    script = Path(__file__).resolve().parents[2] / "bench" / "capture_bench.py"
    result = subprocess.run(
        [sys.executable, str(script), "--sizes", "3000", "12000", "--rate", "1000"],
        cwd=script.parents[1],
        env=clean_env(PYTHONPATH=os.pathsep.join(sys.path)),
        capture_output=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    ratio = float(result.stdout.decode().strip().splitlines()[-1].split()[-1])
    assert ratio < 1.5, result.stdout.decode()


def test_the_readme_example_with_serve_processes(tmp_path: Path) -> None:
    """`serve --scenario ongoing`, `capture` and `serve --scenario account.yaml` as processes."""
    root = Path(__file__).resolve().parents[2]
    source, lines = start_serve(["--scenario", "ongoing", "--port", "0"], root, {})
    replica = None
    try:
        url = lines[0].rsplit(" ", 1)[1]
        out = tmp_path / "account.yaml"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "fake_meetings",
                "capture",
                "--base-url",
                url + "/v1",
                "--api-key",
                "any",
                "-o",
                str(out),
            ],
            cwd=root,
            env=clean_env(),
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout == b"" and b"wrote 5 sessions (3 ongoing)" in done.stderr
        replica, lines = start_serve(["--scenario", str(out), "--port", "0"], root, {})
        assert "frozen at 1717243200" in lines[1]
        copy = lines[0].rsplit(" ", 1)[1]
        ids = [s.id for s in load_file(out).sessions]
        rooms = [r.name for r in load_file(out).rooms]
        assert query_mix(copy, rooms, ids) == query_mix(url, rooms, ids)
    finally:
        for proc in (source, replica):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)


def _session(sid: str, start: int, duration: int, ongoing: bool, stays: list[Any]) -> Any:
    return {
        "id": sid,
        "room": "standup",
        "start_time": start,
        "duration": duration,
        "ongoing": ongoing,
        "max_participants": 5,
        "participants": stays,
    }


def _stay(pid: str, n: int, join: int, duration: int) -> Any:
    return {
        "user_id": f"real-user-{n}",
        "participant_id": pid,
        "user_name": f"Real Name {n}",
        "join_time": join,
        "duration": duration,
    }


def test_what_the_file_cannot_reproduce_is_counted_and_kept_private(
    stub: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A source unlike fake-meetings: a session without records, a max_participants the stays
    cannot give, an ongoing session nobody's stay reaches, a room of unknown privacy."""
    room = {
        "id": "r1",
        "name": "standup",
        "api_created": False,
        "privacy": "public",
        "url": "https://x.daily.co/standup",
        "created_at": "2024-05-01T00:00:00.000Z",
        "config": {},
    }
    sessions = [
        _session("a", NOW - 100, 100, True, [_stay("p1", 1, NOW - 100, 90)]),
        _session("b", NOW - 900, 300, False, [_stay("p2", 2, NOW - 900, 300)]),
        _session("c", NOW - 950, 300, False, []),
    ]
    page = lambda data: (200, {}, {"total_count": len(data), "data": data})  # noqa: E731
    server = stub(
        {
            "/v1/rooms": [page([room, {**room, "name": "other", "privacy": "org"}]), page([])],
            "/v1/meetings": [page(sessions), page([])],
        }
    )
    out = tmp_path / "odd.yaml"
    status, err = capture(capsys, server.url, out, "--pseudonymise")
    assert status == 0, err
    assert "session left out: session c: no participant records" in err
    assert "room left out: room other: privacy 'org'" in err
    text = out.read_text()
    assert "Not as the source: 1 sessions left out (reasons on stderr)." in text
    assert "Not as the source: 2 sessions whose max_participants is not" in text
    assert "Not as the source: 1 ongoing sessions where nobody's stay reached" in text
    assert "Real Name" not in text and "real-user" not in text
    scenario = load_file(out)
    assert scenario.now == NOW and [s.id for s in scenario.sessions] == ["a", "b"]
    assert [p.duration for p in scenario.sessions[0].participants] == [None]
