"""fake-meetings: a local, deterministic fake of Daily's REST API for integration tests:
meetings, rooms, meeting tokens, presence and webhooks, driven through a control plane (or the
pytest plugin), with a command that captures a real account as a scenario."""

# The same string as pyproject.toml's `version` (tests/project/test_version.py checks it). A
# constant rather than importlib.metadata.version(): that import costs tens of milliseconds in
# every process, the pytest plugin's included.
__version__ = "0.1.0"

__all__ = ["__version__"]
