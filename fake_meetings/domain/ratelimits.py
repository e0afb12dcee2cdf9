"""Daily's documented rate limits, in tiers of routes: the numbers the fake enforces under
``serve --rate-limit`` (``state/ratelimit.py``) and the pace at which ``capture`` and ``verify``
read a real account (``client/daily.py``). Standard library only.

- most routes: 20 requests in any second and 100 in any 5 s;
- ``DELETE /rooms/:name`` and ``GET /recordings`` (the list): 2 in any second and 50 in any
  30 s;
- starting a recording (``POST /rooms/:name/recordings/start``): 1 in any second and 5 in any
  5 s (Daily's live streaming, PSTN and SIP starts share it; the fake serves none of them).

:data:`TIERS` is the one place these numbers are declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


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
