"""What the blocks of a scenario that hang on its sessions (``recordings:``, ``transcripts:``)
read alike: the session an item names with its span (start and end or duration), a unique id,
a streaming instance id, a choice among names, a failure's text."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.model import Session
from ..domain.recordings import DEFAULT_INSTANCE
from ..domain.transcripts import MAX_ERROR
from .validate import Checker

ID_RE = re.compile(r"[A-Za-z0-9._~-]{1,128}")  # the ids sessions take
Path = tuple[str | int, ...]


def choice(c: Checker, path: Path, allowed: Sequence[str]) -> str | None:
    value = c.string(path)
    if value is not None and value not in allowed:
        c.problem(path, f"expected one of {', '.join(allowed)}; got {value!r:.100}")
        return None
    return value


def instance_id(c: Checker, path: Path) -> str | None:
    """A streaming instance id: a UUID, kept in lower case as Daily's ids are."""
    value = c.string(path)
    if value is None:
        return None
    try:
        if len(value) == 36:
            return str(uuid.UUID(value))
    except ValueError:
        pass
    c.problem(path, f"expected a UUID like {DEFAULT_INSTANCE}; got {value!r:.100}")
    return None


def error_text(c: Checker, path: Path) -> str | None:
    """An item's ``error:``, the text it fails with: what the fail routes take (a non-blank
    string of at most ``MAX_ERROR`` characters), a problem at its line otherwise."""
    value = c.string(path)
    if value is None:
        return None
    if not value.strip():
        c.problem(path, "expected the failure's text; got a blank string")
        return None
    if len(value) > MAX_ERROR:
        c.problem(path, f"expected at most {MAX_ERROR:,} characters; got {len(value):,}")
        return None
    return value


def session_named(
    c: Checker,
    path: Path,
    raw: dict[str, object],
    start: int | None,
    sessions: Sequence[Session],
    by_id: dict[str, Session],
) -> Session | None:
    """The session an item names: by ``session:``, or by ``room:`` and ``start_ts`` (the session
    of that room going on then, the latest started if several)."""
    if "session" in raw:
        name = c.string((*path, "session"))
        if name is None:
            return None
        session = by_id.get(name)
        if session is None:
            c.problem((*path, "session"), f"no session {name!r} in this file's sessions")
            return None
        room = raw.get("room")
        if room is not None and room != session.room:
            c.problem((*path, "room"), f"session {name!r} is in room {session.room!r}")
            return None
        return session
    room_name = c.string((*path, "room")) if "room" in raw else None
    if room_name is None:
        if "room" not in raw:
            c.problem(path, "name its session: give session: (an id) or room: and start_ts")
        return None
    if start is None:
        if "start_ts" not in raw:
            c.problem(path, "with room:, give start_ts (it names the session going on then)")
        return None
    going = [
        s
        for s in sessions
        if s.room == room_name and s.start_time <= start and (s.end is None or start < s.end)
    ]
    if not going:
        c.problem(
            (*path, "room"),
            f"no session of room {room_name!r} in this file is going on at {start}",
        )
        return None
    return max(going, key=lambda s: s.sort_key)


@dataclass(frozen=True, slots=True)
class Span:
    """What an item of a block that hangs on sessions reads alike: its ``id`` (None: to be
    derived), its session, and ``start_ts`` and ``end`` or ``duration`` as given."""

    id: str | None
    session: Session | None
    start: int | None
    end: int | None
    duration: int | None


def read_span(
    c: Checker,
    path: Path,
    raw: dict[str, object],
    now: int,
    sessions: Sequence[Session],
    by_id: dict[str, Session],
) -> Span:
    """The item's id, session, start and end or duration, each problem at its line."""
    item_id = c.identifier((*path, "id"), ID_RE)
    start = c.instant((*path, "start_ts"), now) if "start_ts" in raw else None
    session = session_named(c, path, raw, start, sessions, by_id)
    if "end" in raw and "duration" in raw:
        c.problem((*path, "duration"), "give end or duration, not both")
    end = c.instant((*path, "end"), now) if "end" in raw else None
    duration = c.non_negative((*path, "duration")) if "duration" in raw else None
    return Span(item_id, session, start, end, duration)


def placed(c: Checker, path: Path, span: Span, what: str) -> tuple[Session, int, int | None] | None:
    """The span's session, start (its session's start when not given) and end (``start +
    duration`` when given so), or None after a problem: a start before its session's, an end
    before the start."""
    session, start, end = span.session, span.start, span.end
    if session is None:
        return None
    if start is None:
        start = session.start_time
    if start < session.start_time:
        c.problem(
            (*path, "start_ts"),
            f"{start} is before its session {session.id!r} starts ({session.start_time})",
        )
        return None
    if end is None and span.duration is not None:
        end = start + span.duration
    if end is not None and end < start:
        c.problem((*path, "end"), f"{end} is before the {what} starts ({start})")
        return None
    return session, start, end


def first_use(c: Checker, path: Path, item_id: str, seen: dict[str, int], what: str) -> bool:
    """Whether ``item_id`` is new in its block (``seen``: id -> the index it first stood at);
    a repeat is a problem at its line."""
    if item_id in seen:
        first = f"first at {path[0]}[{seen[item_id]}]"
        c.problem((*path, "id"), f"duplicate {what} id {item_id!r} ({first})")
        return False
    seen[item_id] = int(path[1])
    return True
