"""Options from flags, else from FAKE_MEETINGS_* environment variables, else the defaults."""

from __future__ import annotations

import argparse
import math
import os
import re
import time
import urllib.parse

from ..config import (
    DEFAULT_DOMAIN,
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_HOST,
    DEFAULT_JOURNAL_BYTES,
    DEFAULT_JOURNAL_CAP,
    DEFAULT_KEEPALIVE_TIMEOUT,
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_NAMESPACES,
    DEFAULT_MAX_ROOMS,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_PORT,
    MIN_JOURNAL_BYTES,
    ServerConfig,
)
from ..domain.generate import (
    DEFAULT_DAYS,
    DEFAULT_LOCALE,
    DEFAULT_RECORDED,
    DEFAULT_ROOMS,
    DEFAULT_SEED,
    DEFAULT_TZ,
    GenerateSpec,
)
from ..domain.times import DURATION_FORMS, parse_duration, parse_instant
from ..scenario.genblock import (
    MAX_AHEAD,
    MAX_DAYS,
    MAX_ROOMS,
    check_locale_and_tz,
    over_limit,
    share_problem,
)

ENV_PREFIX = "FAKE_MEETINGS_"
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_DIGITS = re.compile("[0-9]+")


class UsageError(Exception):
    """A bad option or environment variable: printed as one line, exit status 2."""


def env(name: str) -> str | None:
    return os.environ.get(ENV_PREFIX + name)


def env_flag(name: str) -> bool:
    raw = env(name)
    if raw is None or raw.strip().lower() in _FALSE:
        return False
    if raw.strip().lower() in _TRUE:
        return True
    raise UsageError(f"{ENV_PREFIX}{name}={raw!r}: expected one of 1/true/yes/on or 0/false/no/off")


def _number(
    flag: object, name: str, option: str, default: int | None, *, least: int = 0
) -> int | None:
    """A whole number from ``flag`` (the ``option``), else the environment variable ``name``,
    else ``default``; below ``least`` is a usage error naming where the value came from."""
    text = str(flag) if flag is not None else env(name)
    if text is None or text == "":
        return default
    if not _DIGITS.fullmatch(text) or int(text) < least:
        source = option if flag is not None else ENV_PREFIX + name
        raise UsageError(f"{source} {text!r}: expected a whole number, {least} or more")
    return int(text)


def _seconds(flag: object, name: str, option: str, default: float) -> float:
    text = str(flag) if flag is not None else env(name)
    if text is None or text == "":
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        source = option if flag is not None else ENV_PREFIX + name
        raise UsageError(f"{source} {text!r}: expected a number of seconds above 0, like 10 or 0.5")
    return seconds


def now_option(args: argparse.Namespace) -> int | None:
    text = args.now if args.now is not None else env("NOW")
    try:
        return parse_instant(text) if text else None
    except ValueError as exc:
        raise UsageError(f"--now: {exc}") from None


def server_config(args: argparse.Namespace) -> ServerConfig:
    port = _number(args.port, "PORT", "--port", DEFAULT_PORT)
    assert port is not None
    if port > 65535:
        raise UsageError(f"port {port}: expected a number from 0 to 65535")
    if args.api_key is not None or args.no_auth:
        api_key, no_auth = args.api_key, bool(args.no_auth)
    else:
        api_key, no_auth = env("API_KEY") or None, env_flag("NO_AUTH")
        if api_key and no_auth:
            raise UsageError(
                f"{ENV_PREFIX}API_KEY and {ENV_PREFIX}NO_AUTH contradict each other; unset one"
            )
    unknown_cursor = args.unknown_cursor or env("UNKNOWN_CURSOR") or "error"
    if unknown_cursor not in ("error", "empty"):
        raise UsageError(f"{ENV_PREFIX}UNKNOWN_CURSOR={unknown_cursor!r}: expected error or empty")
    admin = not (bool(args.no_admin) or env_flag("NO_ADMIN"))
    admin_token = args.admin_token if args.admin_token is not None else env("ADMIN_TOKEN") or None
    if admin_token is not None and not admin_token.strip():
        raise UsageError("--admin-token: must not be empty")
    if not admin and admin_token:
        raise UsageError(
            "--no-admin and --admin-token contradict each other (there is no control plane "
            "to protect); give one"
        )
    max_body = _number(args.max_body, "MAX_BODY", "--max-body", DEFAULT_MAX_BODY, least=1)
    assert max_body is not None
    journal_cap = _number(args.journal_cap, "JOURNAL_CAP", "--journal-cap", DEFAULT_JOURNAL_CAP)
    assert journal_cap is not None
    journal_bytes = _number(
        args.journal_bytes, "JOURNAL_BYTES", "--journal-bytes", DEFAULT_JOURNAL_BYTES
    )
    assert journal_bytes is not None
    if journal_bytes < MIN_JOURNAL_BYTES:
        raise UsageError(
            f"--journal-bytes {journal_bytes}: expected at least {MIN_JOURNAL_BYTES} "
            "(room for one request with large headers)"
        )
    max_namespaces = _number(
        args.max_namespaces, "MAX_NAMESPACES", "--max-namespaces", DEFAULT_MAX_NAMESPACES, least=1
    )
    assert max_namespaces is not None
    max_rooms = _number(args.max_rooms, "MAX_ROOMS", "--max-rooms", DEFAULT_MAX_ROOMS, least=1)
    assert max_rooms is not None
    max_sessions = _number(
        args.max_sessions, "MAX_SESSIONS", "--max-sessions", DEFAULT_MAX_SESSIONS, least=1
    )
    assert max_sessions is not None
    max_connections = _number(
        args.max_connections,
        "MAX_CONNECTIONS",
        "--max-connections",
        DEFAULT_MAX_CONNECTIONS,
        least=1,
    )
    assert max_connections is not None
    domain = args.domain if args.domain is not None else env("DOMAIN") or DEFAULT_DOMAIN
    if not _DOMAIN.fullmatch(domain):
        raise UsageError(
            f"--domain {domain[:80]!r}: expected a Daily domain name: letters, digits and '-' "
            "(1 to 63 characters, not starting or ending with '-'), like fake-meetings"
        )
    public_url = _public_url(args.public_url)
    return ServerConfig(
        host=args.host or env("HOST") or DEFAULT_HOST,
        port=port,
        auth=not no_auth,
        api_key=api_key,
        strict_limit=bool(args.strict_limit) or env_flag("STRICT_LIMIT"),
        unknown_cursor="empty" if unknown_cursor == "empty" else "error",
        min_stay=_number(args.min_stay, "MIN_STAY", "--min-stay", None),
        access_log=bool(args.access_log) or env_flag("ACCESS_LOG"),
        domain=domain,
        public_url=public_url,
        admin=admin,
        admin_token=admin_token,
        max_body=max_body,
        journal_cap=journal_cap,
        journal_bytes=journal_bytes,
        max_namespaces=max_namespaces,
        max_rooms=max_rooms,
        max_sessions=max_sessions,
        namespaces=bool(args.namespaces) or env_flag("NAMESPACES"),
        rate_limit=bool(args.rate_limit) or env_flag("RATE_LIMIT"),
        header_timeout=_seconds(
            args.header_timeout, "HEADER_TIMEOUT", "--header-timeout", DEFAULT_HEADER_TIMEOUT
        ),
        keepalive_timeout=_seconds(
            args.keepalive_timeout,
            "KEEPALIVE_TIMEOUT",
            "--keepalive-timeout",
            DEFAULT_KEEPALIVE_TIMEOUT,
        ),
        max_connections=max_connections,
    )


def _public_url(flag: str | None) -> str | None:
    """``--public-url`` (else FAKE_MEETINGS_PUBLIC_URL): an http(s) URL with a host and no
    query or fragment, or None."""
    text = flag if flag is not None else env("PUBLIC_URL")
    if not text:
        return None
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        source = "--public-url" if flag is not None else ENV_PREFIX + "PUBLIC_URL"
        raise UsageError(
            f"{source} {text[:80]!r}: expected an http or https URL with a host and no query, "
            "like http://fake-meetings:8080"
        )
    return text.rstrip("/")


def add_control_options(parser: argparse.ArgumentParser) -> None:
    """The control plane (/_fake/), namespaces, the rate limit and the hardening options."""
    p = parser.add_argument
    p(
        "--domain",
        metavar="NAME",
        help="the Daily domain in rooms' urls, https://NAME.daily.co/<room> "
        f"(default {DEFAULT_DOMAIN}; env {ENV_PREFIX}DOMAIN)",
    )
    p(
        "--public-url",
        metavar="URL",
        help="the base of recordings' and transcripts' download links, like "
        "http://fake-meetings:8080 for "
        "containers that reach the server by a service name (default: the scheme and host "
        f"the access-link request was sent to; env {ENV_PREFIX}PUBLIC_URL)",
    )
    p(
        "--namespaces",
        action="store_true",
        default=None,
        help="each Bearer key gets its own sessions, clock, faults and journal, started from "
        f"the start-up scenario (env {ENV_PREFIX}NAMESPACES=1)",
    )
    p(
        "--rate-limit",
        action="store_true",
        default=None,
        help="answer 429 beyond Daily's limits per key: 20 requests/s and 100 per 5 s; "
        "DELETE /rooms/:name and GET /recordings 2/s and 50 per 30 s; recording starts 1/s and "
        f"5 per 5 s (env {ENV_PREFIX}RATE_LIMIT=1)",
    )
    p(
        "--no-admin",
        action="store_true",
        default=None,
        help="disable the control plane: every /_fake/ route but /_fake/health answers 404 "
        f"(env {ENV_PREFIX}NO_ADMIN=1)",
    )
    p(
        "--admin-token",
        metavar="TOKEN",
        help="control-plane calls must send 'X-Fake-Admin-Token: TOKEN' "
        f"(env {ENV_PREFIX}ADMIN_TOKEN)",
    )
    p(
        "--max-body",
        metavar="BYTES",
        help=f"largest request body accepted; more is a 413 (default {DEFAULT_MAX_BODY}; "
        f"env {ENV_PREFIX}MAX_BODY)",
    )
    p(
        "--journal-cap",
        metavar="N",
        help="requests kept in the journal (per namespace), the oldest dropped first "
        f"(default {DEFAULT_JOURNAL_CAP}; env {ENV_PREFIX}JOURNAL_CAP)",
    )
    p(
        "--journal-bytes",
        metavar="BYTES",
        help="request bytes (path, query, headers) kept in the journal (per namespace), the "
        f"oldest dropped first (default {DEFAULT_JOURNAL_BYTES}; env {ENV_PREFIX}JOURNAL_BYTES)",
    )
    p(
        "--max-namespaces",
        metavar="N",
        help="with --namespaces, how many key namespaces live at once; one more evicts the "
        f"least recently used (default {DEFAULT_MAX_NAMESPACES}; env {ENV_PREFIX}MAX_NAMESPACES)",
    )
    p(
        "--max-rooms",
        metavar="N",
        help="rooms one namespace may hold (created, declared, or implied by sessions); a "
        f"change making more is a 400 (default {DEFAULT_MAX_ROOMS}; env {ENV_PREFIX}MAX_ROOMS)",
    )
    p(
        "--max-sessions",
        metavar="N",
        help="sessions one namespace may hold (loaded, appended, or started by a join); a "
        f"change making more is a 400 (default {DEFAULT_MAX_SESSIONS}; "
        f"env {ENV_PREFIX}MAX_SESSIONS)",
    )
    p(
        "--header-timeout",
        metavar="SECONDS",
        help="close a connection whose request line and headers are not all in within SECONDS, "
        "or whose body stops for SECONDS "
        f"(default {DEFAULT_HEADER_TIMEOUT:g}; env {ENV_PREFIX}HEADER_TIMEOUT)",
    )
    p(
        "--keepalive-timeout",
        metavar="SECONDS",
        help="close a kept-alive connection idle for SECONDS "
        f"(default {DEFAULT_KEEPALIVE_TIMEOUT:g}; env {ENV_PREFIX}KEEPALIVE_TIMEOUT)",
    )
    p(
        "--max-connections",
        metavar="N",
        help="close at once, unanswered, a connection beyond N open ones "
        f"(default {DEFAULT_MAX_CONNECTIONS}; env {ENV_PREFIX}MAX_CONNECTIONS)",
    )


def scenario_specs(args: argparse.Namespace) -> list[str]:
    return args.scenario or [s for s in (env("SCENARIO") or "").split(os.pathsep) if s]


def scenario_origin(args: argparse.Namespace) -> str | None:
    """Where the scenarios came from, when not from --scenario: for the error messages."""
    return None if args.scenario else f"{ENV_PREFIX}SCENARIO"


def add_generate_options(parser: argparse.ArgumentParser) -> None:
    p = parser.add_argument
    p(
        "--seed",
        type=int,
        help=f"random seed (default {DEFAULT_SEED}, at most 2**63 - 1; env {ENV_PREFIX}SEED)",
    )
    p(
        "--rooms",
        type=int,
        help=f"number of rooms (default {DEFAULT_ROOMS}, at most {MAX_ROOMS:,}; "
        f"env {ENV_PREFIX}ROOMS)",
    )
    p(
        "--days",
        type=int,
        help=f"spread over the last D days (default {DEFAULT_DAYS}, at most {MAX_DAYS:,}; "
        f"env {ENV_PREFIX}DAYS)",
    )
    p(
        "--locale",
        help=f"Faker locale of the names (default {DEFAULT_LOCALE}; env {ENV_PREFIX}LOCALE)",
    )
    p("--tz", help=f"time zone of the working hours (default {DEFAULT_TZ}; env {ENV_PREFIX}TZ)")
    p(
        "--ahead",
        metavar="DURATION",
        help="sessions may also start up to DURATION after now, as "
        f"{DURATION_FORMS}: with a running clock they appear, run and end as time passes "
        f"(default 0; env {ENV_PREFIX}AHEAD)",
    )
    p(
        "--recorded",
        metavar="SHARE",
        help="the share of sessions recorded, from 0 to 1: each recorded session gets a "
        "recording (sometimes two) listed by GET /recordings "
        f"(default {DEFAULT_RECORDED:g}; env {ENV_PREFIX}RECORDED)",
    )


def generate_spec(
    args: argparse.Namespace, count: int | None, now: int | None, count_source: str = "N"
) -> GenerateSpec:
    """The spec of the generate options; ``count_source`` names where ``count`` came from."""
    if count is None:
        raise UsageError("how many sessions to generate? give a number")
    _check_limit("sessions", count, count_source)
    rooms = _number(args.rooms, "ROOMS", "--rooms", DEFAULT_ROOMS, least=1) or DEFAULT_ROOMS
    _check_limit("rooms", rooms, "--rooms" if args.rooms is not None else f"{ENV_PREFIX}ROOMS")
    days = _number(args.days, "DAYS", "--days", DEFAULT_DAYS)
    if days is not None:
        _check_limit("days", days, "--days" if args.days is not None else f"{ENV_PREFIX}DAYS")
    locale = args.locale or env("LOCALE") or DEFAULT_LOCALE
    tz = args.tz or env("TZ") or DEFAULT_TZ
    problem = check_locale_and_tz(locale, tz)
    if problem is not None:
        raise UsageError(f"--{problem[0]}: {problem[1]}")
    now = now if now is not None else int(time.time())
    start = now - (days if days is not None else DEFAULT_DAYS) * 86400
    seed = _number(args.seed, "SEED", "--seed", DEFAULT_SEED) or DEFAULT_SEED
    _check_limit("seed", seed, "--seed" if args.seed is not None else f"{ENV_PREFIX}SEED")
    return GenerateSpec(count, rooms, seed, start, None, locale, tz, _ahead(args), _recorded(args))


def _check_limit(name: str, value: int, source: str) -> None:
    """A usage error naming ``source`` (the flag or variable) when ``value`` is beyond the
    bound of the generate field ``name`` (declared once, in ``scenario/genblock.py``)."""
    problem = over_limit(name, value)
    if problem is not None:
        raise UsageError(f"{source}: {problem}")


def _recorded(args: argparse.Namespace) -> float:
    text = args.recorded if args.recorded is not None else env("RECORDED")
    if not text:
        return DEFAULT_RECORDED
    try:
        share: object = float(text)
    except ValueError:
        share = text
    problem = share_problem(share)
    if problem is not None:
        source = "--recorded" if args.recorded is not None else f"{ENV_PREFIX}RECORDED"
        raise UsageError(f"{source}: {problem}")
    assert isinstance(share, float)
    return share


def _ahead(args: argparse.Namespace) -> int:
    text = args.ahead if args.ahead is not None else env("AHEAD")
    if not text:
        return 0
    try:
        return parse_duration(text, most=MAX_AHEAD)
    except ValueError as exc:
        source = "--ahead" if args.ahead is not None else f"{ENV_PREFIX}AHEAD"
        raise UsageError(f"{source}: {exc}") from None
