"""The questions, derived from the capture: every ``/meetings`` filter alone and combined
(rooms, timeframes on and around real start times, ongoing, no_participants), limits 1, 7,
100 and 101, cursors at the first, middle and last item both ways, ``OLDEST``, sessions and
their participants (paged), rooms (listed, paged, one by one, their presence), ``/presence``,
the domain, and the error answers. Only GETs. Every ``/meetings`` list is bounded to what
existed at the capture instant (``timeframe_end`` just after ``now``; ``timeframe_start`` at
``--since``), so what the account gained since does not count; every bound is in ``bounds.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..domain import timeline
from ..domain.model import Session
from .bounds import MAX_ROOMS_ASKED, MAX_SESSIONS_ASKED, MAX_STARTS, MAX_WALK_PAGES
from .query import Filters, Query, RoomId, RoomName, Value
from .view import CaptureView

LIMITS = ("1", "7", "100", "101")
UNKNOWN_SESSION = "no-such-session-0000"
UNKNOWN_ROOM = "no-such-room-0000"


def _spots(items: Sequence[str]) -> list[str]:
    """The first, middle and last of ``items`` (each once)."""
    if not items:
        return []
    return list(dict.fromkeys([items[0], items[len(items) // 2], items[-1]]))


class _Mix:
    def __init__(self, view: CaptureView):
        self.view = view
        self.queries: list[Query] = []
        self.cursor_ids: list[str] = []

    def meetings(self, f: Filters, *extra: tuple[str, Value], walk: bool = False) -> None:
        """``/meetings`` with filters ``f`` within the capture's bounds, and ``extra``."""
        end = self.view.now + 1 if f.end is None else min(f.end, self.view.now + 1)
        start = f.start if self.view.since is None else max(f.start or 0, self.view.since)
        bounded = Filters(f.room, start, end, f.ongoing)
        params: list[tuple[str, Value]] = []
        if f.room is not None:
            params.append(("room", RoomName(f.room)))
        if start is not None:
            params.append(("timeframe_start", str(start)))
        params.append(("timeframe_end", str(end)))
        if f.ongoing is not None:
            params.append(("ongoing", "true" if f.ongoing else "false"))
        self.queries.append(Query("meetings", ("meetings",), (*params, *extra), bounded, walk=walk))

    def matching(self, f: Filters) -> list[str]:
        v = self.view
        return [s.id for s in v.sessions if f.match(s.room, s.start_time, v.ongoing(s))]

    def cursors(self, f: Filters) -> None:
        ids = self.matching(f)
        self.cursor_ids += _spots(ids)
        for sid in _spots(ids):
            self.meetings(f, ("starting_after", sid), ("limit", "7"))
            self.meetings(f, ("ending_before", sid), ("limit", "7"))
        if ids:
            self.meetings(f, ("starting_after", ids[0]), ("limit", "1"))
        self.meetings(f, ("ending_before", "OLDEST"), ("limit", "7"))


def _starts(sessions: Sequence[Session]) -> list[int]:
    """Start times to build timeframes on: the ties first, then spread over the list."""
    counts = Counter(s.start_time for s in sessions)
    ties = [t for t, n in counts.items() if n > 1][: MAX_STARTS // 2]
    spread = sorted(counts, reverse=True)
    step = max(1, len(spread) // max(1, MAX_STARTS - len(ties)))
    return list(dict.fromkeys([*ties, *spread[::step]]))[:MAX_STARTS]


def _rooms_asked(view: CaptureView) -> list[str]:
    by_sessions = Counter(s.room for s in view.sessions)
    names = [name for name, _ in by_sessions.most_common()]
    names += [r.name for r in view.rooms if r.name not in by_sessions]
    return names[:MAX_ROOMS_ASKED]


def _sessions_asked(view: CaptureView, cursor_ids: list[str]) -> list[Session]:
    ongoing = [s for s in view.sessions if view.ongoing(s)]
    crowded = sorted(view.sessions, key=lambda s: -len(s.participants))[:5]
    step = max(1, len(view.sessions) // MAX_SESSIONS_ASKED)
    chosen = [view.by_id[i] for i in cursor_ids] + ongoing + crowded + view.sessions[::step]
    return list({s.id: s for s in chosen}.values())[:MAX_SESSIONS_ASKED]


def build_mix(view: CaptureView) -> list[Query]:
    m = _Mix(view)
    everything = Filters()
    m.meetings(everything)
    for limit in LIMITS:
        m.meetings(everything, ("limit", limit))
    m.meetings(everything, ("no_participants", "true"), ("limit", "7"))
    for ongoing in (True, False):
        m.meetings(Filters(ongoing=ongoing))
        m.meetings(Filters(ongoing=ongoing), ("limit", "7"))
    m.cursors(everything)
    m.cursors(Filters(ongoing=False))
    rooms = _rooms_asked(view)
    for i, room in enumerate(rooms):
        m.meetings(Filters(room=room))
        m.meetings(Filters(room=room), ("limit", "7"), ("no_participants", "true"))
        m.meetings(Filters(room=room, ongoing=True))
        m.meetings(Filters(room=room, ongoing=False), ("limit", "7"))
        if i < 3:
            m.cursors(Filters(room=room))
    for t in _starts(view.sessions):
        m.meetings(Filters(start=t), ("limit", "7"))
        m.meetings(Filters(start=t + 1), ("limit", "7"))
        m.meetings(Filters(end=t), ("limit", "7"))
        m.meetings(Filters(end=t + 1), ("limit", "7"))
        m.meetings(Filters(start=t - 3600, end=t + 1))
        if rooms:
            m.meetings(Filters(room=rooms[0], start=t - 86400, end=t + 1), ("limit", "7"))
            m.meetings(Filters(room=rooms[0], start=t, ongoing=False))
    ordered = [s.id for s in view.sessions]
    pages = min(len(ordered) // 100 + 1, MAX_WALK_PAGES)
    m.meetings(everything, ("limit", "100"), walk=True)
    for page in range(1, pages):
        m.meetings(
            everything, ("starting_after", ordered[100 * page - 1]), ("limit", "100"), walk=True
        )
    for s in _sessions_asked(view, m.cursor_ids):
        m.queries.append(Query("session", ("meetings", s.id), subject=s.id))
        m.queries += _participants(view, s)
    m.queries += _rooms(view, rooms)
    m.queries.append(Query("presence", ("presence",)))
    m.queries.append(Query("domain", ()))
    m.queries += _refusals(view)
    return m.queries


def _participants(view: CaptureView, s: Session) -> list[Query]:
    path: tuple[Value, ...] = ("meetings", s.id, "participants")
    out = [Query("participants", path, subject=s.id)]
    pids = [p.participant_id for p in timeline.participants(s, view.now)]
    if len(pids) < 3:
        return out
    out.append(Query("participants", path, (("limit", "1"),), subject=s.id))
    for pid in _spots(pids):
        for cursor in ("joined_after", "joined_before"):
            out.append(Query("participants", path, ((cursor, pid), ("limit", "2")), subject=s.id))
    return out


def _rooms(view: CaptureView, asked: list[str]) -> list[Query]:
    out = [Query("rooms", ("rooms",))]
    out += [Query("rooms", ("rooms",), (("limit", limit),)) for limit in LIMITS]
    for name in _spots([r.name for r in view.rooms]):
        out.append(Query("rooms", ("rooms",), (("starting_after", RoomId(name)), ("limit", "2"))))
        out.append(Query("rooms", ("rooms",), (("ending_before", RoomId(name)), ("limit", "2"))))
    out.append(Query("rooms", ("rooms",), (("ending_before", "OLDEST"), ("limit", "2"))))
    for name in asked:
        out.append(Query("room", ("rooms", RoomName(name)), subject=name))
        out.append(Query("presence", ("rooms", RoomName(name), "presence"), subject=name))
    return out


def _refusals(view: CaptureView) -> list[Query]:
    """The error answers: bad parameters, both cursors, unknown ids and cursors."""
    end = ("timeframe_end", str(view.now + 1))
    bad: list[tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = [
        (("meetings",), (("limit", "abc"), end)),
        (("meetings",), (("limit", "0"), end)),
        (("meetings",), (("limit", "1.5"), end)),
        (("meetings",), (("timeframe_start", "abc"), end)),
        (("meetings",), (("timeframe_end", "-1"),)),
        (("meetings",), (("ongoing", "maybe"), end)),
        (("meetings",), (("no_participants", "1"), end)),
        (("meetings",), (("starting_after", UNKNOWN_SESSION), end)),
        (("meetings",), (("ending_before", UNKNOWN_SESSION), end)),
        (("meetings", UNKNOWN_SESSION), ()),
        (("meetings", UNKNOWN_SESSION, "participants"), ()),
        (("rooms",), (("limit", "abc"),)),
        (("rooms", UNKNOWN_ROOM), ()),
        (("rooms", UNKNOWN_ROOM, "presence"), ()),
    ]
    if view.sessions:
        first = view.sessions[0].id
        bad.append((("meetings",), (("starting_after", first), ("ending_before", first), end)))
        bad.append((("meetings", first, "participants"), (("limit", "abc"),)))
        bad.append((("meetings", first, "participants"), (("joined_after", UNKNOWN_SESSION),)))
    return [Query("meetings", path, params, refusal=True) for path, params in bad]
