"""``serve``'s options (what the server serves and how it answers; its control plane and
bounds are declared in ``control_options.py``), each declared once (``declare.py``) from the
defaults of ``config.py``, and the server's configuration read from them: the flag, else the
FAKE_MEETINGS_* variable, else that default. The generator's options are in
``generate_options.py``, the webhooks' in ``webhook_options.py``."""

from __future__ import annotations

import argparse
import os
import re
import urllib.parse

from ..config import (
    DEFAULT_DOMAIN,
    DEFAULT_HOST,
    DEFAULT_MIN_STAY,
    DEFAULT_PORT,
    DEFAULT_UNKNOWN_CURSOR,
    MIN_JOURNAL_BYTES,
    ServerConfig,
)
from ..domain.times import parse_instant
from ..scenario.loading import DEFAULT_SCENARIO
from .control_options import (
    ADMIN_TOKEN,
    DOMAIN,
    HEADER_TIMEOUT,
    JOURNAL_BYTES,
    JOURNAL_CAP,
    KEEPALIVE_TIMEOUT,
    MAX_BODY,
    MAX_CONNECTIONS,
    MAX_NAMESPACES,
    MAX_ROOMS,
    MAX_SESSIONS,
    NAMESPACES,
    NO_ADMIN,
    PUBLIC_URL,
    RATE_LIMIT,
)
from .declare import ENV_PREFIX as ENV_PREFIX
from .declare import Declared
from .declare import UsageError as UsageError
from .declare import env as env
from .declare import env_flag as env_flag

_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")

# What the server serves, and how it answers
SCENARIO = Declared(
    "--scenario",
    "SCENARIO",
    "a scenario file, or a bundled scenario's name; repeat to merge several",
    words=f"the bundled {DEFAULT_SCENARIO!r}",
    metavar="FILE|NAME",
    repeat=True,
    var_note="several separated by ':'",
)
HOST = Declared("--host", "HOST", "address to bind", DEFAULT_HOST)
PORT = Declared("--port", "PORT", "port, 0 for any free one", DEFAULT_PORT)
API_KEY = Declared(
    "--api-key",
    "API_KEY",
    "accept only this Bearer key; others get 401",
    words="any non-empty key",
    metavar="KEY",
)
NO_AUTH = Declared("--no-auth", "NO_AUTH", "no Authorization header needed", switch=True)
NOW = Declared(
    "--now",
    "NOW",
    "freeze the clock at T (unix seconds or ISO 8601); beats a scenario's now:",
    words="real time",
    metavar="T",
)
STRICT_LIMIT = Declared(
    "--strict-limit",
    "STRICT_LIMIT",
    "answer limit > 100 with a 400 instead of clamping it to 100",
    switch=True,
)
MIN_STAY = Declared(
    "--min-stay",
    "MIN_STAY",
    "a stay enters /meetings once it has lasted this long, and a shorter one never does, as "
    "Daily records nobody who stayed under 10 s; 0: at once",
    words=f"{DEFAULT_MIN_STAY}, or a scenario's min_stay:",  # None: each namespace's own
    metavar="SECONDS",
)
UNKNOWN_CURSOR = Declared(
    "--unknown-cursor",
    "UNKNOWN_CURSOR",
    "a cursor naming no record: error, a 400, or empty, an empty page",
    DEFAULT_UNKNOWN_CURSOR,
    choices=("error", "empty"),
)
ACCESS_LOG = Declared("--access-log", "ACCESS_LOG", "log every request to stderr", switch=True)
GENERATE = Declared(
    "--generate",
    "GENERATE",
    "also serve N generated sessions; alone, instead of the default scenario",
    metavar="N",
)


SERVING = (
    SCENARIO,
    HOST,
    PORT,
    API_KEY,
    NO_AUTH,
    NOW,
    STRICT_LIMIT,
    MIN_STAY,
    UNKNOWN_CURSOR,
    ACCESS_LOG,
    GENERATE,
)


def add_serving_options(parser: argparse.ArgumentParser) -> None:
    """What the server serves and how it answers, in ``--help``'s order."""
    for option in (SCENARIO, HOST, PORT):
        option.add(parser)
    auth = parser.add_mutually_exclusive_group()
    API_KEY.add(auth)
    NO_AUTH.add(auth)
    for option in (NOW, STRICT_LIMIT, MIN_STAY, UNKNOWN_CURSOR, ACCESS_LOG, GENERATE):
        option.add(parser)


def now_option(args: argparse.Namespace) -> int | None:
    text = NOW.text(args)
    try:
        return parse_instant(text) if text else None
    except ValueError as exc:
        raise UsageError(f"--now: {exc}") from None


def scenario_specs(args: argparse.Namespace) -> list[str]:
    return args.scenario or [s for s in (env(SCENARIO.var) or "").split(os.pathsep) if s]


def scenario_origin(args: argparse.Namespace) -> str | None:
    """Where the scenarios came from, when not from --scenario: for the error messages."""
    return None if args.scenario else SCENARIO.variable


def server_config(args: argparse.Namespace) -> ServerConfig:
    port = PORT.whole(args)
    if port > 65535:
        raise UsageError(f"port {port}: expected a number from 0 to 65535")
    if args.api_key is not None or args.no_auth:
        api_key, no_auth = args.api_key, bool(args.no_auth)
    else:
        api_key, no_auth = env(API_KEY.var) or None, env_flag(NO_AUTH.var)
        if api_key and no_auth:
            raise UsageError(
                f"{API_KEY.variable} and {NO_AUTH.variable} contradict each other; unset one"
            )
    unknown_cursor = UNKNOWN_CURSOR.text(args) or DEFAULT_UNKNOWN_CURSOR
    if unknown_cursor not in (UNKNOWN_CURSOR.choices or ()):
        raise UsageError(f"{UNKNOWN_CURSOR.variable}={unknown_cursor!r}: expected error or empty")
    admin = not NO_ADMIN.on(args)
    admin_token = ADMIN_TOKEN.text(args)
    if admin_token is not None and not admin_token.strip():
        raise UsageError("--admin-token: must not be empty")
    if not admin and admin_token:
        raise UsageError(
            "--no-admin and --admin-token contradict each other (there is no control plane "
            "to protect); give one"
        )
    journal_bytes = JOURNAL_BYTES.whole(args)
    if journal_bytes < MIN_JOURNAL_BYTES:
        raise UsageError(
            f"--journal-bytes {journal_bytes}: expected at least {MIN_JOURNAL_BYTES} "
            "(room for one request with large headers)"
        )
    given_domain = DOMAIN.text(args)
    domain = given_domain if given_domain is not None else DEFAULT_DOMAIN
    if not _DOMAIN.fullmatch(domain):
        raise UsageError(
            f"--domain {domain[:80]!r}: expected a Daily domain name: letters, digits and '-' "
            "(1 to 63 characters, not starting or ending with '-'), like fake-meetings"
        )
    return ServerConfig(
        host=HOST.text(args) or DEFAULT_HOST,
        port=port,
        auth=not no_auth,
        api_key=api_key,
        strict_limit=STRICT_LIMIT.on(args),
        unknown_cursor="empty" if unknown_cursor == "empty" else "error",
        min_stay=MIN_STAY.number(args),
        access_log=ACCESS_LOG.on(args),
        domain=domain,
        public_url=_public_url(args),
        admin=admin,
        admin_token=admin_token,
        max_body=MAX_BODY.whole(args),
        journal_cap=JOURNAL_CAP.whole(args),
        journal_bytes=journal_bytes,
        max_namespaces=MAX_NAMESPACES.whole(args),
        max_rooms=MAX_ROOMS.whole(args),
        max_sessions=MAX_SESSIONS.whole(args),
        namespaces=NAMESPACES.on(args),
        rate_limit=RATE_LIMIT.on(args),
        header_timeout=HEADER_TIMEOUT.seconds(args),
        keepalive_timeout=KEEPALIVE_TIMEOUT.seconds(args),
        max_connections=MAX_CONNECTIONS.whole(args),
    )


def _public_url(args: argparse.Namespace) -> str | None:
    """``--public-url`` (else its variable): an http(s) URL with a host and no query or
    fragment, or None."""
    text = PUBLIC_URL.text(args)
    if not text:
        return None
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(
            f"{PUBLIC_URL.source(args)} {text[:80]!r}: expected an http or https URL with a "
            "host and no query, like http://fake-meetings:8080"
        )
    return text.rstrip("/")
