"""Issue 26, item 9: a stay whose leave (join_time + duration) is past the last time there is
(unix seconds below 2**53) is a problem with its file and line, the same in ``validate``,
``serve`` and the control plane's loads. It used to pass ``validate``, crash ``serve`` with an
``OverflowError`` traceback (indexing) and answer 500 over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fake_meetings.cli import main
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
HUGE = 2**63 - 800  # join_time + HUGE overflows a 64-bit integer
SESSION = """\
  - room: standup
    start_time: {start}
    participants:
      - user_name: Alice
        join_time: {start}
        duration: {duration}
"""
WHERE = "sessions[0].participants[0].duration"


def scenario(duration: int, *, now: bool = True) -> str:
    head = f"now: {NOW}\n" if now else ""
    return head + "sessions:\n" + SESSION.format(start=NOW - 3600, duration=duration)


@pytest.mark.parametrize("duration", [HUGE, 2**53 - (NOW - 3600)])
def test_validate_and_serve_refuse_it_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], duration: int
) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(scenario(duration))
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:8: {WHERE}: {duration} is too long" in err, err
    assert main(["serve", "--scenario", str(path), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:8: {WHERE}: {duration} is too long" in err and "Traceback" not in err, err


def test_the_last_second_there_is_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "edge.yaml"
    path.write_text(scenario(2**53 - 1 - (NOW - 3600)))
    assert main(["validate", str(path)]) == 0


def test_the_control_plane_refuses_it_and_keeps_serving(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World([], Clock(NOW))).base_url)
    r = c.post("/_fake/scenario", scenario(HUGE))
    error(r, 400, "invalid-request-error", f"<request body>:8: {WHERE}: {HUGE} is too long")
    body = "sessions:\n" + SESSION.format(start=NOW - 3600, duration=HUGE)
    r = c.post("/_fake/sessions", body)
    error(r, 400, "invalid-request-error", f"<request body>:7: {WHERE}: {HUGE} is too long")
    assert ok(c.get("/_fake/health"))["sessions"] == 0
    ok(c.get("/v1/meetings", headers={"Authorization": "Bearer k"}))
    ok(
        c.post("/_fake/sessions", "sessions:\n" + SESSION.format(start=NOW - 3600, duration=60)),
        201,
    )
    assert ok(c.get("/_fake/health"))["sessions"] == 1
