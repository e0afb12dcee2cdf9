"""What the blocks of a scenario that hang on its sessions (``recordings:``, ``transcripts:``)
read alike: the session an item names, a streaming instance id, a choice among names."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from ..domain.model import Session
from ..domain.recordings import DEFAULT_INSTANCE
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
