"""Loading a scenario the fast way (``load_text``: fastread + quick sessions, the line reader
only on a problem) gives what the line-tracking reader and the checker alone give: the same
Scenario, or the same problems (file, line, path, message), for drawn and generated files."""

from __future__ import annotations

import io
import json
from typing import Any
from unittest.mock import patch

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.rooms import Room, derived_id
from fake_meetings.scenario.dump import dump_scenario, session_data
from fake_meetings.scenario.scenario import Scenario, ScenarioError, build, load_text
from fake_meetings.scenario.yamldoc import YamlSyntaxError, read_yaml

NOW = 1717243200
Outcome = Scenario | list[tuple[Any, ...]]


def problems(exc: ScenarioError) -> list[tuple[Any, ...]]:
    return [(p.source, p.line, p.path, p.message) for p in exc.problems]


def reference(text: str, source: str, wall_now: int) -> Outcome:
    """As before the fast path: read_yaml, then the checker for every session."""
    with patch("fake_meetings.scenario.scenario.quick_session", lambda *args: None):
        try:
            doc = read_yaml(text)
        except YamlSyntaxError as exc:
            return [(source, exc.line, (), str(exc))]
        try:
            return build(doc, source, now=None, wall_now=wall_now)
        except ScenarioError as exc:
            return problems(exc)


def fast(text: str, source: str, wall_now: int) -> Outcome:
    try:
        return load_text(text, source, wall_now=wall_now)
    except ScenarioError as exc:
        return problems(exc)


def assert_alike(text: str, source: str = "s.yaml", wall_now: int = NOW) -> Outcome:
    got = fast(text, source, wall_now)
    assert got == reference(text, source, wall_now), text
    return got


# --- generated files (what `fake-meetings generate` writes), as YAML and as JSON


def as_json(scenario: Scenario, now: int, indent: int | None) -> str:
    data = {"now": now, "sessions": [session_data(s, now) for s in scenario.sessions]}
    return json.dumps(data, indent=indent, ensure_ascii=indent is None)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 25), st.booleans(), st.integers(0, 3))
def test_generated_files_load_alike(seed: int, count: int, ahead: bool, rooms: int) -> None:
    sessions = generate(GenerateSpec(sessions=count, seed=seed, rooms=3, ahead=7200 * ahead), NOW)
    declared = [
        Room(derived_id(f"room-{i}", NOW - 10), f"room-{i}", i % 2 == 0, "private", NOW - 10, {})
        for i in range(rooms)
    ]
    out = io.StringIO()
    dump_scenario(sessions, out, now=NOW, rooms=declared)
    loaded = assert_alike(out.getvalue())
    assert isinstance(loaded, Scenario) and len(loaded.sessions) == count
    for indent in (None, 2):
        assert assert_alike(as_json(loaded, NOW, indent), "s.json") == Scenario(
            loaded.sessions, NOW, "s.json"
        )


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.integers(0, 1000), st.data())
def test_a_generated_file_with_a_mistake_reports_the_same_problems(seed: int, data: Any) -> None:
    out = io.StringIO()
    dump_scenario(generate(GenerateSpec(sessions=4, seed=seed), NOW), out, now=NOW)
    lines = out.getvalue().splitlines()
    i = data.draw(st.integers(0, len(lines) - 1))
    line = lines[i]
    change = data.draw(st.sampled_from(["value", "double", "drop", "indent", "swap"]))
    if change == "value" and ": " in line:
        bad = data.draw(st.sampled_from(["nonsense", "-1", "null", "[]", "{}", "1.5", "yes"]))
        lines[i] = line[: line.rindex(": ") + 2] + bad
    elif change == "double":
        lines.insert(i, line)
    elif change == "drop":
        del lines[i]
    elif change == "indent":
        lines[i] = " " + line
    elif i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], line
    assert_alike("\n".join(lines) + "\n")


# --- drawn scenarios, written as block YAML, flow YAML (PyYAML's emitter) and JSON


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``good`` 29 times in 30: most drawn scenarios load, the rest have a problem or two."""
    return st.sampled_from([good] * 29 + [bad]).flatmap(lambda chosen: chosen)


def one_in(n: int) -> st.SearchStrategy[bool]:
    return st.sampled_from([False] * (n - 1) + [True])


times = mostly(
    st.integers(0, 5000) | st.sampled_from(["-2h", "now", "+15m", "2024-06-01T10:00:00Z", "1000"]),
    st.sampled_from(["bad", "", None, -5, True, 1.5, 2**60]),
)
ids = mostly(st.none() | st.uuids().map(str), st.sampled_from(["s1", "p1", "a b", "", 5]))
texts = mostly(st.none() | st.sampled_from(["Alice", "", "-2h", "yes", "null"]), st.just(3))


@st.composite
def participants(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"join_time": draw(times)}
    for key, values in (
        ("participant_id", ids),
        ("duration", mostly(st.integers(0, 3000) | st.just(None), st.sampled_from([-5, "x"]))),
        ("user_id", texts),
        ("user_name", texts),
        ("rooom", st.just(1)),
    ):
        if draw(one_in(3 if key != "rooom" else 60)):
            out[key] = draw(values)
    if draw(one_in(100)):
        del out["join_time"]
    return out


@st.composite
def sessions(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"room": draw(mostly(st.sampled_from(["standup", "r"]), st.just(7)))}
    out["start_time"] = draw(mostly(st.integers(0, 1000) | st.just("-2h"), times))
    for key, values in (
        ("id", ids),
        ("ongoing", st.sampled_from([True, False, None, "yes"])),
        ("duration", st.one_of(st.integers(0, 4000), st.sampled_from([None, -1]))),
        ("max_participants", st.sampled_from([1, 2, 3, 0, None])),
    ):
        if draw(one_in(12)):
            out[key] = draw(values)
    out["participants"] = draw(
        st.lists(participants(), min_size=draw(mostly(st.just(1), st.just(0))), max_size=4)
    )
    return out


scenarios = st.fixed_dictionaries(
    {"sessions": st.lists(sessions(), max_size=3)},
    optional={"now": mostly(st.sampled_from([60_000, "2024-06-01T12:00:00Z"]), st.just("bad"))},
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(scenarios, st.sampled_from(["block", "flow", "json", "json2"]))
def test_drawn_scenarios_load_alike(data: dict[str, Any], style: str) -> None:
    if style.startswith("json"):
        text = json.dumps(data, indent=2 if style == "json2" else None)
    else:
        text = yaml.safe_dump(data, default_flow_style=None if style == "flow" else False)
    assert_alike(text, "s.json" if style.startswith("json") else "s.yaml", wall_now=90_000)


GOOD = (
    "  - room: a\n    start_time: 1000\n    participants:\n"
    "      - {join_time: 1000, duration: 60}\n"
)


@pytest.mark.parametrize(
    "text",
    [
        "sessions:\n" + GOOD.replace("duration: 60", 'duration: "long"'),
        "sessions:\n" + GOOD + "  - room: b\n    participants: [{join_time: 1000}]\n",
        "sessions:\n" + GOOD + "    rooom: typo\n",
        "sessions:\n" + GOOD.replace("  - room", "  - id: same\n    room") * 2,
        "sessions:\n"
        + GOOD.replace("{join_time", "{participant_id: p, join_time") * 1
        + "      - {participant_id: p, join_time: 1010, duration: 60}\n",
        "sessions:\n" + GOOD.replace("duration: 60", "duration: -5"),
        "sessions:\n" + GOOD + "    duration: 100\n",
        "sessions:\n" + GOOD + "    ongoing: true\n",
        "sessions:\n" + GOOD + "    max_participants: 4\n",
        "now: 5000\nsessions:\n" + GOOD.replace("1000", "+1h") + "    duration: 60\n",
        "sessions:\n" + GOOD.replace("      - {join_time: 1000, duration: 60}\n", "      []\n"),
        "sessions:\n" + GOOD.replace("start_time: 1000", "start_time: 2024-13-45T00:00:00Z"),
        "sessions:\n" + GOOD.replace("start_time: 1000", "start_time: yesterday"),
        "sessions:\n" + GOOD.replace("start_time: 1000", "start_time: 1000\n    start_time: 2"),
        "sessions:\n  - room: a\n    start_time: [1000\n",
        "sessions: !!python/object/apply:os.system ['echo pwned']\n",
        "",
        "- 1\n- 2\n",
        "now: 5\n",
        "sessions:\n  - &first {id: f, room: r, start_time: 1000, participants: "
        "[{join_time: 1000, duration: 60}]}\n  - <<: *first\n    id: g\n    start_time: x\n",
        '{"sessions": [{"room": "", "start_time": 1000, "participants": []}]}',
        '{"sessions": [], "sessions": []}',
        "rooms:\n  - {name: 'a b'}\n  - {name: r, privacy: secret}\n",
        "webhook: {url: 'not a url'}\nsessions: []\n",
        "generate: {sessions: -1}\n",
    ],
)
def test_invalid_files_report_the_same_problems(text: str) -> None:
    assert isinstance(assert_alike(text), list)
