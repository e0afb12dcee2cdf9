"""The shared fixtures, registered for every test by ``tests/conftest.py`` (``pytest_plugins``):
real clients (``client``, ``http``, ``aio``, ``http_client``, ``plain``), a server factory
(``serve``), a scripted HTTP server factory (``stub``), and the small and big scenarios served
read-only (``small_server``, ``big_server``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http
from tests.helpers.clients import AiohttpClient, RequestsClient, SyncClient
from tests.helpers.constants import TIMEOUT
from tests.helpers.receiver import Receiver, running_receiver
from tests.helpers.scenarios import Scenario, big_scenario, small_scenario
from tests.helpers.stub import Script, StubServer


@pytest.fixture(params=["requests", "aiohttp"])
def client(request: pytest.FixtureRequest) -> Iterator[SyncClient]:
    """Each test using it runs twice: with ``requests`` and with ``aiohttp.ClientSession``."""
    c: SyncClient = RequestsClient() if request.param == "requests" else AiohttpClient()
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A plain ``requests.Session`` (never uses a proxy)."""
    with requests.Session() as s:
        s.trust_env = False
        yield s


@pytest.fixture
async def aio() -> AsyncIterator[aiohttp.ClientSession]:
    """A real ``aiohttp.ClientSession`` (not aiohttp's test client) for ``async def`` tests."""
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=TIMEOUT), trust_env=False
    ) as s:
        yield s


@pytest.fixture
def serve() -> Iterator[Callable[..., ServerThread]]:
    """Factory: ``serve(world, **ServerConfig options)`` starts a server, stopped at teardown."""
    started: list[ServerThread] = []

    def start(world: World, **options: Any) -> ServerThread:
        server = ServerThread(world, ServerConfig(port=0, **options)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def stub() -> Iterator[Callable[[Script], StubServer]]:
    """Factory: ``stub(script)`` starts a scripted HTTP server (``helpers/stub.py``)."""
    started: list[StubServer] = []

    def start(script: Script) -> StubServer:
        started.append(StubServer(script))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture(scope="module")
def small() -> Scenario:
    return small_scenario()


@pytest.fixture(scope="module")
def big() -> Scenario:
    return big_scenario()


@pytest.fixture(scope="module")
def small_server(small: Scenario) -> Iterator[ServerThread]:
    """The small scenario, default options, frozen at NOW. Read-only tests only."""
    with ServerThread(small.world(), ServerConfig(port=0)) as server:
        yield server


@pytest.fixture(scope="module")
def big_server(big: Scenario) -> Iterator[ServerThread]:
    with ServerThread(big.world(), ServerConfig(port=0)) as server:
        yield server


@pytest.fixture(params=["requests", "aiohttp"])
def http_client(request: pytest.FixtureRequest) -> Iterator[Http]:
    """Each test using it runs with ``requests`` and with ``aiohttp``; call ``.at(base_url)``."""
    c = Http(request.param)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def plain() -> Iterator[Http]:
    c = Http("requests")
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real webhook receiver on 127.0.0.1 that records what it gets (``receiver.url``)."""
    yield from running_receiver()
