"""The pure parts of ``fake-meetings verify``: the JSON differences by path (lists of records
matched by id), the ``--ignore`` file's entries, patterns and expiry, and the bounds of the
question mix on a large capture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.world import World
from fake_meetings.verify.bounds import MAX_WALK_PAGES
from fake_meetings.verify.ignores import IgnoreFileError, load_ignores
from fake_meetings.verify.jsondiff import ABSENT, differences, value_at
from fake_meetings.verify.mix import build_mix
from fake_meetings.verify.view import CaptureView
from tests.helpers.constants import NOW


def diffs(a: Any, b: Any) -> list[tuple[str, Any, Any]]:
    return list(differences(a, b))


def test_values_keys_and_types_differ_at_their_paths() -> None:
    a = {"total_count": 2, "info": "x", "only-here": 1, "n": 1}
    b = {"total_count": 3, "info": "x", "n": 1.0, "extra": None}
    assert diffs(a, b) == [
        ("$.total_count", 2, 3),
        ('$["only-here"]', 1, ABSENT),
        ("$.n", 1, 1.0),
        ("$.extra", ABSENT, None),
    ]
    assert diffs([1, 2], [1]) == [("$[1]", 2, ABSENT)]
    assert diffs({"a": True}, {"a": 1}) == [("$.a", True, 1)]


def test_records_are_matched_by_id() -> None:
    a = {"data": [{"id": "x", "d": 1}, {"id": "y", "d": 2}, {"id": "z", "d": 3}]}
    b = {"data": [{"id": "x", "d": 1}, {"id": "z", "d": 4}, {"id": "y", "d": 2}]}
    # the order parts at index 1; then y and z are compared with themselves
    assert diffs(a, b) == [("$.data[1].id", "y", "z"), ("$.data[2].d", 3, 4)]
    people = [{"participant_id": "p1", "duration": 5}]
    assert diffs(people, [{"participant_id": "p1", "duration": 6}]) == [("$[0].duration", 5, 6)]
    assert diffs({"data": [{"id": "x"}]}, {"data": []}) == [("$.data[0]", {"id": "x"}, ABSENT)]
    assert diffs(a, {"data": a["data"][:2]}) == [("$.data[2].id", "z", ABSENT)]


@pytest.mark.parametrize(
    "body",
    [
        {"data": [{"id": "x", "participants": [{"participant_id": "p", "duration": 1}]}]},
        {"room-1": [{"id": "p", "userName": "Ann"}], "a.b": {"c": [1, 2]}},
    ],
)
def test_every_path_of_a_difference_reads_back_its_value(body: Any) -> None:
    for path, value, other in differences(body, {}):
        assert value_at(body, path) == value and other is ABSENT
    assert value_at(body, "$.nowhere[3]") is ABSENT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ignore.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_ignore_entries_match_paths_with_wildcards_until_they_expire(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "- {path: '$.data[*].duration', reason: clocks, expires: 2030-01-01}\n"
        "- {path: $.info, request: '/rooms*', reason: words, expires: '2020-01-01'}\n"
        '- {"path": "$.x", "reason": "json too", "expires": "2031-05-01"}\n',
    )
    ignores = load_ignores(path, dt.date(2025, 1, 1))
    assert [e.reason for e in ignores.active] == ["clocks", "json too"]
    assert [e.reason for e in ignores.expired] == ["words"]
    assert ignores.match("/meetings", "$.data[12].duration") is not None
    assert ignores.match("/meetings", "$.data[12].participants[0].duration") is None
    assert ignores.match("/rooms?limit=abc", "$.info") is None  # expired
    assert load_ignores(path, dt.date(2030, 1, 1)).match("/m", "$.data[0].duration") is None
    assert load_ignores(None, dt.date(2025, 1, 1)).active == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{path: $.a}", "expected a list"),
        ("- {path: a, reason: r, expires: 2030-01-01}", "JSON path starting with $"),
        ("- {path: $.a, expires: 2030-01-01}", "give a reason"),
        ("- {path: $.a, reason: r, expires: soon}", "expires must be a date"),
        ("- {path: $.a, reason: r, expires: 2030-01-01, owner: me}", "unknown key(s) owner"),
        ("- [unclosed", "not YAML or JSON"),
    ],
)
def test_a_bad_ignore_file_says_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(IgnoreFileError) as caught:
        load_ignores(write(tmp_path, text), dt.date(2025, 1, 1))
    assert message in str(caught.value)


def test_the_mix_is_bounded_on_a_large_capture() -> None:
    sessions = [
        Session.of(
            f"s-{i:05d}",
            f"room-{i % 50}",
            NOW - 60 * i,
            [Participant(f"p-{i}-{j}", None, None, NOW - 60 * i, 30) for j in range(i % 4 + 1)],
        )
        for i in range(1, 20_001)
    ]
    world = World(sessions, Clock(NOW))
    mix = build_mix(CaptureView(sessions, world, NOW))
    assert 300 < len(mix) < 1_500
    assert sum(q.walk for q in mix) == MAX_WALK_PAGES
    assert all(
        q.kind in ("meetings", "session", "participants", "rooms", "room", "presence", "domain")
        for q in mix
    )
