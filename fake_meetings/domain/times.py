"""Time values as scenario files and the CLI accept them, turned into integer unix seconds.

Accepted forms:
- an integer of unix seconds (``1717236000``);
- an ISO 8601 date-time (``2024-06-01T10:00:00Z``; without an offset it is UTC);
- a time relative to "now", in the past or the future (``now``, ``-2h``, ``-90m``, ``-3d``,
  ``-1d2h30m``, ``+2h``, ``+45s``),
  where relative forms are only allowed where a reference instant exists.

Durations (``parse_duration``) are whole seconds (``7200``) or the same units without a sign
(``2h``, ``90m``, ``1d2h30m``, ``45s``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_RELATIVE = re.compile(r"^(?:now)?\s*([+-])\s*((?:\d+[wdhms])+)$|^now$")
_UNIT = re.compile(r"(\d+)([wdhms])")
_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"[0-9]+|(?:[0-9]+[wdhms])+")
MAX_TIMESTAMP = 2**53  # far beyond any real date; keeps every value a safe JSON integer

FORMS = "unix seconds (1717236000), ISO 8601 (2024-06-01T10:00:00Z)"
RELATIVE_FORMS = "relative to now (now, -2h, -90m, -3d, -1d2h30m, +2h)"
DURATION_FORMS = "seconds (7200) or a duration in w, d, h, m, s (2h, 90m, 1d2h30m, 45s)"


def parse_instant(value: object, *, now: int | None = None) -> int:
    """Return unix seconds for ``value`` or raise ``ValueError`` naming the accepted forms.

    Relative forms are accepted only when ``now`` is given.
    """
    if isinstance(value, bool):
        raise ValueError(_expected(value, now))
    if isinstance(value, int):
        return _check_range(value)
    if isinstance(value, datetime):
        return _check_range(_from_datetime(value))
    if isinstance(value, date):
        return _check_range(_from_datetime(datetime(value.year, value.month, value.day)))
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+", text):
            return _check_range(int(text))
        relative = _RELATIVE.match(text)
        if relative and now is not None:
            if text == "now":
                return now
            sign = -1 if relative.group(1) == "-" else 1
            return _check_range(now + sign * _seconds_of(relative.group(2)))
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(_expected(value, now)) from None
        return _check_range(_from_datetime(parsed))
    raise ValueError(_expected(value, now))


def parse_duration(value: object, *, most: int) -> int:
    """Return whole seconds for ``value`` (an int, or text like ``7200``, ``2h``, ``1d2h30m``)
    or raise ``ValueError`` naming the accepted forms, or the limit when it is over ``most``."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
        seconds = text
    elif isinstance(text, str) and _DURATION.fullmatch(text):
        seconds = _seconds_of(text)
    else:
        raise ValueError(f"{value!r} is not a duration: expected {DURATION_FORMS}")
    if seconds > most:
        raise ValueError(f"{value!r} is too long: at most {_units(most)} ({most} seconds)")
    return seconds


def _seconds_of(units: str) -> int:
    """Seconds in ``units``: bare digits are seconds, else a sum like ``1d2h30m``."""
    if units.isdigit():
        return int(units)
    return sum(int(n) * _SECONDS[u] for n, u in _UNIT.findall(units))


def _units(seconds: int) -> str:
    """``seconds`` in days, hours, minutes and seconds, like ``1d2h30m``."""
    parts = []
    for unit in "dhms":
        amount, seconds = divmod(seconds, _SECONDS[unit])
        parts.append(f"{amount}{unit}" * (amount > 0))
    return "".join(parts) or "0s"


def _from_datetime(dt: datetime) -> int:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def _check_range(seconds: int) -> int:
    if not 0 <= seconds < MAX_TIMESTAMP:
        raise ValueError(f"{seconds} is out of range (unix seconds from 0 to 2**53)")
    return seconds


def _expected(value: object, now: int | None) -> str:
    forms = FORMS + (", or " + RELATIVE_FORMS if now is not None else "")
    return f"{value!r} is not a time: expected {forms}"
