"""Generated sessions whose stays are drawn on first use.

The generator (``generate.py``) draws what the store indexes, a session's id, room, start and
end, and nothing more: at a million sessions, drawing and building every participant record up
front took most of the time and memory of ``serve --generate``. A :class:`DrawnSession` draws its
stays the first time they are asked for (a page rendered, a presence poll, a webhook sent), from
a random generator seeded by its own id, so the same id always gives the same stays, whenever and
in whatever order sessions are looked at. Its latest leave is its ``end``, by construction.

To every reader a drawn session is a :class:`~fake_meetings.domain.model.Session`: equal to a
session with the same fields, with the same ``participants`` and ``peak`` attributes.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from .ids import seeded_uuid
from .model import Participant, Session

MIN_STAY = 10  # Daily records nobody who stayed under 10 s
EARLY_JOIN_MAX = 30  # a join may precede the session start by up to 30 s
# participants per session: (count range, weight); most meetings are small, a few are large
_HEADCOUNT = (((1, 1), 8), ((2, 2), 30), ((3, 3), 18), ((4, 4), 13), ((5, 5), 9),
              ((6, 8), 12), ((9, 12), 7), ((13, 25), 3))  # fmt: skip
_HEAD_WEIGHTS = list(accumulate(w for _, w in _HEADCOUNT))
_MAX_TARGET = 8 * 3600
_LOG_1500 = math.log(1500)  # the median length: 25 minutes

# The storage of the two fields a drawn session fills on first use (see DrawnSession).
_PARTICIPANTS = Session.__dict__["participants"]
_PEAK = Session.__dict__["peak"]
_new = object.__new__
_set = object.__setattr__


@dataclass(frozen=True, slots=True)
class Person:
    user_id: str | None
    user_name: str | None


@dataclass(frozen=True, slots=True)
class Cast:
    """Who may attend: everyone, and each room's regulars (shared by a generation's sessions)."""

    people: Sequence[Person]
    rosters: dict[str, Sequence[Person]]


def target_length(rng: random.Random) -> int:
    """A session's length in seconds: log-normal around 25 minutes, 1 minute to 8 hours."""
    return int(min(_MAX_TARGET, max(60, math.exp(rng.gauss(_LOG_1500, 0.8)))))


class DrawnSession(Session):
    """A session whose ``participants`` and ``peak`` are drawn when first read."""

    __slots__ = ("_cast",)

    @staticmethod
    def new(session_id: str, room: str, start: int, end: int, cast: Cast) -> DrawnSession:
        s = _new(DrawnSession)
        _set(s, "id", session_id)
        _set(s, "room", room)
        _set(s, "start_time", start)
        _set(s, "end", end)
        _set(s, "_cast", cast)
        return s

    @property
    def participants(self) -> tuple[Participant, ...]:
        try:
            return _PARTICIPANTS.__get__(self, Session)  # type: ignore[no-any-return]
        except AttributeError:
            return self._draw()[0]

    @property
    def peak(self) -> int:
        try:
            return _PEAK.__get__(self, Session)  # type: ignore[no-any-return]
        except AttributeError:
            return self._draw()[1]

    def _draw(self) -> tuple[tuple[Participant, ...], int]:
        assert self.end is not None, "a drawn session always has an end"
        cast: Cast = self._cast  # type: ignore[attr-defined]
        stays = draw_stays(self.id, self.room, self.start_time, self.end, cast)
        whole = Session.of(self.id, self.room, self.start_time, stays)  # sorted, its peak
        assert whole.end == self.end, "the latest leave is the end"
        # Idempotent: two readers drawing at once compute and store the same values.
        _PARTICIPANTS.__set__(self, whole.participants)
        _PEAK.__set__(self, whole.peak)
        return whole.participants, whole.peak

    def __repr__(self) -> str:
        return (
            f"DrawnSession(id={self.id!r}, room={self.room!r}, start_time={self.start_time}, "
            f"end={self.end})"
        )


def passing(s: Session) -> Session:
    """``s``, or when it is a drawn session whose stays are not drawn yet, a plain session with
    the same stays, drawn without being kept: a reader that goes over every session once (an
    export) leaves them as light as it found them."""
    stays = _undrawn_stays(s)
    return s if stays is None else Session.of(s.id, s.room, s.start_time, stays)


def _undrawn_stays(s: Session) -> list[Participant] | None:
    """The stays of a drawn session that has not drawn them yet, drawn now and not kept; None
    for any other session (its ``participants`` are there to read)."""
    if not isinstance(s, DrawnSession):
        return None
    try:
        _PARTICIPANTS.__get__(s, Session)
        return None  # drawn already
    except AttributeError:
        pass
    assert s.end is not None, "a drawn session always has an end"
    cast: Cast = s._cast  # type: ignore[attr-defined]
    return draw_stays(s.id, s.room, s.start_time, s.end, cast)


def draw_stays(session_id: str, room: str, start: int, end: int, cast: Cast) -> list[Participant]:
    """The stays of one session, in no order: drawn from a generator seeded by
    ``session_id``, so they are the same on every call. The latest leave is ``end``;
    every stay lasts ``MIN_STAY`` or more; only the first may join before ``start``, by at
    most ``EARLY_JOIN_MAX``; someone who left early may come back as a new record."""
    rng = random.Random(int(session_id.replace("-", ""), 16))
    lo, hi = _HEADCOUNT[bisect(_HEAD_WEIGHTS, rng.random() * _HEAD_WEIGHTS[-1])][0]
    headcount = rng.randint(lo, hi)
    roster = cast.rosters.get(room, ())
    pool = roster if len(roster) >= headcount else cast.people
    attendees = rng.sample(pool, headcount)
    target = end - start
    stays: list[tuple[Person, int, int]] = []  # (person, join, leave) as absolute times
    for i, person in enumerate(attendees):
        if i == 0:
            join = start - (rng.randint(1, EARLY_JOIN_MAX) if rng.random() < 0.02 else 0)
        else:
            u = rng.random()
            latest = target - MIN_STAY  # so that the stay fits before the end
            late = min(120, latest) if u < 0.6 else target * 0.6 if u < 0.9 else latest
            join = start + int(rng.random() * late)
        leave_at_end = rng.random() < 0.7
        leave = (
            end - int(rng.random() * 21)
            if leave_at_end
            else join + MIN_STAY + int(rng.random() * max(0, end - join - MIN_STAY))
        )
        stays.append((person, join, max(leave, join + MIN_STAY)))
        if not leave_at_end and rng.random() < 0.1 and leave + 30 < end:
            rejoin = leave + rng.randint(15, 300)  # dropped and came back: a new record
            if rejoin + MIN_STAY <= end:
                stays.append((person, rejoin, max(end - int(rng.random() * 21), rejoin + MIN_STAY)))
    last = max(range(len(stays)), key=lambda k: stays[k][2])
    person, join, _ = stays[last]
    stays[last] = (person, join, end)  # the session ends at its latest leave
    return [
        Participant(seeded_uuid(rng), p.user_id, p.user_name, join, leave - join)
        for p, join, leave in stays
    ]


def passing_stays(s: Session) -> Sequence[Participant]:
    """The stays of ``s``, in no particular order, for a reader passing through (counting the
    webhook events of a long clock move): a drawn session that has not drawn them yet draws
    them without keeping them, so that counting a month of sessions leaves the heap as it was."""
    stays = _undrawn_stays(s)
    return s.participants if stays is None else stays
