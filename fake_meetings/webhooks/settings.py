"""The webhook options of a server (no I/O here: the CLI and ``config.py`` import it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Timing:
    timeout: float = 5.0  # seconds a try may take, connect to status line
    retry_delays: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)  # exponential: before tries 2..5
    breaker: int = 3  # circuit-breaker: failures in a row that turn the webhook FAILED
    outbox: int = 10_000  # events waiting to be sent
    log: int = 1_000  # deliveries kept for GET /_fake/webhooks/deliveries


@dataclass(frozen=True)
class Settings:
    """Webhook options of a server, the same for every namespace."""

    timing: Timing = Timing()
    ended_delay: int = 0  # seconds between a session's end and its meeting.ended [F]
    # a POST /webhooks body in place at start-up (holds the hmac: never shown)
    startup: Mapping[str, Any] | None = field(default=None, repr=False)
    # X-Webhook-Timestamp: "wall" (the time of sending) or "clock" (the server clock); None:
    # not given (a start-up scenario's `webhook:` block may say, else "wall")
    timestamp: str | None = None
