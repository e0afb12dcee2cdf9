"""The parsed form of a bundled scenario (``fixtures/<name>.parsed.json``, see
:mod:`fake_meetings.bundled`) holds the same document as its YAML, and is what loading uses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fake_meetings import bundled, loading
from fake_meetings.domain import scenario
from fake_meetings.domain.scenario import load_file
from fake_meetings.domain.yamldoc import read_yaml
from fake_meetings.loading import fixtures_dir, load

CACHED = sorted(p for p in fixtures_dir().glob("*.yaml") if bundled.cache_path(p).is_file())
NOW = 1_717_243_200


def test_the_default_scenario_has_a_parsed_form() -> None:
    assert fixtures_dir() / "default.yaml" in CACHED


@pytest.mark.parametrize("path", CACHED, ids=lambda p: p.stem)
def test_the_parsed_form_is_the_yaml_document(path: Path) -> None:
    stored = json.loads(bundled.cache_path(path).read_text(encoding="utf-8"))
    raw = path.read_bytes()
    assert stored["yaml_sha256"] == bundled.digest(raw), (
        f"{bundled.cache_path(path).name} was made from another {path.name}: "
        f"run `python -m fake_meetings.bundled {path.stem}`"
    )
    assert stored["data"] == read_yaml(raw.decode("utf-8")).data
    assert bundled.cached_data(path) == stored["data"]


@pytest.mark.parametrize("path", CACHED, ids=lambda p: p.stem)
@pytest.mark.parametrize("now", [None, NOW])
def test_loading_the_parsed_form_gives_the_yaml_scenario(path: Path, now: int | None) -> None:
    from_yaml = load_file(path, now=now, wall_now=NOW)
    from_cache = loading._load_file(path, now, NOW)
    assert from_cache == from_yaml
    assert from_cache.source == str(path)


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
    assert bundled.cached_data(folder / "default.yaml") is None
    rooms = {s.room for s in load(["default"], now=NOW).sessions}
    assert "standup" in rooms


def test_write_makes_the_same_file(tmp_path: Path) -> None:
    """``python -m fake_meetings.bundled`` writes what is shipped, byte for byte."""
    source = fixtures_dir() / "default.yaml"
    copy = tmp_path / "default.yaml"
    shutil.copy2(source, copy)
    written = bundled.write(copy)
    assert written.read_bytes() == bundled.cache_path(source).read_bytes()
