"""The server clock: real time, or frozen at an instant; it can be set or advanced while running."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..errors import invalid
from .times import MAX_TIMESTAMP


class Clock:
    """Integer unix seconds. Frozen when ``frozen_at`` is set; otherwise real time plus an offset.

    ``advance`` moves a frozen clock forward, or shifts a real clock by an offset.
    """

    def __init__(self, frozen_at: int | None = None, *, source: Callable[[], float] = time.time):
        self._source = source
        self._frozen_at = frozen_at
        self._offset = 0

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def now(self) -> int:
        if self._frozen_at is not None:
            return self._frozen_at
        return int(self._source()) + self._offset

    def seconds_until(self, instant: int) -> float:
        """Wall-clock seconds until ``now()`` reaches ``instant`` (infinite when frozen)."""
        if self._frozen_at is not None:
            return float("inf") if instant > self._frozen_at else 0.0
        return instant - (self._source() + self._offset)

    def set(self, instant: int) -> None:
        """Freeze the clock at ``instant`` (a 400 when it is not a time, see ``_checked``)."""
        self._frozen_at = _checked(instant, "freeze_at")

    def advance(self, seconds: int) -> None:
        """Move the clock ``seconds`` on (back, when negative); a 400 changing nothing when
        that leaves the range of times (the control plane and the test handle alike move it
        here)."""
        _checked(self.now() + seconds, f"advance: {seconds}")
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._offset += seconds

    def unfreeze(self) -> None:
        """Return to real time (with no offset)."""
        self._frozen_at = None
        self._offset = 0


def _checked(instant: int, lead: str) -> int:
    """``instant`` when the clock may show it: unix seconds from 1970 to 2**53 (``times.py``),
    the range of every time the fake reads or writes; else a 400 that starts with ``lead``."""
    if not 0 <= instant < MAX_TIMESTAMP:
        raise invalid(
            f"{lead} would move the clock to {instant}, out of range (unix seconds from 0 to "
            "2**53); keep the clock within that range"
        )
    return instant
