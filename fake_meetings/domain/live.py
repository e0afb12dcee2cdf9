"""People joining and leaving rooms *now*: the write side of the timeline (contract part two,
§9). Pure functions from one store snapshot to the next; nothing is changed in place.

- **Joining** a room that has a session ongoing at ``now`` adds an open stay to it (to the most
  recently started one, should a scenario hold several); otherwise a new session starts at
  ``now`` with that one stay. Ids are UUID-shaped, drawn from the caller's seeded generator,
  so a run of a test is repeatable; an id already in use (data recorded from an earlier run
  holds the very ids the generator draws again) is skipped: a session id served anywhere, a
  participant id of a session ongoing at ``now`` (where a leave looks for it first) or a
  session id.
- **Leaving** closes a stay at ``now``: one still open, or one a scenario has leaving later. When
  the last open stay of a session closes, the session ends at ``now``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from .generate import seeded_uuid
from .model import Participant, Session
from .store import Store


class UnknownParticipant(LookupError):
    """No stay has this participant id."""


class NotPresent(ValueError):
    """The stay exists but cannot be ended now: it has left already, or not joined yet."""


@dataclass(frozen=True, slots=True)
class Change:
    store: Store  # the snapshot after the change
    session: Session  # the session as it is after the change
    participant: Participant  # the stay that joined or left


def join(
    store: Store,
    room: str,
    now: int,
    rng: random.Random,
    *,
    user_id: str | None = None,
    user_name: str | None = None,
    owner: bool = False,
) -> Change:
    present = {
        p.participant_id for r in store.at(now).ongoing for p in store.sessions[r].participants
    }
    stay_id = _fresh(rng, lambda pid: pid in present or store.get(pid) is not None)
    stay = Participant(stay_id, user_id, user_name, now, None, owner)
    current = _ongoing_in(store, room, now)
    if current is not None:
        session = Session.of(current.id, room, current.start_time, (*current.participants, stay))
        return Change(store.replaced(current, session), session, stay)
    session_id = _fresh(rng, lambda sid: sid == stay_id or store.get(sid) is not None)
    session = Session.of(session_id, room, now, (stay,))
    return Change(store.added(session), session, stay)


def _fresh(rng: random.Random, taken: Callable[[str], bool]) -> str:
    """The next id of ``rng`` that is not ``taken``."""
    while True:
        candidate = seeded_uuid(rng)
        if not taken(candidate):
            return candidate


def leave(store: Store, participant_id: str, now: int) -> Change:
    found = _find(store, participant_id, now)
    if found is None:
        raise UnknownParticipant(participant_id)
    session, stay = found
    if stay.join_time > now:
        raise NotPresent(f"has not joined yet: it joins at {stay.join_time}, after now ({now})")
    if stay.leave is not None and stay.leave <= now:
        raise NotPresent(f"has already left, at {stay.leave}")
    left = replace(stay, duration=now - stay.join_time)
    stays = [left if p is stay else p for p in session.participants]
    after = Session.of(session.id, session.room, session.start_time, stays)
    return Change(store.replaced(session, after), after, left)


def _ongoing_in(store: Store, room: str, now: int) -> Session | None:
    """The most recently started session of ``room`` ongoing at ``now``, if any."""
    ranks = store.at(now).index(room, True)
    return store.sessions[ranks[-1]] if ranks else None


def _find(store: Store, participant_id: str, now: int) -> tuple[Session, Participant] | None:
    """The stay with this id: among the sessions ongoing at ``now`` first (where a stay that
    can leave is), then anywhere (to say why it cannot)."""
    sessions = store.sessions
    for rank in reversed(store.at(now).ongoing):
        for p in sessions[rank].participants:
            if p.participant_id == participant_id:
                return sessions[rank], p
    for s in reversed(sessions):
        for p in s.participants:
            if p.participant_id == participant_id:
                return s, p
    return None
