"""The view of one timeline at an instant (contract part two, §9): what every route shows.

- A session is **visible** from its ``start_time`` on; a participant record from its
  ``join_time`` on.
- A session is **ongoing** while ``now`` is before its end (or it has no end yet); its
  ``duration`` is ``min(now, end) - start_time``; a stay's is ``min(now, leave) - join_time``.
- ``max_participants`` is the peak overlap of the stays as visible at ``now``.
- A session is **settled** at ``now`` when nothing of it depends on the clock any more: it has
  ended by ``now`` (then every stay has joined and left). A settled session's JSON never changes
  as the clock moves forward, which is what the render cache relies on.

Under the ten-second rule (``recorded.py``) these apply to a session's recorded session, with
``min_stay``: a stay is shown from ``join_time + min_stay`` on. A recorded session is settled
once its recorded end has passed: every stay of it lasted ``min_stay``, so all are shown by then.

A session whose stays leave a gap (nobody present for a while) is still one session: it ends
at its latest leave and is ongoing through the gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from .model import Participant, Session, peak_overlap


def visible(s: Session, now: int) -> bool:
    return s.start_time <= now


def settled(s: Session, now: int) -> bool:
    return s.end is not None and s.end <= now


def all_settled(sessions: Iterable[Session], now: int) -> bool:
    """Whether every one of ``sessions`` is :func:`settled` at ``now`` (a page at once)."""
    ends = [s.end for s in sessions]
    return None not in ends and max(cast("list[int]", ends), default=now) <= now


def ongoing(s: Session, now: int) -> bool:
    return s.end is None or now < s.end


def duration(s: Session, now: int) -> int:
    end = s.end if s.end is not None and s.end < now else now
    return max(0, end - s.start_time)


def stay_duration(p: Participant, now: int) -> int:
    leave = p.leave
    end = leave if leave is not None and leave < now else now
    return max(0, end - p.join_time)


def participants(s: Session, now: int, min_stay: int = 0) -> tuple[Participant, ...]:
    """The participant records visible at ``now``, in join order; with ``min_stay`` (the
    ten-second rule, ``recorded.py``), those recorded by ``now``."""
    if settled(s, now):
        return s.participants
    last = now - min_stay
    return tuple(p for p in s.participants if p.join_time <= last)


def max_participants(s: Session, now: int, min_stay: int = 0) -> int:
    if settled(s, now):
        return s.peak
    return max(1, peak_overlap(s.participants, now, min_stay))
