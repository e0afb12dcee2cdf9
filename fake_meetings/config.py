"""Server options, shared by the CLI, the in-process runner and the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from .domain.domainconfig import DEFAULT_DOMAIN as DEFAULT_DOMAIN  # rooms' urls, domain_name
from .domain.query import UnknownCursorMode
from .domain.recorded import DEFAULT_MIN_STAY as DEFAULT_MIN_STAY  # the ten-second rule's
from .webhooks.settings import Settings as WebhookSettings

# The server's defaults, declared once: ServerConfig, the serve options and their help read them.
DEFAULT_HOST = "127.0.0.1"  # loopback only: 0.0.0.0 is asked for (the container image does)
DEFAULT_PORT = 8080
DEFAULT_MAX_BODY = 1024 * 1024
DEFAULT_JOURNAL_CAP = 1000
DEFAULT_JOURNAL_BYTES = 2 * 1024 * 1024
MIN_JOURNAL_BYTES = 64 * 1024  # room for the largest single entry
DEFAULT_MAX_NAMESPACES = 100
DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_KEEPALIVE_TIMEOUT = 15.0
DEFAULT_MAX_CONNECTIONS = 1000
# what one namespace may hold: room for --generate's largest worlds (100,000 rooms, a million
# sessions and more) with as much again to add over the API, yet an end to a client that
# creates rooms or appends sessions forever
DEFAULT_MAX_ROOMS = 200_000
DEFAULT_MAX_SESSIONS = 2_000_000
DEFAULT_UNKNOWN_CURSOR: UnknownCursorMode = "error"  # a cursor naming no record: a 400


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    auth: bool = True  # contract §6: require `Authorization: Bearer <key>`
    api_key: str | None = None  # when set, the key must be exactly this
    strict_limit: bool = False  # limit > 100: clamp (False) or 400 (True)
    # a cursor naming no record: "error" (a 400) or "empty" (an empty page)
    unknown_cursor: UnknownCursorMode = DEFAULT_UNKNOWN_CURSOR
    # --min-stay: seconds a stay lasts before /meetings shows it (the ten-second rule; 0: off);
    # None: each namespace's own (a scenario's min_stay:, else DEFAULT_MIN_STAY)
    min_stay: int | None = None
    access_log: bool = False
    domain: str = DEFAULT_DOMAIN  # the Daily domain in rooms' urls
    # the base of recordings' download links (--public-url); None: what the request was sent to
    public_url: str | None = None
    # signs the meeting tokens POST /meeting-tokens issues; None: a random one per server
    token_secret: str | None = field(default=None, repr=False)
    # the control plane (/_fake/) and its hardening
    admin: bool = True  # False (--no-admin): every /_fake/ route but health answers 404
    admin_token: str | None = None  # when set, /_fake/ calls must send X-Fake-Admin-Token
    max_body: int = DEFAULT_MAX_BODY  # bytes; a larger request body answers 413
    journal_cap: int = DEFAULT_JOURNAL_CAP  # requests kept per journal; the oldest go first
    journal_bytes: int = DEFAULT_JOURNAL_BYTES  # request bytes kept per journal
    namespaces: bool = False  # each Bearer key gets its own sessions, clock, faults and journal
    max_namespaces: int = DEFAULT_MAX_NAMESPACES  # live key namespaces; least recently used go
    max_rooms: int = DEFAULT_MAX_ROOMS  # rooms per namespace; a change making more is a 400
    max_sessions: int = DEFAULT_MAX_SESSIONS  # sessions per namespace; likewise
    rate_limit: bool = False  # Daily's documented limits per key (domain/ratelimits.py's tiers)
    # connections: bounds that keep slow or idle clients from holding the server
    header_timeout: float = DEFAULT_HEADER_TIMEOUT  # seconds to send a whole request head
    keepalive_timeout: float = DEFAULT_KEEPALIVE_TIMEOUT  # seconds an idle connection is kept
    max_connections: int = DEFAULT_MAX_CONNECTIONS  # more are closed at once, unanswered
    # webhooks: delivery timing, the meeting.ended delay, a webhook in place at start-up
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
