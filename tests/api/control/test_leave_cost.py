"""``POST /_fake/leave`` looks only at who is in a room now: an id that is not there
is a 404 without reading every session. Before, it scanned the store on the event loop, drawing
the stays of every generated session it passed (22 s and +336 MB at 300,000 sessions). Checked
by counting the sessions whose stays get drawn, against a real server: the work is what the
sessions ongoing at the instant cost, not the number of sessions served."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain import drawn
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.constants import NOW, TIMEOUT

SESSIONS = 50_000  # a scan of them all draws 50,000 sessions' stays


@pytest.fixture(scope="module")
def generated() -> Iterator[ServerThread]:
    world = World(generate(GenerateSpec(SESSIONS, rooms=40, seed=3), NOW), Clock(NOW))
    with ServerThread(world, ServerConfig(port=0)) as server:
        yield server


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the sessions whose stays are drawn from now on (in the server's thread too)."""
    seen: list[str] = []
    real = drawn.draw_stays

    def counting(session_id: str, *args: Any) -> list[Any]:
        seen.append(session_id)
        return real(session_id, *args)

    monkeypatch.setattr(drawn, "draw_stays", counting)
    return seen


def leave(server: ServerThread, participant_id: str) -> requests.Response:
    body = {"participant_id": participant_id}
    return requests.post(f"{server.base_url}/_fake/leave", json=body, timeout=TIMEOUT)


@pytest.mark.slow
def test_leaving_an_unknown_id_draws_no_session_it_does_not_need(
    generated: ServerThread, draws: list[str]
) -> None:
    r = leave(generated, "no-such-participant")
    assert r.status_code == 404, r.text
    assert r.json()["error"] == "not-found" and "no-such-participant" in r.json()["info"]
    # at most the sessions ongoing now are read (who is present); a scan read all 50,000
    assert len(draws) < 100, len(draws)
    again = leave(generated, "00000000-0000-4000-8000-000000000000")
    assert again.status_code == 404 and len(draws) < 100


def test_a_live_stay_still_leaves_and_leaving_twice_says_why(
    generated: ServerThread, draws: list[str]
) -> None:
    url = f"{generated.base_url}/_fake/join"
    joined = requests.post(url, json={"room": "leave-cost"}, timeout=TIMEOUT).json()
    pid = joined["participant_id"]
    assert leave(generated, pid).json()["leave_time"] == NOW
    twice = leave(generated, pid)
    assert twice.status_code == 400 and "already left" in twice.json()["info"]
    assert len(draws) < 100, len(draws)
