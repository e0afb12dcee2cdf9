"""One question of the mix: a GET written in the capture's names (room names as the capture
has them, rooms named where the account's ids go), resolved for each side by a
:class:`Names` (the account's names and ids, or the fake's)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["meetings", "session", "participants", "rooms", "room", "presence", "domain"]


class Names(Protocol):
    """A side's names: its room name for the capture's, its id for a room."""

    def room_name(self, captured: str) -> str | None: ...
    def room_id(self, captured: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class RoomName:
    """A room's name in a path or a parameter."""

    name: str


@dataclass(frozen=True, slots=True)
class RoomId:
    """A room's id (a ``/rooms`` cursor), named by the room's name in the capture."""

    name: str


Value = str | RoomName | RoomId


@dataclass(frozen=True, slots=True)
class Filters:
    """The ``/meetings`` filters of a question: what a session must be to be in its answer."""

    room: str | None = None
    start: int | None = None  # timeframe_start (included)
    end: int | None = None  # timeframe_end (excluded)
    ongoing: bool | None = None

    def match(self, room: str, start_time: int, ongoing: bool) -> bool:
        return (
            (self.room is None or room == self.room)
            and (self.start is None or start_time >= self.start)
            and (self.end is None or start_time < self.end)
            and (self.ongoing is None or ongoing == self.ongoing)
        )


@dataclass(frozen=True, slots=True)
class Query:
    kind: Kind
    path: tuple[Value, ...]  # the segments after the base URL
    params: tuple[tuple[str, Value], ...] = ()
    filters: Filters | None = None  # for /meetings lists: which sessions may be in the answer
    subject: str | None = None  # the session or room the question is about (capture's names)
    walk: bool = False  # a page of the whole listing (its sessions show the account's data)
    refusal: bool = False  # asked for its error answer

    def resolve(self, names: Names) -> tuple[str, dict[str, str]] | None:
        """``(path, query parameters)`` for a side, or None when it has no such room."""
        segments = []
        for segment in self.path:
            value = _value(segment, names)
            if value is None:
                return None
            segments.append(urllib.parse.quote(value, safe=""))
        params = {}
        for key, item in self.params:
            value = _value(item, names)
            if value is None:
                return None
            params[key] = value
        return "/" + "/".join(segments), params

    def text(self, names: Names) -> str:
        """The request as a side is asked it, e.g. ``/meetings?room=standup&limit=7``."""
        resolved = self.resolve(names)
        if resolved is None:
            return "(not asked)"
        path, params = resolved
        return path + ("?" + urllib.parse.urlencode(params) if params else "")


def _value(value: Value, names: Names) -> str | None:
    if isinstance(value, RoomName):
        return names.room_name(value.name)
    if isinstance(value, RoomId):
        return names.room_id(value.name)
    return value
