"""The in-process handle's loads take the namespace's turn (``Namespace.exclusive``), as the
control plane's loads do: while a load over HTTP (or anything else holding the turn) is under
way, a handle load waits for it instead of swapping its sessions in between that load's
reading of the sessions and its own swap (which would lose the handle's). On the test's own
loop (``AsyncServer``), where the handle cannot wait, it is refused instead."""

from __future__ import annotations

import asyncio
import threading

import pytest

from fake_meetings.api.keys import NAMESPACES
from fake_meetings.client.control import FakeMeetingsError
from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import AsyncServer, ServerThread
from tests.helpers.constants import NOW


def _served(server: ServerThread, session_id: str) -> bool:
    space = server.app[NAMESPACES].default
    return server.call(lambda: space.world.store.get(session_id) is not None)


def test_a_handle_load_waits_while_the_namespace_s_turn_is_held() -> None:
    with ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0)) as server:
        handle = server.handle()
        space = server.app[NAMESPACES].default
        release = threading.Event()
        holding = threading.Event()

        async def held() -> None:  # what an HTTP load does while it parses off the loop
            holding.set()
            await asyncio.to_thread(release.wait, 10)

        holder = threading.Thread(target=server.call_async, args=(lambda: space.exclusive(held),))
        holder.start()
        try:
            assert holding.wait(10)
            loading = threading.Thread(
                target=handle.add_session, kwargs={"id": "late", "room": "r"}
            )
            loading.start()
            loading.join(1.0)
            assert loading.is_alive()  # waiting for its turn
            assert not _served(server, "late")  # nothing swapped in meanwhile
        finally:
            release.set()
            holder.join(10)
        loading.join(10)
        assert not loading.is_alive()
        assert _served(server, "late")


async def test_on_the_test_s_own_loop_a_handle_load_is_refused_while_the_turn_is_held() -> None:
    async with AsyncServer(World(clock=Clock(NOW))) as server:
        handle = server.handle()
        space = server.app[NAMESPACES].default
        release = asyncio.Event()
        holder = asyncio.create_task(space.exclusive(release.wait))
        await asyncio.sleep(0)  # the holder takes the turn
        with pytest.raises(FakeMeetingsError, match="holds this namespace's turn"):
            handle.add_session(id="late", room="r")
        assert space.world.store.get("late") is None
        release.set()
        await holder
        handle.add_session(id="late", room="r")
        assert space.world.store.get("late") is not None
