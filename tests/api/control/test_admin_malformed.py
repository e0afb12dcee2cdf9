"""A corpus of malformed control-plane bodies: each answered with a clear 4xx in Daily's
envelope whose ``info`` names the problem, and with no change to sessions, clock or faults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Body, Http, error, ok, state
from tests.helpers.constants import NOW
from tests.helpers.scenarios import small_scenario

SESSION = {
    "id": "fine",
    "room": "r",
    "start_time": NOW - 600,
    "participants": [{"join_time": NOW - 600, "duration": 60}],
}
BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
DEEP_YAML = "sessions: " + "[" * 3000 + "]" * 3000  # refused by the YAML parser itself
DEEPISH_YAML = "sessions: " + "[" * 900 + "]" * 900  # parsed, then too deep to convert
DEEP_JSON = "[" * 5000 + "]" * 5000


def _with(**changes: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(SESSION))
    out.update(changes)
    return out


# (path, body, words the info must contain); every answer is 400 invalid-request-error
SCENARIO_BODIES: list[tuple[str, Body, tuple[str, ...]]] = [
    ("empty", b"", ("<request body>", "empty document")),
    ("yaml syntax", "sessions: [unclosed\n", ("<request body>:", "invalid YAML")),
    ("a list", "[1, 2]", ("expected a mapping",)),
    ("a scalar", "42", ("expected a mapping",)),
    ("sessions not a list", "sessions: 5", ("sessions",)),
    ("unknown top key", "sessions: []\nextra: 1\n", ("<request body>:2:", "extra", "unknown key")),
    ("duplicate key", "sessions: []\nsessions: []\n", ("<request body>:2:", "duplicate key")),
    ("missing fields", "sessions:\n  - {room: x}\n", ("sessions[0]", "start_time")),
    ("bad time", 'sessions: []\nnow: "yesterday"\n', ("now", "not a time")),
    ("billion laughs", BILLION_LAUGHS, ("aliases",)),
    ("deep nesting", DEEP_YAML, ("<request body>", "nest")),
    ("deepish nesting", DEEPISH_YAML, ("<request body>", "nested too deeply")),
    ("python tag", "sessions: !!python/object/apply:os.system [echo hi]\n", ("tag",)),
    ("not UTF-8", b"sessions: [\xff\xfe]\n", ("UTF-8",)),
    ("generate too big", "generate: {sessions: 10000000}\n", ("generate.sessions", "100,000")),
    (
        "negative duration",
        json.dumps({"sessions": [_with(participants=[{"join_time": NOW, "duration": -5}])]}),
        ("sessions[0].participants[0].duration",),
    ),
]
SESSIONS_BODIES: list[tuple[str, Body, tuple[str, ...]]] = [
    ("empty mapping", {}, ("list of sessions",)),
    ("now not allowed", {"now": NOW, "sessions": []}, ("'now'", "/_fake/scenario")),
    ("a scalar", "5", ("list of sessions",)),
    ("id clash", [_with(id="s-01")], ("sessions[0].id", "'s-01'", "already served")),
    ("duplicate in body", [SESSION, SESSION], ("sessions[1].id", "duplicate")),
    ("empty room", [_with(room="")], ("sessions[0].room",)),
    ("session not a mapping", ["nope"], ("sessions[0]", "mapping")),
    ("not UTF-8", b"\x80\x81", ("UTF-8",)),
]
CLOCK_BODIES: list[tuple[str, Body, tuple[str, ...]]] = [
    ("empty", b"", ("empty", "freeze_at")),
    ("not JSON", "freeze", ("not valid JSON", "freeze_at")),
    ("YAML is not JSON here", "advance: 5", ("not valid JSON",)),
    ("a list", [], ("JSON object", "a list")),
    ("nothing to do", {}, ("exactly one",)),
    ("two actions", {"freeze_at": NOW, "advance": 1}, ("exactly one",)),
    ("unknown field", {"speed": 2}, ("'speed'",)),
    ("freeze_at words", {"freeze_at": "tomorrow"}, ("freeze_at", "not a time")),
    ("freeze_at relative", {"freeze_at": "-1h"}, ("freeze_at",)),
    ("freeze_at negative", {"freeze_at": -5}, ("freeze_at", "out of range")),
    ("freeze_at float", {"freeze_at": 1.5}, ("freeze_at",)),
    ("freeze_at bool", {"freeze_at": True}, ("freeze_at",)),
    ("advance string", {"advance": "60"}, ("advance", "whole number")),
    ("advance float", {"advance": 1.5}, ("advance",)),
    ("advance before 1970", {"advance": -(NOW + 1)}, ("advance", "out of range")),
    ("real false", {"real": False}, ("real", "true")),
    ("real number", {"real": 1}, ("real",)),
    ("deep JSON", DEEP_JSON, ("nested more than 64 levels",)),
]
FAULT_BODIES: list[tuple[str, Body, tuple[str, ...]]] = [
    ("no status", {}, ("status", "required")),
    ("status 200", {"status": 200}, ("status", "400 to 599")),
    ("status string", {"status": "429"}, ("status",)),
    ("status float", {"status": 429.0}, ("status",)),
    ("status bool", {"status": True}, ("status",)),
    ("count zero", {"status": 429, "count": 0}, ("count",)),
    ("count negative", {"status": 429, "count": -1}, ("count",)),
    ("count float", {"status": 429, "count": 1.5}, ("count",)),
    ("probability zero", {"status": 429, "probability": 0}, ("probability",)),
    ("probability big", {"status": 429, "probability": 1.5}, ("probability",)),
    ("probability string", {"status": 429, "probability": "0.5"}, ("probability",)),
    (
        "count and probability",
        {"status": 429, "count": 2, "probability": 0.5},
        ("count", "probability"),
    ),
    ("relative path", {"status": 429, "path": "v1/meetings"}, ("path", "'/'")),
    ("control-plane path", {"status": 429, "path": "/_fake/health"}, ("path", "/_fake/")),
    ("path number", {"status": 429, "path": 5}, ("path",)),
    ("unknown method", {"status": 429, "method": "FETCH"}, ("method", "GET")),
    ("delay negative", {"status": 429, "delay_ms": -1}, ("delay_ms",)),
    ("delay too long", {"status": 429, "delay_ms": 60001}, ("delay_ms", "60000")),
    ("drop string", {"status": 429, "drop": "yes"}, ("drop", "true or false")),
    ("empty api_key", {"status": 429, "api_key": ""}, ("api_key",)),
    ("unknown field", {"status": 429, "colour": "red"}, ("'colour'",)),
    ("not JSON", "{status: 429}", ("not valid JSON",)),
    ("a list", [{"status": 429}], ("JSON object",)),
]
CORPUS = [
    *[("/_fake/scenario", *entry) for entry in SCENARIO_BODIES],
    *[("/_fake/sessions", *entry) for entry in SESSIONS_BODIES],
    *[("/_fake/clock", *entry) for entry in CLOCK_BODIES],
    *[("/_fake/faults", *entry) for entry in FAULT_BODIES],
]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(small_scenario().world(), ServerConfig(port=0)) as s:
        yield s


@pytest.fixture(scope="module")
def client(server: ServerThread) -> Iterator[Http]:
    c = Http("requests", server.base_url)
    ok(c.post("/_fake/faults", {"status": 500, "path": "/v1/nothing-here"}), 201)  # some state
    yield c
    c.close()


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        pytest.param(path, body, words, id=f"{path[7:]}: {name}")
        for path, name, body, words in CORPUS
    ],
)
def test_malformed_body_is_a_clear_400_and_changes_nothing(
    client: Http, path: str, body: Body, words: tuple[str, ...]
) -> None:
    before = state(client)
    error(client.post(path, body), 400, "invalid-request-error", *words)
    assert state(client) == before


def test_bad_mode_changes_nothing(client: Http) -> None:
    before = state(client)
    error(
        client.post("/_fake/scenario", "sessions: []", params={"mode": "both"}),
        400,
        "invalid-request-error",
        "mode",
    )
    assert state(client) == before


@pytest.fixture(scope="module")
def small_body_server() -> Iterator[ServerThread]:
    with ServerThread(small_scenario().world(), ServerConfig(port=0, max_body=2048)) as s:
        yield s


@pytest.mark.parametrize(
    "path", ["/_fake/scenario", "/_fake/sessions", "/_fake/clock", "/_fake/faults"]
)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_cap_is_413(
    small_body_server: ServerThread, path: str, chunked: bool
) -> None:
    c = Http("requests", small_body_server.base_url)
    try:
        before = state(c)
        big = b"sessions: []\n" + b"# padding\n" * 300  # about 3 KB, over 2048
        body: Any = iter([big[:1000], big[1000:]]) if chunked else big
        r = requests.post(small_body_server.base_url + path, data=body, timeout=10)  # streamed
        assert r.status_code == 413, r.text
        assert r.json()["error"] == "invalid-request-error"
        assert "2,048-byte limit" in r.json()["info"]
        assert state(c) == before
        ok(c.post("/_fake/scenario", b"sessions: []\n"))  # under the cap: fine
    finally:
        c.close()
