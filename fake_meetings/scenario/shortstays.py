"""The stays of a scenario file that ``/meetings`` will never show (Daily's ten-second rule:
``domain/recorded.py``): warnings for ``fake-meetings validate``, with file and line, not
problems. A stay that lasts less than the file's ``min_stay:`` (else the default, 10 s) is never
recorded; a session none of whose stays lasts that long is never listed. Presence and webhooks
still show them."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.model import Session
from ..domain.recorded import qualifies
from .sessionbuild import derived_participant_id
from .validate import Checker, Problem


def short_stays(c: Checker, sessions: Sequence[Session], min_stay: int) -> list[Problem]:
    """The warnings for ``sessions``, the file's ``sessions:`` in their order (built without a
    problem, so ``sessions[i]`` is the file's ``sessions[i]``)."""
    if min_stay <= 0:
        return []
    notes: list[Problem] = []
    for i, s in enumerate(sessions):
        short = [p for p in s.participants if not qualifies(p, min_stay)]
        if not short:
            continue
        if len(short) == len(s.participants):
            path: tuple[str | int, ...] = ("sessions", i)
            message = (
                f"no stay lasts min_stay ({min_stay} s): /meetings will never list this "
                "session (presence and webhooks show it)"
            )
            notes.append(Problem(c.source, c.doc.line_of(path), path, message))
            continue
        raw = c.get(("sessions", i, "participants"))
        raw = raw if isinstance(raw, list) else []
        ids = [
            p.get("participant_id") or derived_participant_id(s.id, j)
            if isinstance(p, dict)
            else None
            for j, p in enumerate(raw)
        ]
        for p in short:
            j = ids.index(p.participant_id) if p.participant_id in ids else None
            path = ("sessions", i, "participants") + (() if j is None else (j,))
            message = (
                f"participant {p.participant_id!r} stays {p.duration} s, under min_stay "
                f"({min_stay} s): /meetings will never show it (presence and webhooks do)"
            )
            notes.append(Problem(c.source, c.doc.line_of(path), path, message))
    return notes
