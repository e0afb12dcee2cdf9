"""``webhooks.signing.headers`` checked the ways receivers check it (contract §13).

The rule: ``X-Webhook-Signature`` = base64(HMAC-SHA256(key, f"{timestamp}." + body)), with
``X-Webhook-Timestamp`` = the timestamp and, with basic auth, ``Authorization: Basic`` +
base64 of ``user:password``. It is recomputed here with the standard library, and on two
literal vectors computed with ``openssl dgst -sha256 -mac HMAC``.

A receiver either hashes the raw body (reflector), or parses it and hashes ``JSON.stringify``
of the result (cal.com): the second verifies only when the body is what ``JSON.stringify``
makes of itself, which node checks on envelopes with non-ASCII names and fractional
``event_ts`` values.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.events import JOINED, LEFT, Event
from fake_meetings.domain.model import Participant, Session
from fake_meetings.webhooks.jsjson import stringify
from fake_meetings.webhooks.signing import headers

JsStringify = Callable[[object], bytes]  # the js_stringify fixture of conftest.py
T = 1_700_000_000
KEY = bytes(range(32))  # base64: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=


def expected_signature(key: bytes, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def test_openssl_vectors() -> None:
    """``printf '%s' '<timestamp>.<body>' | openssl dgst -sha256 -mac HMAC -macopt
    hexkey:000102...1f -binary | base64``."""
    probe = headers(KEY, T, b'{"test":"test"}', None)
    assert probe == {
        "Content-Type": "application/json",
        "X-Webhook-Signature": "CIooXkmu/ZD0bIzD7+syv8JMam2q89pre6sYq+B/N8s=",
        "X-Webhook-Timestamp": "1700000000",
    }
    body = '{"user_name":"Zoë","event_ts":1700000001.25}'.encode()
    signed = headers(KEY, T + 1, body, "Zoë:pä$$:w")
    assert signed == {
        "Content-Type": "application/json",
        "X-Webhook-Signature": "gxB4zil7KZEDPBKdE/+MD7gI51VisR3qMqJiN0/qZjw=",
        "X-Webhook-Timestamp": "1700000001",
        "Authorization": "Basic Wm/Dqzpww6QkJDp3",  # printf '%s' 'Zoë:pä$$:w' | base64
    }


@settings(derandomize=True, deadline=None, max_examples=200)
@given(
    st.binary(min_size=1, max_size=64),
    st.integers(0, 2**34),
    st.binary(max_size=300),
    st.none() | st.text(max_size=40),
)
def test_headers_follow_the_rule(
    key: bytes, timestamp: int, body: bytes, basic_auth: str | None
) -> None:
    got = headers(key, timestamp, body, basic_auth)
    names = ["Content-Type", "X-Webhook-Signature", "X-Webhook-Timestamp"]
    assert sorted(got) == sorted(names if basic_auth is None else [*names, "Authorization"])
    assert got["Content-Type"] == "application/json"
    assert got["X-Webhook-Timestamp"] == str(timestamp)
    assert got["X-Webhook-Signature"] == expected_signature(key, timestamp, body)
    if basic_auth is not None:
        scheme, _, credentials = got["Authorization"].partition(" ")
        assert scheme == "Basic"
        assert base64.b64decode(credentials, validate=True).decode("utf-8") == basic_auth


@settings(derandomize=True, deadline=None, max_examples=100)
@given(st.binary(min_size=1, max_size=64), st.integers(0, 2**34), st.binary(max_size=100))
def test_another_key_timestamp_or_body_does_not_verify(
    key: bytes, timestamp: int, body: bytes
) -> None:
    signature = headers(key, timestamp, body, None)["X-Webhook-Signature"]
    other_key = bytes([key[0] ^ 1]) + key[1:]  # not key + b"\0": HMAC pads keys with zeros
    assert signature != expected_signature(other_key, timestamp, body)
    assert signature != expected_signature(key, timestamp + 1, body)
    assert signature != expected_signature(key, timestamp, body + b" ")


names = st.lists(  # not st.text: its alphabet would seldom give the sampled characters
    st.characters() | st.sampled_from(["é", "ß", "中", "\u2028", '"', "\\", "\n"]), max_size=12
).map("".join)
fractions = st.one_of(
    st.integers(0, 999).map(lambda ms: T + ms / 1000),
    st.floats(min_value=T, max_value=T + 10**6, allow_nan=False),
)


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, object]:
    """A participant event as the desk builds it, with a fractional ``event_ts`` as Daily's."""
    join = T + draw(st.integers(0, 100))
    duration = draw(st.integers(0, 100))
    stay = Participant(
        draw(st.sampled_from(["p-1", "9f1c-é"])),
        draw(st.none() | names),
        draw(st.none() | names),
        join,
        duration,
        draw(st.booleans()),
    )
    session = Session.of("m-1", draw(st.sampled_from(["room", "salle-été"])), T, [stay])
    kind = draw(st.sampled_from([JOINED, LEFT]))
    envelope = Event(join if kind == JOINED else join + duration, kind, session, stay).envelope()
    envelope["event_ts"] = draw(fractions)
    return envelope


@settings(derandomize=True, deadline=None, max_examples=150)
@given(envelopes(), st.binary(min_size=1, max_size=32), st.integers(T, T + 10**6))
def test_receivers_verify_raw_and_re_serialised_bodies(
    js_stringify: JsStringify, envelope: dict[str, object], key: bytes, timestamp: int
) -> None:
    body = stringify(envelope)
    signature = headers(key, timestamp, body, None)["X-Webhook-Signature"]
    # hashing the raw bytes
    assert hmac.compare_digest(signature, expected_signature(key, timestamp, body))
    # parsing, then hashing JSON.stringify of what was parsed
    parsed = json.loads(body)
    assert parsed == envelope
    again = js_stringify(parsed)
    assert again == body
    assert hmac.compare_digest(signature, expected_signature(key, timestamp, again))


def test_a_python_style_re_serialisation_would_not_verify() -> None:
    """Why the bytes matter: ``json.dumps`` spaces, escapes and writes ``.0``; a receiver that
    re-serialises that way does not get the signed bytes back."""
    stay = Participant("p-1", None, "Zoë", T, 2)
    envelope = Event(T + 2, LEFT, Session.of("m-1", "r", T, [stay]), stay).envelope()
    envelope["event_ts"] = float(T + 2)
    body = stringify(envelope)
    assert b'"user_name":"Zo\xc3\xab"' in body and body.endswith(b'"event_ts":1700000002}')
    assert json.dumps(json.loads(body)).encode() != body
