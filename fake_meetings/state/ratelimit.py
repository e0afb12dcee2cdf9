"""The emulated rate limits (``serve --rate-limit``): Daily's documented tiers
(``domain/ratelimits.py``), per API key.

Each tier keeps its own windows per key: a request counts against its own tier only, and a
refused request does not count.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from ..domain.ratelimits import GENERAL, Tier

MAX_WINDOWS = 10_000  # (tier, key) windows kept before the idle ones are forgotten


class RateLimiter:
    """Daily's documented limits (``domain/ratelimits.py``): one sliding window of recent hits
    per tier and key. A key's hits in the last second are the newest of its tier's window
    (every window is at least a second long), so one queue answers both of a tier's limits.

    The queues stay bounded: each holds at most its tier's ``per_window`` hits, and once
    ``max_windows`` are kept, a new one first forgets those idle for their tier's whole
    window (an idle queue limits nothing). Each forgetting sets the next one's threshold to
    twice the queues still active (at least ``max_windows``), so a flood of active keys costs
    no scan per request."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_windows: int = MAX_WINDOWS):
        self._clock = clock
        self._hits: dict[tuple[Tier, str | None], deque[float]] = {}
        self._max = self._threshold = max_windows

    def kept(self) -> int:
        """The windows kept (one per tier and key seen lately)."""
        return len(self._hits)

    def allow(self, key: str | None, tier: Tier = GENERAL) -> bool:
        now = self._clock()
        hits = self._hits.get((tier, key))
        if hits is None:
            if len(self._hits) >= self._threshold:
                self._forget_idle(now)
            hits = self._hits[tier, key] = deque()
        while hits and hits[0] <= now - tier.window:
            hits.popleft()
        if len(hits) >= tier.per_window:
            return False
        if len(hits) >= tier.per_second and hits[-tier.per_second] > now - 1:
            return False
        hits.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for entry in [
            (tier, key)
            for (tier, key), hits in self._hits.items()
            if not hits or hits[-1] <= now - tier.window
        ]:
            del self._hits[entry]
        self._threshold = max(self._max, 2 * len(self._hits))
