"""The runners usable from any Python code (``ServerThread``, ``AsyncServer``, ``serve``) and the
handle outside pytest fixtures: real sockets, real sync and async clients."""

from __future__ import annotations

import threading

import aiohttp
import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import AsyncServer, ServerThread, serve
from tests.helpers.constants import TIMEOUT

KEY = {"Authorization": "Bearer k"}
TIES_FIRST = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def get(url: str, **params: str) -> requests.Response:
    with requests.Session() as s:
        s.trust_env = False
        return s.get(url, params=params, headers=KEY, timeout=TIMEOUT)


def test_serve_bundled_scenario_and_stop() -> None:
    with serve("ties") as server:
        assert server.host == "127.0.0.1" and server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}/v1"
        body = get(server.url + "/meetings", limit="1").json()
        assert body["total_count"] == 9
        assert body["data"][0]["id"] == TIES_FIRST
        assert server.world.clock.now() == 1717243200  # the file's now:
    with pytest.raises(requests.ConnectionError):
        get(server.url + "/meetings")


def test_serve_options_and_now() -> None:
    with serve(now="2024-01-01T00:00:00Z", api_key="exact") as server:
        assert server.world.clock.frozen and server.world.clock.now() == 1704067200
        assert get(server.url + "/meetings").status_code == 401
        assert len(server.world.store) == 0


def test_server_thread_keeps_its_positional_api() -> None:
    world = World((), Clock(100))
    with ServerThread(world, ServerConfig(port=0, auth=False)) as server:
        assert server.world is world
        r = requests.get(server.base_url + "/meetings", timeout=TIMEOUT)
        assert r.json() == {"total_count": 0, "data": []}
        assert [(e.path, e.status) for e in server.journal] == [("/meetings", 200)]


def test_call_runs_on_the_server_loop() -> None:
    with serve() as server:
        assert server.call(lambda: threading.current_thread().name) == "fake-meetings"
        assert server.call(lambda a, b: a + b, 2, 3) == 5

        def boom() -> None:
            raise KeyError("x")

        with pytest.raises(KeyError):
            server.call(boom)
    # stopped: runs in the caller's thread
    assert server.call(lambda: threading.current_thread().name) == "MainThread"


def test_handle_outside_pytest_fixtures() -> None:
    with serve() as server:
        fake = server.handle("my-key")
        assert fake.url == server.url and fake.api_key == "my-key"
        fake.load("single")
        sid = fake.add_session(room="extra", start_time="-1h", duration=60)
        body = get(fake.url + "/meetings").json()
        assert body["total_count"] == 2
        assert body["data"][0]["id"] == sid  # 11:00 is newer than single's 10:00
        assert [r.path for r in fake.requests] == ["/v1/meetings"]
        fake.reset()
        assert get(fake.url + "/meetings").json()["total_count"] == 0
        assert not fake.clock.frozen


async def test_async_code_against_the_thread_server() -> None:
    with serve("ties") as server:
        async with (
            aiohttp.ClientSession(trust_env=False) as s,
            s.get(server.url + "/meetings", headers=KEY) as r,
        ):
            assert (await r.json())["total_count"] == 9


async def test_async_server_on_the_running_loop() -> None:
    world = World((), Clock(5_000))
    async with AsyncServer(world) as server:
        fake = server.handle()
        sid = fake.add_session(start_time=4_000, ongoing=True)
        async with (
            aiohttp.ClientSession(trust_env=False) as s,
            s.get(f"{server.url}/meetings/{sid}", headers=KEY) as r,
        ):
            body = await r.json()
        assert (body["ongoing"], body["duration"]) == (True, 1_000)
        assert not [t for t in threading.enumerate() if t.name == "fake-meetings"]
        url = server.url
    async with aiohttp.ClientSession(trust_env=False) as s:
        with pytest.raises(aiohttp.ClientConnectionError):
            await s.get(url + "/meetings", headers=KEY)


def test_handle_reset_clears_faults_injected_over_http() -> None:
    with serve("single") as server, requests.Session() as http:
        headers = {"Authorization": "Bearer k"}
        fault = http.post(server.base_url + "/_fake/faults", json={"status": 503, "count": 5})
        assert fault.status_code == 201
        assert (
            http.get(server.url + "/meetings", headers=headers, timeout=TIMEOUT).status_code == 503
        )
        server.handle().reset()
        after = http.get(server.url + "/meetings", headers=headers, timeout=TIMEOUT)
        assert after.status_code == 200 and after.json() == {"total_count": 0, "data": []}


def test_journal_cap_of_the_config_applies_in_process() -> None:
    with serve("single", journal_cap=3) as server, requests.Session() as http:
        for i in range(5):
            http.get(f"{server.url}/meetings?limit={i + 1}", headers={"Authorization": "Bearer k"})
        assert [e.as_dict()["query"] for e in server.journal] == [{"limit": [n]} for n in "345"]


def test_the_first_addresses_of_the_public_names_still_work() -> None:
    """``fake_meetings.handle`` and ``fake_meetings.pytest_plugin`` name what now lives in
    ``fake_meetings.testing`` and ``fake_meetings.client``: the very same objects."""
    import fake_meetings.handle as old_handle
    import fake_meetings.pytest_plugin as entry_point
    import fake_meetings.testing as testing
    from fake_meetings.testing import plugin

    for name in (
        "FakeMeetings",
        "Present",
        "RecordedRequest",
        "LocalBackend",
        "RemoteBackend",
        "FakeMeetingsError",
        "ServerUnreachable",
        "ControlPlaneMissing",
        "RemoteScenarioError",
    ):
        assert getattr(old_handle, name) is getattr(testing, name), name
    assert old_handle.Clock is testing.ClockControl
    for name in ("pytest_addoption", "pytest_configure", "fake_meetings", "fake_meetings_async"):
        assert getattr(entry_point, name) is getattr(plugin, name), name
    with pytest.raises(AttributeError):
        _ = testing.nothing_of_that_name
