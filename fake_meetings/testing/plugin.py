"""The pytest plugin: the ``fake_meetings`` fixture. Registered through the ``pytest11`` entry
point, ``fake_meetings.pytest_plugin``, which imports what this module defines.

- ``fake_meetings``: one real server per test session (per xdist worker) in a background
  thread, reset before every test: no sessions, real clock, empty request journal, then the
  data of the test's ``@pytest.mark.fake_meetings(...)`` marker. Returns a
  :class:`~fake_meetings.testing.handle.FakeMeetings` handle.
- ``fake_meetings_async``: the same handle, with a server started on the test's own event loop
  (no thread), for async tests (pytest-asyncio / pytest-aiohttp).
- ``--fake-meetings-url`` / ini ``fake_meetings_url`` / ``FAKE_MEETINGS_URL``: use an external
  server (a CI service container) through its control plane instead of starting one.

Nothing happens until a test asks for a fixture: no server, no import of the server code.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .handle import FakeMeetings

MARKER = "fake_meetings"
SETTINGS = {
    # ini name / option dest: (command-line flag, environment variable, help)
    "fake_meetings_url": (
        "--fake-meetings-url",
        "FAKE_MEETINGS_URL",
        "use the fake-meetings server at this URL (e.g. http://localhost:8080) instead of "
        "starting one in the test process",
    ),
    "fake_meetings_api_key": (
        "--fake-meetings-api-key",
        "FAKE_MEETINGS_API_KEY",
        "the API key the fixture hands out ({worker} is replaced by the xdist worker id); "
        "default fake-meetings, or fake-meetings-<worker> under xdist",
    ),
    "fake_meetings_admin_token": (
        "--fake-meetings-admin-token",
        "FAKE_MEETINGS_ADMIN_TOKEN",
        "X-Fake-Admin-Token for the control plane of an external server started with --admin-token",
    ),
    "fake_meetings_connect_timeout": (
        "--fake-meetings-connect-timeout",
        "FAKE_MEETINGS_CONNECT_TIMEOUT",
        "seconds to wait for an external server to answer its health check (default 10)",
    ),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fake-meetings", "fake-meetings (fake Daily meetings API)")
    for name, (flag, env, help_text) in SETTINGS.items():
        group.addoption(flag, dest=name, default=None, help=f"{help_text} [env {env}]")
        parser.addini(name, help=help_text, default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_meetings(*scenarios, scenario=None, now=None): what the fake_meetings fixture "
        "serves in this test: scenarios (bundled names, files, dicts or YAML text, merged) and "
        "a frozen clock at `now` (unix seconds or ISO 8601)",
    )


def setting(config: pytest.Config, name: str) -> str | None:
    """A plugin setting: command line, else environment variable, else ini file."""
    flag_value = config.getoption(name, default=None)
    if flag_value:
        return str(flag_value)
    env_value = os.environ.get(SETTINGS[name][1])
    if env_value:
        return env_value
    ini_value = config.getini(name)
    return str(ini_value) if ini_value else None


def worker_id() -> str | None:
    return os.environ.get("PYTEST_XDIST_WORKER")


def api_key(config: pytest.Config) -> str:
    worker = worker_id()
    key = setting(config, "fake_meetings_api_key")
    if key:
        return key.replace("{worker}", worker or "main")
    return f"fake-meetings-{worker}" if worker else "fake-meetings"


def external_url(config: pytest.Config) -> str | None:
    """The external server's root URL (a trailing ``/v1`` or ``/`` is accepted and dropped)."""
    url = setting(config, "fake_meetings_url")
    if not url:
        return None
    url = url.strip().rstrip("/").removesuffix("/v1")
    if not url.startswith(("http://", "https://")):
        raise pytest.UsageError(
            f"fake-meetings: {url!r} is not an http:// or https:// URL "
            "(--fake-meetings-url / FAKE_MEETINGS_URL / fake_meetings_url)"
        )
    return url


def _connect_timeout(config: pytest.Config) -> float:
    text = setting(config, "fake_meetings_connect_timeout") or "10"
    try:
        return float(text)
    except ValueError:
        raise pytest.UsageError(
            f"fake-meetings: connect timeout {text!r} is not a number of seconds"
        ) from None


def _external_handle(config: pytest.Config, url: str) -> FakeMeetings:
    from ..client.control import ServerUnreachable
    from .handle import FakeMeetings
    from .remote import RemoteBackend

    key = api_key(config)
    backend = RemoteBackend(url, key, admin_token=setting(config, "fake_meetings_admin_token"))
    timeout = _connect_timeout(config)
    try:
        backend.wait_healthy(timeout)
    except ServerUnreachable as exc:
        reason = str(exc)
    else:
        return FakeMeetings(backend, url + "/v1", key)
    pytest.fail(  # outside the except block: the message is printed once
        f"fake-meetings: the external server given by --fake-meetings-url / "
        f"FAKE_MEETINGS_URL / fake_meetings_url cannot be reached.\n{reason}\n"
        "Is it running, and is the URL right from where the tests run? "
        "Unset the setting to let the plugin start a server in the test process.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def fake_meetings_session(pytestconfig: pytest.Config) -> Iterator[FakeMeetings]:
    """The session's fake-meetings handle (this xdist worker's), *not* reset between tests:
    prefer ``fake_meetings``. The server starts on first use and stops at the session's end."""
    url = external_url(pytestconfig)
    if url is not None:
        yield _external_handle(pytestconfig, url)
        return
    from ..config import ServerConfig
    from ..domain.world import World
    from .runners import ServerThread

    key = api_key(pytestconfig)
    exact = setting(pytestconfig, "fake_meetings_api_key") is not None
    server = ServerThread(World(), ServerConfig(port=0, api_key=key if exact else None))
    with server:
        yield server.handle(key)


def _prepare(handle: FakeMeetings, request: pytest.FixtureRequest) -> None:
    """Reset, then load what the test's marker declares."""
    from ..client.control import FakeMeetingsError

    # Each pytest.fail is outside its except block: pytest then prints the message once, with
    # no "During handling of the above exception, another exception occurred".
    problem: str | None = None
    try:
        handle.reset()
    except FakeMeetingsError as exc:
        problem = f"fake-meetings: cannot reset the server before the test: {exc}"
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return
    unknown = set(marker.kwargs) - {"scenario", "now"}
    if unknown:
        pytest.fail(
            f"@pytest.mark.fake_meetings: unknown argument(s) {', '.join(sorted(unknown))}; "
            "expected scenarios (positional or scenario=) and now=",
            pytrace=False,
        )
    scenarios: list[Any] = list(marker.args)
    given = marker.kwargs.get("scenario")
    if isinstance(given, list | tuple):
        scenarios.extend(given)
    elif given is not None:
        scenarios.append(given)
    now = marker.kwargs.get("now")
    try:
        if now is not None and not scenarios:
            handle.clock.set(now)
        for i, source in enumerate(scenarios):
            handle.load(source, mode="replace" if i == 0 else "append", now=now)
    except (ValueError, FakeMeetingsError) as exc:  # ScenarioError is a ValueError
        problem = f"@pytest.mark.fake_meetings: cannot load the test's data:\n{exc}"
    if problem is not None:
        pytest.fail(problem, pytrace=False)


@pytest.fixture
def fake_meetings(
    fake_meetings_session: FakeMeetings, request: pytest.FixtureRequest
) -> FakeMeetings:
    """A fake Daily meetings API for this test: ``url`` (ends in /v1), ``api_key``,
    ``load(...)``, ``add_session(...)``, ``clock``, ``requests``.

    Reset before the test: no sessions, real clock, empty journal, then the data of
    ``@pytest.mark.fake_meetings(scenario=..., now=...)``."""
    _prepare(fake_meetings_session, request)
    return fake_meetings_session


async def _fake_meetings_async(request: pytest.FixtureRequest) -> AsyncIterator[FakeMeetings]:
    """``fake_meetings`` for async tests, served on the test's own event loop (no thread).

    Only async clients on that loop can reach it. With an external server configured it is the
    same handle as ``fake_meetings`` (whose control-plane calls block the loop briefly)."""
    config = request.config
    if external_url(config) is not None:
        handle: FakeMeetings = request.getfixturevalue("fake_meetings")
        yield handle
        return
    from ..config import ServerConfig
    from ..domain.world import World
    from .runners import AsyncServer

    key = api_key(config)
    exact = setting(config, "fake_meetings_api_key") is not None
    server = AsyncServer(World(), ServerConfig(port=0, api_key=key if exact else None))
    async with server:
        handle = server.handle(key)
        _prepare(handle, request)
        yield handle


def _missing_async() -> None:
    pytest.fail(
        "fake_meetings_async needs pytest-asyncio (pip install pytest-asyncio, or "
        "pytest-aiohttp); sync tests and async tests alike can use fake_meetings",
        pytrace=False,
    )


def _asyncio_fixture() -> Any:
    """``fake_meetings_async``: with pytest-asyncio an async fixture; without it, a fixture
    that fails the test with what to install."""
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - exercised only without pytest-asyncio installed
        return pytest.fixture(name="fake_meetings_async")(_missing_async)
    return pytest_asyncio.fixture(_fake_meetings_async, name="fake_meetings_async")


fake_meetings_async = _asyncio_fixture()
