"""schemathesis against a running server (real socket, real HTTP): every answer of the Daily
routes to generated requests, valid and invalid, must be no server error, must reject invalid
input with a 4xx, and must match the OpenAPI document the server itself serves at
/_fake/openapi.json (documented status, content type, required headers, body schema).

Bounded and repeatable: a fixed example budget per operation and generation mode
(``MAX_EXAMPLES``: 200, about a minute of one core, so the whole suite stays within five minutes
on two cores; 500, the budget before, took 2.6 times as long; a deeper run sets
FAKE_MEETINGS_FUZZ_EXAMPLES), Hypothesis derandomized, schemathesis' seed fixed. Two configurations
are fuzzed, since the document follows the configuration: the defaults, and strict limits with
an exact API key and empty pages for unknown cursors (a smaller budget).

Generated meeting ids and cursors rarely name a real record, so about half of them are swapped,
deterministically, for ids the scenario holds: the 200 answers and cursor paths get fuzzed too.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fake_meetings.api.openapi import document as openapi
from fake_meetings.config import ServerConfig
from fake_meetings.domain.recordings import Recording
from fake_meetings.testing import ServerThread
from tests.helpers.constants import AUTH, TIMEOUT
from tests.helpers.scenarios import small_scenario

pytestmark = pytest.mark.slow  # fuzzing: thousands of requests

# per operation and generation mode; FAKE_MEETINGS_FUZZ_EXAMPLES=5000 for a deeper local run
MAX_EXAMPLES = int(os.environ.get("FAKE_MEETINGS_FUZZ_EXAMPLES", "200"))
SEED = 20240601
DEFAULTS = ServerConfig(port=0)
STRICT = ServerConfig(port=0, strict_limit=True, unknown_cursor="empty", api_key="test-key")
SCENARIO = small_scenario()
SESSION_IDS = [s.id for s in SCENARIO.sessions]
PARTICIPANT_IDS = [p.participant_id for s in SCENARIO.sessions for p in s.participants]
# recordings of the scenario's first sessions: finished, in progress, canceled; the ones a
# fuzzed DELETE may name are others, so the other routes keep finding theirs
_S1, _S2 = SCENARIO.sessions[0], SCENARIO.sessions[1]
RECORDINGS = [
    Recording("rec-finished", _S1.room, _S1.id, _S1.start_time, end=_S1.start_time + 300),
    Recording("rec-canceled", _S2.room, _S2.id, _S2.start_time, canceled=True),
    Recording("rec-long", _S2.room, _S2.id, _S2.start_time + 5, max_duration=10**9),
]
DOOMED = [
    Recording(f"rec-doomed-{i}", _S1.room, _S1.id, _S1.start_time + i, end=_S1.start_time + 60)
    for i in range(3)
]
RECORDING_IDS = [r.id for r in RECORDINGS]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SETTINGS = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _schema(config: ServerConfig, max_examples: int) -> Any:
    loaded = schemathesis.openapi.from_dict(openapi.document(config))
    loaded.config.update(headers=dict(AUTH))
    loaded.config.generation.update(
        modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
        max_examples=max_examples,
        deterministic=True,
    )
    loaded.config.seed = SEED
    return loaded


# Built at collection time (schemathesis' lazy fixture loader does not work with pytest 9);
# test_the_fuzzed_documents_are_the_served_ones proves they are what the servers serve.
default_schema = _schema(DEFAULTS, MAX_EXAMPLES)
strict_schema = _schema(STRICT, max(1, MAX_EXAMPLES // 3))


@pytest.fixture(scope="module")
def default_server() -> Iterator[ServerThread]:
    with ServerThread(SCENARIO.world([*RECORDINGS, *DOOMED]), DEFAULTS) as server:
        yield server


@pytest.fixture(scope="module")
def strict_server() -> Iterator[ServerThread]:
    with ServerThread(SCENARIO.world([*RECORDINGS, *DOOMED]), STRICT) as server:
        yield server


def test_the_fuzzed_documents_are_the_served_ones(
    default_server: ServerThread, strict_server: ServerThread
) -> None:
    with requests.Session() as http:
        http.trust_env = False
        for server, config in ((default_server, DEFAULTS), (strict_server, STRICT)):
            r = http.get(server.base_url + "/_fake/openapi.json", timeout=TIMEOUT)
            assert r.status_code == 200
            assert r.json() == openapi.document(config)
    assert openapi.document(DEFAULTS) != openapi.document(STRICT)


def _known(value: object, ids: list[str]) -> object:
    """About half of the generated strings become a real id (chosen from the value itself)."""
    if not isinstance(value, str):
        return value
    digest = zlib.crc32(value.encode("utf-8", "surrogatepass"))
    return ids[digest // 2 % len(ids)] if digest % 2 == 0 else value


# A webhook's url is probed when it is saved: fuzzed urls would make the server connect to
# arbitrary hosts, so every url sent goes to a closed local port (the probe fails fast: 400).
CLOSED_RECEIVER = "http://127.0.0.1:9/hooks"


def _call(case: Any, server: ServerThread) -> None:
    if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
        case.body["url"] = CLOSED_RECEIVER
    if case.path_parameters and "meeting" in case.path_parameters:
        case.path_parameters["meeting"] = _known(case.path_parameters["meeting"], SESSION_IDS)
    if case.path_parameters and "id" in case.path_parameters:
        ids = [r.id for r in DOOMED] if case.method.upper() == "DELETE" else RECORDING_IDS
        case.path_parameters["id"] = _known(case.path_parameters["id"], ids)
    cursors = RECORDING_IDS if case.path.startswith("/recordings") else SESSION_IDS
    for name, ids in (
        ("starting_after", cursors),
        ("ending_before", cursors),
        ("joined_after", PARTICIPANT_IDS),
        ("joined_before", PARTICIPANT_IDS),
    ):
        if case.query and name in case.query:
            case.query[name] = _known(case.query[name], ids)
    case.call_and_validate(base_url=server.url, checks=CHECKS, timeout=TIMEOUT)


@default_schema.parametrize()
@SETTINGS
def test_daily_routes_match_their_openapi_document(case: Any, default_server: ServerThread) -> None:
    _call(case, default_server)


@strict_schema.parametrize()
@SETTINGS
def test_strict_configuration_matches_its_openapi_document(
    case: Any, strict_server: ServerThread
) -> None:
    _call(case, strict_server)
