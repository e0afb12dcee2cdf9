"""The emulated rate limit: Daily's documented 20 requests/s and 100 per 5 s per API key."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

PER_SECOND = 20
PER_FIVE_SECONDS = 100
RATE_LIMIT_INFO = (
    f"too many requests: at most {PER_SECOND} per second and {PER_FIVE_SECONDS} per 5 seconds "
    "per API key"
)


class RateLimiter:
    """Daily's documented limit (contract §7): 20 requests in any second and 100 in any 5 s,
    per API key. A refused request does not count."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._hits: dict[str | None, tuple[deque[float], deque[float]]] = {}

    def allow(self, key: str | None) -> bool:
        now = self._clock()
        windows = self._hits.get(key)
        if windows is None:
            if len(self._hits) >= 10_000:
                self._forget_idle(now)
            windows = self._hits[key] = (deque(), deque())
        second, five = windows
        while second and second[0] <= now - 1:
            second.popleft()
        while five and five[0] <= now - 5:
            five.popleft()
        if len(second) >= PER_SECOND or len(five) >= PER_FIVE_SECONDS:
            return False
        second.append(now)
        five.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, (_, five) in self._hits.items() if not five or five[-1] <= now - 5]:
            del self._hits[key]
