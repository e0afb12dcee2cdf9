"""The two writers of YAML scenario files (``generate``'s dump, ``capture``'s output) write the
same file for the same sessions, header, clock and rooms: one head, one body format."""

from __future__ import annotations

import io
from pathlib import Path

from fake_meetings.cli.capture_output import ScenarioOutput
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.rooms import Room
from fake_meetings.scenario.dump import dump_scenario
from fake_meetings.scenario.scenario import load_file

NOW = 1_717_243_200
HEADER = "Made by a test.\n\nAfter a blank line: more."
ROOMS = [Room("r-1", "standup", True, "private", NOW - 86400, {"max_participants": 4})]


def test_generate_and_capture_write_the_same_file(tmp_path: Path) -> None:
    sessions = generate(GenerateSpec(sessions=40, rooms=3, seed=9), NOW)
    dumped = io.StringIO()
    dump_scenario(sessions, dumped, now=NOW, header=HEADER, rooms=ROOMS)
    path = tmp_path / "captured.yaml"
    with ScenarioOutput(path) as out:
        for s in sessions:
            out.session(s, NOW)
        out.finish(NOW, HEADER, ROOMS)
    written = path.read_text(encoding="utf-8")
    assert written == dumped.getvalue()
    assert written.startswith("# Made by a test.\n#\n# After a blank line: more.\nnow: ")
    assert not [line for line in written.splitlines() if line != line.rstrip()]
    loaded = load_file(path)
    assert loaded.now == NOW and len(loaded.sessions) == 40


def test_no_sessions_is_an_empty_list_in_both(tmp_path: Path) -> None:
    dumped = io.StringIO()
    dump_scenario([], dumped, now=NOW, header="h")
    path = tmp_path / "empty.yaml"
    with ScenarioOutput(path) as out:
        out.finish(NOW, "h", [])
    assert (
        path.read_text(encoding="utf-8")
        == dumped.getvalue()
        == f"# h\nnow: {NOW}\nsessions:\n  []\n"
    )
