"""``webhooks.jsjson.stringify`` against the real ``JSON.stringify`` of node.

Every value hypothesis makes is sent to one node process (the ``js_stringify`` fixture of
``conftest.py``) and the bytes must be equal. The values are JSON-shaped: nested objects and
arrays; text with non-ASCII, controls, U+2028/U+2029, quotes, backslashes, lone surrogates and
surrogate pairs given as two code points; integers in JavaScript's safe range (beyond it a
JavaScript number is not the same integer); floats of every magnitude, integral ones, negative
zero, subnormals; booleans and null.

Object keys that are array indexes in JavaScript (``"0"``, ``"42"``: canonical integers below
2**32 - 1) are generated too, often: JavaScript orders them first, whatever the insertion
order; ``test_array_index_keys_...`` below shows that case alone.

The literal cases are also checked against node where the value can travel as JSON (NaN and the
infinities cannot: ``JSON.stringify`` writes them as ``null``, a rule of ECMA-262 §25.5.2.2).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.webhooks.jsjson import stringify

JsStringify = Callable[[object], bytes]  # the js_stringify fixture of conftest.py

SAFE = 2**53 - 1

SPECIAL_CHARS = [
    "\x00", "\x01", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1f", "\x7f", '"', "\\", "/",
    "\u2028", "\u2029", "\ufeff", "\uffff", "é", "€", "\U0001f600",
    "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00",  # lone halves, or pairs
]  # fmt: skip

chars = st.one_of(
    st.characters(),  # any code point but a surrogate
    st.characters(max_codepoint=0x1F),
    st.sampled_from(SPECIAL_CHARS),
)
# lists of characters joined, not st.text: its alphabet would seldom give the surrogates


def texts(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(chars, max_size=max_size).map("".join)


def is_array_index(key: str) -> bool:
    """ECMA-262: a canonical numeric string of an integer in [0, 2**32 - 2]."""
    return re.fullmatch(r"0|[1-9][0-9]*", key) is not None and int(key) < 2**32 - 1


keys = st.one_of(texts(10), st.integers(0, 2**32).map(str), st.sampled_from(["0", "01", "-1"]))

TRICKY_FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e-6, 1e-7, 1.5e-7, 9.999999e-7, 1e20, 1e21, 1e22,
    123456789012345680000.0, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
    2.0**53, 2.0**53 + 2, 1700000000.123, 1700000000.5, 1e16, 1.2345e-5, 100.0, 1e300,
]  # fmt: skip

floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(TRICKY_FLOATS),
    st.integers(-(10**25), 10**25).map(float),  # integral values on both sides of 1e21
    st.floats(min_value=1e-9, max_value=1e-4),  # around the 1e-6 switch to exponents
    st.floats(min_value=1e19, max_value=1e23),  # around the 1e21 switch
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-SAFE, SAFE), floats, texts(10))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.slow
@settings(derandomize=True, deadline=None, max_examples=300)
@given(json_values)
def test_stringify_is_byte_identical_to_javascript(
    js_stringify: JsStringify, value: object
) -> None:
    assert stringify(value) == js_stringify(value)


@settings(derandomize=True, deadline=None, max_examples=300)
@given(floats)
def test_numbers_are_written_as_javascript_writes_them(js_stringify: JsStringify, x: float) -> None:
    assert stringify(x) == js_stringify(x)
    assert stringify([x, -x]) == js_stringify([x, -x])


@settings(derandomize=True, deadline=None, max_examples=200)
@given(texts(30))
def test_strings_are_written_as_javascript_writes_them(
    js_stringify: JsStringify, text: str
) -> None:
    assert stringify(text) == js_stringify(text)
    assert stringify({text: text}) == js_stringify({text: text})


LITERALS: list[tuple[object, bytes]] = [
    (1.0, b"1"),
    (-3.0, b"-3"),
    (1e21, b"1e+21"),
    (1e20, b"100000000000000000000"),
    (1.5e-7, b"1.5e-7"),
    (1e-6, b"0.000001"),
    (1e-7, b"1e-7"),
    (-0.0, b"0"),
    (0.1, b"0.1"),
    (1700000000.123, b"1700000000.123"),
    (5e-324, b"5e-324"),
    (1.7976931348623157e308, b"1.7976931348623157e+308"),
    (2**53 - 1, b"9007199254740991"),
    ("é", '"é"'.encode()),
    ("\u2028", b'"\xe2\x80\xa8"'),
    ("\x01", b'"\\u0001"'),
    ("\x1f\x7f", b'"\\u001f\x7f"'),
    ("\b\t\n\f\r", b'"\\b\\t\\n\\f\\r"'),
    ('a"b\\c/d', b'"a\\"b\\\\c/d"'),
    ("\ud800", b'"\\ud800"'),
    ("x\udfffy", b'"x\\udfffy"'),
    ("\ude00\ud83d", b'"\\ude00\\ud83d"'),  # low then high: two lone halves
    ("\ud83d\ude00", '"\U0001f600"'.encode()),  # a pair as two code points: the character
    ("\U0001f600", '"\U0001f600"'.encode()),
    (True, b"true"),
    (None, b"null"),
    ([], b"[]"),
    ({}, b"{}"),
    ((1, "a"), b'[1,"a"]'),
    ({"b": [1, {"a": None}], "a": 0.5}, b'{"b":[1,{"a":null}],"a":0.5}'),
    ({"é": "\u2029"}, '{"é":"\u2029"}'.encode()),
]


# an object with array-index keys (see the last test)
ARRAY_INDEX_KEYS = {"b": 1, "1": 2, "01": 3, "4294967295": 4, "4294967294": 5, "0": 6}
ARRAY_INDEX_KEYS_JS = b'{"0":6,"1":2,"4294967294":5,"b":1,"01":3,"4294967295":4}'
JS_ANSWERS = [*LITERALS, (ARRAY_INDEX_KEYS, ARRAY_INDEX_KEYS_JS)]


@pytest.mark.parametrize(("value", "expected"), LITERALS, ids=[repr(v) for v, _ in LITERALS])
def test_literal_cases(value: object, expected: bytes) -> None:
    assert stringify(value) == expected


@pytest.mark.parametrize(("value", "expected"), JS_ANSWERS, ids=[repr(v) for v, _ in JS_ANSWERS])
def test_the_literals_are_what_javascript_writes(
    js_stringify: JsStringify, value: object, expected: bytes
) -> None:
    assert js_stringify(value) == expected


@pytest.mark.parametrize("x", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_null(x: float) -> None:
    assert stringify(x) == b"null"
    assert stringify({"x": x, "y": [x]}) == b'{"x":null,"y":[null]}'


def test_not_json_values_are_refused() -> None:
    with pytest.raises(TypeError):
        stringify({"a": {1, 2}})
    with pytest.raises(TypeError):
        stringify(object())


def test_array_index_keys_are_written_first_as_javascript_orders_them() -> None:
    """An object whose keys include array indexes (canonical integers below 2**32 - 1):
    JavaScript writes those keys first, in ascending numeric order, then the others in
    insertion order (ECMA-262 OrdinaryOwnPropertyKeys), so ``JSON.stringify`` of an object with
    these keys, or of ``JSON.parse`` of a body holding one, puts them first. Node agrees:
    ``test_the_literals_are_what_javascript_writes`` checks ``ARRAY_INDEX_KEYS_JS``."""
    assert stringify(ARRAY_INDEX_KEYS) == ARRAY_INDEX_KEYS_JS
