"""Injected faults and the emulated rate limit: answers the real API gives when things go wrong.

A fault matches Daily-route requests by path prefix (``/v1`` or not, alike), method and API key,
and answers the next ``count`` of them (or each with a ``probability``) with an error status in
Daily's envelope, optionally after a delay; or it drops the connection; or, with only a delay,
it just slows them down. Faults never apply to the control plane (``/_fake/``). Clearing a fault
ends the delays it imposed: those requests are then answered as if it had never been injected.

Probabilities use a random generator per fault, seeded by the fault's ``seed`` (default 0), so
a run is repeatable: the n-th request the fault sees fires or not, the same every time.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import random
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ERROR_NAMES, ApiError

FIELDS = (
    "status",
    "path",
    "method",
    "api_key",
    "count",
    "probability",
    "delay_ms",
    "drop",
    "error",
    "info",
    "seed",
)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
MAX_DELAY_MS = 60_000
MAX_FAULTS = 1000  # per namespace
MAX_TEXT = 1024  # bytes (UTF-8) of a text field: path, method, api_key, error, info
_ids = itertools.count(1)


def _api_path(path: str) -> str:
    """Routes are served under /v1 and at the root alike: match them alike."""
    if path == "/v1" or path.startswith("/v1/"):
        return path[3:]
    return path


@dataclass
class Fault:
    status: int | None  # None: no error answer (a drop, or a delay alone)
    path: str | None = None  # a prefix of the request path; None: every Daily route
    method: str | None = None
    api_key: str | None = None
    count: int | None = 1  # requests left to answer; None with a probability
    probability: float | None = None
    delay_ms: int = 0
    drop: bool = False
    error: str | None = None
    info: str | None = None
    seed: int = 0
    id: str = field(default_factory=lambda: f"fault-{next(_ids)}")
    fired: int = 0
    _prefix: str = field(init=False, repr=False)
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._prefix = _api_path(self.path) if self.path is not None else ""
        self._random = random.Random(self.seed)

    def matches(self, method: str, path: str, key: str | None) -> bool:
        return (
            (self.method is None or self.method == method)
            and (self.api_key is None or self.api_key == key)
            and _api_path(path).startswith(self._prefix)
        )

    def fires(self) -> bool:
        """Whether this matching request is answered by the fault (uses up one of ``count``)."""
        if self.probability is not None:
            if self._random.random() >= self.probability:
                return False
        elif self.count is not None:
            self.count -= 1
        self.fired += 1
        return True

    @property
    def spent(self) -> bool:
        return self.count is not None and self.count <= 0

    @property
    def error_name(self) -> str:
        if self.error is not None:
            return self.error
        status = self.status or 500
        return ERROR_NAMES.get(status, "server-error" if status >= 500 else "invalid-request-error")

    @property
    def error_info(self) -> str:
        if self.info is not None:
            return self.info
        return f"injected by fake-meetings (fault {self.id})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "path": self.path,
            "method": self.method,
            "api_key": self.api_key,
            "count": self.count,
            "probability": self.probability,
            "delay_ms": self.delay_ms,
            "drop": self.drop,
            "error": self.error_name if self.status is not None else self.error,
            "info": self.error_info if self.status is not None else self.info,
            "seed": self.seed,
            "fired": self.fired,
        }


class Faults:
    """The faults of one namespace, in the order they were added (the first match answers)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._delayed: dict[asyncio.Future[None], str] = {}  # each waiting request: its fault

    def __bool__(self) -> bool:
        return bool(self._faults)

    def __len__(self) -> int:
        return len(self._faults)

    def add(self, fault: Fault) -> None:
        if len(self._faults) >= MAX_FAULTS:
            raise ApiError(
                400,
                f"at most {MAX_FAULTS} faults at once; DELETE /_fake/faults to clear them",
                "invalid-request-error",
            )
        self._faults.append(fault)

    def clear(self) -> int:
        count = len(self._faults)
        self._faults.clear()
        self._release(None)
        return count

    def remove(self, fault_id: str) -> bool:
        before = len(self._faults)
        self._faults = [f for f in self._faults if f.id != fault_id]
        self._release(fault_id)
        return len(self._faults) < before

    async def delay(self, fault: Fault) -> bool:
        """Wait the fault's ``delay_ms``; True when the fault was cleared meanwhile (the wait
        then ends at once, and the request is answered as if no fault had been injected)."""
        released: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._delayed[released] = fault.id
        try:
            await asyncio.wait_for(released, fault.delay_ms / 1000)
        except TimeoutError:
            return False
        finally:
            del self._delayed[released]
        return True

    def _release(self, fault_id: str | None) -> None:
        """End the delays of the requests waiting on ``fault_id`` (None: on any fault)."""
        for released, waited_on in self._delayed.items():
            if fault_id in (None, waited_on) and not released.done():
                released.set_result(None)

    def list(self) -> list[Fault]:
        return list(self._faults)

    def pick(self, method: str, path: str, key: str | None) -> Fault | None:
        """The fault that answers this request, if any; a fault whose count is used up goes."""
        for fault in self._faults:
            if fault.matches(method, path, key) and fault.fires():
                if fault.spent:
                    self._faults.remove(fault)
                return fault
        return None


# ----------------------------------------------------------------------------- parsing


def parse_fault(body: Mapping[str, Any]) -> Fault:
    """A fault from a ``POST /_fake/faults`` body, or a 400 naming the field and the fix."""
    for name in body:
        if name not in FIELDS:
            raise _bad(f"unknown field {name!r}; expected some of: {', '.join(FIELDS)}")
    status = _int(body, "status", 400, 599, "an HTTP error status from 400 to 599")
    path = _str(body, "path")
    if path is not None:
        if not path.startswith("/"):
            raise _bad(f"path: must start with '/' (a prefix like /v1/meetings); got {path!r}")
        if path.startswith("/_fake"):
            raise _bad("path: faults apply to the Daily routes only, never to /_fake/")
    method = _str(body, "method")
    if method is not None:
        method = method.upper()
        if method not in METHODS:
            raise _bad(f"method: must be one of {', '.join(METHODS)}; got {body['method']!r}")
    api_key = _str(body, "api_key")
    if "count" in body and "probability" in body:
        raise _bad("count and probability cannot be used together; give one of them")
    count = _int(body, "count", 1, 10**9, "a whole number of requests, 1 or more")
    probability = _probability(body)
    delay_ms = _int(body, "delay_ms", 0, MAX_DELAY_MS, f"milliseconds from 0 to {MAX_DELAY_MS}")
    drop = _bool(body, "drop")
    if status is None and not drop and not delay_ms:
        raise _bad(
            'status: required, e.g. {"status": 429}; or give drop: true to close the '
            "connection, or delay_ms alone to slow requests down"
        )
    return Fault(
        status=status,
        path=path,
        method=method,
        api_key=api_key,
        count=None if probability is not None else (count if count is not None else 1),
        probability=probability,
        delay_ms=delay_ms or 0,
        drop=drop,
        error=_str(body, "error"),
        info=_str(body, "info", empty_ok=True),
        seed=_int(body, "seed", 0, 2**63 - 1, "a whole number, 0 or more") or 0,
    )


def _bad(info: str) -> ApiError:
    return ApiError(400, info, "invalid-request-error")


def _int(body: Mapping[str, Any], name: str, low: int, high: int, what: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if type(value) is not int or not low <= value <= high:
        raise _bad(f"{name}: must be {what}; got {value!r}")
    return value


def _probability(body: Mapping[str, Any]) -> float | None:
    value = body.get("probability")
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value) or not 0 < value <= 1:
        raise _bad(f"probability: must be a number above 0 and at most 1; got {value!r}")
    return float(value)


def _str(body: Mapping[str, Any], name: str, *, empty_ok: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or (not empty_ok and not value.strip()):
        raise _bad(f"{name}: must be a non-empty string; got {value!r:.100}")
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT:
        raise _bad(f"{name}: at most {MAX_TEXT} bytes (UTF-8); got {size}")
    return value


def _bool(body: Mapping[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise _bad(f"{name}: must be true or false; got {value!r}")
    return value


# ----------------------------------------------------------------------------- rate limit

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
