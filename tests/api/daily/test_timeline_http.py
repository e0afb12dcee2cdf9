"""The timeline over real HTTP while the clock moves: every response is the timeline at exactly
one instant, never half of one instant and half of another.

A scenario of sessions spaced a minute apart, each running twenty minutes, is served with a
frozen clock that one client moves forward and back in steps of 37 s while readers page
``/meetings`` and fetch sessions. From each answer the instant it was made at is read off (an
ongoing session's duration is ``now - start_time``, an ended one's is fixed), and the whole
answer must equal the model's answer at that instant (a session listed once its stay has
lasted ten seconds: Daily's rule). The model is computed here from the
scenario's numbers, independently of the package.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import aiohttp

from fake_meetings.testing import ServerThread
from tests.helpers.constants import AUTH, MIN_STAY, NOW, TIMEOUT
from tests.helpers.scenarios import PartSpec, Scenario, SessionSpec

Serve = Callable[..., ServerThread]
COUNT = 60
SPACING = 60  # seconds between session starts
LENGTH = 1200  # seconds each session runs
FIRST = NOW - COUNT * SPACING  # the first start; the last is a minute before NOW
READERS = 6
MOVES = 60


def scenario() -> Scenario:
    sessions = [
        SessionSpec(
            f"t-{i:03d}",
            "room-a" if i % 2 else "room-b",
            FIRST + i * SPACING,
            [PartSpec(f"t-{i:03d}-p", FIRST + i * SPACING, LENGTH, user_name=f"user {i}")],
        )
        for i in range(COUNT)
    ]
    return Scenario(sessions, now=FIRST - 1)  # before every session: nothing visible yet


def model_page(spec: Scenario, now: int) -> dict[str, Any]:
    """``GET /meetings?no_participants=true`` at ``now``, computed from the scenario (each
    session's one stay joins at its start)."""
    visible = [s for s in spec.ordered() if s.start_time + MIN_STAY <= now]
    data = []
    for s in visible[:100]:
        end = s.start_time + LENGTH
        data.append(
            {
                "id": s.id,
                "room": s.room,
                "start_time": s.start_time,
                "duration": min(now, end) - s.start_time,
                "ongoing": now < end,
                "max_participants": 1,
            }
        )
    return {"total_count": len(visible), "data": data}


def instant_of(page: dict[str, Any]) -> int | None:
    """The instant an answer was made at: from its newest session, ongoing (now = start +
    duration) or, if it ended, any instant after its end (the answer is then the same)."""
    if not page["data"]:
        return None
    newest = page["data"][0]
    return int(newest["start_time"] + newest["duration"])


async def _mover(base: str, stop: asyncio.Event, seen: list[int]) -> None:
    rng = random.Random(5)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as http:
        for _ in range(MOVES):
            step = rng.choice([37, 37, 37, -37 * rng.randint(1, 5)])
            async with http.post(base + "/_fake/clock", json={"advance": step}) as r:
                assert r.status == 200, await r.text()
                seen.append((await r.json())["now"])
            await asyncio.sleep(0)
    stop.set()


async def _reader(url: str, stop: asyncio.Event, pages: list[dict[str, Any]]) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as http:
        while not stop.is_set():
            async with http.get(url, headers=AUTH) as r:
                assert r.status == 200, await r.text()
                pages.append(await r.json())


async def test_each_answer_is_the_timeline_at_one_instant_while_the_clock_moves(
    serve: Serve,
) -> None:
    spec = scenario()
    server = serve(spec.world())
    # start among the sessions, so that some are ongoing and some ended from the first answer
    async with aiohttp.ClientSession() as http:
        await http.post(server.base_url + "/_fake/clock", json={"freeze_at": NOW - 1800})
    stop = asyncio.Event()
    pages: list[dict[str, Any]] = []
    instants: list[int] = []
    url = server.url + "/meetings?no_participants=true"
    await asyncio.gather(
        _mover(server.base_url, stop, instants),
        *(_reader(url, stop, pages) for _ in range(READERS)),
    )
    assert len(pages) >= MOVES and len(instants) == MOVES  # readers ran all along
    checked = 0
    for page in pages:
        now = instant_of(page)
        assert now is not None, page
        # the answer equals the model at its instant (an ended newest session stands for any
        # instant after its end: the model is then the same, so its end is used)
        assert page == model_page(spec, now), now
        checked += 1
    assert checked == len(pages)
    # the clock really moved both ways while the readers read
    assert max(instants) > min(instants) + 3 * 37
    assert any(b < a for a, b in pairwise(instants))
