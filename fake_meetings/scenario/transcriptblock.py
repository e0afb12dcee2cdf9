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
        error: "no audio"      # optional: it fails (t_error with this text once stopped;
                               #   at most 1,000 characters, as the fail route takes)
        instance_id: c3df...   # optional: the streaming instance (a UUID; default Daily's)

Its room's id (``roomId``) is the room's of the served rooms, known once the file is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FsPath

from ..domain.model import Session
from ..domain.recordings import DEFAULT_INSTANCE
from ..domain.transcripts import Transcript, transcript_id
from .blockparts import error_text, first_use, instance_id, placed, read_span
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
        span = read_span(c, path, raw, now, sessions, by_id)
        stored = c.boolean((*path, "stored"), default=True)
        error = error_text(c, (*path, "error")) if "error" in raw else None
        instance = instance_id(c, (*path, "instance_id")) if "instance_id" in raw else None
        if c.count > before or (where := placed(c, path, span, "transcript")) is None:
            continue
        session, start, end = where
        tr_id = span.id or transcript_id(f"{label}#{i}|{session.id}|{start}")
        if not first_use(c, path, tr_id, seen, "transcript"):
            continue
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
