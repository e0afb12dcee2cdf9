"""Sessions and participant records -> Daily's JSON (orjson bytes). Every time is an integer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from ..domain.model import Participant, Session


def participant_dict(p: Participant, now: int) -> dict[str, Any]:
    return {
        "user_id": p.user_id,
        "participant_id": p.participant_id,
        "user_name": p.user_name,
        "join_time": p.join_time,
        "duration": p.duration_at(now),
    }


def session_dict(s: Session, now: int, *, participants: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id,
        "room": s.room,
        "start_time": s.start_time,
        "duration": s.duration_at(now),
        "ongoing": s.ongoing,
        "max_participants": s.max_participants,
    }
    if participants:
        out["participants"] = [participant_dict(p, now) for p in s.participants]
    return out


def meetings_page(
    total_count: int, sessions: Iterable[Session], now: int, *, participants: bool
) -> bytes:
    data = [session_dict(s, now, participants=participants) for s in sessions]
    return orjson.dumps({"total_count": total_count, "data": data})


def session_body(s: Session, now: int) -> bytes:
    return orjson.dumps(session_dict(s, now))


def participants_page(records: Iterable[Participant], now: int) -> bytes:
    return orjson.dumps({"data": [participant_dict(p, now) for p in records]})


def json_body(value: Any) -> bytes:
    return orjson.dumps(value)
