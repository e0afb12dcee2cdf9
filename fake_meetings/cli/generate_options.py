"""The generator's options, shared by ``generate`` and ``serve --generate``: each declared once
(``declare.py``) from the defaults of ``domain/generate.py`` and the bounds of
``scenario/genblock.py`` (which the ``generate:`` block of scenario files reads too), and read
from the flag, else the FAKE_MEETINGS_* variable, else that default."""

from __future__ import annotations

import argparse
import time

from ..domain.generate import (
    DEFAULT_AHEAD,
    DEFAULT_DAYS,
    DEFAULT_LOCALE,
    DEFAULT_RECORDED,
    DEFAULT_ROOMS,
    DEFAULT_SEED,
    DEFAULT_TZ,
    GenerateSpec,
)
from ..domain.times import DURATION_FORMS, parse_duration
from ..scenario.genblock import (
    MAX_AHEAD,
    MAX_DAYS,
    MAX_ROOMS,
    check_locale_and_tz,
    over_limit,
    share_problem,
)
from .declare import Declared, UsageError

SEED = Declared(
    "--seed",
    "SEED",
    "random seed",
    DEFAULT_SEED,
    bound="at most 2**63 - 1",
    integer=True,
    key="seed",
)
ROOMS = Declared(
    "--rooms",
    "ROOMS",
    "number of rooms",
    DEFAULT_ROOMS,
    bound=f"at most {MAX_ROOMS:,}",
    least=1,
    integer=True,
    key="rooms",
)
DAYS = Declared(
    "--days",
    "DAYS",
    "spread over the last D days",
    DEFAULT_DAYS,
    bound=f"at most {MAX_DAYS:,}",
    integer=True,  # no key: a generate: block's start and end are the window itself
)
LOCALE = Declared("--locale", "LOCALE", "Faker locale of the names", DEFAULT_LOCALE, key="locale")
TZ = Declared("--tz", "TZ", "time zone of the working hours", DEFAULT_TZ, key="tz")
AHEAD = Declared(
    "--ahead",
    "AHEAD",
    f"sessions may also start up to DURATION after now, as {DURATION_FORMS}: with a running "
    "clock they appear, run and end as time passes",
    DEFAULT_AHEAD,
    metavar="DURATION",
    key="ahead",
)
RECORDED = Declared(
    "--recorded",
    "RECORDED",
    "the share of sessions recorded, from 0 to 1: each recorded session gets a recording "
    "(sometimes two) listed by GET /recordings",
    DEFAULT_RECORDED,
    metavar="SHARE",
    key="recorded",
)
SHAPE = (SEED, ROOMS, DAYS, LOCALE, TZ, AHEAD, RECORDED)


def add_generate_options(parser: argparse.ArgumentParser) -> None:
    for option in SHAPE:
        option.add(parser)


def generate_spec(
    args: argparse.Namespace, count: int | None, now: int | None, count_source: str = "N"
) -> GenerateSpec:
    """The spec of the generate options; ``count_source`` names where ``count`` came from."""
    if count is None:
        raise UsageError("how many sessions to generate? give a number")
    _check_limit("sessions", count, count_source)
    rooms = ROOMS.whole(args)
    _check_limit("rooms", rooms, ROOMS.source(args))
    days = DAYS.whole(args)
    _check_limit("days", days, DAYS.source(args))
    locale = LOCALE.text(args) or DEFAULT_LOCALE
    tz = TZ.text(args) or DEFAULT_TZ
    problem = check_locale_and_tz(locale, tz)
    if problem is not None:
        raise UsageError(f"--{problem[0]}: {problem[1]}")
    now = now if now is not None else int(time.time())
    seed = SEED.whole(args)
    _check_limit("seed", seed, SEED.source(args))
    start = now - days * 86400
    return GenerateSpec(count, rooms, seed, start, None, locale, tz, _ahead(args), _recorded(args))


def _check_limit(name: str, value: int, source: str) -> None:
    """A usage error naming ``source`` (the flag or variable) when ``value`` is beyond the
    bound of the generate field ``name`` (declared once, in ``scenario/genblock.py``)."""
    problem = over_limit(name, value)
    if problem is not None:
        raise UsageError(f"{source}: {problem}")


def _recorded(args: argparse.Namespace) -> float:
    text = RECORDED.text(args)
    if not text:
        return DEFAULT_RECORDED
    try:
        share: object = float(text)
    except ValueError:
        share = text
    problem = share_problem(share)
    if problem is not None:
        raise UsageError(f"{RECORDED.source(args)}: {problem}")
    assert isinstance(share, float)
    return share


def _ahead(args: argparse.Namespace) -> int:
    text = AHEAD.text(args)
    if not text:
        return DEFAULT_AHEAD
    try:
        return parse_duration(text, most=MAX_AHEAD)
    except ValueError as exc:
        raise UsageError(f"{AHEAD.source(args)}: {exc}") from None
