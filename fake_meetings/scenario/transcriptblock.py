"""A scenario's ``transcripts:`` block -> transcripts (``domain/transcripts.py``), each problem at
its file, path and line like the rest of scenario validation.

A transcript names the session it transcribes like a recording does (``blockparts.py``)::

    transcripts:
      - session: standup-1     # or room: standup (the session going on at start_ts)
        id: 6a1e...            # optional; derived from the file, place and start when absent
        start_ts: -50m         # optional with session: (default its start)
        end: -20m              # optional: when it was stopped (else when the session ends);
        duration: 1800         #   or duration: seconds after start_ts
        stored: true           # optional: its WebVTT file is stored (default true)
        error: "no audio"      # optional: it fails (t_error with this text once stopped)
        instance_id: c3df...   # optional: the streaming instance (a UUID; default Daily's)

Its room's id (``roomId``) is the room's of the served rooms, known once the file is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FsPath

from ..domain.model import Session
from ..domain.recordings import DEFAULT_INSTANCE
from ..domain.transcripts import MAX_ERROR, Transcript, transcript_id
from .blockparts import ID_RE, instance_id, session_named
from .validate import Checker

TRANSCRIPT_KEYS = (
    "id",
    "session",
    "room",
    "start_ts",
    "end",
    "duration",
    "stored",
    "error",
    "instance_id",
)


def transcripts_block(
    c: Checker, now: int, source: str, sessions: Sequence[Session]
) -> list[Transcript]:
    """The `transcripts:` block of the file read by ``c`` (its sessions ``sessions``)."""
    by_id = {s.id: s for s in sessions}
    label = FsPath(source).name
    out: list[Transcript] = []
    seen: dict[str, int] = {}
    for i in range(len(c.sequence(("transcripts",), required=False))):
        path: tuple[str | int, ...] = ("transcripts", i)
        raw = c.mapping(path, TRANSCRIPT_KEYS)
        if raw is None:
            continue
        before = c.count
        tr_id = c.identifier((*path, "id"), ID_RE)
        start = c.instant((*path, "start_ts"), now) if "start_ts" in raw else None
        session = session_named(c, path, raw, start, sessions, by_id)
        if "end" in raw and "duration" in raw:
            c.problem((*path, "duration"), "give end or duration, not both")
        end = c.instant((*path, "end"), now) if "end" in raw else None
        duration = c.non_negative((*path, "duration")) if "duration" in raw else None
        stored = c.boolean((*path, "stored"), default=True)
        error = c.string((*path, "error")) if "error" in raw else None
        if error is not None and len(error) > MAX_ERROR:
            c.problem((*path, "error"), f"at most {MAX_ERROR:,} characters; got {len(error):,}")
        instance = instance_id(c, (*path, "instance_id")) if "instance_id" in raw else None
        if session is None or c.count > before:
            continue
        if start is None:
            start = session.start_time
        if start < session.start_time:
            c.problem(
                (*path, "start_ts"),
                f"{start} is before its session {session.id!r} starts ({session.start_time})",
            )
            continue
        if end is None and duration is not None:
            end = start + duration
        if end is not None and end < start:
            c.problem((*path, "end"), f"{end} is before the transcript starts ({start})")
            continue
        if tr_id is None:
            tr_id = transcript_id(f"{label}#{i}|{session.id}|{start}")
        if tr_id in seen:
            first = f"first at transcripts[{seen[tr_id]}]"
            c.problem((*path, "id"), f"duplicate transcript id {tr_id!r} ({first})")
            continue
        seen[tr_id] = i
        room_id = ""  # the served room's, filled in when the file is loaded
        out.append(
            Transcript(
                tr_id,
                session.room,
                room_id,
                session.id,
                start,
                end,
                instance or DEFAULT_INSTANCE,
                bool(stored),
                error,
            )
        )
    return out
