"""A scenario's ``min_stay:`` (Daily's ten-second rule): ``validate`` warns, with file and line,
about the stays ``/meetings`` will never show, and exits 0; a bad value is a problem; two files
declaring it do not merge; served, the file's value applies (``serve --min-stay`` beats it), and
a load through the control plane sets it for the namespace until a reset."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_meetings.cli import main
from fake_meetings.config import ServerConfig
from fake_meetings.scenario.loading import load
from fake_meetings.scenario.scenario import ScenarioError, load_data
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, ok
from tests.helpers.constants import AUTH, NOW

SHORT = f"""now: {NOW}
sessions:
  - id: s-1
    room: standup
    start_time: -1h
    participants:
      - {{participant_id: long, join_time: -1h, duration: 600}}
      - {{participant_id: brief, join_time: -59m, duration: 5}}
  - id: s-2
    room: retro
    start_time: -30m
    participants:
      - {{participant_id: only, join_time: -30m, duration: 9}}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_validate_warns_about_stays_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SHORT)
    assert main(["validate", path]) == 0
    out, err = capsys.readouterr()
    assert "ok: " in out
    warnings = err.splitlines()
    assert warnings == [
        f"warning: {path}:8: sessions[0].participants[1]: participant 'brief' stays 5 s, "
        "under min_stay (10 s): /meetings will never show it (presence and webhooks do)",
        f"warning: {path}:9: sessions[1]: no stay lasts min_stay (10 s): /meetings will never "
        "list this session (presence and webhooks show it)",
    ]


def test_the_file_s_min_stay_decides_what_is_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", write(tmp_path, "min_stay: 0\n" + SHORT)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["validate", write(tmp_path, "min_stay: 700\n" + SHORT)]) == 0
    err = capsys.readouterr().err
    assert "'long' stays 600 s, under min_stay (700 s)" not in err  # all short: the session
    assert err.count("warning:") == 2 and "no stay lasts min_stay (700 s)" in err


@pytest.mark.parametrize("bad", ["-1", "1.5", "ten", "true"])
def test_a_bad_min_stay_is_a_problem(bad: str) -> None:
    with pytest.raises(ScenarioError, match="min_stay"):
        load_data(f"min_stay: {bad}\nsessions: []\n", "bad.yaml", now=NOW)


def test_two_files_declaring_min_stay_do_not_merge(tmp_path: Path) -> None:
    files = [write(tmp_path, "min_stay: 5\nsessions: []\n", n) for n in ("a.yaml", "b.yaml")]
    with pytest.raises(ScenarioError, match="min_stay is also declared in"):
        load(files)


def served(world_min: str, tmp_path: Path, **options: int) -> tuple[ServerThread, Http]:
    world = load([write(tmp_path, world_min + SHORT)]).world()
    server = ServerThread(world, ServerConfig(port=0, **options)).start()  # type: ignore[arg-type]
    return server, Http("requests").at(server.base_url)


def listed(c: Http) -> list[str]:
    page = ok(c.get("/v1/meetings", headers=AUTH))
    return sorted(p["participant_id"] for s in page["data"] for p in s["participants"])


def test_served_the_file_s_min_stay_applies_and_the_flag_beats_it(tmp_path: Path) -> None:
    server, c = served("", tmp_path)
    try:
        assert listed(c) == ["long"]  # the default, 10 s
    finally:
        server.stop()
    server, c = served("min_stay: 0\n", tmp_path)
    try:
        assert listed(c) == ["brief", "long", "only"]
        ok(c.post("/_fake/reset"))
        assert listed(c) == ["brief", "long", "only"]  # the start-up file's, after a reset
    finally:
        server.stop()
    server, c = served("min_stay: 0\n", tmp_path, min_stay=6)
    try:
        assert listed(c) == ["long", "only"]  # --min-stay 6 beats the file's 0
    finally:
        server.stop()


def test_a_loaded_scenario_sets_min_stay_until_a_reset(tmp_path: Path) -> None:
    server, c = served("", tmp_path)
    try:
        ok(c.post("/_fake/scenario", {"min_stay": 0, "now": NOW, "sessions": []}))
        ok(c.post("/_fake/join", {"room": "standup"}), 201)
        assert len(listed(c)) == 1  # shown at once
        ok(c.post("/_fake/reset"))
        assert listed(c) == ["long"]
    finally:
        server.stop()
