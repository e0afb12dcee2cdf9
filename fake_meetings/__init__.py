"""fake-meetings: a local, deterministic fake of Daily's meeting-analytics REST API."""

# The same string as pyproject.toml's `version` (tests/project/test_version.py checks it). A
# constant rather than importlib.metadata.version(): that import costs tens of milliseconds in
# every process, the pytest plugin's included.
__version__ = "0.1.0"

__all__ = ["__version__"]
