"""``fake-meetings verify``'s options, and the ``capture`` it runs first without ``--scenario``
(capture's own options and defaults: the same rate limits and bounds)."""

from __future__ import annotations

import argparse
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from ..client.daily import DAILY_API
from ..domain.times import FORMS, RELATIVE_FORMS, parse_instant
from ..verify.bounds import MAX_REQUESTS
from . import capture_options
from .capture_options import BACKOFF, KEY_ENV, MAX_RETRIES, RATE, TIMEOUT
from .options import UsageError


@dataclass(frozen=True)
class VerifyOptions:
    base_url: str
    api_key: str
    scenario: Path | None
    report: Path | None
    fixtures: Path | None
    ignore: Path | None
    salt: bytes | None
    rooms_too: bool
    since: int | None
    max_requests: int
    capture: argparse.Namespace  # capture's options (pacing and retries are verify's too)


def add_options(parser: argparse.ArgumentParser) -> None:
    p = parser.add_argument
    p(
        "--base-url",
        metavar="URL",
        default=DAILY_API,
        help=f"the account's REST API (default {DAILY_API})",
    )
    p(
        "--api-key",
        metavar="KEY",
        help=f"the account's Daily API key (default: env {KEY_ENV}); sent only to --base-url, "
        "never printed or written",
    )
    p(
        "--scenario",
        metavar="CAPTURE",
        help="a file fake-meetings capture wrote from this account (default: capture it now, "
        "into a temporary file)",
    )
    p("--report", metavar="FILE", help="write every difference here as JSON (atomically)")
    p(
        "--fixtures",
        metavar="DIR",
        help="write each fake difference as a pytest regression test into DIR",
    )
    p(
        "--ignore",
        metavar="FILE",
        help="known differences: a YAML list of {path, reason, expires[, request]}",
    )
    p(
        "--salt",
        metavar="TEXT",
        help="the salt of a pseudonymised capture (without --scenario: capture pseudonymised "
        "with it); the account's names are compared through it; never written",
    )
    p(
        "--pseudonymise-rooms",
        "--pseudonymize-rooms",
        dest="rooms_too",
        action="store_true",
        help="with --salt: room names are pseudonymised too (read from a YAML capture's header)",
    )
    p(
        "--since",
        metavar="T",
        help=f"only sessions starting at T or later, as the capture was made: {FORMS}, or "
        f"{RELATIVE_FORMS}",
    )
    p(
        "--max-requests",
        metavar="N",
        type=int,
        default=MAX_REQUESTS,
        help=f"ask at most N questions of each side (default {MAX_REQUESTS:,})",
    )
    p(
        "--rate",
        metavar="N",
        type=float,
        default=RATE,
        help=f"at most N requests per second to the account and 5N per 5 s (default {RATE:g})",
    )
    p(
        "--max-retries",
        metavar="N",
        type=int,
        default=MAX_RETRIES,
        help=f"retries of one request on 429, 5xx or a dropped connection (default {MAX_RETRIES})",
    )
    p(
        "--backoff",
        metavar="SECONDS",
        type=float,
        default=BACKOFF,
        help=f"first wait before a retry, doubled each time (default {BACKOFF:g})",
    )
    p(
        "--timeout",
        metavar="SECONDS",
        type=float,
        default=TIMEOUT,
        help=f"give one request this long to answer (default {TIMEOUT:g})",
    )


def _capture_args(
    args: argparse.Namespace, key: str, since: int | None, output: Path
) -> argparse.Namespace:
    """The options of the capture a verify without ``--scenario`` runs, checked by capture."""
    parser = argparse.ArgumentParser(add_help=False)
    capture_options.add_options(parser)
    shared = ["--base-url", args.base_url, "-o", str(output)]
    for flag, value in (
        ("--rate", args.rate),
        ("--max-retries", args.max_retries),
        ("--backoff", args.backoff),
        ("--timeout", args.timeout),
    ):
        shared += [flag, str(value)]
    if since is not None:
        shared.append(f"--since={since}")
    if args.salt is not None:
        shared += ["--salt", args.salt, "--pseudonymise"]
    if args.rooms_too:
        shared.append("--pseudonymise-rooms")
    ns = parser.parse_args(shared)
    ns.api_key = key
    return ns


def verify_options(args: argparse.Namespace, output: Path) -> VerifyOptions:
    """``output``: where the capture goes when there is no ``--scenario``."""
    key = args.api_key if args.api_key is not None else os.environ.get(KEY_ENV, "")
    if not key.strip():
        raise UsageError(f"no API key: give --api-key KEY or set {KEY_ENV}")
    if args.rooms_too and args.salt is None:
        raise UsageError("--pseudonymise-rooms goes with --salt (the stand-ins' secret)")
    if args.max_requests < 1:
        raise UsageError(f"--max-requests {args.max_requests}: expected 1 or more")
    since = None
    if args.since is not None:
        try:
            since = parse_instant(args.since, now=int(time.time()))
        except ValueError as exc:
            raise UsageError(f"--since: {exc}") from None
    ns = _capture_args(args, key.strip(), since, output)
    checked = capture_options.capture_options(ns)  # the URL, the pacing, the salt
    return VerifyOptions(
        base_url=checked.base_url,
        api_key=checked.api_key,
        scenario=Path(args.scenario) if args.scenario is not None else None,
        report=Path(args.report) if args.report is not None else None,
        fixtures=Path(args.fixtures) if args.fixtures is not None else None,
        ignore=Path(args.ignore) if args.ignore is not None else None,
        salt=checked.salt,
        rooms_too=checked.rooms_too,
        since=since,
        max_requests=args.max_requests,
        capture=ns,
    )


_PSEUDONYMISED = re.compile(r"# Pseudonymised: user names(, user ids and room names)?")


def pseudonymised(path: Path) -> tuple[bool, bool]:
    """(user names and ids, room names) pseudonymised, as a YAML capture's header says."""
    try:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#"):
                    break
                m = _PSEUDONYMISED.match(line)
                if m is not None:
                    return True, m.group(1) is not None
    except (OSError, UnicodeDecodeError):
        pass
    return False, False
