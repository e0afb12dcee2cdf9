"""Issue 26, item 10: the in-process handle's clock keeps the range the control plane keeps (unix
seconds from 0 to 2**53: one check, in ``domain/clock.py``). ``advance(10**20)`` used to make
``GET /v1/meetings`` and ``GET /_fake/clock`` answer 500 until a reset, and ``advance(-10**10)``
set a clock before 1970.

On a real server (127.0.0.1, port 0), driven by ``ServerThread.handle()`` and over HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fake_meetings.client.control import FakeMeetingsError
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
AUTH = {"Authorization": "Bearer k"}


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize("seconds", [10**20, -(10**10), 2**53])
def test_the_handle_refuses_to_move_the_clock_out_of_range(
    serve: Serve, plain: Http, frozen: bool, seconds: int
) -> None:
    server = serve(World([], Clock(NOW if frozen else None)))
    c = plain.at(server.base_url)
    fake = server.handle()
    before = fake.clock.now()
    with pytest.raises(FakeMeetingsError, match=f"advance: {seconds} would move the clock"):
        fake.clock.advance(seconds)
    assert fake.clock.now() - before in (0, 1)  # unchanged (a real clock ticks)
    assert fake.clock.frozen is frozen
    assert ok(c.get("/_fake/clock"))["now"] - before in (0, 1)
    ok(c.get("/v1/meetings", headers=AUTH))
    # over HTTP, the same refusal from the same check (JSON reads 10**20 as a float: refused)
    words = [f"advance: {seconds} would move the clock", "2**53"] if seconds < 2**63 else []
    error(c.post("/_fake/clock", {"advance": seconds}), 400, "invalid-request-error", *words)


def test_moves_within_the_range_still_work(serve: Serve, plain: Http) -> None:
    server = serve(World([], Clock(NOW)))
    fake = server.handle()
    fake.clock.advance(2**53 - 1 - NOW)  # the last second there is
    assert fake.clock.now() == 2**53 - 1
    fake.clock.advance(-(2**53 - 1))  # back to 1970
    assert fake.clock.now() == 0
    assert ok(plain.at(server.base_url).get("/_fake/clock"))["now"] == 0
    with pytest.raises(ValueError, match="advance"):
        fake.clock.advance(float("inf"))
