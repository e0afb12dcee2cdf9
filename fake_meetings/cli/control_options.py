"""``serve``'s options for the control plane (/_fake/), namespaces, the rate limit and the
hardening bounds, each declared once (``declare.py``) from the defaults of ``config.py``;
``options.server_config`` reads them."""

from __future__ import annotations

import argparse

from ..config import (
    DEFAULT_DOMAIN,
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_JOURNAL_BYTES,
    DEFAULT_JOURNAL_CAP,
    DEFAULT_KEEPALIVE_TIMEOUT,
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_NAMESPACES,
    DEFAULT_MAX_ROOMS,
    DEFAULT_MAX_SESSIONS,
    MIN_JOURNAL_BYTES,
)
from ..domain.ratelimits import DELETES_AND_LISTS, GENERAL, RECORDING_START, Tier
from .declare import Declared


def _window(tier: Tier) -> str:
    return f"{tier.per_window} per {tier.window} s"


def _tier(tier: Tier) -> str:
    return f"{tier.per_second}/s and {_window(tier)}"


DOMAIN = Declared(
    "--domain",
    "DOMAIN",
    "the Daily domain in rooms' urls, https://NAME.daily.co/<room>",
    DEFAULT_DOMAIN,
    metavar="NAME",
)
PUBLIC_URL = Declared(
    "--public-url",
    "PUBLIC_URL",
    "the base of recordings' and transcripts' download links, like http://fake-meetings:8080 "
    "for containers that reach the server by a service name",
    words="the scheme and host the access-link request was sent to",
    metavar="URL",
)
NAMESPACES = Declared(
    "--namespaces",
    "NAMESPACES",
    "each Bearer key gets its own sessions, clock, faults and journal, started from the "
    "start-up scenario",
    switch=True,
)
RATE_LIMIT = Declared(
    "--rate-limit",
    "RATE_LIMIT",
    f"answer 429 beyond Daily's limits per key: {GENERAL.per_second} requests/s and "
    f"{_window(GENERAL)}; DELETE /rooms/:name and GET /recordings {_tier(DELETES_AND_LISTS)}; "
    f"recording starts {_tier(RECORDING_START)}",
    switch=True,
)
NO_ADMIN = Declared(
    "--no-admin",
    "NO_ADMIN",
    "disable the control plane: every /_fake/ route but /_fake/health answers 404",
    switch=True,
)
ADMIN_TOKEN = Declared(
    "--admin-token",
    "ADMIN_TOKEN",
    "control-plane calls must send 'X-Fake-Admin-Token: TOKEN'",
    metavar="TOKEN",
)
MAX_BODY = Declared(
    "--max-body",
    "MAX_BODY",
    "largest request body accepted; more is a 413",
    DEFAULT_MAX_BODY,
    metavar="BYTES",
    least=1,
)
JOURNAL_CAP = Declared(
    "--journal-cap",
    "JOURNAL_CAP",
    "requests kept in the journal (per namespace), the oldest dropped first",
    DEFAULT_JOURNAL_CAP,
    metavar="N",
)
JOURNAL_BYTES = Declared(
    "--journal-bytes",
    "JOURNAL_BYTES",
    "request bytes (path, query, headers) kept in the journal (per namespace), the oldest "
    "dropped first",
    DEFAULT_JOURNAL_BYTES,
    metavar="BYTES",
    bound=f"at least {MIN_JOURNAL_BYTES}",
)
MAX_NAMESPACES = Declared(
    "--max-namespaces",
    "MAX_NAMESPACES",
    "with --namespaces, how many key namespaces live at once; one more evicts the least "
    "recently used",
    DEFAULT_MAX_NAMESPACES,
    metavar="N",
    least=1,
)
MAX_ROOMS = Declared(
    "--max-rooms",
    "MAX_ROOMS",
    "rooms one namespace may hold (created, declared, or implied by sessions); a change "
    "making more is a 400",
    DEFAULT_MAX_ROOMS,
    metavar="N",
    least=1,
)
MAX_SESSIONS = Declared(
    "--max-sessions",
    "MAX_SESSIONS",
    "sessions one namespace may hold (loaded, appended, or started by a join); a change "
    "making more is a 400",
    DEFAULT_MAX_SESSIONS,
    metavar="N",
    least=1,
)
HEADER_TIMEOUT = Declared(
    "--header-timeout",
    "HEADER_TIMEOUT",
    "close a connection whose request line and headers are not all in within SECONDS, or "
    "whose body stops for SECONDS",
    DEFAULT_HEADER_TIMEOUT,
    metavar="SECONDS",
)
KEEPALIVE_TIMEOUT = Declared(
    "--keepalive-timeout",
    "KEEPALIVE_TIMEOUT",
    "close a kept-alive connection idle for SECONDS",
    DEFAULT_KEEPALIVE_TIMEOUT,
    metavar="SECONDS",
)
MAX_CONNECTIONS = Declared(
    "--max-connections",
    "MAX_CONNECTIONS",
    "close at once, unanswered, a connection beyond N open ones",
    DEFAULT_MAX_CONNECTIONS,
    metavar="N",
    least=1,
)
CONTROL = (
    DOMAIN,
    PUBLIC_URL,
    NAMESPACES,
    RATE_LIMIT,
    NO_ADMIN,
    ADMIN_TOKEN,
    MAX_BODY,
    JOURNAL_CAP,
    JOURNAL_BYTES,
    MAX_NAMESPACES,
    MAX_ROOMS,
    MAX_SESSIONS,
    HEADER_TIMEOUT,
    KEEPALIVE_TIMEOUT,
    MAX_CONNECTIONS,
)


def add_control_options(parser: argparse.ArgumentParser) -> None:
    """The control plane (/_fake/), namespaces, the rate limit and the hardening options."""
    for option in CONTROL:
        option.add(parser)
