"""A scenario's ``recordings:`` block -> recordings (``domain/recordings.py``), each problem at
its file, path and line like the rest of scenario validation.

A recording names the session it records, by ``session:`` (a session id of the same file), or
by ``room:`` and ``start_ts`` (the session of that room going on at that instant)::

    recordings:
      - session: standup-1     # or room: standup (the session going on at start_ts)
        id: 2f6b...            # optional; derived from the file, place and start when absent
        start_ts: -50m         # optional with session: (default its start); time forms as above
        end: -20m              # optional: when it stops (else at max_duration or when the
        duration: 1800         #   session ends); or duration: seconds after start_ts
        max_duration: 10800    # optional: Daily's maxDuration (default 10800 s)
        canceled: true         # optional: it stops as canceled (duration 0)
        error: "disk full"     # optional: it fails when it stops: canceled (duration 0), and
                               #   recording.error carries this text (at most 1,000
                               #   characters, as the fail route takes); implies canceled
        type: cloud            # optional: cloud (default), raw-tracks or cloud-audio-only
        instance_id: c3df...   # optional: the streaming instance (a UUID; default Daily's)
        layout: default        # optional: its layout preset, as recording.started tells

A recording with ``error:`` is a failed one (``domain/failed.py``), as one failed through the
handle or ``POST /_fake/recordings/:id/fail`` at its stop is: that is how a dump writes such a
one (its ``end`` the failure's instant). ``canceled: true`` beside it says nothing more;
``canceled: false`` contradicts it and is a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FsPath

from ..domain.failed import FailedRecording
from ..domain.model import Session
from ..domain.recordings import (
    CLOUD,
    DEFAULT_INSTANCE,
    DEFAULT_LAYOUT,
    DEFAULT_MAX_DURATION,
    MAX_MAX_DURATION,
    RAW_TRACKS,
    TYPES,
    Recording,
    recording_id,
)
from ..domain.recordstart import PRESETS
from .blockparts import choice, error_text, first_use, instance_id, placed, read_span
from .validate import Checker

RECORDING_KEYS = (
    "id",
    "session",
    "room",
    "start_ts",
    "end",
    "duration",
    "max_duration",
    "canceled",
    "error",
    "type",
    "instance_id",
    "layout",
)


def recordings_block(
    c: Checker, now: int, source: str, sessions: Sequence[Session]
) -> list[Recording]:
    """The `recordings:` block of the file read by ``c`` (its sessions ``sessions``)."""
    by_id = {s.id: s for s in sessions}
    label = FsPath(source).name
    out: list[Recording] = []
    seen: dict[str, int] = {}
    for i in range(len(c.sequence(("recordings",), required=False))):
        path: tuple[str | int, ...] = ("recordings", i)
        raw = c.mapping(path, RECORDING_KEYS)
        if raw is None:
            continue
        before = c.count
        span = read_span(c, path, raw, now, sessions, by_id)
        max_duration = c.positive((*path, "max_duration")) if "max_duration" in raw else None
        if max_duration is not None and max_duration > MAX_MAX_DURATION:
            c.problem(
                (*path, "max_duration"),
                f"expected at most {MAX_MAX_DURATION} seconds (a year); got {max_duration}",
            )
        canceled = c.boolean((*path, "canceled"), default=False)
        error = error_text(c, (*path, "error")) if "error" in raw else None
        if error is not None and canceled is False and "canceled" in raw:
            c.problem(
                (*path, "canceled"),
                "a recording with error: stops as canceled; leave canceled: out or make it true",
            )
        kind = choice(c, (*path, "type"), TYPES) if "type" in raw else CLOUD
        layout = choice(c, (*path, "layout"), tuple(PRESETS)) if "layout" in raw else None
        instance = instance_id(c, (*path, "instance_id")) if "instance_id" in raw else None
        if layout == "raw-tracks-audio-only" and kind != RAW_TRACKS:
            c.problem((*path, "layout"), f"{layout} is for type: {RAW_TRACKS} only")
        if c.count > before or (where := placed(c, path, span, "recording")) is None:
            continue
        session, start, end = where
        rec_id = span.id or recording_id(f"{label}#{i}|{session.id}|{start}")
        if not first_use(c, path, rec_id, seen, "recording"):
            continue
        fields = (
            rec_id,
            session.room,
            session.id,
            start,
            end,
            max_duration or DEFAULT_MAX_DURATION,
            bool(canceled) or error is not None,
            instance or DEFAULT_INSTANCE,
            kind or CLOUD,
            layout or DEFAULT_LAYOUT,
        )
        out.append(Recording(*fields) if error is None else FailedRecording(*fields, error))
    return out
