"""What the account's answers show of its data now, gathered while the questions are asked:
the sessions it returned with their participants, those it no longer knows, the rooms it
lists, and its clock (an ongoing session's ``start_time + duration``, a present person's
``joinTime + duration``)."""

from __future__ import annotations

import contextlib
from typing import Any

from ..domain.times import parse_instant
from .query import Query
from .view import Record, Stay


def record_of(item: Any) -> Record | None:
    """A session of an answer as a :class:`Record` (None: not a whole session)."""
    if not isinstance(item, dict) or not isinstance(item.get("participants"), list):
        return None
    start, duration, ongoing = item.get("start_time"), item.get("duration"), item.get("ongoing")
    if type(start) is not int or type(duration) is not int or not isinstance(ongoing, bool):
        return None
    end = start + duration
    stays = {}
    for p in item["participants"]:
        if not isinstance(p, dict) or type(p.get("join_time")) is not int:
            return None
        stay = p.get("duration")
        present = ongoing and type(stay) is int and p["join_time"] + stay >= end
        stays[str(p.get("participant_id"))] = Stay(
            p.get("user_id"), p.get("user_name"), p["join_time"], None if present else stay
        )
    return Record(str(item.get("room")), start, ongoing, stays)


class Seen:
    def __init__(self) -> None:
        self.sessions: dict[str, Record] = {}
        self.gone_sessions: set[str] = set()
        self.listed: set[str] = set()  # the ids of the whole listing's pages
        self.walk_complete = False
        self.rooms: dict[str, dict[str, Any]] = {}
        self.gone_rooms: set[str] = set()
        self.rooms_complete = False  # one answer listed every room
        self.clock: int | None = None
        self.present: dict[str, set[str]] = {}  # session id -> participant ids present (presence)

    def add(self, q: Query, status: int, body: Any) -> None:
        """An answer of the account (in the capture's names)."""
        if q.refusal:
            return
        if status == 404 and q.subject is not None and q.kind in ("room", "session"):
            (self.gone_rooms if q.kind == "room" else self.gone_sessions).add(q.subject)
        if status != 200 or not isinstance(body, dict):
            return
        data = body.get("data")
        items = data if isinstance(data, list) else []
        if q.kind == "session":
            items = [body]
        if q.kind in ("meetings", "session"):
            for item in items:
                self._session(item)
            if q.walk:
                self.listed.update(str(i.get("id")) for i in items if isinstance(i, dict))
                self.walk_complete = len(items) < 100
        elif q.kind == "rooms":
            rooms = [i for i in items if isinstance(i, dict)]
            self.rooms.update((str(r.get("name")), r) for r in rooms)
            total = body.get("total_count")
            if not any(k == "starting_after" or k == "ending_before" for k, _ in q.params):
                self.rooms_complete |= type(total) is int and total <= len(rooms)
        elif q.kind == "room":
            self.rooms[str(body.get("name"))] = body
        elif q.kind == "presence":
            lists = [items] if q.subject is not None else list(body.values())
            for entry in (e for present in lists if isinstance(present, list) for e in present):
                self._present(entry)

    def _tick(self, instant: int) -> None:
        self.clock = max(self.clock or instant, instant)

    def _present(self, entry: Any) -> None:
        """A presence entry: someone present since ``joinTime`` for ``duration`` seconds."""
        if not isinstance(entry, dict) or type(entry.get("duration")) is not int:
            return
        self.present.setdefault(str(entry.get("mtgSessionId")), set()).add(str(entry.get("id")))
        with contextlib.suppress(ValueError):
            self._tick(parse_instant(entry.get("joinTime")) + entry["duration"])

    def _session(self, item: Any) -> None:
        record = record_of(item)
        if record is None:
            return
        self.sessions.setdefault(str(item.get("id")), record)
        if record.ongoing:
            self._tick(record.start_time + item["duration"])
