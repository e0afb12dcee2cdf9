"""The handle's public names at their first address (``from fake_meetings.handle import ...``).
They live in :mod:`fake_meetings.testing` (``handle.py``, ``local.py``, ``remote.py``) and
:mod:`fake_meetings.client.control` (the errors)."""

from .client.control import (
    ControlPlaneMissing,
    FakeMeetingsError,
    RemoteScenarioError,
    ServerUnreachable,
)
from .domain.scenario import ScenarioError
from .testing.handle import (
    Backend,
    ClockControl,
    FakeMeetings,
    Present,
    RecordedRequest,
    read_scenario,
)
from .testing.local import LocalBackend
from .testing.remote import RemoteBackend

Clock = ClockControl  # the handle's clock class under its first name

__all__ = [
    "Backend",
    "Clock",
    "ClockControl",
    "ControlPlaneMissing",
    "FakeMeetings",
    "FakeMeetingsError",
    "LocalBackend",
    "Present",
    "RecordedRequest",
    "RemoteBackend",
    "RemoteScenarioError",
    "ScenarioError",
    "ServerUnreachable",
    "read_scenario",
]
