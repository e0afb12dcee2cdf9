"""``--recorded`` (``FAKE_MEETINGS_RECORDED``) and ``recorded:``: the share of generated
sessions recorded, bounded to 0..1 alike in the flag, its variable and the `generate:` block;
``generate -o`` writes the recordings, its header names the option, and the file reloads to the
recordings the block gives."""

from __future__ import annotations

import shlex
from dataclasses import astuple
from pathlib import Path

import pytest

from fake_meetings.cli import main
from fake_meetings.scenario.scenario import ScenarioError, load_file, load_text

NOW = 1_717_243_200


def _generate(out: Path, *extra: str) -> int:
    argv = ["generate", "400", "--seed", "3", "--rooms", "5", "--now", str(NOW), "-o", str(out)]
    return main([*argv, *extra])


def test_the_file_holds_the_recordings_and_its_header_writes_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FAKE_MEETINGS_RECORDED", raising=False)
    first = tmp_path / "first.yaml"
    assert _generate(first, "--recorded", "0.4") == 0
    assert "recordings to" in capsys.readouterr().err
    text = first.read_text()
    command = text.splitlines()[0].split("`")[1]
    assert " --recorded 0.4 " in command
    again = tmp_path / "again.yaml"
    assert main([*shlex.split(command)[1:], "-o", str(again)]) == 0
    assert again.read_bytes() == first.read_bytes()
    block = load_text(
        f"now: {NOW}\ngenerate: {{sessions: 400, seed: 3, rooms: 5, recorded: 0.4}}\n", "b.yaml"
    )
    loaded = load_file(first)
    assert loaded.recordings and len(loaded.recordings) == len(block.recordings)
    assert [astuple(r) for r in loaded.recordings] == [astuple(r) for r in block.recordings]


def test_the_variable_is_the_flag_s_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_flag, by_env = tmp_path / "flag.yaml", tmp_path / "env.yaml"
    monkeypatch.delenv("FAKE_MEETINGS_RECORDED", raising=False)
    assert _generate(by_flag, "--recorded", "0.25") == 0
    monkeypatch.setenv("FAKE_MEETINGS_RECORDED", "0.25")
    assert _generate(by_env) == 0
    assert by_env.read_bytes() == by_flag.read_bytes()


@pytest.mark.parametrize(
    ("extra", "env", "source"),
    [
        (["--recorded", "1.5"], None, "--recorded"),
        (["--recorded", "-0.1"], None, "--recorded"),
        (["--recorded", "nan"], None, "--recorded"),
        (["--recorded", "some"], None, "--recorded"),
        ([], "2", "FAKE_MEETINGS_RECORDED"),
    ],
)
def test_a_share_out_of_0_to_1_is_a_usage_error_naming_its_source(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    env: str | None,
    source: str,
) -> None:
    if env is None:
        monkeypatch.delenv("FAKE_MEETINGS_RECORDED", raising=False)
    else:
        monkeypatch.setenv("FAKE_MEETINGS_RECORDED", env)
    assert _generate(tmp_path / "x.yaml", *extra) == 2
    err = capsys.readouterr().err
    assert f"{source}: expected a share of sessions from 0 to 1" in err, err
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("value", ["1.5", "-1", "yes", "'0.3'", ".nan"])
def test_a_block_share_out_of_0_to_1_is_a_file_line_problem(tmp_path: Path, value: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(f"now: {NOW}\n\ngenerate: {{sessions: 10, recorded: {value}}}\n")
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}:3: generate.recorded: expected a share")
