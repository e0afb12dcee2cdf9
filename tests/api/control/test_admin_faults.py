"""Injected faults and the emulated rate limit, seen by real clients with real retry logic
(urllib3's ``Retry`` under ``requests``; a hand-written backoff loop with ``aiohttp``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from fake_meetings.api.control.faults import MAX_TEXT
from fake_meetings.state.ratelimit import RateLimiter
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import AUTH, TIMEOUT
from tests.helpers.scenarios import small_scenario

Serve = Callable[..., ServerThread]
TOTAL = len(small_scenario().sessions)


def retrying_session(retries: int, statuses: tuple[int, ...] = (429, 500, 503)) -> requests.Session:
    """What many Daily clients do: retry idempotent GETs on 429/5xx and broken connections."""
    s = requests.Session()
    s.trust_env = False
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        status_forcelist=statuses,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=0,
        raise_on_status=True,
    )
    s.mount("http://", HTTPAdapter(max_retries=retry))
    return s


def statuses(c: Http, **params: Any) -> list[int]:
    return [e["status"] for e in ok(c.get("/_fake/requests", params=params))["data"]]


@pytest.fixture
def server(serve: Serve) -> ServerThread:
    return serve(small_scenario().world())


def test_requests_with_urllib3_retry_gets_through_two_429s(
    server: ServerThread, plain: Http
) -> None:
    c = plain.at(server.base_url)
    ok(c.post("/_fake/faults", {"status": 429, "path": "/v1/meetings", "count": 2}), 201)
    with retrying_session(3) as s:
        r = s.get(server.url + "/meetings", headers=AUTH, timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.json()["total_count"] == TOTAL
    assert statuses(c) == [429, 429, 200]
    assert ok(c.get("/_fake/faults")) == {"data": []}  # used up


def test_retries_give_up_when_the_fault_outlasts_them(server: ServerThread, plain: Http) -> None:
    c = plain.at(server.base_url)
    ok(c.post("/_fake/faults", {"status": 500, "count": 5}), 201)
    with retrying_session(2) as s, pytest.raises(requests.exceptions.RetryError):
        s.get(server.url + "/meetings", headers=AUTH, timeout=TIMEOUT)
    assert statuses(c) == [500, 500, 500]
    assert ok(c.get("/_fake/faults"))["data"][0]["count"] == 2


def test_a_dropped_connection_is_retried_by_the_client(server: ServerThread, plain: Http) -> None:
    c = plain.at(server.base_url)
    ok(c.post("/_fake/faults", {"drop": True, "path": "/meetings/s-01"}), 201)
    with requests.Session() as bare:
        bare.trust_env = False
        with pytest.raises(requests.exceptions.ConnectionError):
            bare.get(server.url + "/meetings/s-01", headers=AUTH, timeout=TIMEOUT)
    ok(c.post("/_fake/faults", {"drop": True, "path": "/meetings/s-01"}), 201)
    with retrying_session(2) as s:
        r = s.get(server.url + "/meetings/s-01", headers=AUTH, timeout=TIMEOUT)
    assert r.status_code == 200 and r.json()["id"] == "s-01"
    journal = ok(c.get("/_fake/requests"))["data"]
    assert [e["status"] for e in journal] == [0, 0, 200]
    assert journal[0]["fault"] and journal[2]["fault"] is None


async def _get_with_backoff(
    session: aiohttp.ClientSession, url: str, attempts: int
) -> tuple[int, list[int]]:
    """A hand-written retry loop: retry 429 and 5xx with a tiny exponential backoff."""
    seen: list[int] = []
    for attempt in range(attempts):
        async with session.get(url, headers=AUTH) as r:
            seen.append(r.status)
            if r.status != 429 and r.status < 500:
                return r.status, seen
            body = await r.json()
            assert set(body) == {"error", "info"}
        await asyncio.sleep(0.01 * 2**attempt)
    return seen[-1], seen


async def test_aiohttp_backoff_loop_sees_the_faults(serve: Serve) -> None:
    server = serve(small_scenario().world())
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=TIMEOUT), trust_env=False
    ) as session:
        async with session.post(
            server.base_url + "/_fake/faults",
            json={"status": 503, "count": 2, "error": "server-error", "info": "try later"},
        ) as r:
            assert r.status == 201
        async with session.get(server.url + "/meetings/s-02", headers=AUTH) as r:
            assert r.status == 503
            assert await r.json() == {"error": "server-error", "info": "try later"}
        status, seen = await _get_with_backoff(session, server.url + "/meetings/s-02", 4)
    assert (status, seen) == (200, [503, 200])


def test_matching_by_path_prefix_method_and_key(server: ServerThread, plain: Http) -> None:
    c = plain.at(server.base_url)
    ok(c.post("/_fake/faults", {"status": 500, "path": "/v1/meetings/s-0", "count": 10}), 201)
    ok(c.post("/_fake/faults", {"status": 429, "api_key": "noisy", "count": 10}), 201)
    ok(c.post("/_fake/faults", {"status": 503, "method": "HEAD", "count": 10}), 201)
    error(c.api("/v1/meetings/s-01"), 500, "server-error")
    error(c.api("/meetings/s-02/participants"), 500, "server-error")  # /v1 or not, alike
    assert ok(c.api("/v1/meetings"))["total_count"] == TOTAL  # not under /meetings/s-0
    error(c.api("/v1/meetings", key="noisy"), 429, "rate-limit-error")
    assert ok(c.api("/v1/meetings", key="calm"))["total_count"] == TOTAL
    head = c.call("HEAD", "/v1/meetings", headers=AUTH)
    assert head.status == 503
    # the control plane is never faulted
    assert ok(c.get("/_fake/health"))["status"] == "ok"
    left = {f["status"]: f["count"] for f in ok(c.get("/_fake/faults"))["data"]}
    assert left == {500: 8, 429: 9, 503: 9}


def test_delay_then_error_and_delay_alone(server: ServerThread, plain: Http) -> None:
    c = plain.at(server.base_url)
    ok(c.post("/_fake/faults", {"status": 500, "delay_ms": 300}), 201)
    ok(c.post("/_fake/faults", {"delay_ms": 300}), 201)
    started = time.monotonic()
    error(c.api("/v1/meetings"), 500, "server-error")
    middle = time.monotonic()
    assert ok(c.api("/v1/meetings"))["total_count"] == TOTAL
    done = time.monotonic()
    assert middle - started >= 0.3
    assert done - middle >= 0.3
    started = time.monotonic()
    ok(c.api("/v1/meetings"))
    assert time.monotonic() - started < 0.3  # both faults used up


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", "/_fake/faults"), ("DELETE", "/_fake/faults/{id}"), ("POST", "/_fake/reset")],
)
def test_clearing_the_faults_releases_delayed_requests(
    server: ServerThread, plain: Http, method: str, path: str
) -> None:
    """Requests waiting on a 30 s delay are answered at once, and normally (no 503), when the
    fault is cleared, removed or reset away."""
    c = plain.at(server.base_url)
    fault = {"status": 503, "delay_ms": 30_000, "probability": 1, "path": "/v1/meetings"}
    fault_id = ok(c.post("/_fake/faults", fault), 201)["id"]
    waiting = 3
    with requests.Session() as s, ThreadPoolExecutor(waiting) as pool:
        s.trust_env = False
        url = server.url + "/meetings"
        answers = [pool.submit(s.get, url, headers=AUTH, timeout=10) for _ in range(waiting)]
        deadline = time.monotonic() + TIMEOUT
        while ok(c.get("/_fake/faults"))["data"][0]["fired"] < waiting:  # all are delayed
            assert time.monotonic() < deadline
            time.sleep(0.02)
        ok(c.call(method, path.format(id=fault_id)))
        for answer in answers:
            r = answer.result(timeout=5)
            assert r.status_code == 200, r.text
            assert r.json()["total_count"] == TOTAL
    journal = ok(c.get("/_fake/requests", params={"path": "/v1/meetings"}))["data"]
    assert [(e["status"], e["fault"]) for e in journal[-waiting:]] == [(200, None)] * waiting


def _fired(c: Http, seed: int, n: int) -> list[int]:
    ok(c.post("/_fake/reset"))
    ok(c.post("/_fake/faults", {"status": 500, "probability": 0.5, "seed": seed}), 201)
    return [c.api("/v1/meetings/s-01").status for _ in range(n)]


@pytest.mark.parametrize("field", ["path", "info", "error", "api_key"])
def test_fault_text_fields_are_bounded(server: ServerThread, plain: Http, field: str) -> None:
    c = plain.at(server.base_url)
    fits = "/" + "a" * (MAX_TEXT - 1)
    ok(c.post("/_fake/faults", {"status": 500, field: fits}), 201)
    too_long = {"status": 500, field: fits + "a"}
    info = error(c.post("/_fake/faults", too_long), 400, "invalid-request-error", field, "1024")
    assert len(info) < 200


def test_probability_is_seeded_and_repeatable(server: ServerThread, plain: Http) -> None:
    c = plain.at(server.base_url)
    first = _fired(c, 7, 80)
    assert set(first) == {200, 500}
    assert 20 <= first.count(500) <= 60  # about half
    assert _fired(c, 7, 80) == first  # the same seed: the same requests fail
    assert _fired(c, 8, 80) != first
    fault = ok(c.get("/_fake/faults"))["data"][0]
    assert fault["fired"] == statuses(c).count(500)


def test_rate_limit_windows_with_an_injected_clock() -> None:
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert all(limiter.allow("k") for _ in range(20))
    assert not limiter.allow("k")  # 21st in the same second
    assert limiter.allow("other")  # per key
    for _ in range(4):  # 20 more in each of the next 4 seconds: 100 in 5 s
        now[0] += 1.0
        assert all(limiter.allow("k") for _ in range(20))
        assert not limiter.allow("k")
    now[0] += 1.0  # the first second's 20 leave the 5 s window only now
    assert limiter.allow("k")
    assert all(limiter.allow("k") for _ in range(19))
    assert not limiter.allow("k")


def test_rate_limit_over_http(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world(), rate_limit=True)
    c = plain.at(server.base_url)
    started = time.monotonic()
    answers = [c.api("/v1/meetings/s-01", key="burst") for _ in range(25)]
    elapsed = time.monotonic() - started
    if elapsed >= 1.0:
        pytest.skip(f"25 requests took {elapsed:.2f} s: too slow to stay in one 1-second window")
    assert [r.status for r in answers] == [200] * 20 + [429] * 5
    error(answers[-1], 429, "rate-limit-error", "20", "second")
    assert c.api("/v1/meetings/s-01", key="another").status == 200
    assert ok(c.get("/_fake/health"))["status"] == "ok"  # the control plane is not limited
