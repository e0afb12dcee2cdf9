"""Issue 26, item 2, in files and CLI flags: every `generate` field has one bound
(``scenario/genblock.py``), the same in a scenario file's `generate:` block (a file:line problem),
in ``generate``/``serve`` flags and their environment variables (a usage error naming the flag);
and generating many rooms is linear (names were de-duplicated against a list: 8,000 rooms took
0.48 s, 30,000 about 7 s)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from fake_meetings.cli import main
from fake_meetings.domain.generate import _rooms
from fake_meetings.scenario.scenario import ScenarioError, load_file

FILE_CASES = [
    ("sessions: 5000001", "generate.sessions: 5,000,001 is too many: at most 5,000,000 sessions"),
    ("sessions: 10, rooms: 1000000", "generate.rooms: 1,000,000 is too many: at most 100,000"),
    ("sessions: 10, seed: 9223372036854775808", "generate.seed: 9223372036854775808 is too large"),
]


@pytest.mark.parametrize(("block", "words"), FILE_CASES)
def test_a_generate_block_beyond_a_bound_is_a_file_line_problem(
    tmp_path: Path, block: str, words: str
) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(f"now: 1717243200\n\ngenerate: {{{block}}}\n")
    with pytest.raises(ScenarioError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}:3: "), str(caught.value)
    assert words in str(caught.value)


@pytest.mark.parametrize(("block", "words"), FILE_CASES)
def test_validate_refuses_what_serve_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], block: str, words: str
) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(f"generate: {{{block}}}\n")
    assert main(["validate", str(path)]) == 1
    assert words in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env", "words"),
    [
        (["generate", "10", "--rooms", "1000000"], {}, "--rooms: 1,000,000 is too many: at most"),
        (["generate", "10"], {"ROOMS": "1000000"}, "FAKE_MEETINGS_ROOMS: 1,000,000 is too many"),
        (["generate", "5000001"], {}, "N: 5,000,001 is too many: at most 5,000,000 sessions"),
        (["generate", "10", "--seed", str(2**63)], {}, "--seed: 9223372036854775808 is too"),
        (["generate", "10", "--days", "1000000"], {}, "--days: 1,000,000 is too many: at most"),
        (["generate", "10"], {"DAYS": "1000000"}, "FAKE_MEETINGS_DAYS: 1,000,000 is too many"),
        (["serve", "--generate", "5000001"], {}, "--generate: 5,000,001 is too many"),
        (["serve", "--generate", "10", "--rooms", "100001"], {}, "--rooms: 100,001 is too many"),
    ],
)
def test_generate_flags_have_the_same_bounds(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    env: dict[str, str],
    words: str,
) -> None:
    for name in ("ROOMS", "DAYS", "SEED", "GENERATE", "SCENARIO", "PORT"):
        monkeypatch.delenv(f"FAKE_MEETINGS_{name}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(f"FAKE_MEETINGS_{name}", value)
    started = time.monotonic()
    assert main([*argv, "--port", "0"] if argv[0] == "serve" else argv) == 2
    assert words in capsys.readouterr().err
    assert time.monotonic() - started < 2.0  # refused before any work


def test_many_rooms_are_drawn_in_linear_time() -> None:
    started = time.perf_counter()
    names = _rooms(random.Random(5), 30_000)
    elapsed = time.perf_counter() - started
    assert len(names) == len(set(names)) == 30_000
    assert elapsed < 2.0, elapsed  # about 0.1 s; quadratic, it was about 7 s


def test_no_session_is_generated_before_1970(capsys: pytest.CaptureFixture[str]) -> None:
    """--days reaching back past 1970 (within its bound) starts the window at 0."""
    assert main(["generate", "30", "--now", "864000", "--days", "30"]) == 0
    text = capsys.readouterr().out
    starts = [int(line.split(":")[1]) for line in text.splitlines() if "start_time:" in line]
    assert len(starts) == 30 and min(starts) >= 0, starts
