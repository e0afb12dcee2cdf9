"""``serve``'s webhook options: a webhook in place at start-up (in every namespace), when
``meeting.ended`` is sent, what ``X-Webhook-Timestamp`` holds, the hosts a webhook may point
at, and the delivery bounds. Each
has a FAKE_MEETINGS_* variable; a flag wins. The hmac secret is never printed (not in errors,
not in the start-up line)."""

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
from .declare import ENV_PREFIX, UsageError, env, whole_number


def add_webhook_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("webhooks (Daily's POST /webhooks works too)")
    p = group.add_argument
    p(
        "--webhook-url",
        metavar="URL",
        help="send Daily's events to URL from start-up, in every namespace, without the test "
        f"request POST /webhooks makes (env {ENV_PREFIX}WEBHOOK_URL)",
    )
    p(
        "--webhook-hmac",
        metavar="BASE64",
        help="the webhook's signing secret, base64 (default: 32 random bytes, shown by GET "
        f"/webhooks; env {ENV_PREFIX}WEBHOOK_HMAC)",
    )
    p(
        "--webhook-events",
        metavar="TYPES",
        help="comma-separated event types to send (default: all; env "
        f"{ENV_PREFIX}WEBHOOK_EVENTS), e.g. meeting.ended,participant.left",
    )
    p(
        "--webhook-retry",
        choices=hook_config.RETRY_TYPES,
        help=f"retry policy (default {hook_config.CIRCUIT_BREAKER}; env {ENV_PREFIX}WEBHOOK_RETRY)",
    )
    p(
        "--webhook-timestamp",
        choices=hook_config.TIMESTAMPS,
        help="X-Webhook-Timestamp (and the signed string): wall, the time of sending as "
        "Daily's, or clock, the server clock, for a receiver whose clock is frozen to the "
        f"fake's; event_ts is on the server clock in both (default {hook_config.WALL}; env "
        f"{ENV_PREFIX}WEBHOOK_TIMESTAMP)",
    )
    p(
        ALLOW_OPTION,
        metavar="HOST[,HOST...]",
        help="the only hosts a webhook URL may name (POST /webhooks, --webhook-url, a "
        "scenario's webhook:); another is refused without connecting (default: any host; env "
        f"{ENV_PREFIX}WEBHOOK_ALLOW), e.g. receiver,127.0.0.1",
    )
    p(
        "--webhook-ended-delay",
        metavar="S",
        help="seconds of server clock between a session's end and its meeting.ended (Daily: "
        f"up to 20; default {Settings.ended_delay}; env {ENV_PREFIX}WEBHOOK_ENDED_DELAY)",
    )
    p(
        "--webhook-timeout",
        metavar="S",
        help="seconds a delivery try may take before it counts as failed "
        f"(default {Timing.timeout:g}; env {ENV_PREFIX}WEBHOOK_TIMEOUT)",
    )
    p(
        "--webhook-outbox",
        metavar="N",
        help="events waiting to be sent per namespace; a clock move's events beyond that are "
        f"dropped and counted, never built (default {Timing.outbox:,}, about "
        f"{OUTBOX_BYTES_EACH * Timing.outbox // 1_000_000} MB; at most {MAX_OUTBOX:,}; env "
        f"{ENV_PREFIX}WEBHOOK_OUTBOX)",
    )
    p(
        "--webhook-retry-delays",
        metavar="S,S,S,S",
        help="exponential retry: seconds before tries 2 to 5 (default "
        f"{','.join(f'{d:g}' for d in Timing.retry_delays)}; Daily's reach 15 minutes; env "
        f"{ENV_PREFIX}WEBHOOK_RETRY_DELAYS)",
    )


def _number(
    args: argparse.Namespace, dest: str, var: str, default: int | None, *, least: int = 0
) -> int | None:
    """A whole number from the flag ``dest``, else the variable ``var``, else ``default``."""
    flag = getattr(args, dest)
    text = str(flag) if flag is not None else env(var)
    source = "--" + dest.replace("_", "-") if flag is not None else ENV_PREFIX + var
    return whole_number(text, source, default, least)


def webhook_settings(args: argparse.Namespace) -> Settings:
    def given(name: str, env_name: str) -> str | None:
        value = getattr(args, name, None)
        return value if value is not None else env(env_name) or None

    delay = _number(args, "webhook_ended_delay", "WEBHOOK_ENDED_DELAY", Settings.ended_delay)
    timing = Timing()
    timeout = given("webhook_timeout", "WEBHOOK_TIMEOUT")
    if timeout is not None:
        timing = replace(timing, timeout=_seconds_list(timeout, "--webhook-timeout", 1)[0])
    delays = given("webhook_retry_delays", "WEBHOOK_RETRY_DELAYS")
    if delays is not None:
        timing = replace(
            timing, retry_delays=_seconds_list(delays, "--webhook-retry-delays", 4, zero=True)
        )
    outbox = _number(args, "webhook_outbox", "WEBHOOK_OUTBOX", None, least=1)
    if outbox is not None:
        if outbox > MAX_OUTBOX:
            by_flag = args.webhook_outbox is not None
            source = "--webhook-outbox" if by_flag else f"{ENV_PREFIX}WEBHOOK_OUTBOX"
            raise UsageError(f"{source} {outbox}: at most {MAX_OUTBOX:,} events")
        timing = replace(timing, outbox=outbox)
    stamp = given("webhook_timestamp", "WEBHOOK_TIMESTAMP")
    if stamp is not None and stamp not in hook_config.TIMESTAMPS:  # a flag is checked by argparse
        raise UsageError(
            f"{ENV_PREFIX}WEBHOOK_TIMESTAMP {stamp[:40]!r}: expected "
            + " or ".join(hook_config.TIMESTAMPS)
        )
    allow = _allow(given("webhook_allow", "WEBHOOK_ALLOW"))
    url = given("webhook_url", "WEBHOOK_URL")
    startup: dict[str, Any] | None = None
    if url is not None:
        startup = {"url": url}
        for field, name, env_name in (
            ("hmac", "webhook_hmac", "WEBHOOK_HMAC"),
            ("retryType", "webhook_retry", "WEBHOOK_RETRY"),
        ):
            value = given(name, env_name)
            if value is not None:
                startup[field] = value
        events = given("webhook_events", "WEBHOOK_EVENTS")
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
    elif given("webhook_hmac", "WEBHOOK_HMAC") or given("webhook_events", "WEBHOOK_EVENTS"):
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
