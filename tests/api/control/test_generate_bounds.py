"""Issue 26, item 2, over HTTP: a `generate:` block beyond a bound is refused at once (it used to
lock its namespace for hours: 1,000,000 rooms de-duplicated against a list), and a load under way
does not hold a stopping server (SIGTERM exits within 2 s, the load answering 503).

On real servers (127.0.0.1, port 0): in-process, and ``fake-meetings serve`` as a subprocess."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.genblock import MAX_ROOMS
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW
from tests.helpers.processes import start_serve

Serve = Callable[..., ServerThread]


def test_a_million_rooms_are_refused_at_once(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World([], Clock(NOW))).base_url)
    started = time.monotonic()
    r = c.post("/_fake/scenario", "generate: {sessions: 10, rooms: 1000000}\n")
    elapsed = time.monotonic() - started
    info = error(r, 400, "invalid-request-error", "<request body>:1: generate.rooms:")
    assert f"at most {MAX_ROOMS:,} rooms" in info, info
    assert elapsed < 1.0, elapsed  # refused before any work (it took about 2 hours)
    assert ok(c.get("/_fake/health"))["sessions"] == 0
    ok(c.post("/_fake/scenario", "generate: {sessions: 10, rooms: 3}\n"))
    assert ok(c.get("/_fake/health"))["sessions"] == 10


def test_every_generate_field_has_its_bound_over_http(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World([], Clock(NOW))).base_url)
    for field, value, words in [
        ("sessions", 10**7, "at most 100,000 sessions"),  # the control plane's own, lower
        ("seed", 2**64, "at most 9223372036854775807"),
        ("ahead", "1000d", "at most 365d"),
    ]:
        body = f"generate: {{{field}: {value}}}\n" if field == "sessions" else ""
        body = body or f"generate: {{sessions: 10, {field}: {value}}}\n"
        error(c.post("/_fake/scenario", body), 400, "invalid-request-error", field, words)
    assert ok(c.get("/_fake/health"))["sessions"] == 0


@pytest.mark.slow  # a server process, and loads of seconds
def test_sigterm_mid_load_exits_within_two_seconds(tmp_path: Path) -> None:
    """Two loads in two namespaces, each a few seconds of work before the fix (30,000 rooms
    were de-duplicated against a list) and over a second after it: SIGTERM while they run
    abandons them (503), and the process exits at once instead of waiting for them."""
    proc, lines = start_serve(["--port", "0", "--namespaces"], tmp_path, {})
    try:
        base = lines[0].rsplit(" ", 1)[-1]
        answers: list[object] = []

        def load(key: str) -> None:
            body = "generate: {sessions: 100000, rooms: 30000}\n"
            try:
                r = requests.post(
                    base + "/_fake/scenario",
                    data=body,
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=30,
                )
                answers.append((r.status_code, r.json()))
            except requests.RequestException as exc:
                answers.append(exc)

        threads = [threading.Thread(target=load, args=(f"key-{i}",)) for i in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.4)  # both loads under way
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        waited = time.monotonic() - sent
        for thread in threads:
            thread.join(timeout=10)
        assert code == 0 and waited < 2.0, (code, waited, answers)
        for answer in answers:  # abandoned, said so (or the connection closed)
            if isinstance(answer, tuple):
                assert answer[0] == 503 and "stopping" in answer[1]["info"], answer
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)
