"""Injected faults: answers the real API gives when things go wrong.

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
import random
from dataclasses import dataclass, field
from typing import Any

from ..errors import ERROR_NAMES, ApiError

MAX_FAULTS = 1000  # per namespace
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
        # the faults themselves; changed in place, never rebound, so a caller may keep it and
        # test it for emptiness (the app's hot path does, once per request)
        self.armed: list[Fault] = []
        self._delayed: dict[asyncio.Future[None], str] = {}  # each waiting request: its fault

    def __bool__(self) -> bool:
        return bool(self.armed)

    def __len__(self) -> int:
        return len(self.armed)

    def add(self, fault: Fault) -> None:
        if len(self.armed) >= MAX_FAULTS:
            raise ApiError(
                400,
                f"at most {MAX_FAULTS} faults at once; DELETE /_fake/faults to clear them",
                "invalid-request-error",
            )
        self.armed.append(fault)

    def clear(self) -> int:
        count = len(self.armed)
        self.armed.clear()
        self._release(None)
        return count

    def remove(self, fault_id: str) -> bool:
        before = len(self.armed)
        self.armed[:] = [f for f in self.armed if f.id != fault_id]
        self._release(fault_id)
        return len(self.armed) < before

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
        return list(self.armed)

    def pick(self, method: str, path: str, key: str | None) -> Fault | None:
        """The fault that answers this request, if any; a fault whose count is used up goes."""
        for fault in self.armed:
            if fault.matches(method, path, key) and fault.fires():
                if fault.spent:
                    self.armed.remove(fault)
                return fault
        return None
