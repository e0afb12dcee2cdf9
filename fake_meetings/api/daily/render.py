"""Sessions and participant records -> Daily's JSON (orjson bytes), as seen at ``now``: what
the timeline shows at that instant (``domain/timeline.py``). Every time is an integer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from ...domain import timeline
from ...domain.model import Participant, Session


def participant_dict(p: Participant, now: int) -> dict[str, Any]:
    return {
        "user_id": p.user_id,
        "participant_id": p.participant_id,
        "user_name": p.user_name,
        "join_time": p.join_time,
        "duration": timeline.stay_duration(p, now),
    }


def session_dict(
    s: Session, now: int, *, participants: bool = True, min_stay: int = 0
) -> dict[str, Any]:
    """``min_stay``: the ten-second rule's, for a session of a listed store (its stays are
    shown from ``join_time + min_stay``)."""
    out: dict[str, Any] = {
        "id": s.id,
        "room": s.room,
        "start_time": s.start_time,
        "duration": timeline.duration(s, now),
        "ongoing": timeline.ongoing(s, now),
        "max_participants": timeline.max_participants(s, now, min_stay),
    }
    if participants:
        out["participants"] = [
            participant_dict(p, now) for p in timeline.participants(s, now, min_stay)
        ]
    return out


def meetings_page(
    total_count: int,
    sessions: Iterable[Session],
    now: int,
    *,
    participants: bool,
    min_stay: int = 0,
) -> bytes:
    data = [session_dict(s, now, participants=participants, min_stay=min_stay) for s in sessions]
    return orjson.dumps({"total_count": total_count, "data": data})


def participants_page(records: Iterable[Participant], now: int) -> bytes:
    return orjson.dumps({"data": [participant_dict(p, now) for p in records]})
