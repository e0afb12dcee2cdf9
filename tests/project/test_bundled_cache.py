"""The parsed form of a bundled scenario (``fixtures/<name>.parsed.json``, see
:mod:`fake_meetings.scenario.bundled`) gives the sessions its YAML gives, and is what loading
uses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fake_meetings.domain.times import MAX_TIMESTAMP
from fake_meetings.scenario import bundled, loading, scenario
from fake_meetings.scenario.bundled import fixtures_dir
from fake_meetings.scenario.loading import load
from fake_meetings.scenario.scenario import ScenarioError, load_file

CACHED = sorted(p for p in fixtures_dir().glob("*.yaml") if bundled.cache_path(p).is_file())
NOW = 1_717_243_200


def test_the_default_scenario_has_a_parsed_form() -> None:
    assert fixtures_dir() / "default.yaml" in CACHED


@pytest.mark.parametrize("path", CACHED, ids=lambda p: p.stem)
def test_the_parsed_form_was_made_from_this_yaml(path: Path) -> None:
    stored = json.loads(bundled.cache_path(path).read_text(encoding="utf-8"))
    assert stored["yaml_sha256"] == bundled.digest(path.read_bytes()), (
        f"{bundled.cache_path(path).name} was made from another {path.name}: "
        f"run `python -m fake_meetings.scenario.bundled {path.stem}`"
    )
    assert stored["format"] == bundled.FORMAT


@pytest.mark.slow
@pytest.mark.parametrize("path", CACHED, ids=lambda p: p.stem)
@pytest.mark.parametrize(
    ("now", "wall_now"),
    [(None, NOW), (NOW, 0), (None, 1_900_000_123), (3_100_000, NOW), (None, 2**40)],
)
def test_loading_the_parsed_form_gives_the_yaml_scenario(
    path: Path, now: int | None, wall_now: int
) -> None:
    from_yaml = load_file(path, now=now, wall_now=wall_now)
    assert bundled.cached_sessions(path, now if now is not None else wall_now) is not None
    assert loading.load_scenario_file(path, now, wall_now) == from_yaml


@pytest.mark.parametrize("path", CACHED, ids=lambda p: p.stem)
@pytest.mark.parametrize("base", [0, 1000, MAX_TIMESTAMP + 1000])
def test_a_base_that_puts_times_out_of_range_reads_the_yaml(path: Path, base: int) -> None:
    """The parsed form is skipped; the YAML's reading reports the range error."""
    assert bundled.cached_sessions(path, base) is None
    with pytest.raises(ScenarioError, match="out of range"):
        loading.load_scenario_file(path, base, 0)


def test_a_bundled_name_is_loaded_without_reading_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("the YAML was read")

    monkeypatch.setattr(scenario, "read_yaml", refuse)
    assert len(load(["default"], now=NOW).sessions) == 291


def test_an_edited_yaml_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parsed form made from other bytes is ignored: the YAML wins, never stale data."""
    folder = tmp_path / "fixtures"
    folder.mkdir()
    source = fixtures_dir() / "default.yaml"
    shutil.copy2(bundled.cache_path(source), folder / bundled.cache_path(source).name)
    edited = source.read_text(encoding="utf-8").replace("room: daily-standup", "room: standup", 1)
    (folder / "default.yaml").write_text(edited, encoding="utf-8")
    monkeypatch.setattr(loading, "fixtures_dir", lambda: folder)
    assert bundled.cached_sessions(folder / "default.yaml", NOW) is None
    rooms = {s.room for s in load(["default"], now=NOW).sessions}
    assert "standup" in rooms


def test_write_makes_the_same_file(tmp_path: Path) -> None:
    """``python -m fake_meetings.scenario.bundled`` writes what is shipped, byte for byte."""
    source = fixtures_dir() / "default.yaml"
    copy = tmp_path / "default.yaml"
    shutil.copy2(source, copy)
    written = bundled.write(copy)
    assert written.read_bytes() == bundled.cache_path(source).read_bytes()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("now: 1717243200\nsessions: []\n", "only sessions"),
        (
            "sessions:\n  - room: r\n    start_time: 900000000\n    participants:\n"
            "      - {join_time: 900000000, duration: 60}\n",
            "do not shift",
        ),
    ],
)
def test_write_refuses_what_cannot_ship_parsed(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=why):
        bundled.write(path)


def test_the_test_handle_reads_a_bundled_name_from_its_shipped_sessions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``fake_meetings.load("default")`` and ``@pytest.mark.fake_meetings("default")``."""
    from fake_meetings.testing.handle import read_scenario

    expected = load_file(fixtures_dir() / "default.yaml", now=None, wall_now=NOW)

    def refuse(text: str) -> None:
        raise AssertionError("the YAML was read")

    monkeypatch.setattr(scenario, "read_yaml", refuse)
    assert read_scenario("default", now=None, wall_now=NOW) == expected
