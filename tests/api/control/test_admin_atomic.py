"""Atomic reloads: many API requests in flight (real aiohttp clients) while the control plane
swaps the data back and forth. Every page must be exactly a page of one of the two data sets,
never a mix, and a bad body must leave the data untouched while readers read."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from fake_meetings.testing import ServerThread
from tests.helpers.admin import rooms_scenario
from tests.helpers.constants import AUTH, DAY, NOW, TIMEOUT
from tests.helpers.scenarios import Scenario

Serve = Callable[..., ServerThread]
READERS = 8
RELOADS = 6
SIZE_A, SIZE_B = 700, 500  # big enough that parsing a body takes a while


def expected_pages(scenario: Scenario) -> dict[str, Any]:
    ordered = scenario.ordered()
    return {
        "all": {
            "total_count": len(ordered),
            "data": [s.expected(NOW, participants=False) for s in ordered[:100]],
        },
        "ids": {s.id for s in ordered},
    }


async def _read_until(
    session: aiohttp.ClientSession, url: str, stop: asyncio.Event, pages: list[tuple[float, Any]]
) -> None:
    while not stop.is_set():
        async with session.get(url, headers=AUTH) as r:
            assert r.status == 200, await r.text()
            pages.append((time.monotonic(), await r.json()))


async def _reload(session: aiohttp.ClientSession, base: str, body: str) -> tuple[float, float]:
    started = time.monotonic()
    async with session.post(base + "/_fake/scenario", data=body.encode()) as r:
        assert r.status == 200, await r.text()
    return started, time.monotonic()


@pytest.mark.slow
async def test_readers_see_one_store_or_the_other_never_a_mix(serve: Serve) -> None:
    a = rooms_scenario("alpha", SIZE_A, NOW - 30 * DAY, NOW)
    b = rooms_scenario("beta", SIZE_B, NOW - 20 * DAY, NOW)
    want_a, want_b = expected_pages(a), expected_pages(b)
    body_a, body_b = json.dumps(a.as_data()), json.dumps(b.as_data())
    server = serve(a.world())
    url = server.url + "/meetings?no_participants=true"
    pages: list[tuple[float, Any]] = []
    windows: list[tuple[float, float]] = []
    stop = asyncio.Event()
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=TIMEOUT * 3), trust_env=False
    ) as session:
        readers = [
            asyncio.create_task(_read_until(session, url, stop, pages)) for _ in range(READERS)
        ]
        try:
            await asyncio.sleep(0.05)
            for i in range(RELOADS):
                windows.append(
                    await _reload(session, server.base_url, body_b if i % 2 == 0 else body_a)
                )
        finally:
            stop.set()
            await asyncio.gather(*readers)
    seen = {"a": 0, "b": 0}
    for _, page in pages:
        if page == want_a["all"]:
            seen["a"] += 1
        elif page == want_b["all"]:
            seen["b"] += 1
        else:
            got = {s["id"] for s in page["data"]}
            raise AssertionError(
                f"a page of neither store: total_count={page['total_count']}, "
                f"{len(got & want_a['ids'])} ids of A, {len(got & want_b['ids'])} of B"
            )
    assert seen["a"] > 0 and seen["b"] > 0, seen
    # the reloads really overlapped with reads: pages completed while a body was being loaded
    during = sum(1 for t, _ in pages for start, end in windows if start < t < end)
    assert during > 0, (len(pages), windows)


async def test_a_bad_reload_under_readers_changes_nothing(serve: Serve) -> None:
    a = rooms_scenario("alpha", SIZE_A, NOW - 30 * DAY, NOW)
    want = expected_pages(a)["all"]
    data = rooms_scenario("beta", SIZE_B, NOW - 20 * DAY, NOW).as_data()
    data["sessions"][-1]["participants"][0]["duration"] = -5  # the last session is wrong
    server = serve(a.world())
    url = server.url + "/meetings?no_participants=true"
    pages: list[tuple[float, Any]] = []
    stop = asyncio.Event()
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=TIMEOUT * 3), trust_env=False
    ) as session:
        readers = [
            asyncio.create_task(_read_until(session, url, stop, pages)) for _ in range(READERS)
        ]
        try:
            await asyncio.sleep(0.05)
            async with session.post(
                server.base_url + "/_fake/scenario", data=json.dumps(data).encode()
            ) as r:
                assert r.status == 400
                body = await r.json()
        finally:
            stop.set()
            await asyncio.gather(*readers)
    assert body["error"] == "invalid-request-error"
    assert f"sessions[{SIZE_B - 1}].participants[0].duration" in body["info"], body
    assert pages and all(page == want for _, page in pages)
