"""Rooms (contract part two, §10): the room object, an immutable snapshot of a namespace's rooms,
and the keyset query of ``GET /rooms``.

A room is visible from its ``created_at`` on (the timeline of §9: the server clock decides).
Rooms are kept in *ascending* ``(created_at, id)`` order, like sessions in ``store.py``; the list
order of the API is that order descending (newest first, ties by id descending). A snapshot is
never mutated: every change makes a new one that shares all but O(log r) of the old (persistent
sorted maps, ``sortedmap.py``), and the namespace swaps it in whole, so a reader holding the old
one keeps a consistent view.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson

from .model import Session
from .query import MAX_LIMIT, UnknownCursorMode, keyset_window
from .sortedmap import SortedMap

PRIVACY = ("public", "private")
DEFAULT_PRIVACY = "public"  # docs.daily.co: "By default, the privacy property is set to public"
MAX_NAME = 128  # docs.daily.co (delete room): "The room name cannot exceed 128 characters"
NAME_RE = re.compile(r"[A-Za-z0-9_-]+")  # docs.daily.co: invalid is /[^A-Za-z0-9_-]/
RANDOM_NAME_LENGTH = 20
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ROOM_IDS = uuid.UUID("0b9c4a1e-5d7f-4e21-8a3b-6c2d9e8f7a10")  # uuid5 namespace of derived ids
IMPLIED_LEAD = 1  # an implied room is created this many seconds before its first session
# bytes of a room's properties (its config) written as compact JSON. Daily documents no size;
# the properties it does document take a few hundred bytes at most. The bound keeps a room, and
# so GET /rooms (100 rooms a page), from growing without end: a room at the bound is 64 KiB,
# a page at most 6.4 MiB.
MAX_PROPERTIES = 64 * 1024


def invalid_name_info(name: str) -> str | None:
    """Daily's complaint about ``name`` as a room name, or None when it is a valid one."""
    if not NAME_RE.fullmatch(name):
        return (
            f"{name} contains invalid characters "
            "(room names can contain A-Z, a-z, 0-9, '-', and '_')"
        )
    if len(name) > MAX_NAME:
        return f"room name {name[:40]}... is too long (at most {MAX_NAME} characters)"
    return None


@lru_cache(maxsize=4096)  # a scenario names few rooms, again and again (quick_session)
def name_problem(name: str) -> str | None:
    """:func:`invalid_name_info` of a room name that enters other than by ``POST /rooms``: a
    session's room (scenarios, captures), a live join. Its message quotes at most 129
    characters of ``name``: a longer name is refused whatever follows (too long, or invalid
    characters), so the verdict is the same."""
    return invalid_name_info(name[: MAX_NAME + 1])


def properties_problem(config: Mapping[str, Any], whose: str = "a room's") -> str | None:
    """The complaint about properties ``config`` (a room's, or ``whose``: the domain's) when
    their JSON is larger than ``MAX_PROPERTIES`` bytes, or None."""
    try:
        size = len(orjson.dumps(config)) if config else 2
    except orjson.JSONEncodeError:  # not JSON at all: for the checks of values to say
        return None
    if size <= MAX_PROPERTIES:
        return None
    return (
        f"{whose} properties take at most {MAX_PROPERTIES:,} bytes of JSON (64 KiB); "
        f"these would take {size:,}"
    )


def derived_id(name: str, created_at: int) -> str:
    """The id of a room from a scenario or implied by sessions: stable for the same input."""
    return str(uuid.uuid5(ROOM_IDS, f"{name}|{created_at}"))


def random_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def random_name(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(RANDOM_NAME_LENGTH))


@lru_cache(maxsize=8192)  # the same instants are written again and again (presence, rooms)
def created_at_text(created_at: int) -> str:
    """ISO 8601 UTC with milliseconds, as Daily writes it: ``2019-01-26T09:01:22.000Z``."""
    return datetime.fromtimestamp(created_at, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    name: str
    api_created: bool
    privacy: str  # "public" | "private"
    created_at: int  # unix seconds
    config: Mapping[str, Any]  # only properties that differ from the defaults; never mutated

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.created_at, self.id)

    def as_json(self, domain: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "api_created": self.api_created,
            "privacy": self.privacy,
            "url": f"https://{domain}.daily.co/{self.name}",
            "created_at": created_at_text(self.created_at),
            "config": dict(self.config),
        }

    def updated(self, privacy: str | None, properties: Mapping[str, Any] | None) -> Room:
        """This room with ``privacy`` (when given) and ``properties`` merged into its config
        (a property set to null goes back to its default: it leaves the config)."""
        config = dict(self.config)
        for key, value in (properties or {}).items():
            if value is None:
                config.pop(key, None)
            else:
                config[key] = value
        return replace(self, privacy=privacy or self.privacy, config=config)


def implied_room(name: str, first_start: int) -> Room:
    """The room a session implies when no room of that name exists [F]."""
    created = max(0, first_start - IMPLIED_LEAD)
    return Room(derived_id(name, created), name, False, DEFAULT_PRIVACY, created, {})


class Rooms:
    """An immutable snapshot of rooms, by name, by id and in ascending ``(created_at, id)``
    order: three persistent sorted maps (``sortedmap.py``), so a room created, updated or
    deleted copies O(log n) of them and shares the rest with the snapshot it came from (at
    100,000 rooms a change used to copy, sort and index every room: over 100 ms)."""

    __slots__ = ("_by_id", "_by_name", "_ordered")

    _by_name: SortedMap[str, Room]
    _by_id: SortedMap[str, Room]
    _ordered: SortedMap[tuple[int, str], Room]

    def __init__(self, rooms: Iterable[Room] = ()):
        by_name: dict[str, Room] = {}
        for room in rooms:
            if room.name in by_name:
                raise ValueError(f"duplicate room name {room.name!r}")
            by_name[room.name] = room
        self._by_name = SortedMap(by_name.items())
        self._by_id = SortedMap((r.id, r) for r in by_name.values())
        self._ordered = SortedMap((r.sort_key, r) for r in by_name.values())

    def _of(
        self,
        by_name: SortedMap[str, Room],
        by_id: SortedMap[str, Room],
        ordered: SortedMap[tuple[int, str], Room],
    ) -> Rooms:
        out = Rooms.__new__(Rooms)
        out._by_name, out._by_id, out._ordered = by_name, by_id, ordered
        return out

    def __len__(self) -> int:
        return len(self._by_name)

    def __iter__(self) -> Iterator[Room]:
        """Every room, in ascending ``(created_at, id)`` order."""
        return self._ordered.values()

    def get(self, name: str) -> Room | None:
        """The room of that name, visible or not."""
        return self._by_name.get(name)

    def visible(self, name: str, now: int) -> Room | None:
        room = self._by_name.get(name)
        return room if room is not None and room.created_at <= now else None

    def visible_count(self, now: int) -> int:
        """How many rooms are created by ``now``: they are the ranks below this count."""
        return self._ordered.count_below((now + 1, ""))  # "" sorts before every id

    def rank_of(self, room_id: str) -> int | None:
        """The rank of the room with this id in ascending order, or None."""
        room = self._by_id.get(room_id)
        return None if room is None else self._ordered.rank(room.sort_key)

    def descending(self, start: int, end: int) -> list[Room]:
        """The rooms of ranks ``end - 1`` down to ``start``: O(log n + k)."""
        page = self._ordered.values_between(start, end)
        page.reverse()
        return page

    def with_room(self, room: Room) -> Rooms:
        """A snapshot where ``room`` is added, or takes the place of the room of its name."""
        by_id, ordered = self._by_id, self._ordered
        old = self._by_name.get(room.name)
        if old is not None:
            by_id, ordered = by_id.remove(old.id), ordered.remove(old.sort_key)
        return self._of(
            self._by_name.set(room.name, room),
            by_id.set(room.id, room),
            ordered.set(room.sort_key, room),
        )

    def without(self, name: str) -> Rooms:
        old = self._by_name.get(name)
        if old is None:
            return self
        return self._of(
            self._by_name.remove(name),
            self._by_id.remove(old.id),
            self._ordered.remove(old.sort_key),
        )

    def with_rooms(self, rooms: Sequence[Room]) -> Rooms:
        """This snapshot and ``rooms`` (names not in it: a name twice raises ValueError)."""
        if len(rooms) > _REBUILD_AT:
            return Rooms((*self, *rooms))
        out = self
        for room in rooms:
            if out.get(room.name) is not None:
                raise ValueError(f"duplicate room name {room.name!r}")
            out = out.with_room(room)
        return out

    def implied_by(self, firsts: Mapping[str, int]) -> Rooms:
        """This snapshot plus an implied room for each ``room name -> start of its first
        session`` that has no room (contract §10 [F]: created just before that session)."""
        if len(firsts) > _REBUILD_AT:  # a load: one pass over the names, not a walk each
            names = set(self._by_name.keys())
            missing = [implied_room(n, t) for n, t in firsts.items() if n not in names]
        else:
            missing = [implied_room(n, t) for n, t in firsts.items() if self.get(n) is None]
        return self.with_rooms(missing) if missing else self


_REBUILD_AT = 256  # more rooms at once than this: a snapshot is built whole, in O(n log n)


def first_starts(sessions: Iterable[Session]) -> dict[str, int]:
    """The start of the first session of each room of ``sessions``."""
    first: dict[str, int] = {}
    for s in sessions:
        if s.room not in first or s.start_time < first[s.room]:
            first[s.room] = s.start_time
    return first


@dataclass(frozen=True, slots=True)
class RoomsQuery:
    limit: int = MAX_LIMIT
    starting_after: str | None = None
    ending_before: str | None = None  # a room id, or OLDEST


@dataclass(frozen=True, slots=True)
class RoomsPage:
    total_count: int
    rooms: list[Room]  # newest first


def list_rooms(
    rooms: Rooms, q: RoomsQuery, now: int, unknown_cursor: UnknownCursorMode = "error"
) -> RoomsPage:
    """The keyset rules of ``/meetings`` (contract §2, ``query.keyset_window``) over the rooms
    visible at ``now``: the ranks below ``hi``."""
    hi = rooms.visible_count(now)
    found = keyset_window(range(len(rooms)), 0, hi, q, rooms.rank_of, unknown_cursor)
    return RoomsPage(hi, rooms.descending(*found) if found is not None else [])
