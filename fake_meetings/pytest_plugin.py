"""The ``pytest11`` entry point (``fake_meetings = "fake_meetings.pytest_plugin"``): the plugin
itself is :mod:`fake_meetings.testing.plugin`; its hooks, fixtures and settings are imported
here so that pytest, which registers this module, finds them."""

from .testing.plugin import (
    MARKER,
    SETTINGS,
    api_key,
    external_url,
    fake_meetings,
    fake_meetings_async,
    fake_meetings_session,
    pytest_addoption,
    pytest_configure,
    setting,
    worker_id,
)

__all__ = [
    "MARKER",
    "SETTINGS",
    "api_key",
    "external_url",
    "fake_meetings",
    "fake_meetings_async",
    "fake_meetings_session",
    "pytest_addoption",
    "pytest_configure",
    "setting",
    "worker_id",
]
