"""Each difference's class, three ways: the account now, the capture, the fake.

- ``ignored``: an unexpired entry of ``--ignore`` matches it;
- ``time``: a ``duration`` of a session ongoing at the capture instant, longer on the account
  by at most the seconds its clock moved on since (its ongoing sessions show its clock);
- ``drift``: the account's data for the question changed since the capture: the session or
  room it is about is new, gone or not as captured, or (for a list) such a session matches
  the list's filters, or such a room is listed;
- ``fake``: the rest. The account and the capture agree on the data, the fake answers
  otherwise: a difference of fidelity.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .ignores import Ignores
from .jsondiff import ABSENT
from .query import Filters, Query
from .seen import Seen
from .view import CaptureView, Record

_ITEM = re.compile(r"\$\.data\[(\d+)\]\.")
_PRESENCE = re.compile(r'\$(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\["([^"]+)"\])\[(\d+)\]\.')


@dataclass(frozen=True)
class Difference:
    query: Query
    request: str  # as the fake was asked it
    path: str
    account: Any  # ABSENT: no value there
    fake: Any
    kind: str = "fake"
    reason: str = ""
    status: int = 200  # the account's HTTP status
    session: str | None = None  # the session the path is in (see session_of)


class Classifier:
    def __init__(self, view: CaptureView, seen: Seen, ignores: Ignores):
        self.view, self.seen, self.ignores = view, seen, ignores
        clock = seen.clock if seen.clock is not None else int(time.time())
        self.elapsed = max(0, clock - view.now)
        self.drifted = self._drifted_sessions()
        self.drifted_rooms = dict(self._drifted_rooms())

    def classify(self, d: Difference) -> Difference:
        entry = self.ignores.match(d.request, d.path)
        if entry is not None:
            return _as(d, "ignored", entry.reason)
        session = d.session
        if self._is_time(d, session):
            return _as(d, "time", f"session {session} was ongoing; {self.elapsed} s since")
        reason = self._drift(d, session)
        if reason is not None:
            return _as(d, "drift", reason)
        return _as(
            d, "fake", "the account answers otherwise than the capture's data makes the fake"
        )

    def _is_time(self, d: Difference, session: str | None) -> bool:
        if session is None or not d.path.endswith("duration"):
            return False
        s = self.view.by_id.get(session)
        if s is None or not self.view.ongoing(s):
            return False
        a, f = d.account, d.fake
        return type(a) is int and type(f) is int and 0 < a - f <= self.elapsed + 1

    def _drift(self, d: Difference, session: str | None) -> str | None:
        q = d.query
        if session is not None and session not in self.view.by_id:
            return f"session {session} is not in the capture (new since)"
        item_level = _ITEM.match(d.path) is not None and not d.path.endswith("].id")
        if session is not None and (item_level or q.kind in ("session", "participants")):
            return self.drifted.get(session)
        if q.kind == "meetings" and q.filters is not None:
            return self._list_drift(q.filters)
        if q.kind in ("rooms", "room"):
            if q.kind == "room" and q.subject is not None:
                return self.drifted_rooms.get(q.subject)
            return next(iter(self.drifted_rooms.values()), None)
        if q.kind == "presence":
            live = self._list_drift(Filters(room=q.subject, ongoing=True))
            return live or (self.drifted_rooms.get(q.subject) if q.subject else None)
        return None

    def _list_drift(self, filters: Filters) -> str | None:
        for sid, reason in self.drifted.items():
            if any(filters.match(r.room, r.start_time, r.ongoing) for r in self._versions(sid)):
                return reason
        return None

    def _versions(self, sid: str) -> list[Record]:
        """A session's data as the account shows it now and as captured (those known)."""
        out = [self.seen.sessions[sid]] if sid in self.seen.sessions else []
        s = self.view.by_id.get(sid)
        return out + ([self.view.record(s)] if s is not None else [])

    # -- what changed in the account

    def _drifted_sessions(self) -> dict[str, str]:
        view, seen = self.view, self.seen
        out: dict[str, str] = {}
        for sid, record in seen.sessions.items():
            captured = view.by_id.get(sid)
            if captured is None:
                out[sid] = f"session {sid} is not in the capture (new since)"
            elif record != view.record(captured):
                out[sid] = f"session {sid} changed since the capture"
        for sid in view.by_id:
            listed = sid in seen.listed or not seen.walk_complete
            if sid in seen.gone_sessions or not listed:
                out[sid] = f"session {sid} is gone from the account"
        for sid, present in seen.present.items():
            captured = view.by_id.get(sid)
            if sid in out:
                continue
            if captured is None:
                out[sid] = f"session {sid} is not in the capture (new since)"
            elif present - {
                pid for pid, s in view.record(captured).stays.items() if s.duration is None
            }:
                out[sid] = (
                    f"session {sid} has people present that the capture does not hold (joined "
                    "since, or too recently for /meetings to list them)"
                )
        return out

    def _drifted_rooms(self) -> Iterator[tuple[str, str]]:
        view, seen = self.view, self.seen
        for name, room in seen.rooms.items():
            captured = view.room_by_name.get(name)
            if captured is None:
                yield name, f"room {name} is not in the capture (new since)"
            elif (room.get("privacy"), room.get("config")) != (captured.privacy, captured.config):
                yield name, f"room {name} changed since the capture"
        declared = {name for name in view.room_by_name if name in seen.rooms}
        for name in view.room_by_name:
            gone = name in seen.gone_rooms or (seen.rooms_complete and name not in declared)
            if gone:
                yield name, f"room {name} is gone from the account"


def session_of(q: Query, path: str, a: Any, f: Any) -> str | None:
    """The session a difference at ``path`` of the answers ``a`` (the account's) and ``f`` is
    in: the one the question names, or the record of a list the path points into."""
    if q.kind in ("session", "participants"):
        return q.subject
    m = _ITEM.match(path)
    if m is not None and q.kind in ("meetings", "presence"):
        key = "id" if q.kind == "meetings" else "mtgSessionId"
        if q.kind == "meetings" or q.subject is not None:
            return _field(a, f, ("data", int(m.group(1))), key)
    m = _PRESENCE.match(path)
    if m is not None and q.kind == "presence" and q.subject is None:
        return _field(a, f, (m.group(1) or m.group(2), int(m.group(3))), "mtgSessionId")
    return None


def _as(d: Difference, kind: str, reason: str) -> Difference:
    return dataclasses.replace(d, kind=kind, reason=reason)


def _field(a: Any, f: Any, where: tuple[str, int], key: str) -> str | None:
    for body in (a, f):
        try:
            value = body[where[0]][where[1]][key]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(value, str):
            return value
    return None


__all__ = ["ABSENT", "Classifier", "Difference"]
