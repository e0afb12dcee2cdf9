"""``fake-meetings capture``'s options (flags, ``DAILY_API_KEY``) and the header of the file it
writes: how the file was made (source, filters, instant, pseudonyms), never the key or salt."""

from __future__ import annotations

import argparse
import math
import os
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..client.daily import DAILY_API
from ..domain.times import FORMS, RELATIVE_FORMS, parse_instant
from .options import UsageError

KEY_ENV = "DAILY_API_KEY"
MAX_SESSIONS = 1_000_000  # --max-sessions' default: sessions read (the temporary file's bound)
MAX_ROOMS = 100_000  # --max-rooms' default: rooms read (they are held in memory)
RATE = 20.0  # --rate's default: requests per second (Daily's limit); verify's too
MAX_RETRIES = 6  # --max-retries' default
BACKOFF = 1.0  # --backoff's default: seconds before the first retry
TIMEOUT = 30.0  # --timeout's default: seconds for a whole answer


@dataclass(frozen=True)
class CaptureOptions:
    output: Path
    api_key: str
    base_url: str
    rooms: tuple[str, ...]
    since: int | None
    until: int | None
    limit: int | None
    pseudo: bool
    rooms_too: bool
    salt: bytes | None
    rate: float
    max_retries: int
    backoff: float
    timeout: float
    max_sessions: int = MAX_SESSIONS
    max_rooms: int = MAX_ROOMS


def add_options(parser: argparse.ArgumentParser) -> None:
    p = parser.add_argument
    p(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="write the scenario here (YAML; JSON when FILE ends in .json), atomically: "
        "nothing is written unless the capture completes",
    )
    p(
        "--api-key",
        metavar="KEY",
        help=f"the account's Daily API key (default: env {KEY_ENV}, which keeps it out of the "
        "process list); sent only in the Authorization header, never printed or written",
    )
    p(
        "--base-url",
        metavar="URL",
        default=DAILY_API,
        help=f"the REST API to read (default {DAILY_API}); a fake-meetings server works too, "
        "e.g. http://127.0.0.1:8080/v1",
    )
    p(
        "--room",
        metavar="NAME",
        action="append",
        default=[],
        help="only this room's sessions and room (repeatable)",
    )
    p(
        "--since",
        metavar="T",
        help=f"only sessions starting at T or later: {FORMS}, or {RELATIVE_FORMS}; write a "
        "relative time as now-30d or --since=-30d (a bare -30d reads as an option)",
    )
    p("--until", metavar="T", help="only sessions starting before T (same forms)")
    p("--limit", metavar="N", type=int, help="at most N sessions: the newest N that match")
    p(
        "--pseudonymise",
        "--pseudonymize",
        dest="pseudo",
        action="store_true",
        help="replace user names and user ids with consistent stand-ins (the same person gets "
        "the same stand-in in every session; null stays null)",
    )
    p(
        "--pseudonymise-rooms",
        "--pseudonymize-rooms",
        dest="rooms_too",
        action="store_true",
        help="also replace room names (in sessions, rooms and the header); implies --pseudonymise",
    )
    p(
        "--salt",
        metavar="TEXT",
        help="with --pseudonymise: the secret the stand-ins derive from, so another capture "
        "gives the same ones (default: random, so they differ run to run); never written",
    )
    p(
        "--rate",
        metavar="N",
        type=float,
        default=RATE,
        help=f"at most N requests per second and 5N per 5 s (default {RATE:g}: Daily's limit); "
        "GET /recordings in the same share of its own tier (2/s and 50 per 30 s at 20)",
    )
    p(
        "--max-retries",
        metavar="N",
        type=int,
        default=MAX_RETRIES,
        help="retries of one request on 429, 5xx or a failed connection before giving up "
        f"(default {MAX_RETRIES})",
    )
    p(
        "--backoff",
        metavar="SECONDS",
        type=float,
        default=BACKOFF,
        help=f"first wait before a retry, doubled each time (default {BACKOFF:g}; a 429's "
        "Retry-After wins)",
    )
    p(
        "--timeout",
        metavar="SECONDS",
        type=float,
        default=TIMEOUT,
        help="give one request this long to answer, from connecting to its last byte "
        f"(default {TIMEOUT:g}); a request that runs out is retried like a dropped one",
    )
    p(
        "--max-sessions",
        metavar="N",
        type=int,
        default=MAX_SESSIONS,
        help="give up, writing nothing, if the source has more than N sessions to read "
        f"(default {MAX_SESSIONS:,}): a source that never stops cannot fill the disk",
    )
    p(
        "--max-rooms",
        metavar="N",
        type=int,
        default=MAX_ROOMS,
        help=f"give up, writing nothing, if GET /rooms lists more than N rooms (default "
        f"{MAX_ROOMS:,}; they are held in memory until the file is written)",
    )


def _instant(text: str | None, flag: str, now: int) -> int | None:
    if text is None:
        return None
    try:
        return parse_instant(text, now=now)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _positive(value: float, flag: str, least: float = 0) -> None:
    if not math.isfinite(value) or value <= least:
        raise UsageError(f"{flag} {value:g}: expected a number above {least:g}")


def capture_options(args: argparse.Namespace) -> CaptureOptions:
    key = args.api_key if args.api_key is not None else os.environ.get(KEY_ENV, "")
    if not key.strip():
        raise UsageError(f"no API key: give --api-key KEY or set {KEY_ENV}")
    url = urllib.parse.urlsplit(args.base_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise UsageError(f"--base-url {args.base_url!r}: expected an http(s) URL like {DAILY_API}")
    now = int(time.time())
    since = _instant(args.since, "--since", now)
    until = _instant(args.until, "--until", now)
    if since is not None and until is not None and since >= until:
        raise UsageError(f"--since {since} is not before --until {until}: nothing to capture")
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit {args.limit}: expected 1 or more")
    if any(not room for room in args.room):
        raise UsageError("--room: expected a room name")
    if args.salt is not None and not args.salt:
        raise UsageError("--salt: expected some text")
    pseudo = bool(args.pseudo or args.rooms_too)
    if args.salt is not None and not pseudo:
        raise UsageError("--salt goes with --pseudonymise (it seeds the stand-ins)")
    _positive(args.rate, "--rate")
    _positive(args.backoff, "--backoff", -1e-9)
    _positive(args.timeout, "--timeout")
    if args.max_retries < 0:
        raise UsageError(f"--max-retries {args.max_retries}: expected 0 or more")
    for flag, value in (("--max-sessions", args.max_sessions), ("--max-rooms", args.max_rooms)):
        if value < 1:
            raise UsageError(f"{flag} {value}: expected 1 or more")
    return CaptureOptions(
        output=Path(args.output),
        api_key=key.strip(),
        base_url=args.base_url.rstrip("/"),
        rooms=tuple(dict.fromkeys(args.room)),
        since=since,
        until=until,
        limit=args.limit,
        pseudo=pseudo,
        rooms_too=bool(args.rooms_too),
        salt=args.salt.encode() if args.salt is not None else None,
        rate=args.rate,
        max_retries=args.max_retries,
        backoff=args.backoff,
        timeout=args.timeout,
        max_sessions=args.max_sessions,
        max_rooms=args.max_rooms,
    )


def shown_url(base_url: str) -> str:
    """The base URL without any user:password part."""
    parts = urllib.parse.urlsplit(base_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def capture_header(
    o: CaptureOptions,
    now: int,
    sessions: int,
    rooms: int,
    room_filter: list[str],
    notes: list[str],
    attached: tuple[int, int] = (0, 0),
) -> str:
    """The YAML comments at the top of the file (``room_filter``: the --room names as written
    in the file, pseudonymised when room names are)."""
    command = ["fake-meetings capture", f"--base-url {shown_url(o.base_url)}"]
    command += [f"--room {room}" for room in room_filter]
    command += [f"--since {o.since}"] * (o.since is not None)
    command += [f"--until {o.until}"] * (o.until is not None)
    command += [f"--limit {o.limit}"] * (o.limit is not None)
    command += ["--pseudonymise-rooms" if o.rooms_too else "--pseudonymise"] * o.pseudo
    command.append(f"-o {o.output.name}")
    window = []
    if o.since is not None:
        window.append(f"since {_iso(o.since)}")
    if o.until is not None:
        window.append(f"until {_iso(o.until)} (excluded)")
    filters = ", ".join(window + ([_rooms_text(o, room_filter)] if room_filter else []))
    lines = [
        f"Captured by fake-meetings {__version__} from {shown_url(o.base_url)}:",
        f"  {' '.join(command)}",
        f"Capture instant: {_iso(now)} (now: {now}); {sessions:,} sessions, {rooms:,} rooms, "
        f"{attached[0]:,} recordings, {attached[1]:,} transcripts.",
        f"Filters: {filters or 'none'}"
        + (f"; the newest {o.limit:,} sessions at most." if o.limit else "."),
    ]
    if o.pseudo:
        what = "user names, user ids and room names" if o.rooms_too else "user names and user ids"
        salt = "a salt given with --salt" if o.salt is not None else "a random salt"
        lines.append(
            f"Pseudonymised: {what} replaced by stand-ins (HMAC-SHA256 with {salt}, not recorded)."
        )
    else:
        lines.append("Not pseudonymised: user names and user ids are the source's.")
    lines += [
        "`now:` freezes the clock at the capture instant: served then, the file answers the",
        'captured queries as the source did (limits: the docs, "Capture a real account").',
    ]
    lines += [f"Not as the source: {note}." for note in notes]
    return "\n".join(lines)


def _rooms_text(o: CaptureOptions, room_filter: list[str]) -> str:
    if not room_filter:
        return ""
    names = "rooms " + ", ".join(room_filter)
    return names + " (pseudonymised)" if o.rooms_too else names
