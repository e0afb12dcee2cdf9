"""The handle's public names at their first address (``from fake_meetings.handle import ...``).
They live in :mod:`fake_meetings.testing` (``handle.py``, ``local.py``, ``remote.py``) and
:mod:`fake_meetings.client.control` (the errors)."""

from .client.control import ControlPlaneMissing as ControlPlaneMissing
from .client.control import FakeMeetingsError as FakeMeetingsError
from .client.control import RemoteScenarioError as RemoteScenarioError
from .client.control import ServerUnreachable as ServerUnreachable
from .scenario.scenario import ScenarioError as ScenarioError
from .testing.handle import Backend as Backend
from .testing.handle import ClockControl as ClockControl
from .testing.handle import FakeMeetings as FakeMeetings
from .testing.handle import Present as Present
from .testing.handle import RecordedRequest as RecordedRequest
from .testing.handle import read_scenario as read_scenario
from .testing.local import LocalBackend as LocalBackend
from .testing.remote import RemoteBackend as RemoteBackend

Clock = ClockControl  # the handle's clock class under its first name
