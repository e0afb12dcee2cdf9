"""fake-meetings: a local, deterministic fake of Daily's meeting-analytics REST API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fake-meetings")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
