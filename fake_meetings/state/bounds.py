"""What one namespace may hold: its bounds (``serve --max-rooms``, ``--max-sessions``, the
recordings clients start), checked by the commands that would make more."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import DEFAULT_MAX_ROOMS, DEFAULT_MAX_SESSIONS
from ..errors import invalid

# Recordings per namespace that clients start and files declare: each change re-sorts them
# and each clock move reads the started ones (a few thousand cost milliseconds), so a client
# starting recordings in a loop is stopped. The generated ones (a `generate:` block's or
# --generate's `recorded` share, up to two per session) are not counted, failed or not
# (``domain/failed.py``): they are bounded by the sessions generated.
MAX_RECORDINGS = 10_000


@dataclass(frozen=True, slots=True)
class Bounds:
    """What one namespace may hold (``serve --max-rooms``, ``--max-sessions``). A change that
    would make more is a 400 naming the bound, and changes nothing; the start-up data is not
    refused, but counts."""

    rooms: int = DEFAULT_MAX_ROOMS
    sessions: int = DEFAULT_MAX_SESSIONS
    recordings: int = MAX_RECORDINGS

    def check_rooms(self, count: int) -> None:
        if count > self.rooms:
            raise invalid(
                f"rooms: a namespace holds at most {self.rooms:,} rooms (the server's "
                f"--max-rooms); this would make {count:,}. Delete rooms, reset, or serve with "
                "a higher --max-rooms"
            )

    def check_sessions(self, count: int) -> None:
        if count > self.sessions:
            raise invalid(
                f"sessions: a namespace holds at most {self.sessions:,} sessions (the server's "
                f"--max-sessions); this would make {count:,}. Load with mode=replace, reset, or "
                "serve with a higher --max-sessions"
            )

    def check_recordings(self, count: int) -> None:
        if count > self.recordings:
            raise invalid(
                f"recordings: a namespace holds at most {self.recordings:,} recordings besides "
                f"generated ones; this would make {count:,}. Delete recordings or reset"
            )
