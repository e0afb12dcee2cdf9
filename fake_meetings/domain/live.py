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
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from operator import attrgetter

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
        session = _joined(current, stay, now)
        return Change(store.replaced(current, session, now, added=(stay_id,)), session, stay)
    session_id = _fresh(rng, lambda sid: sid == stay_id or store.get(sid) is not None)
    session = Session.of(session_id, room, now, (stay,))
    return Change(store.added(session, now), session, stay)


# id(session) -> (session, now, how many of its stays are present at now): the count a join
# needs, kept for the session it makes, so the next join at the same instant finds it. Small:
# only the sessions live joins went to last.
_PRESENT: OrderedDict[int, tuple[Session, int, int]] = OrderedDict()
_PRESENT_KEPT = 64
_sort_key = attrgetter("sort_key")


def _present_count(session: Session, now: int) -> int:
    """How many stays of ``session`` are present at ``now`` (joined by then, not left)."""
    kept = _PRESENT.pop(id(session), None)
    if kept is not None and kept[0] is session and kept[1] == now:
        return kept[2]
    return sum(
        1
        for p in session.participants
        if p.join_time <= now and (p.duration is None or p.join_time + p.duration > now)
    )


def _joined(current: Session, stay: Participant, now: int) -> Session:
    """``current`` with the open ``stay`` joining at ``now``: ``Session.of`` with one more stay,
    without reading every stay when no stay of it joins after ``now`` (a live session): the
    stay goes in at its place (a binary search; the tuple copy is C's), the session has no end
    (an open stay), and its peak is the old one or the stays present at ``now`` plus this one
    (no one joins later, so no later instant has more). The count of those present is read
    once per session and instant and carried from join to join (``_PRESENT``), so a join costs
    O(log n) in the room's size, not O(n log n)."""
    stays = current.participants
    if stays and stays[-1].join_time > now:  # a scenario's stay joins later: the whole way
        return Session.of(current.id, current.room, current.start_time, (*stays, stay))
    present = _present_count(current, now) + 1
    key = stay.sort_key
    if not stays or stays[-1].sort_key < key:
        participants = stays + (stay,)  # noqa: RUF005 (a memcpy; unpacking builds a list)
    else:
        i = bisect_left(stays, key, key=_sort_key)
        participants = stays[:i] + (stay,) + stays[i:]  # noqa: RUF005 (likewise)
    session = Session(
        current.id, current.room, current.start_time, participants, None, max(current.peak, present)
    )
    _PRESENT[id(session)] = (session, now, present)
    while len(_PRESENT) > _PRESENT_KEPT:
        _PRESENT.popitem(last=False)
    return session


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
