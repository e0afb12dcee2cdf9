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
  the last open stay of a session closes, the session ends at ``now``. Only a stay of a session
  ongoing at ``now`` can leave, so only those are looked at: another id is unknown (no scan of
  the sessions, which would draw every generated session's stays), unless the caller knows the
  session a live join put it in (``joined``), to say why it cannot leave (left already, or not
  joined yet: the clock was set back).

Both cost O(log n + ongoing sessions) at a million sessions, not O(n): the room's ongoing
session and the present participant ids come from the store's instant at ``now``
(``Instant.ongoing_in``, ``Instant.present``), which the new snapshot carries over.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace

from .ids import seeded_uuid
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
    instant = store.at(now)
    stay_id = _fresh(rng, lambda pid: store.get(pid) is not None or _held(store, pid, now))
    stay = Participant(stay_id, user_id, user_name, now, None, owner)
    ranks = instant.ongoing_in(room)
    if ranks:
        current = store.sessions[ranks[-1]]  # the most recently started one
        session = Session.of(current.id, room, current.start_time, (*current.participants, stay))
        return Change(store.replaced(current, session, now), session, stay)
    session_id = _fresh(rng, lambda sid: sid == stay_id or store.get(sid) is not None)
    session = Session.of(session_id, room, now, (stay,))
    return Change(store.added(session, now), session, stay)


def _fresh(rng: random.Random, taken: Callable[[str], bool]) -> str:
    """The next id of ``rng`` that is not ``taken``."""
    while True:
        candidate = seeded_uuid(rng)
        if not taken(candidate):
            return candidate


def leave(store: Store, participant_id: str, now: int, joined: str | None = None) -> Change:
    """The stay ``participant_id`` ends at ``now``. ``joined``: the id of the session a live join
    put it in, if the caller knows one (a stay that is not present is then told apart)."""
    found = _find_ongoing(store, participant_id, now)
    if found is None and joined is not None:
        session = store.get(joined)
        stay = None if session is None else _stay(session, participant_id)
        found = None if session is None or stay is None else (session, stay)
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
    return Change(store.replaced(session, after, now), after, left)


def _stay(session: Session, participant_id: str) -> Participant | None:
    return next((p for p in session.participants if p.participant_id == participant_id), None)


def _held(store: Store, participant_id: str, now: int) -> bool:
    """Whether a session ongoing at ``now`` holds this participant id."""
    return _find_ongoing(store, participant_id, now) is not None


def _find_ongoing(
    store: Store, participant_id: str, now: int
) -> tuple[Session, Participant] | None:
    """The stay with this id in the most recently started session ongoing at ``now`` that
    holds it. ``Instant.present`` answers at once when it has no such id or its rank is right;
    otherwise (a rank gone stale, when scenarios repeat an id) the ongoing sessions are read."""
    instant = store.at(now)
    rank = instant.present().get(participant_id)
    if rank is None:
        return None
    ongoing, sessions = instant.ongoing, store.sessions
    i = bisect_left(ongoing, rank)
    if i < len(ongoing) and ongoing[i] == rank:
        stay = _stay(sessions[rank], participant_id)
        if stay is not None:
            return sessions[rank], stay
    for session in reversed(sessions.pick(ongoing)):
        stay = _stay(session, participant_id)
        if stay is not None:
            return session, stay
    return None
