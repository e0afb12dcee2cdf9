"""Options from flags, else from FAKE_MEETINGS_* environment variables, else the defaults."""

from __future__ import annotations

import argparse
import os
import time

from ..config import ServerConfig
from ..domain.genblock import MAX_GENERATED, check_locale_and_tz
from ..domain.generate import GenerateSpec
from ..domain.times import parse_instant

ENV_PREFIX = "FAKE_MEETINGS_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


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


def _number(flag: object, name: str, option: str, default: int | None) -> int | None:
    text = str(flag) if flag is not None else env(name)
    if text is None or text == "":
        return default
    if not text.isdigit():
        source = option if flag is not None else ENV_PREFIX + name
        raise UsageError(f"{source} {text!r}: expected a whole number, 0 or more")
    return int(text)


def now_option(args: argparse.Namespace) -> int | None:
    text = args.now if args.now is not None else env("NOW")
    try:
        return parse_instant(text) if text else None
    except ValueError as exc:
        raise UsageError(f"--now: {exc}") from None


def server_config(args: argparse.Namespace) -> ServerConfig:
    port = _number(args.port, "PORT", "--port", 8080)
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
    return ServerConfig(
        host=args.host or env("HOST") or "127.0.0.1",
        port=port,
        auth=not no_auth,
        api_key=api_key,
        strict_limit=bool(args.strict_limit) or env_flag("STRICT_LIMIT"),
        unknown_cursor="empty" if unknown_cursor == "empty" else "error",
        access_log=bool(args.access_log) or env_flag("ACCESS_LOG"),
    )


def scenario_specs(args: argparse.Namespace) -> list[str]:
    return args.scenario or [s for s in (env("SCENARIO") or "").split(os.pathsep) if s]


def add_generate_options(parser: argparse.ArgumentParser) -> None:
    p = parser.add_argument
    p("--seed", type=int, help=f"random seed (default 0; env {ENV_PREFIX}SEED)")
    p("--rooms", type=int, help=f"number of rooms (default 8; env {ENV_PREFIX}ROOMS)")
    p("--days", type=int, help=f"spread over the last D days (default 30; env {ENV_PREFIX}DAYS)")
    p("--locale", help=f"Faker locale of the names (default en_US; env {ENV_PREFIX}LOCALE)")
    p("--tz", help=f"time zone of the working hours (default UTC; env {ENV_PREFIX}TZ)")


def generate_spec(args: argparse.Namespace, count: int | None, now: int | None) -> GenerateSpec:
    if count is None:
        raise UsageError("how many sessions to generate? give a number")
    if count > MAX_GENERATED:
        raise UsageError(f"at most {MAX_GENERATED:,} sessions can be generated")
    rooms = _number(args.rooms, "ROOMS", "--rooms", 8) or 8
    days = _number(args.days, "DAYS", "--days", 30)
    locale = args.locale or env("LOCALE") or "en_US"
    tz = args.tz or env("TZ") or "UTC"
    problem = check_locale_and_tz(locale, tz)
    if problem is not None:
        raise UsageError(f"--{problem[0]}: {problem[1]}")
    end = now if now is not None else int(time.time())
    start = end - (days if days is not None else 30) * 86400
    seed = _number(args.seed, "SEED", "--seed", 0) or 0
    return GenerateSpec(count, rooms, seed, start, end, locale, tz)
