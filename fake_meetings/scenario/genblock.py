"""The ``generate:`` block of a scenario file: generated sessions added to the hand-written ones.

generate:
  sessions: 500        # required: how many
  rooms: 12            # optional
  seed: 7              # optional
  start: -60d          # optional: window start (any time form); default DEFAULT_DAYS before
                       # end, or before now when end is later
  end: now             # optional: window end, default (and at most) now + ahead
  ahead: 2h            # optional: sessions may also start up to this long after now
  locale: de_DE        # optional: Faker locale of the names
  tz: Europe/Berlin    # optional: time zone of the working hours
  recorded: 0.3        # optional: the share of sessions recorded (0 to 1)

The defaults of the optional keys are ``domain/generate.py``'s, the same as the options'.
"""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..domain.generate import (
    DEFAULT_AHEAD,
    DEFAULT_LOCALE,
    DEFAULT_RECORDED,
    DEFAULT_ROOMS,
    DEFAULT_SEED,
    DEFAULT_TZ,
    GenerateSpec,
)
from .validate import Checker

GENERATE_KEYS = ("sessions", "rooms", "seed", "start", "end", "ahead", "locale", "tz", "recorded")
# The bounds of what is generated, for the `generate:` block (files and POST /_fake/scenario)
# and the CLI's flags alike: each is declared here only. The work is linear in each.
MAX_GENERATED = 5_000_000  # sessions (the control plane takes fewer: api/control/scenario.py)
MAX_ROOMS = 100_000  # rooms (each is given a cast of people: about 1.4 s at the bound)
MAX_SEED = 2**63 - 1
MAX_DAYS = 36_500  # --days: the window is walked day by day (a window starts in 1970 or later)
MAX_AHEAD = 365 * 86400  # a year of future sessions; the window is walked day by day
LIMITS = {"sessions": MAX_GENERATED, "rooms": MAX_ROOMS, "seed": MAX_SEED, "days": MAX_DAYS}


def over_limit(name: str, value: int) -> str | None:
    """The complaint when ``value`` of the generate field ``name`` (a key of ``LIMITS``) is
    beyond its bound, or None."""
    limit = LIMITS[name]
    if value <= limit:
        return None
    if name == "seed":
        return f"{value} is too large: a seed is at most {limit} (2**63 - 1)"
    what = {"sessions": "sessions can", "rooms": "rooms can", "days": "days can"}[name]
    return f"{value:,} is too many: at most {limit:,} {what} be generated"


def share_problem(value: object) -> str | None:
    """The complaint when ``value`` is not a share of sessions to record (a number from 0 to
    1, like 0.3), or None. The recordings are linear in it: at most two per session."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and math.isfinite(value) and 0 <= value <= 1:  # type: ignore[arg-type,operator]
        return None
    return f"expected a share of sessions from 0 to 1, like 0.3; got {value!r:.60}"


def generate_spec(c: Checker, now: int) -> GenerateSpec | None:
    """The block's spec, or None (with problems recorded) when it is invalid."""
    path = ("generate",)
    block = c.mapping(path, GENERATE_KEYS, required=("sessions",))
    if block is None:
        return None
    before = c.count
    count = _bounded(c, "sessions", c.non_negative((*path, "sessions")))
    rooms = _bounded(c, "rooms", c.positive((*path, "rooms")))
    seed = _bounded(c, "seed", c.non_negative((*path, "seed")))
    start = c.instant((*path, "start"), now)
    end = c.instant((*path, "end"), now)
    ahead = c.duration((*path, "ahead"), MAX_AHEAD)
    locale = c.string((*path, "locale")) or DEFAULT_LOCALE
    tz = c.string((*path, "tz")) or DEFAULT_TZ
    problem = check_locale_and_tz(locale, tz)
    if problem is not None:
        c.problem((*path, problem[0]), problem[1])
    recorded = block.get("recorded")
    recorded = DEFAULT_RECORDED if recorded is None else recorded
    complaint = share_problem(recorded)
    if complaint is not None:
        c.problem((*path, "recorded"), complaint)
    if c.count > before or count is None:
        return None
    return GenerateSpec(
        count,
        DEFAULT_ROOMS if rooms is None else rooms,
        DEFAULT_SEED if seed is None else seed,
        start,
        end,
        locale,
        tz,
        DEFAULT_AHEAD if ahead is None else ahead,
        float(recorded),
    )


def _bounded(c: Checker, name: str, value: int | None) -> int | None:
    problem = over_limit(name, value) if value is not None else None
    if problem is not None:
        c.problem(("generate", name), problem)
    return value


def check_locale_and_tz(locale: str, tz: str) -> tuple[str, str] | None:
    """(key, message) of the first of locale / tz that is not usable, or None."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return "tz", f"unknown time zone {tz!r}; use an IANA name such as UTC or Europe/Berlin"
    from faker.config import AVAILABLE_LOCALES

    if locale not in AVAILABLE_LOCALES:
        return "locale", f"unknown Faker locale {locale!r}; e.g. en_US, de_DE, fr_FR, ja_JP"
    return None
