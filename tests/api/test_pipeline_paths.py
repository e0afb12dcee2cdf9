"""The hot path and the guarded pipeline answer alike (``api/app.py``): the same request, sent
to a server on the hot path (one namespace, no fault, no rate limit) and to a server forced onto
the guarded pipeline (a fault armed on a path never asked), gets the same status, headers that
matter, body and journal entry. Requests are drawn by hypothesis: every Daily family, good and
bad parameters, every kind of Authorization, unknown paths and methods."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.config import ServerConfig
from fake_meetings.testing import ServerThread
from tests.helpers.constants import TIMEOUT
from tests.helpers.scenarios import small_scenario

UNUSED = "/v1/never-asked"  # the armed fault's path: no drawn request starts with it
PATHS = [
    "/v1/meetings",
    "/meetings",
    "/v1/meetings/",
    "/v1/meetings/unknown-id",
    "/v1/meetings/unknown-id/participants",
    "/v1/rooms",
    "/v1/rooms/nope",
    "/v1/presence",
    "/v1/rooms/nope/presence",
    "/v1/recordings",
    "/v1/webhooks",
    "/v1/",
    "/v1/nowhere",
    "/elsewhere",
]
QUERIES = st.lists(
    st.tuples(
        st.sampled_from(["limit", "ongoing", "room", "starting_after", "ending_before", "x"]),
        st.sampled_from(["1", "7", "0", "101", "true", "no", "OLDEST", "r", ""]),
    ),
    max_size=3,
)
AUTHS = st.sampled_from([None, "Bearer k", "Bearer ", "Basic k", "bearer k", "Bearer k k"])
METHODS = st.sampled_from(["GET", "GET", "GET", "DELETE", "PUT", "PATCH"])
KEPT = ("content-type", "allow", "x-fake-meetings-version")


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    scenario = small_scenario()
    with (
        ServerThread(scenario.world(), ServerConfig(port=0)) as hot,
        ServerThread(scenario.world(), ServerConfig(port=0)) as guarded,
    ):
        fault = {"status": 503, "path": UNUSED, "count": 1_000_000}
        armed = requests.post(f"{guarded.base_url}/_fake/faults", json=fault, timeout=TIMEOUT)
        assert armed.status_code in (200, 201), armed.text
        yield hot.base_url, guarded.base_url


def _ask(base: str, method: str, path: str, query: list[tuple[str, str]], auth: str | None):
    headers = {} if auth is None else {"Authorization": auth}
    requests.delete(f"{base}/_fake/requests", timeout=TIMEOUT)  # the journal holds this one only
    answer = requests.request(
        method, base + path, params=query, headers=headers, timeout=TIMEOUT, allow_redirects=False
    )
    (entry,) = requests.get(f"{base}/_fake/requests", timeout=TIMEOUT).json()["data"]
    del entry["time"]  # when it came
    entry["headers"] = {k: v for k, v in entry["headers"].items() if k.lower() != "host"}
    kept = {k: v for k, v in answer.headers.lower_items() if k in KEPT}
    return answer.status_code, kept, answer.content, entry


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=METHODS,
    path=st.sampled_from(PATHS),
    query=QUERIES,
    auth=AUTHS,
)
def test_the_same_request_gets_the_same_answer_on_both_paths(
    servers: tuple[str, str],
    method: str,
    path: str,
    query: list[tuple[str, str]],
    auth: str | None,
) -> None:
    hot, guarded = servers
    assert _ask(hot, method, path, query, auth) == _ask(guarded, method, path, query, auth)


def test_the_guarded_server_is_guarded(servers: tuple[str, str]) -> None:
    """The comparison means something only if the second server takes the other path: its
    armed fault answers where the first server answers the route."""
    hot, guarded = servers
    headers = {"Authorization": "Bearer k"}
    assert requests.get(hot + UNUSED, headers=headers, timeout=TIMEOUT).status_code == 404
    assert requests.get(guarded + UNUSED, headers=headers, timeout=TIMEOUT).status_code == 503
