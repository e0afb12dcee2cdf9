"""A scenario as the plain data ``fake-meetings generate`` writes (``domain/dump.py``), to write
it as JSON too. (``bench/load_bench.py`` has the same function: the bench imports no tests.)"""

from __future__ import annotations

from typing import Any

from fake_meetings.domain import timeline
from fake_meetings.domain.model import Session


def as_data(sessions: list[Session], now: int) -> dict[str, Any]:
    """The scenario as plain data, with the fields ``dump_scenario`` writes."""
    out = []
    for s in sessions:
        item: dict[str, Any] = {"id": s.id, "room": s.room, "start_time": s.start_time}
        if timeline.visible(s, now):
            if timeline.ongoing(s, now):
                item["ongoing"] = True
            else:
                item["duration"] = timeline.duration(s, now)
            item["max_participants"] = timeline.max_participants(s, now)
        item["participants"] = [
            {
                "participant_id": p.participant_id,
                "user_id": p.user_id,
                "user_name": p.user_name,
                "join_time": p.join_time,
                **({} if p.duration is None else {"duration": p.duration}),
            }
            for p in s.participants
        ]
        out.append(item)
    return {"now": now, "sessions": out}
