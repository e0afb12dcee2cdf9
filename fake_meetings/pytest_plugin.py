"""The ``pytest11`` entry point (``fake_meetings = "fake_meetings.pytest_plugin"``): the plugin
itself is :mod:`fake_meetings.testing.plugin`; its hooks, fixtures and settings are imported
here so that pytest, which registers this module, finds them."""

from .testing.plugin import MARKER as MARKER
from .testing.plugin import SETTINGS as SETTINGS
from .testing.plugin import api_key as api_key
from .testing.plugin import external_url as external_url
from .testing.plugin import fake_meetings as fake_meetings
from .testing.plugin import fake_meetings_async as fake_meetings_async
from .testing.plugin import fake_meetings_session as fake_meetings_session
from .testing.plugin import pytest_addoption as pytest_addoption
from .testing.plugin import pytest_configure as pytest_configure
from .testing.plugin import setting as setting
from .testing.plugin import worker_id as worker_id
