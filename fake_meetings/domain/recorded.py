"""The ten-second rule: what Daily's meeting records show of a timeline (contract §9a).

Daily writes no participant record until a person has stayed ``min_stay`` seconds (10 by
default; ``serve --min-stay``). So ``/meetings`` and ``/participants`` see a stay once it has
lasted ``min_stay`` and never see a stay that ends sooner; presence and webhooks do not wait.

- A stay **qualifies** when it lasts ``min_stay`` or more, or is still open (it may yet).
- The **recorded session** of a session holds its qualifying stays only: its ``end`` is their
  latest leave (None while one is open), its ``peak`` their peak overlap. Its ``start_time`` and
  id are the session's: Daily starts a meeting session whatever its records say, so the list
  order and the timeframe filters are those of the real timeline.
- A qualifying stay is **recorded at** ``join_time + min_stay``; a session is listed from
  ``visible_from``, the instant its first stay is recorded (never before its ``start_time``).
  A session none of whose stays qualifies is never listed.
- At an instant ``now`` a listed session shows the stays recorded by ``now``; its ``duration``
  and ``ongoing`` follow its recorded ``end``: through the first ``min_stay`` seconds of a
  later stay it is ongoing, as it is through any gap between stays.

With ``min_stay`` 0 every stay qualifies and is recorded at its join: the timeline itself.
"""

from __future__ import annotations

from .drawn import MIN_STAY, DrawnSession, passing_stays
from .model import Participant, Session

DEFAULT_MIN_STAY = MIN_STAY  # Daily's 10 s; the generator draws no stay shorter (drawn.py)
NEVER = 2**62  # the visible_from of a session that is never listed: later than any instant


def qualifies(p: Participant, min_stay: int) -> bool:
    """Whether the stay is ever recorded: it lasts ``min_stay`` or more, or is still open."""
    return p.duration is None or p.duration >= min_stay


def recorded(s: Session, min_stay: int) -> Session:
    """The session as Daily's records hold it: its qualifying stays only (``s`` itself when
    every stay qualifies). A generated session's stays all last :data:`~.drawn.MIN_STAY` or
    more, so up to that ``min_stay`` it is returned as it is, its stays not drawn."""
    if min_stay <= 0 or (isinstance(s, DrawnSession) and min_stay <= MIN_STAY):
        return s
    stays = passing_stays(s)  # a generated session's, drawn and not kept
    kept = [p for p in stays if qualifies(p, min_stay)]
    if len(kept) == len(stays):
        return s
    if not kept:  # never listed: no end, so that it is never among the ended ones either
        return Session(s.id, s.room, s.start_time, (), None, 0)
    return Session.of(s.id, s.room, s.start_time, kept)


def visible_from(rec: Session, min_stay: int) -> int:
    """The instant the recorded session ``rec`` is first listed: its first stay recorded, not
    before its start (:data:`NEVER` when it holds no stay). Stays are in join order: O(1)."""
    stays = rec.participants
    if not stays:
        return NEVER
    return max(rec.start_time, stays[0].join_time + min_stay)


def late(rec: Session, min_stay: int) -> int | None:
    """:func:`visible_from` of the recorded session ``rec`` when it comes later than its
    ``start_time + min_stay`` (:data:`NEVER` included), else None. Only such a session can be
    unlisted ``min_stay`` seconds after its start. A generated session's first stay joins at or
    before its start: never late, and not drawn to say so up to its stays' least length."""
    if isinstance(rec, DrawnSession):
        if min_stay <= MIN_STAY:
            return None
        first = min(p.join_time for p in passing_stays(rec))
        found = max(rec.start_time, first + min_stay)
    else:
        found = visible_from(rec, min_stay)
    return found if found > rec.start_time + min_stay else None
