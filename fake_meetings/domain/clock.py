"""The server clock: real time, or frozen at an instant; it can be set or advanced while running."""

from __future__ import annotations

import time
from collections.abc import Callable


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
        """Freeze the clock at ``instant``."""
        self._frozen_at = instant

    def advance(self, seconds: int) -> None:
        if self._frozen_at is not None:
            self._frozen_at += seconds
        else:
            self._offset += seconds

    def unfreeze(self) -> None:
        """Return to real time (with no offset)."""
        self._frozen_at = None
        self._offset = 0
