"""The handle a test drives a fake-meetings server with (what the pytest fixture returns):
:class:`FakeMeetings`, its clock (:class:`ClockControl`), the journal's
:class:`RecordedRequest`, and the :class:`Backend` it runs on.

One API, two backends:

- :class:`~fake_meetings.testing.local.LocalBackend` changes an in-process server's namespace
  directly (the plugin's own server, :class:`~fake_meetings.testing.runners.ServerThread`,
  ``AsyncServer``);
- :class:`~fake_meetings.testing.remote.RemoteBackend` drives an external server (a CI service
  container) through its control plane, ``/_fake/...`` over HTTP.

Scenarios given to :meth:`FakeMeetings.load` are read and validated exactly like scenario files:
a dict in the file format, a file path, the name of a bundled scenario (``"ties"``), or YAML
text (a string with a line break).
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..domain.times import parse_instant
from .recordings import RecordingBackend, RecordingsControl
from .transcripts import TranscriptBackend, TranscriptsControl
from .webhooks import WebhookBackend, WebhooksControl

if TYPE_CHECKING:  # the scenario reader (and PyYAML) is imported when data is first loaded
    from ..scenario.scenario import Scenario

Source = Mapping[str, Any] | str | os.PathLike[str]
Instant = int | str | datetime
Mode = Literal["replace", "append"]
DEFAULT_DURATION = 1800  # add_session() without participants nor duration: a 30-minute session


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received (its journal), for assertions."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    status: int
    time: float
    fault: str | None = None  # the injected fault that answered, if any

    @classmethod
    def from_dict(cls, e: Mapping[str, Any]) -> RecordedRequest:
        """From a journal entry's JSON shape (``GET /_fake/requests`` and ``Entry.as_dict``)."""
        query = e.get("query") or {}
        return cls(
            method=str(e["method"]),
            path=str(e["path"]),
            query={str(k): list(v) if isinstance(v, list) else [v] for k, v in query.items()},
            headers={str(k): str(v) for k, v in (e.get("headers") or {}).items()},
            status=int(e["status"]),
            time=float(e["time"]),
            fault=e.get("fault"),
        )

    def header(self, name: str) -> str | None:
        """A request header, by case-insensitive name."""
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Present:
    """Someone who joined a room through the handle (``fake_meetings.join(...)``)."""

    participant_id: str  #: the participant_id /meetings shows for this stay
    session_id: str  #: the id of the meeting session joined (/meetings/{session_id})
    room: str | None  #: the room joined (None only from a server that does not say)
    handle: FakeMeetings = field(repr=False, compare=False)

    def leave(self) -> None:
        """Leave now: the stay ends at the server clock's instant."""
        self.handle.leave(self.participant_id)


class Backend(WebhookBackend, RecordingBackend, TranscriptBackend, Protocol):
    def reset(self) -> None: ...
    def load(self, source: Source, mode: Mode, now: int | None) -> None: ...
    def add_sessions(self, sessions: list[dict[str, Any]]) -> None: ...
    def clock(self) -> tuple[int, bool]: ...
    def set_clock(self, instant: int) -> None: ...
    def advance_clock(self, seconds: int) -> None: ...
    def min_stay(self) -> int: ...
    def set_min_stay(self, seconds: int) -> None: ...
    def real_clock(self) -> None: ...
    def join(self, room: str | None, **who: Any) -> dict[str, Any]: ...
    def token(self, properties: dict[str, Any]) -> str: ...
    def room(self, body: dict[str, Any]) -> dict[str, Any]: ...
    def leave(self, participant_id: str) -> None: ...
    def requests(self) -> list[RecordedRequest]: ...
    def clear_requests(self) -> None: ...


class ClockControl:
    """The server clock as a test sees it: ``now()``, ``frozen``, ``set``, ``advance``, ``real``.
    A move returns after the webhook deliveries it caused have settled (within a bound)."""

    def __init__(self, backend: Backend, webhooks: WebhooksControl):
        self._backend = backend
        self._webhooks = webhooks

    def now(self) -> int:
        return self._backend.clock()[0]

    @property
    def frozen(self) -> bool:
        return self._backend.clock()[1]

    def set(self, instant: Instant) -> None:
        """Freeze the clock at ``instant`` (unix seconds, ISO 8601 text or a datetime)."""
        self._backend.set_clock(parse_instant(instant))
        self._webhooks.settle()

    def advance(self, seconds: float | timedelta) -> None:
        """Move the clock forward (a frozen clock stays frozen; a real one gets an offset)."""
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        if not math.isfinite(seconds):
            raise ValueError(f"advance: expected a number of seconds; got {seconds!r}")
        self._backend.advance_clock(int(seconds))  # out of range: FakeMeetingsError
        self._webhooks.settle()

    def real(self) -> None:
        """Back to real time, with no offset."""
        self._backend.real_clock()
        self._webhooks.settle()


class FakeMeetings:
    """A fake-meetings server under test: where it is, and how to set up what it serves."""

    def __init__(self, backend: Backend, url: str, api_key: str):
        self._backend = backend
        self.url = url  #: base URL of the API, ending in /v1 (like https://api.daily.co/v1)
        self.api_key = api_key  #: the key clients send: ``Authorization: Bearer <api_key>``
        #: Daily's webhooks: point_at(url), events(), wait_for(type), deliveries()
        self.webhooks = WebhooksControl(backend)
        self.clock = ClockControl(backend, self.webhooks)
        #: Daily's recordings: start(room), stop(room), list(room)
        self.recordings = RecordingsControl(backend, self.webhooks)
        #: Daily's transcripts: start(room), stop(room), list(room)
        self.transcripts = TranscriptsControl(backend, self.webhooks)
        self._added = 0

    def __repr__(self) -> str:
        return f"<FakeMeetings {self.url}>"

    @property
    def base_url(self) -> str:
        """The server root (``url`` without ``/v1``); the API is served there too."""
        return self.url.removesuffix("/v1")

    @property
    def headers(self) -> dict[str, str]:
        """``{"Authorization": "Bearer <api_key>"}``."""
        return {"Authorization": f"Bearer {self.api_key}"}

    @property
    def min_stay(self) -> int:
        """Seconds a stay lasts before ``/meetings`` shows it (Daily's ten-second rule; the
        server's ``--min-stay``, 10 by default); a shorter stay is never shown. Presence and
        webhooks do not wait. Set it (``fake_meetings.min_stay = 0``: shown at once) for this
        handle's namespace; a reset restores the server's."""
        return self._backend.min_stay()

    @min_stay.setter
    def min_stay(self, seconds: int) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
            raise ValueError(f"min_stay={seconds!r}: expected a whole number of seconds, 0 or more")
        self._backend.set_min_stay(seconds)

    def reset(self) -> None:
        """No sessions, real clock, empty request journal."""
        self._backend.reset()
        self._added = 0

    def load(self, source: Source, *, mode: Mode = "replace", now: Instant | None = None) -> None:
        """Serve a scenario: a dict in the file format, a file path, a bundled name (``"ties"``)
        or YAML text. ``mode="append"`` adds to the sessions served instead of replacing them.

        ``now`` (like ``serve --now``) freezes the clock and is the base of relative times,
        beating the scenario's own ``now:``; else the scenario's ``now:`` does both; else
        relative times count from the server clock, which is left as it is.
        Invalid input raises :class:`ScenarioError` (file, line and path of every problem) and
        changes nothing.
        """
        if mode not in ("replace", "append"):
            raise ValueError(f"mode={mode!r}: expected 'replace' or 'append'")
        self._backend.load(source, mode, parse_instant(now) if now is not None else None)
        self.webhooks.settle()

    def add_session(
        self,
        *,
        room: str = "room",
        start_time: Instant = "-1h",
        duration: int | None = None,
        ongoing: bool = False,
        participants: Sequence[Mapping[str, Any]] | None = None,
        id: str | None = None,
        max_participants: int | None = None,
    ) -> str:
        """Add one session (validated like a scenario's) and return its id.

        ``start_time`` may be relative to the server clock (``"-2h"``). Without
        ``participants``, one anonymous participant stays from ``start_time`` for ``duration``
        seconds (default 1800), or is still there when ``ongoing``. The id, when not given, is
        derived from the call's position since the last reset, its room and its start time.
        """
        session: dict[str, Any] = {"room": room, "start_time": start_time}
        if ongoing:
            session["ongoing"] = True
        if participants is None:
            stay: dict[str, Any] = {"join_time": start_time}
            if not ongoing:
                stay["duration"] = duration if duration is not None else DEFAULT_DURATION
            participants = [stay]
            if ongoing and duration is not None:
                session["duration"] = duration  # refused by validation, with the usual message
        elif duration is not None:
            session["duration"] = duration
        session["participants"] = [dict(p) for p in participants]
        if max_participants is not None:
            session["max_participants"] = max_participants
        self._added += 1
        from ..scenario.scenario import ID_NAMESPACE

        session["id"] = (
            id
            if id is not None
            else str(uuid.uuid5(ID_NAMESPACE, f"add_session|{self._added}|{room}|{start_time}"))
        )
        self._backend.add_sessions([session])
        self.webhooks.settle()
        return str(session["id"])

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests the API received since the last reset, oldest first (the fake's own
        ``/_fake/`` endpoints are not recorded)."""
        return self._backend.requests()

    def clear_requests(self) -> None:
        self._backend.clear_requests()

    def join(
        self,
        room: str | None = None,
        *,
        user_name: str | None = None,
        user_id: str | None = None,
        owner: bool = False,
        token: str | None = None,
    ) -> Present:
        """Someone joins ``room`` now, at the server clock's instant: into the session ongoing
        there, or a new one that starts now. ``leave()`` on the answer ends the stay. A bad
        field (an empty room name, a user name that is not text) raises FakeMeetingsError.

        With a meeting ``token`` (:meth:`token`, or self-signed with the API key) its
        ``room_name`` (the room, when ``room`` is not given), ``user_name``, ``user_id`` and
        ``is_owner`` apply; a token for another room, expired or not yet valid at the server
        clock raises FakeMeetingsError."""
        who: dict[str, Any] = {"user_name": user_name, "user_id": user_id, "owner": owner}
        if token is not None:
            who["token"] = token
        ids = self._backend.join(room, **who)
        self.webhooks.settle()
        return Present(ids["participant_id"], ids["session_id"], ids.get("room") or room, self)

    def token(self, **properties: Any) -> str:
        """A meeting token (``POST /meeting-tokens``) with Daily's ``properties``:
        ``fake_meetings.token(room_name="standup", user_name="Alice", is_owner=True)``.
        Properties are checked like the server checks them (FakeMeetingsError)."""
        return self._backend.token(properties)

    def room(
        self,
        name: str | None = None,
        *,
        privacy: str | None = None,
        properties: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create a room now, as ``POST /rooms`` does (``fake_meetings.room("lesson-42",
        privacy="private")``), and return Daily's room object. Without a name, a random one.
        A bad or taken name raises FakeMeetingsError."""
        body: dict[str, Any] = {"name": name, "privacy": privacy, "properties": properties}
        return self._backend.room({k: v for k, v in body.items() if v is not None})

    def leave(self, participant: str | Present) -> None:
        """A participant (or the id a join returned) leaves now; the last one to leave ends the
        session. An unknown id, or a stay that has left already, raises FakeMeetingsError."""
        pid = participant.participant_id if isinstance(participant, Present) else participant
        self._backend.leave(pid)
        self.webhooks.settle()


# ------------------------------------------------------------------------------ scenario input


def is_text(source: Source) -> bool:
    return isinstance(source, str) and "\n" in source


def read_scenario(source: Source, *, now: int | None, wall_now: int) -> Scenario:
    """Parse and validate ``source`` (dict, YAML text, file path or bundled name)."""
    from ..scenario.loading import load_scenario_file, resolve
    from ..scenario.scenario import load_data, load_text

    if isinstance(source, Mapping):
        return load_data(dict(source), "scenario dict", now=now, wall_now=wall_now)
    if isinstance(source, str) and is_text(source):
        return load_text(source, "scenario text", now=now, wall_now=wall_now)
    return load_scenario_file(resolve(os.fspath(source)), now, wall_now)


def source_label(source: Source) -> str:
    if isinstance(source, Mapping):
        return "scenario dict"
    return "scenario text" if is_text(source) else os.fspath(source)
