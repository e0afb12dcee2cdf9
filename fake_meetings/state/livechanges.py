"""A namespace's commands of the moment: the clock (set, advance, back to real time) and people
joining and leaving now (``POST /_fake/join``, ``/_fake/leave``, ``/_fake/clock`` and the
handle's ``join``, ``leave``, ``clock``). The part of :class:`namespaces.Namespace` they add,
kept here so each file stays one subject. Each is synchronous on the server's loop, so none
takes the namespace's lock; the control plane runs them through ``Namespace.in_turn``."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from ..domain import rooms as rooms_
from ..domain.tokens import Token, joining
from ..errors import ApiError, invalid, not_found
from .group import CommandGroup

if TYPE_CHECKING:
    from ..domain.model import Participant, Session

LIVE_SEED = 0  # ids of live joins come from a generator seeded with this at every reset
MAX_TEXT = 1024  # characters of a room name, a user name or id, a participant id


def check_text(
    name: str, value: object, *, required: bool, hint: str = "", most: int = MAX_TEXT
) -> str | None:
    """``value`` as a non-empty text field of a join or a leave, of at most ``most`` characters
    (None when optional and not given); anything else is a 400 naming the field. ``hint`` ends
    the message (an example)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        need = "required: a non-empty string" if required else "a non-empty string or null"
        raise invalid(f"{name}: {need}; got {value!r:.100}{hint}")
    if len(value) > most:
        raise invalid(f"{name}: at most {most:,} characters; got {len(value):,}")
    return value


def check_owner(value: object) -> bool:
    if not isinstance(value, bool):
        raise invalid(f"owner: must be true or false; got {value!r:.100}")
    return value


class LiveCommands(CommandGroup):
    """The clock, join and leave commands of a namespace (mixed into ``Namespace``)."""

    if TYPE_CHECKING:
        _ids: random.Random
        _joined: dict[str, str]

    def set_clock(self, instant: int) -> None:
        before = self.world.clock.now()
        self.world.clock.set(instant)
        self._tell("clock", before)

    def advance_clock(self, seconds: int) -> None:
        before = self.world.clock.now()
        self.world.clock.advance(seconds)
        self._tell("clock", before)

    def real_clock(self) -> None:
        before = self.world.clock.now()
        self.world.clock.unfreeze()
        self._tell("clock", before)

    # -- people joining and leaving now

    def join(
        self,
        room: str | None,
        *,
        user_id: str | None = None,
        user_name: str | None = None,
        owner: bool = False,
        token: Token | None = None,
    ) -> tuple[Session, Participant]:
        """Someone joins ``room`` now; returns the session joined and the new stay. The
        fields are checked here, for the control plane and the handle alike (400 naming one).
        With ``token`` (verified by the caller, at this instant), its room, user fields and
        ``is_owner`` apply (``tokens.joining``): a room it does not name is refused."""
        if token is not None:
            who = joining(token, room, user_name, user_id, owner)
            room, user_name, user_id, owner = who.room, who.user_name, who.user_id, who.owner
        elif room is None:
            raise invalid("room: required (or a token with a room_name)")
        check_text("room", room, required=True)
        complaint = rooms_.name_problem(room)  # the rule of POST /rooms: GET /rooms lists it
        if complaint is not None:
            raise invalid(f"room: {complaint}")
        check_text("user_name", user_name, required=False)
        check_text("user_id", user_id, required=False)
        check_owner(owner)
        from ..domain import live  # imported on the first join or leave

        now = self.world.clock.now()
        store = self.world.store
        implied = self.world.rooms.get(room) is None
        if implied:
            self.bounds.check_rooms(len(self.world.rooms) + 1)
        change = live.join(
            store, room, now, self._ids, user_id=user_id, user_name=user_name, owner=owner
        )
        self.bounds.check_sessions(len(change.store))
        self.world.store = change.store
        self._joined[change.participant.participant_id] = change.session.id
        if implied:  # a room the join names into being [F]
            self.world.rooms = self.world.rooms.implied_by({room: change.session.start_time})
        self._tell("join", now, change.session, change.participant)
        return change.session, change.participant

    def leave(self, participant_id: str) -> tuple[Session, Participant]:
        """The stay ``participant_id`` ends now; returns its session (ended if it was the last
        one present) and the closed stay. Only a stay present now can leave: it is found among
        the sessions ongoing now, in O(log n), never by reading every session; another id is a
        404, or a 400 saying why when a live join here made it."""
        check_text("participant_id", participant_id, required=True)
        from ..domain import live

        now = self.world.clock.now()
        joined = self._joined.get(participant_id)
        try:
            change = live.leave(self.world.store, participant_id, now, joined)
        except live.UnknownParticipant:
            raise not_found(
                f"no participant {participant_id!r} in a room now (the id a join returned; "
                "only a stay present now can leave)"
            ) from None
        except live.NotPresent as exc:
            raise ApiError(400, f"participant {participant_id!r} {exc}") from None
        self.world.store = change.store
        self._tell("leave", now, change.session, change.participant)
        return change.session, change.participant
