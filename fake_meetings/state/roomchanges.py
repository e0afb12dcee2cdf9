"""A namespace's room commands (``POST /rooms``, ``POST /rooms/:name``, ``DELETE
/rooms/:name``, and the test handle's ``room()``): the part of :class:`namespaces.Namespace`
that rooms add, kept here so each file stays one subject. Each takes the request body as sent
(checked here through ``domain/roombody.py``, a 400 naming the field), and swaps the world's
rooms whole. Each is synchronous on the server's loop, so none takes the namespace's lock
(a load swaps its rooms in the same synchronous step as its sessions)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from ..domain import rooms as rooms_
from ..domain.roombody import create_body, update_body
from ..domain.rooms import Room
from ..errors import invalid
from .group import CommandGroup
from .lookups import visible

ROOMS_SEED = 1  # ids and random names of rooms created through the API: the same, for rooms


def check_properties(room: Room) -> Room:
    """``room`` when its properties are within ``rooms.MAX_PROPERTIES``; else a 400."""
    problem = rooms_.properties_problem(room.config)
    if problem is not None:
        raise invalid(f"properties: {problem}")
    return room


class RoomCommands(CommandGroup):
    """The room commands of a namespace (mixed into ``Namespace``)."""

    if TYPE_CHECKING:
        _room_ids: random.Random

    def create_room(self, body: dict[str, Any]) -> Room:
        """A room created now, from ``POST /rooms``'s body (``name``, ``privacy``,
        ``properties``). A name of a room visible now is taken (400); a room that is not
        created yet by the clock (a scenario's future room) gives its name up to this one [F].
        Without a name, a random one (seeded per namespace). Beyond the namespace's rooms
        bound, a 400."""
        name, privacy, properties = create_body(body)
        now = self.world.clock.now()
        current = self.world.rooms
        if name is None:
            name = rooms_.random_name(self._room_ids)
            while current.get(name) is not None:
                name = rooms_.random_name(self._room_ids)
        elif current.visible(name, now) is not None:
            raise invalid(f"a room named {name} already exists")
        if current.get(name) is None:  # not a future room's name given up to this one
            self.bounds.check_rooms(len(current) + 1)
        room = Room(
            rooms_.random_id(self._room_ids), name, True, rooms_.DEFAULT_PRIVACY, now, {}
        ).updated(privacy, properties)
        self.world.rooms = current.with_room(check_properties(room))
        return room

    def update_room(self, name: str, body: dict[str, Any]) -> Room:
        """``POST /rooms/:name``: the room visible now with ``privacy`` and ``properties`` set
        (a 404 when there is none)."""
        _, privacy, properties = update_body(body)
        room = check_properties(self._visible_room(name).updated(privacy, properties))
        self.world.rooms = self.world.rooms.with_room(room)
        return room

    def delete_room(self, name: str) -> Room:
        """The room visible now leaves (a 404 when there is none); the meeting history of its
        sessions stays [F]."""
        room = self._visible_room(name)
        self.world.rooms = self.world.rooms.without(name)
        return room

    def _visible_room(self, name: str) -> Room:
        return visible(self.world.rooms, name, self.world.clock.now(), "room")
