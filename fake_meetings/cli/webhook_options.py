"""``serve``'s webhook options: a webhook in place at start-up (in every namespace), when
``meeting.ended`` is sent, what ``X-Webhook-Timestamp`` holds, the hosts a webhook may point
at, and the delivery bounds. Each is declared once (``declare.py``), its default from
``webhooks/settings.py`` or ``domain/webhook.py``, and has a FAKE_MEETINGS_* variable; a flag
wins. The hmac secret is never printed (not in errors, not in the start-up line)."""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from typing import Any

from ..domain import webhook as hook_config
from ..errors import ApiError
from ..webhooks.settings import (
    ALLOW_OPTION,
    MAX_OUTBOX,
    OUTBOX_BYTES_EACH,
    Settings,
    Timing,
    allowed_host,
    host_allowed,
    host_of,
)
from .declare import Declared, UsageError, shown

URL = Declared(
    "--webhook-url",
    "WEBHOOK_URL",
    "send Daily's events to URL from start-up, in every namespace, without the test request "
    "POST /webhooks makes",
    metavar="URL",
)
HMAC = Declared(
    "--webhook-hmac",
    "WEBHOOK_HMAC",
    "the webhook's signing secret, base64",
    words="32 random bytes, shown by GET /webhooks",
    metavar="BASE64",
)
EVENTS = Declared(
    "--webhook-events",
    "WEBHOOK_EVENTS",
    "comma-separated event types to send, e.g. meeting.ended,participant.left",
    words="all",
    metavar="TYPES",
)
RETRY = Declared(
    "--webhook-retry",
    "WEBHOOK_RETRY",
    "retry policy",
    hook_config.CIRCUIT_BREAKER,
    choices=hook_config.RETRY_TYPES,
)
TIMESTAMP = Declared(
    "--webhook-timestamp",
    "WEBHOOK_TIMESTAMP",
    "X-Webhook-Timestamp (and the signed string): wall, the time of sending as Daily's, or "
    "clock, the server clock, for a receiver whose clock is frozen to the fake's; event_ts is "
    "on the server clock in both",
    hook_config.WALL,
    choices=hook_config.TIMESTAMPS,
)
ALLOW = Declared(
    ALLOW_OPTION,
    "WEBHOOK_ALLOW",
    "the only hosts a webhook URL may name (POST /webhooks, --webhook-url, a scenario's "
    "webhook:), e.g. receiver,127.0.0.1; another is refused without connecting",
    words="any host",
    metavar="HOST[,HOST...]",
)
ENDED_DELAY = Declared(
    "--webhook-ended-delay",
    "WEBHOOK_ENDED_DELAY",
    "seconds of server clock between a session's end and its meeting.ended; Daily's, up to 20",
    Settings.ended_delay,
    metavar="S",
)
TIMEOUT = Declared(
    "--webhook-timeout",
    "WEBHOOK_TIMEOUT",
    "seconds a delivery try may take before it counts as failed",
    Timing.timeout,
    metavar="S",
)
OUTBOX = Declared(
    "--webhook-outbox",
    "WEBHOOK_OUTBOX",
    "events waiting to be sent per namespace; a clock move's events beyond that are dropped "
    "and counted, never built",
    Timing.outbox,
    metavar="N",
    bound=f"about {OUTBOX_BYTES_EACH * Timing.outbox // 1_000_000} MB; at most {MAX_OUTBOX:,}",
    least=1,
)
RETRY_DELAYS = Declared(
    "--webhook-retry-delays",
    "WEBHOOK_RETRY_DELAYS",
    "exponential retry: seconds before tries 2 to 5; Daily's reach 15 minutes",
    ",".join(shown(delay) for delay in Timing.retry_delays),
    metavar="S,S,S,S",
)
WEBHOOK = (
    URL,
    HMAC,
    EVENTS,
    RETRY,
    TIMESTAMP,
    ALLOW,
    ENDED_DELAY,
    TIMEOUT,
    OUTBOX,
    RETRY_DELAYS,
)


def add_webhook_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("webhooks (Daily's POST /webhooks works too)")
    for option in WEBHOOK:
        option.add(group)


def webhook_settings(args: argparse.Namespace) -> Settings:
    delay = ENDED_DELAY.whole(args)
    timing = Timing()
    timeout = TIMEOUT.text(args)
    if timeout is not None:
        timing = replace(timing, timeout=_seconds_list(timeout, "--webhook-timeout", 1)[0])
    delays = RETRY_DELAYS.text(args)
    if delays is not None:
        timing = replace(
            timing, retry_delays=_seconds_list(delays, "--webhook-retry-delays", 4, zero=True)
        )
    outbox = OUTBOX.whole(args)
    if outbox > MAX_OUTBOX:
        raise UsageError(f"{OUTBOX.source(args)} {outbox}: at most {MAX_OUTBOX:,} events")
    timing = replace(timing, outbox=outbox)
    stamp = TIMESTAMP.text(args)
    if stamp is not None and stamp not in hook_config.TIMESTAMPS:  # a flag is checked by argparse
        raise UsageError(
            f"{TIMESTAMP.variable} {stamp[:40]!r}: expected " + " or ".join(hook_config.TIMESTAMPS)
        )
    allow = _allow(ALLOW.text(args))
    url = URL.text(args)
    startup: dict[str, Any] | None = None
    if url is not None:
        startup = {"url": url}
        for field, option in (("hmac", HMAC), ("retryType", RETRY)):
            value = option.text(args)
            if value is not None:
                startup[field] = value
        events = EVENTS.text(args)
        if events is not None:
            startup["eventTypes"] = [e.strip() for e in events.split(",") if e.strip()]
        try:  # the same checks as POST /webhooks, named by flag
            hook_config.created(startup, "-", "-", 0)
        except ApiError as exc:
            field = exc.info.split(":", 1)[0]
            flag = {"url": "--webhook-url", "hmac": "--webhook-hmac"}.get(field, "--webhook-*")
            flag = {"retryType": "--webhook-retry", "eventTypes": "--webhook-events"}.get(
                field, flag
            )
            raise UsageError(f"{flag}: {exc.info.split(':', 1)[-1].strip()}") from None
        if allow is not None and not host_allowed(allow, url):
            raise UsageError(
                f"--webhook-url: host {host_of(url)!r} is not one {ALLOW_OPTION} allows "
                f"({', '.join(sorted(allow))})"
            )
    elif HMAC.text(args) or EVENTS.text(args):
        raise UsageError("--webhook-hmac and --webhook-events need --webhook-url")
    assert delay is not None
    return Settings(timing=timing, ended_delay=delay, startup=startup, timestamp=stamp, allow=allow)


def _allow(text: str | None) -> frozenset[str] | None:
    """``--webhook-allow``'s hosts, as the sender compares them; None: any host."""
    if text is None:
        return None
    hosts = set()
    for part in text.split(","):
        host = allowed_host(part)
        if host is None:
            raise UsageError(
                f"{ALLOW_OPTION} {part.strip()[:80]!r}: expected host names or IP addresses "
                "separated by commas (no scheme, port or path), like receiver,127.0.0.1"
            )
        hosts.add(host)
    return frozenset(hosts)


def _seconds_list(text: str, option: str, count: int, *, zero: bool = False) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    least = 0.0 if zero else math.ulp(0.0)
    if len(values) != count or not all(math.isfinite(v) and v >= least for v in values):
        shape = "one number of seconds above 0" if count == 1 else f"{count} comma-separated"
        raise UsageError(
            f"{option} {text[:80]!r}: expected {shape} (seconds), like "
            + ("5" if count == 1 else "1,2,4,8")
        )
    return values


def shown_url(url: str) -> str:
    """``url`` without credentials in it (``http://user:secret@host/`` -> ``http://host/``)."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    return scheme + sep + authority.rpartition("@")[2] + slash + path
