"""The bodies of ``POST /webhooks`` and ``POST /webhooks/:uuid`` (``webhooks/config.py``,
contract §13): a bad field is a 400 ``invalid-request-error`` whose info starts with the
field's name; a good body gives Daily's camelCase object with the documented defaults
(``retryType`` circuit-breaker, ``state`` ACTIVE, ``failedCount`` 0, every event when
``eventTypes`` is absent or empty, a generated ``hmac`` of 32 random bytes).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.webhook import FAILED, Webhook, created, updated
from fake_meetings.errors import ApiError

NOW = 1_700_000_000  # 2023-11-14T22:13:20Z
LATER = NOW + 3_600
UUID = "2d3c4f7e-0000-4000-8000-00000000000a"
DOMAIN = "7f0e1a2b-0000-4000-8000-00000000000d"
URL = "https://example.com/hooks"
KEY_B64 = base64.b64encode(bytes(range(32))).decode()

BAD: list[tuple[str, dict[str, Any]]] = [
    ("url", {}),
    ("url", {"url": None}),
    ("url", {"url": ""}),
    ("url", {"url": 42}),
    ("url", {"url": ["http://example.com"]}),
    ("url", {"url": "ftp://example.com/hooks"}),
    ("url", {"url": "example.com/hooks"}),
    ("url", {"url": "/hooks"}),
    ("url", {"url": "http://"}),
    ("url", {"url": "http://example.com:0/"}),
    ("url", {"url": "http://example.com:99999/"}),
    ("url", {"url": "http://[::1/hooks"}),
    ("url", {"url": "https://example.com/" + "a" * 2029}),  # 2,049 characters
    ("hmac", {"url": URL, "hmac": ""}),
    ("hmac", {"url": URL, "hmac": "not base64!"}),
    ("hmac", {"url": URL, "hmac": "YQ"}),  # no padding
    ("hmac", {"url": URL, "hmac": "YQ==\n"}),
    ("hmac", {"url": URL, "hmac": 12345}),
    ("hmac", {"url": URL, "hmac": "A" * 1028}),  # base64, but longer than 1,024
    ("eventTypes", {"url": URL, "eventTypes": ["meeting.begun"]}),
    ("eventTypes", {"url": URL, "eventTypes": ["meeting.started", "Meeting.Ended"]}),
    ("eventTypes", {"url": URL, "eventTypes": "meeting.started"}),
    ("eventTypes", {"url": URL, "eventTypes": [7]}),
    ("eventTypes", {"url": URL, "eventTypes": {"meeting.started": True}}),
    ("retryType", {"url": URL, "retryType": "linear"}),
    ("retryType", {"url": URL, "retryType": ""}),
    ("retryType", {"url": URL, "retryType": 1}),
    ("retryType", {"url": URL, "retryType": ["exponential"]}),
    ("basicAuth", {"url": URL, "basicAuth": 5}),
    ("basicAuth", {"url": URL, "basicAuth": ["user:password"]}),
    ("basicAuth", {"url": URL, "basicAuth": {"user": "password"}}),
    ("basicAuth", {"url": URL, "basicAuth": "user:pass\nword"}),
    ("basicAuth", {"url": URL, "basicAuth": "u" * 1025}),
]


def hook(**changes: Any) -> Webhook:
    fields: dict[str, Any] = {
        "uuid": UUID,
        "url": URL,
        "hmac": KEY_B64,
        "basic_auth": None,
        "retry_type": "circuit-breaker",
        "event_types": (),
        "state": "ACTIVE",
        "failed_count": 0,
        "last_moment_pushed": None,
        "domain_id": DOMAIN,
        "created_at": NOW,
        "updated_at": NOW,
    }
    return Webhook(**{**fields, **changes})


def assert_bad(field: str, call: Callable[[], object]) -> None:
    with pytest.raises(ApiError) as raised:
        call()
    assert raised.value.status == 400
    assert raised.value.error == "invalid-request-error"
    assert raised.value.info.startswith(f"{field}:"), raised.value.info


@pytest.mark.parametrize(("field", "body"), BAD, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD)])
def test_a_bad_create_body_is_a_400_naming_the_field(field: str, body: dict[str, Any]) -> None:
    assert_bad(field, lambda: created(body, UUID, DOMAIN, NOW))


@pytest.mark.parametrize(
    ("field", "body"), BAD[1:], ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD[1:])]
)
def test_a_bad_update_body_is_a_400_naming_the_field(field: str, body: dict[str, Any]) -> None:
    if field != "url":
        body = {k: v for k, v in body.items() if k != "url"}  # an update may leave url out
    assert_bad(field, lambda: updated(hook(), body, LATER))


def test_the_least_body_gets_the_defaults_and_a_generated_key() -> None:
    got = created({"url": URL}, UUID, DOMAIN, NOW).as_json()
    key = base64.b64decode(got["hmac"], validate=True)
    assert len(key) == 32
    assert list(got.items()) == [
        ("uuid", UUID),
        ("url", URL),
        ("hmac", got["hmac"]),  # checked above: base64 of 32 bytes
        ("basicAuth", None),
        ("retryType", "circuit-breaker"),
        ("eventTypes", []),
        ("state", "ACTIVE"),
        ("failedCount", 0),
        ("lastMomentPushed", None),
        ("domainId", DOMAIN),
        ("createdAt", "2023-11-14T22:13:20.000Z"),
        ("updatedAt", "2023-11-14T22:13:20.000Z"),
    ]
    other = created({"url": URL, "hmac": None, "eventTypes": None}, UUID, DOMAIN, NOW)
    assert other.hmac != got["hmac"]  # random, not fixed
    assert len(other.key) == 32 and other.event_types == ()


def test_a_full_body_is_kept() -> None:
    body = {
        "url": "http://127.0.0.1:9000/hooks?x=1",
        "hmac": KEY_B64,
        "basicAuth": "user:pässword",
        "retryType": "exponential",
        "eventTypes": ["participant.left", "meeting.ended", "recording.started"],
    }
    made = created(body, UUID, DOMAIN, NOW)
    assert made.as_json() == {
        "uuid": UUID,
        "url": "http://127.0.0.1:9000/hooks?x=1",
        "hmac": KEY_B64,
        "basicAuth": "user:pässword",
        "retryType": "exponential",
        "eventTypes": ["participant.left", "meeting.ended", "recording.started"],
        "state": "ACTIVE",
        "failedCount": 0,
        "lastMomentPushed": None,
        "domainId": DOMAIN,
        "createdAt": "2023-11-14T22:13:20.000Z",
        "updatedAt": "2023-11-14T22:13:20.000Z",
    }
    assert made.key == bytes(range(32))
    assert made.wants("meeting.ended") and not made.wants("meeting.started")
    assert created({"url": URL, "eventTypes": []}, UUID, DOMAIN, NOW).wants("meeting.started")


@pytest.mark.parametrize(
    "body",
    [
        {"url": "https://example.com/" + "a" * 2028},  # 2,048 characters
        {"url": URL, "hmac": "A" * 1024},
        {"url": URL, "hmac": "YQ=="},  # one byte
        {"url": URL, "basicAuth": "u" * 1024},
        {"url": "http://localhost:1/"},
        {"url": "HTTPS://Example.COM"},
    ],
    ids=["url-2048", "hmac-1024", "hmac-1-byte", "basicAuth-1024", "port-1", "upper-case"],
)
def test_bodies_at_the_limits_are_accepted(body: dict[str, Any]) -> None:
    got = created(body, UUID, DOMAIN, NOW).as_json()
    assert got["url"] == body["url"]
    assert (got["hmac"], got["basicAuth"]) == (
        body.get("hmac", got["hmac"]),
        body.get("basicAuth"),
    )


def test_an_update_changes_what_is_given_and_reactivates() -> None:
    failed = hook(
        basic_auth="a:b",
        event_types=("meeting.ended",),
        state=FAILED,
        failed_count=3,
        last_moment_pushed=NOW + 60,
    )
    same = updated(failed, {}, LATER).as_json()
    assert same == {
        "uuid": UUID,
        "url": URL,
        "hmac": KEY_B64,
        "basicAuth": "a:b",
        "retryType": "circuit-breaker",
        "eventTypes": ["meeting.ended"],
        "state": "ACTIVE",
        "failedCount": 0,
        "lastMomentPushed": "2023-11-14T22:14:20.000Z",
        "domainId": DOMAIN,
        "createdAt": "2023-11-14T22:13:20.000Z",
        "updatedAt": "2023-11-14T23:13:20.000Z",
    }
    body: dict[str, Any] = {
        "url": "http://127.0.0.1:1234/x",
        "hmac": "YWJj",
        "basicAuth": None,
        "retryType": "exponential",
        "eventTypes": [],
    }
    changed = updated(failed, body, LATER).as_json()
    assert changed == {
        **same,
        "url": "http://127.0.0.1:1234/x",
        "hmac": "YWJj",
        "basicAuth": None,
        "retryType": "exponential",
        "eventTypes": [],
    }


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
url_like = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["http://", "https://", "ftp://", "", "http:", "//"]),
    st.text(max_size=30),
)
base64_like = st.text(alphabet="AQYWJj+/=\n -_", max_size=12)
FIELDS = ["url", "hmac", "basicAuth", "retryType", "eventTypes"]


@settings(derandomize=True, deadline=None, max_examples=300)
@given(st.sampled_from(FIELDS), json_values | url_like | base64_like)
def test_any_value_of_a_field_is_accepted_or_a_400_naming_it(field: str, value: object) -> None:
    """Never another exception: each field alone (the others valid) is taken or refused."""
    body: dict[str, object] = {"url": URL, field: value}
    makers: list[Callable[[], Webhook]] = [
        lambda: created(body, UUID, DOMAIN, NOW),
        lambda: updated(hook(), {field: value}, LATER),
    ]
    for make in makers:
        try:
            got = make()
        except ApiError as e:
            assert e.status == 400 and e.info.startswith(f"{field}:"), e.info
            continue
        if field == "hmac" and value is not None:
            assert isinstance(value, str)
            assert got.key == base64.b64decode(value, validate=True) != b""
        if field == "url":
            assert got.url == value
        if field == "basicAuth":
            assert got.basic_auth == value
