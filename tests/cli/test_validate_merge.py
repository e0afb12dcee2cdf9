"""``fake-meetings validate`` refuses the files ``serve`` refuses to merge, with the same problem:
two files both declaring ``domain:`` or ``webhook:`` (or the same room) merged for validate but
not for serve, whose loading merged every part (``merge.merge_all``, used by both now)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_meetings.cli import main
from fake_meetings.scenario.loading import load
from fake_meetings.scenario.scenario import ScenarioError
from tests.helpers.constants import NOW

BLOCKS = {
    "domain": "domain:\n  properties:\n    lang: de\n",
    "webhook": "webhook:\n  url: http://127.0.0.1:9/hook\n",
    "room": "rooms:\n  - name: standup\n",
}


@pytest.mark.parametrize("part", sorted(BLOCKS))
def test_validate_reports_what_serve_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str
) -> None:
    files = []
    for name in ("a.yaml", "b.yaml"):
        path = tmp_path / name
        path.write_text(f"now: {NOW}\nsessions: []\n{BLOCKS[part]}", encoding="utf-8")
        files.append(str(path))
    with pytest.raises(ScenarioError) as serving:  # what serve's loading says
        load(files)
    assert "also declared in" in str(serving.value)
    capsys.readouterr()
    assert main(["validate", *files]) == 1
    out, err = capsys.readouterr()
    assert str(serving.value) in err
    assert "files merge" not in out


def test_every_problem_of_the_merge_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"now: {NOW}\nsessions: []\n" + "".join(BLOCKS.values())
    files = []
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    assert main(["validate", *files]) == 1
    err = capsys.readouterr().err
    for named in ("domain configuration is also", "webhook is also", "'standup' is also"):
        assert named in err, err


def test_files_that_merge_still_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = []
    for name, part in (("a.yaml", "domain"), ("b.yaml", "webhook")):
        (tmp_path / name).write_text(f"now: {NOW}\nsessions: []\n{BLOCKS[part]}", "utf-8")
        files.append(str(tmp_path / name))
    load(files)  # serve takes them
    assert main(["validate", *files]) == 0
    assert "ok: the 2 files merge" in capsys.readouterr().out
