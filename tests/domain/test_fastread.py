"""The fast reader (``scenario/fastread.py``) against the line-tracking one: whatever it reads, it
reads exactly as ``read_yaml`` does (types included), and it hands back (UNREAD) whatever it is
unsure of. Texts are drawn from fragments chosen for where YAML and JSON readings part ways."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.scenario.fastread import UNREAD, read_fast
from fake_meetings.scenario.yamldoc import YamlSyntaxError, read_yaml
from tests.helpers.strict import same

PLAIN = [
    "1", "0", "-5", "-0", "007", "0x1F", "0b11", "1_000", "+3", "1.5", "1e5", "1.5e+3", ".inf",
    "12345678901234567890123", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true",
    "True", "false", "2024-06-01", "2024-06-01T12:00:00Z", "2024-06-01 12:00:00",
    "2024-13-45T00:00:00Z", "12:30", "-2h", "+15m", "now", "abc", "a b", "a  b", "a:b", "a: b",
    "a #c", "a#b", "O'Brien", "é", "x,y", "[x]", "{x}", "&a x", "*a", "!!str 1", "|", "-",
    "- x", "?x", "%x", "@x", "=", "<<", "x:", "a\tb", "b\u2028c", "\u00a0", "a ",
]  # fmt: skip
QUOTED = [
    '"x"', '"a, b: c"', '"\\n"', '"é"', '""', "'it''s'", "'x'", '"\\u00e9"', '"\\ud83d\\ude00"',
    '"a\\"b"', '"{a: 1}"', '"#"', '"\\/"', '"\\x41"', '"tab\\there"', "'a, b: c'", '"\x7f"',
]  # fmt: skip
KEYS = ["a", "b", "room", "on", "y", "null", "1", "a b", "_x", "<<", '"q"', "k-1", "x.y", "True"]
KEYS += ["a", "b", "c", "d", "e", "f", "join_time", "user_name", "x1", "_y"] * 3
SEPARATORS = [", ", ",", " , ", ",  "]


def check(text: str) -> Any:
    """read_fast(text), which must be read_yaml's reading when it is not UNREAD."""
    fast = read_fast(text)
    if fast is not UNREAD:
        try:
            slow = read_yaml(text).data
        except YamlSyntaxError as exc:
            raise AssertionError(f"read fast, but YAML refuses it: {exc}\n{text}") from None
        assert same(fast, slow), (text, fast, slow)
    return fast


COMMON = ["1", "-2h", "abc", "null", "true", '"x y"', "2024-06-01T12:00:00Z", "1717243200", "a b"]
# the common forms drawn most of the time, so that many texts are read fast and compared
scalars = st.sampled_from(COMMON * 8 + PLAIN + QUOTED)


@st.composite
def flows(draw: st.DrawFn, depth: int = 0) -> str:
    if depth < 2 and draw(st.integers(0, 3)) == 0:
        inner = draw(st.lists(flows(depth + 1), max_size=3))
    else:
        inner = draw(st.lists(scalars, max_size=3))
    if draw(st.booleans()):  # a mapping
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=len(inner), max_size=len(inner)))
        gaps = st.sampled_from([" ", "  ", ""])
        inner = [f"{k}:{draw(gaps)}{v}" for k, v in zip(keys, inner, strict=True)]
        opening, closing = draw(st.sampled_from([("{", "}"), ("{ ", " }")]))
    else:
        opening, closing = "[", "]"
    return opening + draw(st.sampled_from(SEPARATORS)).join(inner) + closing


@st.composite
def blocks(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> list[str]:
    """Lines of a block mapping or sequence at ``indent``."""
    pad = " " * indent
    sequence = depth > 0 and draw(st.booleans())
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        head = f"{pad}- " if sequence else pad
        if sequence and draw(st.booleans()):
            head += f"{draw(st.sampled_from(KEYS))}:"
        elif not sequence:
            head += f"{draw(st.sampled_from(KEYS))}:"
        choice = draw(st.integers(0, 5))
        if choice == 0 and depth < 3 and head.endswith(":"):
            lines.append(head + draw(st.sampled_from(["", " # note", "  "])))
            step = draw(st.sampled_from([0, 2, 4])) if not sequence else 2
            lines += draw(blocks(indent + (step or 2) + (2 if sequence else 0), depth + 1))
        elif choice <= 2:
            lines.append(f"{head} {draw(flows())}{draw(st.sampled_from(['', ' ', ' # c']))}")
        else:
            lines.append(f"{head} {draw(scalars)}{draw(st.sampled_from(['', ' # c', '  ']))}")
            if sequence and head.endswith(":"):  # more keys of the item's mapping
                for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
                    lines.append(f"{pad}{draw(st.sampled_from(['  ', '   ']))}{key}: 1")
        if draw(st.integers(0, 6)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "   # indented comment"])))
    return lines


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(blocks())
def test_yaml_texts_read_fast_are_read_as_read_yaml_reads_them(lines: list[str]) -> None:
    check("\n".join(lines) + "\n")


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(flows(), min_size=1, max_size=30))
def test_many_flow_collections_read_together_or_one_by_one(items: list[str]) -> None:
    check("items:\n" + "".join(f"  - {item}\n" for item in items))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c" * 200, "é", ""]), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(json_values, st.sampled_from([None, 2]), st.booleans())
def test_json_texts(value: Any, indent: int | None, ascii_only: bool) -> None:
    data = {"top": value, "sessions": [value]}
    check(json.dumps(data, indent=indent, ensure_ascii=ascii_only))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # JSON keeps the last; YAML refuses
        '{"a" : 1}',
        '{"a"\n: 1}',
        '{"a": 1e5}',
        '{"a": "\\ud83d\\ude00"}',
        '{"a": "\x85"}',
        '{"a": "x:y", "a": 2}',
        '{"a": [' * 70 + "]" * 70 + "}",
        "a: 1\na: 2\n",
        "a: {b: 1, b: 2}\n",
        "- {b: 1}\n- {b: 1, b: 2}\n",
        "on: 1\n",
        "a: {on: 1}\n",
        "a: &x 1\nb: *x\n",
        "a: 1\n---\nb: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "a: [*x]\n",
        "a: {a: &x 1, b: *x}\n",  # read alone, each flow would get an alias budget of its own
        "",
        "# only a comment\n",
    ],
)
def test_texts_where_the_readings_part_ways_are_left_to_read_yaml(text: str) -> None:
    assert check(text) is UNREAD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: -2h\nb: 2024-06-01T12:00:00Z\n", None),
        ("s:\n- {a: 1, b: null, c: true}\n- []\n- {}\n", None),
        ("s:\n  - x: [{a: 1}]\n    y: 'q'\n", None),
        ("a: [1, 2]\nb: {c: {d: 1}}\n", {"a": [1, 2], "b": {"c": {"d": 1}}}),  # one by one
        ('{"now": 5, "sessions": []}', {"now": 5, "sessions": []}),
        ("a: 1\r\nb: 2\r\n", {"a": 1, "b": 2}),
    ],
)
def test_common_forms_are_read_fast(text: str, expected: Any) -> None:
    fast = check(text)
    assert fast is not UNREAD
    if expected is not None:
        assert same(fast, expected)


def test_one_odd_flow_among_many_is_read_alone_and_many_send_the_text_to_read_yaml() -> None:
    lines = [f"  - {{join_time: {1000 + i}, duration: 60}}\n" for i in range(300)]
    one_odd = [*lines[:150], "  - {join_time: -2h, duration: 60}\n", *lines[150:]]
    fast = check("sessions:\n" + "".join(one_odd))
    assert fast is not UNREAD and fast["sessions"][150] == {"join_time": "-2h", "duration": 60}
    many_odd = [line.replace("duration: 60", "duration: 1h") for line in lines]
    assert check("sessions:\n" + "".join(many_odd)) is UNREAD
