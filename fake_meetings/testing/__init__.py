"""Test support: the runners, the handle and the pytest plugin.

- ``runners.py``: the real server in a thread (:class:`ServerThread`, :func:`serve`) or on the
  running event loop (:class:`AsyncServer`), for tests and scripts;
- ``handle.py``: :class:`FakeMeetings`, the handle a test drives a server with (what the pytest
  fixture returns), its clock, the journal's :class:`RecordedRequest`, scenario input;
- ``local.py`` / ``remote.py``: the handle's backends, a server in this process
  (:class:`LocalBackend`) or an external one through its control plane (:class:`RemoteBackend`);
- ``plugin.py``: the pytest plugin (registered as ``fake_meetings.pytest_plugin``).

The names below are imported on first use, so that the plugin, which lives in this package,
imports no server code until a test asks for a fixture.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client.control import (
        ControlPlaneMissing,
        FakeMeetingsError,
        RemoteScenarioError,
        ServerUnreachable,
    )
    from .handle import ClockControl, FakeMeetings, Present, RecordedRequest
    from .local import LocalBackend
    from .remote import RemoteBackend
    from .runners import AsyncServer, ServerThread, serve

_HOMES = {
    "AsyncServer": ".runners",
    "ServerThread": ".runners",
    "serve": ".runners",
    "ClockControl": ".handle",
    "FakeMeetings": ".handle",
    "Present": ".handle",
    "RecordedRequest": ".handle",
    "LocalBackend": ".local",
    "RemoteBackend": ".remote",
    "ControlPlaneMissing": "..client.control",
    "FakeMeetingsError": "..client.control",
    "RemoteScenarioError": "..client.control",
    "ServerUnreachable": "..client.control",
}

__all__ = [
    "AsyncServer",
    "ClockControl",
    "ControlPlaneMissing",
    "FakeMeetings",
    "FakeMeetingsError",
    "LocalBackend",
    "Present",
    "RecordedRequest",
    "RemoteBackend",
    "RemoteScenarioError",
    "ServerThread",
    "ServerUnreachable",
    "serve",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)
