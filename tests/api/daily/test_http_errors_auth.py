"""Bad input, unknown routes, wrong methods and authentication over a real socket
(contract §2 "Bad input", §5, §6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import aiohttp
import pytest

from fake_meetings.testing import ServerThread
from tests.helpers.clients import Resp, SyncClient, aio_get
from tests.helpers.constants import AUTH
from tests.helpers.scenarios import Scenario, small_scenario


def assert_error(r: Resp, status: int, error: str, *names: str) -> dict[str, Any]:
    assert r.status == status, r.body
    assert r.content_type == "application/json", r.headers
    body = r.json()
    assert set(body) == {"error", "info"}, body
    assert body["error"] == error
    assert isinstance(body["info"], str) and body["info"].strip()
    for name in names:
        assert name in body["info"], (name, body["info"])
    return dict(body)


# ----------------------------------------------------------------- 400 invalid-request-error

BAD_VALUES: list[tuple[str, str]] = [
    *[
        (param, value)
        for param in ("limit", "timeframe_start", "timeframe_end")
        for value in ("abc", "1.5", "", "-1", "1e3", "0x10", "\uff11\uff12", "1,000")
    ],
    ("limit", "0"),
    ("limit", "-100"),
    ("timeframe_start", "-1717243200"),
    ("timeframe_end", "-5"),
    *[
        (param, value)
        for param in ("ongoing", "no_participants")
        for value in ("yes", "no", "1", "0", "", "t", "truee", "false ", "null")
    ],
]


@pytest.mark.parametrize(("param", "value"), BAD_VALUES)
@pytest.mark.parametrize("prefix", ["/v1", ""])
def test_bad_parameter_value_is_400_naming_it(
    client: SyncClient, small_server: ServerThread, param: str, value: str, prefix: str
) -> None:
    r = client.get(small_server.base_url + prefix + "/meetings", [(param, value)])
    assert_error(r, 400, "invalid-request-error", param)


def test_both_cursors_is_400(client: SyncClient, small_server: ServerThread) -> None:
    for params in (
        {"starting_after": "s-01", "ending_before": "s-02"},
        {"starting_after": "s-01", "ending_before": "OLDEST"},
        {"ending_before": "s-02", "starting_after": "s-01", "limit": 1},
    ):
        r = client.get(small_server.url + "/meetings", params)
        assert_error(r, 400, "invalid-request-error", "starting_after", "ending_before")


@pytest.mark.parametrize("param", ["starting_after", "ending_before"])
@pytest.mark.parametrize("value", ["no-such-session", "S-01", ""])
def test_unknown_cursor_is_400(
    client: SyncClient, small_server: ServerThread, param: str, value: str
) -> None:
    r = client.get(small_server.url + "/meetings", {param: value})
    assert_error(r, 400, "invalid-request-error", param)


def test_oldest_is_not_a_starting_after_cursor(
    client: SyncClient, small_server: ServerThread
) -> None:
    r = client.get(small_server.url + "/meetings", {"starting_after": "OLDEST"})
    assert_error(r, 400, "invalid-request-error", "starting_after")


def test_unknown_cursor_is_400_even_with_filters_matching_nothing(
    client: SyncClient, small_server: ServerThread
) -> None:
    r = client.get(small_server.url + "/meetings", {"room": "nope", "starting_after": "zzz"})
    assert_error(r, 400, "invalid-request-error", "starting_after")


PARAMS_TWICE: list[Sequence[tuple[str, str]]] = [
    [("limit", "1"), ("limit", "2")],
    [("limit", "5"), ("limit", "5")],
    [("room", "standup"), ("room", "retro")],
    [("room", "standup"), ("room", "standup")],
    [("timeframe_start", "0"), ("timeframe_start", "1")],
    [("timeframe_end", "0"), ("timeframe_end", "1")],
    [("ongoing", "true"), ("ongoing", "true")],
    [("no_participants", "true"), ("no_participants", "false")],
    [("starting_after", "s-01"), ("starting_after", "s-01")],
    [("ending_before", "s-01"), ("ending_before", "OLDEST")],
]


@pytest.mark.parametrize("params", PARAMS_TWICE, ids=lambda p: p[0][0])
def test_parameter_given_twice_is_400(
    client: SyncClient, small_server: ServerThread, params: Sequence[tuple[str, str]]
) -> None:
    r = client.get(small_server.url + "/meetings", params)
    assert_error(r, 400, "invalid-request-error", params[0][0])


def test_valid_boundaries_are_accepted(client: SyncClient, small_server: ServerThread) -> None:
    for params in (
        {"limit": "1"},
        {"limit": "100"},
        {"timeframe_start": "0"},
        {"timeframe_end": "0"},
        {"ongoing": "TrUe", "no_participants": "FALSE"},
    ):
        assert client.get(small_server.url + "/meetings", params).status == 200, params


def test_a_bad_request_changes_nothing(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    before = client.get(small_server.url + "/meetings").json()
    for param, value in BAD_VALUES[:5]:
        assert client.get(small_server.url + "/meetings", {param: value}).status == 400
    assert client.get(small_server.url + "/meetings").json() == before
    assert before["total_count"] == len(small.sessions)


async def test_async_bad_input(aio: aiohttp.ClientSession, small_server: ServerThread) -> None:
    for param, value in [("limit", "abc"), ("timeframe_end", "1.5"), ("ongoing", "maybe")]:
        r = await aio_get(aio, small_server.url + "/meetings", {param: value})
        assert_error(r, 400, "invalid-request-error", param)
    r = await aio_get(aio, small_server.url + "/meetings", [("limit", "1"), ("limit", "1")])
    assert_error(r, 400, "invalid-request-error", "limit")
    r = await aio_get(aio, small_server.url + "/meetings", {"ending_before": "gone"})
    assert_error(r, 400, "invalid-request-error", "ending_before")


# ----------------------------------------------------------------- routes and methods


@pytest.mark.parametrize(
    ("where", "headers", "query"),
    [
        ("query", None, {"room": "x" * 9000}),
        ("header", {**AUTH, "X-Padding": "y" * 9000}, None),
    ],
)
def test_overlong_request_still_answers_with_the_json_envelope(
    client: SyncClient,
    small_server: ServerThread,
    where: str,
    headers: dict[str, str] | None,
    query: dict[str, str] | None,
) -> None:
    """Contract preamble: *every* response body is JSON with Content-Type: application/json."""
    r = client.get(small_server.url + "/meetings", query, headers=headers)
    assert 400 <= r.status < 500, r.status
    assert r.content_type == "application/json", (r.headers, r.body[:200])
    assert set(r.json()) == {"error", "info"}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/nope",
        "/nope",
        "/v2/meetings",
        "/v1/meeting",
        "/v1/meetings/s-01/participants/p-01-a",
        "/v1/meetings/s-01/recordings",
        "/v1/transcripts",  # Daily's path is /transcript, singular
        "/v1/recordings/start",  # the legacy path some clients call: no such recording
        "/",  # the domain is /v1/ only (GET /v1 and /v1/: tests/api/daily/test_http_domain.py)
        "/v1//",
    ],
)
def test_unknown_route_is_404_not_found(
    client: SyncClient, small_server: ServerThread, path: str
) -> None:
    r = client.get(small_server.base_url + path)
    assert_error(r, 404, "not-found")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "path",
    [
        "/v1/meetings",
        "/meetings",
        "/v1/meetings/s-01",
        "/meetings/s-01",
        "/v1/meetings/s-01/participants",
        "/meetings/s-01/participants",
    ],
)
def test_other_methods_are_405_with_the_envelope(
    client: SyncClient, small_server: ServerThread, method: str, path: str
) -> None:
    r = client.request(method, small_server.base_url + path, headers=AUTH)
    # README: 405 `method-not-allowed`; contract §5: "405 with the same envelope"
    assert_error(r, 405, "method-not-allowed")
    assert "GET" in r.headers.get("allow", ""), r.headers  # RFC 9110: a 405 lists the methods


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/v1/meetings", {"GET"}),
        ("PUT", "/v1/rooms/any-room", {"GET", "POST", "DELETE"}),
        ("DELETE", "/rooms", {"GET", "POST"}),
        ("PUT", "/_fake/health", {"GET", "HEAD"}),
    ],
)
def test_a_405_names_exactly_the_methods_of_its_path(
    client: SyncClient, small_server: ServerThread, method: str, path: str, allowed: set[str]
) -> None:
    r = client.request(method, small_server.base_url + path, headers=AUTH)
    assert_error(r, 405, "method-not-allowed")
    assert set(r.headers["allow"].split(",")) == allowed, r.headers


@pytest.mark.parametrize("path", ["/", "/v1/nope", "/v1/meetings/x%0Ay/z", "/_fake/nope"])
def test_paths_no_route_takes_are_404_in_the_envelope(
    client: SyncClient, small_server: ServerThread, path: str
) -> None:
    assert_error(client.get(small_server.base_url + path, headers=AUTH), 404, "not-found")
    if not path.startswith("/_fake/"):  # contract §6: auth comes first on the Daily side
        no_auth = client.get(small_server.base_url + path, headers={})
        assert_error(no_auth, 400, "authorization-header-error")


def test_405_does_not_change_anything(
    client: SyncClient, small_server: ServerThread, small: Scenario
) -> None:
    r = client.request("DELETE", small_server.url + "/meetings/s-01", headers=AUTH)
    assert r.status == 405
    assert client.get(small_server.url + "/meetings/s-01").status == 200


# ----------------------------------------------------------------- authentication

MALFORMED = [
    "Basic x",
    "Basic dXNlcjpwYXNz",
    "Bearer",
    "Bearer ",
    "Bearer    ",
    "Token abc",
    "abc",
    "",
]


@pytest.mark.parametrize(
    "path", ["/v1/meetings", "/meetings", "/v1/meetings/s-01", "/meetings/s-01/participants"]
)
def test_missing_authorization_header_is_400(
    client: SyncClient, small_server: ServerThread, path: str
) -> None:
    r = client.get(small_server.base_url + path, headers={})
    assert_error(r, 400, "authorization-header-error")


@pytest.mark.parametrize("header", MALFORMED)
def test_malformed_authorization_header_is_400(
    client: SyncClient, small_server: ServerThread, header: str
) -> None:
    r = client.get(small_server.url + "/meetings", headers={"Authorization": header})
    assert_error(r, 400, "authorization-header-error")


@pytest.mark.parametrize("key", ["x", "test-key", "anything-at-all", "a" * 200])
def test_any_bearer_key_is_accepted_by_default(
    client: SyncClient, small_server: ServerThread, key: str
) -> None:
    r = client.get(small_server.url + "/meetings", headers={"Authorization": f"Bearer {key}"})
    assert r.status == 200


def test_auth_is_checked_before_parameters(client: SyncClient, small_server: ServerThread) -> None:
    r = client.get(small_server.url + "/meetings", {"limit": "abc"}, headers={})
    assert_error(r, 400, "authorization-header-error")


def test_configured_api_key_is_exact(
    client: SyncClient, serve: Callable[..., ServerThread]
) -> None:
    server = serve(small_scenario().world(), api_key="s3cret")
    url = server.url + "/meetings"
    assert client.get(url, headers={"Authorization": "Bearer s3cret"}).status == 200
    for key in ("wrong", "s3cre", "s3cret2", "S3CRET", "x"):
        r = client.get(url, headers={"Authorization": f"Bearer {key}"})
        assert_error(r, 401, "authentication-error")
    assert_error(client.get(url, headers={}), 400, "authorization-header-error")
    assert_error(
        client.get(url, headers={"Authorization": "Basic s3cret"}),
        400,
        "authorization-header-error",
    )
    for path in ("/meetings/s-01", "/meetings/s-01/participants"):
        r = client.get(server.base_url + path, headers={"Authorization": "Bearer nope"})
        assert_error(r, 401, "authentication-error")
        r = client.get(server.base_url + path, headers={"Authorization": "Bearer s3cret"})
        assert r.status == 200


def test_auth_off_needs_no_header(client: SyncClient, serve: Callable[..., ServerThread]) -> None:
    scenario = small_scenario()
    server = serve(scenario.world(), auth=False)
    for path in ("/v1/meetings", "/meetings", "/v1/meetings/s-01", "/meetings/s-01/participants"):
        r = client.get(server.base_url + path, headers={})
        assert r.status == 200, (path, r.body)
    assert client.get(server.url + "/meetings", headers={}).json()["total_count"] == len(
        scenario.sessions
    )
    # a header, even an odd one, is not an error then
    assert client.get(server.url + "/meetings", headers={"Authorization": "Bearer x"}).status == 200
    # errors still use the envelope
    assert_error(client.get(server.url + "/nope", headers={}), 404, "not-found")
    assert_error(
        client.get(server.url + "/meetings", {"limit": "0"}, headers={}),
        400,
        "invalid-request-error",
        "limit",
    )


@pytest.mark.parametrize("options", [{}, {"api_key": "k"}, {"auth": False}])
def test_health_needs_no_auth(
    client: SyncClient, serve: Callable[..., ServerThread], options: dict[str, Any]
) -> None:
    scenario = small_scenario()
    server = serve(scenario.world(), **options)
    r = client.get(server.base_url + "/_fake/health", headers={})
    assert r.status == 200
    assert r.content_type == "application/json"
    assert r.json()["status"] == "ok"
    assert r.json()["sessions"] == len(scenario.sessions)
    r = client.get(server.base_url + "/_fake/health", headers={"Authorization": "Bearer zzz"})
    assert r.status == 200


async def test_async_auth(aio: aiohttp.ClientSession, serve: Callable[..., ServerThread]) -> None:
    server = serve(small_scenario().world(), api_key="k1")
    r = await aio_get(aio, server.url + "/meetings", headers={})
    assert_error(r, 400, "authorization-header-error")
    r = await aio_get(aio, server.url + "/meetings", headers={"Authorization": "Bearer"})
    assert_error(r, 400, "authorization-header-error")
    r = await aio_get(aio, server.url + "/meetings", headers={"Authorization": "Bearer k2"})
    assert_error(r, 401, "authentication-error")
    r = await aio_get(aio, server.url + "/meetings", headers={"Authorization": "Bearer k1"})
    assert r.status == 200
    r = await aio_get(aio, server.base_url + "/_fake/health", headers={})
    assert r.status == 200
    async with aio.post(server.url + "/meetings", headers={"Authorization": "Bearer k1"}) as resp:
        assert resp.status == 405
        assert resp.content_type == "application/json"
        assert (await resp.json())["error"] == "method-not-allowed"


def test_a_bad_header_after_a_good_one_is_still_refused(
    client: SyncClient, small_server: ServerThread
) -> None:
    # the server remembers the last header it accepted: that must never let another one through
    url = small_server.url + "/meetings"
    for header in ("Bearer a", "Bearer a", *MALFORMED, "Bearer a", None, "Bearer b", "Bearer "):
        r = client.get(url, headers={} if header is None else {"Authorization": header})
        if header in ("Bearer a", "Bearer b"):
            assert r.status == 200, header
        else:
            assert_error(r, 400, "authorization-header-error")


@pytest.mark.parametrize("path", ["/", "/meeting", "/api/v1/rooms"])
def test_a_path_outside_v1_says_where_the_routes_are(
    client: SyncClient, small_server: ServerThread, path: str
) -> None:
    """A base URL that lost its ``/v1`` is named as such, with or without a key."""
    for headers in ({}, AUTH):
        r = client.get(small_server.base_url + path, headers=headers)
        assert r.status in (400, 404), r.body
        assert "routes are under /v1/" in r.json()["info"], r.body


@pytest.mark.parametrize("path", ["/v1/nope", "/meetings"])  # under /v1; a route of its own
def test_a_path_under_v1_or_with_a_route_gets_no_hint(
    client: SyncClient, small_server: ServerThread, path: str
) -> None:
    r = client.get(small_server.base_url + path, headers={})
    assert r.status == 400 and "routes are under" not in r.json()["info"], r.body
    if path.startswith("/v1/"):
        r = client.get(small_server.base_url + path, headers=AUTH)
        assert r.status == 404 and "routes are under" not in r.json()["info"], r.body
