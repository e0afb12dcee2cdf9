"""The ``generate:`` block of a scenario file: generated sessions added to the hand-written ones.

generate:
  sessions: 500        # required: how many
  rooms: 8             # optional, default 8
  seed: 7              # optional, default 0
  start: -30d          # optional: window start (any time form), default 30 days before
                       # end, or before now when end is later
  end: now             # optional: window end, default (and at most) now + ahead
  ahead: 2h            # optional: sessions may also start up to this long after now, default 0
  locale: en_US        # optional: Faker locale of the names
  tz: Europe/Berlin    # optional: time zone of the working hours, default UTC
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .generate import GenerateSpec
from .validate import Checker

GENERATE_KEYS = ("sessions", "rooms", "seed", "start", "end", "ahead", "locale", "tz")
MAX_GENERATED = 5_000_000
MAX_AHEAD = 365 * 86400  # a year of future sessions; the window is walked day by day


def generate_spec(c: Checker, now: int) -> GenerateSpec | None:
    """The block's spec, or None (with problems recorded) when it is invalid."""
    path = ("generate",)
    if c.mapping(path, GENERATE_KEYS, required=("sessions",)) is None:
        return None
    before = c.count
    count = c.non_negative((*path, "sessions"))
    if count is not None and count > MAX_GENERATED:
        c.problem((*path, "sessions"), f"at most {MAX_GENERATED:,} sessions can be generated")
    rooms = c.positive((*path, "rooms"))
    seed = c.non_negative((*path, "seed"))
    start = c.instant((*path, "start"), now)
    end = c.instant((*path, "end"), now)
    ahead = c.duration((*path, "ahead"), MAX_AHEAD)
    locale = c.string((*path, "locale")) or "en_US"
    tz = c.string((*path, "tz")) or "UTC"
    problem = check_locale_and_tz(locale, tz)
    if problem is not None:
        c.problem((*path, problem[0]), problem[1])
    if c.count > before or count is None:
        return None
    return GenerateSpec(count, rooms or 8, seed or 0, start, end, locale, tz, ahead or 0)


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
