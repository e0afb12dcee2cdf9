"""The webhook options of a server (no I/O here: the CLI and ``config.py`` import it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..domain.domainconfig import DEFAULT_DOMAIN

ALLOW_OPTION = "--webhook-allow"  # named in the errors of a URL it refuses
MAX_OUTBOX = 1_000_000  # the largest --webhook-outbox
OUTBOX_BYTES_EACH = 320  # about what one event waiting in an outbox holds (measured: hardening.md)


@dataclass(frozen=True)
class Timing:
    timeout: float = 5.0  # seconds a try may take, connect to status line
    retry_delays: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)  # exponential: before tries 2..5
    breaker: int = 3  # circuit-breaker: failures in a row that turn the webhook FAILED
    outbox: int = 10_000  # events waiting to be sent (--webhook-outbox)
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
    # hosts a webhook URL may name (``--webhook-allow``), as :func:`host_of` gives them;
    # None: any host
    allow: frozenset[str] | None = None
    # the Daily domain's name in recording events' s3_key (make_app sets ServerConfig.domain)
    domain: str = DEFAULT_DOMAIN

    def allows(self, url: str) -> bool:
        """Whether a webhook may point at ``url`` (its host is allowed, or any is)."""
        return host_allowed(self.allow, url)


def host_allowed(allow: frozenset[str] | None, url: str) -> bool:
    """The ``--webhook-allow`` rule: ``url``'s host is one of ``allow``, or ``allow`` is None."""
    return allow is None or host_of(url) in allow


def host_of(url: str) -> str | None:
    """The host ``url`` connects to, as the sender's HTTP client reads it (lower case, IDNA,
    IPv6 without brackets or leading zeros, no trailing dot); None when there is none."""
    from yarl import URL  # aiohttp's own URL type: the host compared is the host dialled

    try:
        host = URL(url).raw_host
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def allowed_host(text: str) -> str | None:
    """An ``--webhook-allow`` entry (``receiver``, ``127.0.0.1``, ``::1`` or ``[::1]``) as
    :func:`host_of` gives it; None when it is no host name (a URL, a port, a path, ...)."""
    import ipaddress

    text = text.strip()
    if not text or any(c in text for c in "/@?#%\\ \t"):
        return None
    inner = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    if ":" in inner:  # only an IPv6 address has colons (a port is not part of an entry)
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            return None
        return host_of(f"http://[{inner}]/")
    return host_of(f"http://{inner}/") if inner == text else None
