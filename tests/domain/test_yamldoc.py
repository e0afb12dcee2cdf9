"""The scenario YAML reader (``scenario/yamldoc.py``): the data ``yaml.safe_load`` gives, and the
line of every value, checked against expectations written by hand; and its cost with anchors."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
import yaml

from fake_meetings.scenario.yamldoc import Path, YamlSyntaxError, read_yaml


def read(text: str) -> tuple[Any, dict[Path, int]]:
    doc = read_yaml(text)
    assert doc.data == yaml.safe_load(text)
    return doc.data, doc.lines


def test_an_anchor_on_a_mapping_key_can_be_used_as_a_value() -> None:
    data, lines = read("&k a: 1\nb: *k\n")
    assert data == {"a": 1, "b": "a"}
    assert lines == {(): 1, ("a",): 1, ("b",): 2}


def test_an_explicitly_tagged_merge_key_merges() -> None:
    data, lines = read("a: &a {k: 1}\nx:\n  !!merge <<: *a\n  m: 2\n")
    assert data == {"a": {"k": 1}, "x": {"k": 1, "m": 2}}
    assert lines == {
        (): 1,
        ("a",): 1,
        ("a", "k"): 1,
        ("x",): 2,
        ("x", "k"): 1,
        ("x", "m"): 4,
    }


def test_keys_merged_from_a_list_get_their_lines_in_the_mapping() -> None:
    text = "a: &a\n  k: 1\nb: &b\n  j: 2\n  k: 3\nx:\n  <<: [*a, *b]\n  m: 4\n"
    data, lines = read(text)
    assert data["x"] == {"k": 1, "j": 2, "m": 4}
    assert {path: line for path, line in lines.items() if path[:1] == ("x",)} == {
        ("x",): 6,
        ("x", "k"): 2,  # the first mapping of the list wins, its line too
        ("x", "j"): 4,
        ("x", "m"): 8,
    }


def test_a_merged_list_named_by_an_alias_lands_in_the_mapping() -> None:
    data, lines = read("l: &l\n  - a: 1\n  - b: 2\nx:\n  <<: *l\n")
    assert data["x"] == {"a": 1, "b": 2}
    assert {path: line for path, line in lines.items() if path[:1] == ("x",)} == {
        ("x",): 4,
        ("x", "a"): 2,
        ("x", "b"): 3,
    }


def test_written_keys_win_over_merged_ones_with_their_lines() -> None:
    text = "base: &b\n  k: 1\n  j: {z: 2}\nx:\n  <<: *b\n  k: 9\n  j: {y: 3}\n"
    data, lines = read(text)
    assert data["x"] == {"k": 9, "j": {"y": 3}}
    assert lines[("x", "k")] == 6
    assert lines[("x", "j")] == 7
    assert lines[("x", "j", "y")] == 7


@pytest.mark.parametrize("tag", ["!!map", "!!seq", "!!set", "!!omap", "!!pairs"])
def test_collection_tags_on_a_scalar_are_refused(tag: str) -> None:
    with pytest.raises(YamlSyntaxError, match="is not allowed on a scalar") as info:
        read_yaml(f"a: 1\nb: {tag} foo\n")
    assert info.value.line == 2


def peak_bytes(text: str) -> int:
    tracemalloc.start()
    try:
        read_yaml(text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_nested_anchors_cost_about_what_the_same_body_costs_without_them() -> None:
    depth, inner = 60, "[" + ",".join(["1"] * 20_000) + "]"
    plain = "a: " + "[" * depth + inner + "]" * depth + "\n"
    anchored = "a: " + "".join(f"&a{i} [" for i in range(depth)) + inner + "]" * depth + "\n"
    assert peak_bytes(anchored) < 1.5 * peak_bytes(plain)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("sessions:\n\t- id: x\n", 2, 1),  # PyYAML: "cannot start any token"
        ("a:\n  b: 1\n\tc: 2\n", 3, 1),  # PyYAML: "a tab character that violates indentation"
        ("sessions:\n  - id: x\n    \troom: y\n", 3, 5),
    ],
)
def test_a_tab_is_named_as_a_tab_with_its_line_column_and_fix(
    text: str, line: int, column: int
) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml(text)
    assert caught.value.line == line
    assert f"a tab character at column {column}" in str(caught.value)
    assert "replace the tab with spaces" in str(caught.value)


def test_other_syntax_errors_do_not_mention_tabs() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        read_yaml("a: [1\n")
    assert "tab" not in str(caught.value)
