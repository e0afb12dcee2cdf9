"""The emulated rate limits (``serve --rate-limit``): Daily's documented tiers, per API key.

- most routes: 20 requests in any second and 100 in any 5 s;
- ``DELETE /rooms/:name`` and ``GET /recordings`` (the list): 2 in any second and 50 in any
  30 s;
- starting a recording (``POST /rooms/:name/recordings/start``): 1 in any second and 5 in any
  5 s (Daily's live streaming, PSTN and SIP starts share it; the fake serves none of them).

Each tier keeps its own windows per key: a request counts against its own tier only, and a
refused request does not count. :data:`TIERS` is the one place these numbers are declared.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_WINDOWS = 10_000  # (tier, key) windows kept before the idle ones are forgotten


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, a cheap dictionary key
class Tier:
    """At most ``per_second`` requests in any second and ``per_window`` in any ``window``
    seconds, per key, to ``routes`` (``"METHOD /path"`` as the route table declares them,
    without ``/v1``; none for the tier of every other route)."""

    per_second: int
    per_window: int
    window: int
    routes: tuple[str, ...] = ()
    info: str = field(init=False)  # the 429's ``info``, naming the numbers (and the routes)

    def __post_init__(self) -> None:
        routes = " and ".join(re.sub(r"\{(\w+)\}", r":\1", route) for route in self.routes)
        info = (
            f"too many requests: at most {self.per_second} per second and {self.per_window} per "
            f"{self.window} seconds per API key"
        )
        object.__setattr__(self, "info", info + (f" to {routes}" if routes else ""))


GENERAL = Tier(20, 100, 5)
DELETES_AND_LISTS = Tier(2, 50, 30, ("DELETE /rooms/{name}", "GET /recordings"))
RECORDING_START = Tier(1, 5, 5, ("POST /rooms/{name}/recordings/start",))
TIERS = (GENERAL, DELETES_AND_LISTS, RECORDING_START)
_BY_ROUTE: dict[tuple[str, ...], Tier] = {
    tuple(route.split(" ", 1)): tier for tier in TIERS for route in tier.routes
}


def tier_of(method: str, path: str) -> Tier:
    """The tier of a request to the route declared as ``method path`` (without ``/v1``)."""
    return _BY_ROUTE.get((method, path), GENERAL)


class RateLimiter:
    """Daily's documented limits (see the module): one sliding window of recent hits per tier
    and key. A key's hits in the last second are the newest of its tier's window (every window
    is at least a second long), so one queue answers both of a tier's limits.

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
