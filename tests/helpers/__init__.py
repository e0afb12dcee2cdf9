"""Shared helpers of the test suite (no tests, no fixtures: those are in ``fixtures.py``).

- ``constants``: the frozen ``NOW``, ``DAY``, the Bearer ``AUTH`` header and the HTTP ``TIMEOUT``.
- ``scenarios``: scenario builders (``SessionSpec`` and friends) whose expected answers are
  computed here, independently of the package; the ``small`` and ``big`` scenarios.
- ``clients``: real sync and async HTTP clients and the ``Resp`` they return.
- ``admin``: a client that can send bodies, envelope assertions, control-plane builders.
- ``processes``: ``fake-meetings serve`` as a subprocess.
- ``fixtures``: the shared fixtures, registered by ``tests/conftest.py``.
"""
