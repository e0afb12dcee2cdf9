"""Outgoing HTTP: what fake-meetings sends to other servers.

- ``control.py``: the client of a fake-meetings server's control plane (``/_fake/...``), which
  the test handle's :class:`~fake_meetings.testing.remote.RemoteBackend` drives an external
  server (a CI service container) with; and the errors the handle raises.
- ``daily.py``: the Daily reader used by ``fake-meetings capture``: paced, retried ``GET``s of
  Daily's REST API (or of any fake-meetings server) with the user's key.

Standard library only (``urllib``), no aiohttp: the pytest plugin imports it in test processes.
"""
