"""Time values as scenario files and the CLI accept them, turned into integer unix seconds.

Accepted forms:
- an integer of unix seconds (``1717236000``);
- an ISO 8601 date-time (``2024-06-01T10:00:00Z``; without an offset it is UTC);
- a time relative to "now", in the past or the future (``now``, ``-2h``, ``-90m``, ``-3d``,
  ``-1d2h30m``, ``+2h``, ``+45s``),
  where relative forms are only allowed where a reference instant exists.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_RELATIVE = re.compile(r"^(?:now)?\s*([+-])\s*((?:\d+[wdhms])+)$|^now$")
_UNIT = re.compile(r"(\d+)([wdhms])")
_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
MAX_TIMESTAMP = 2**53  # far beyond any real date; keeps every value a safe JSON integer

FORMS = "unix seconds (1717236000), ISO 8601 (2024-06-01T10:00:00Z)"
RELATIVE_FORMS = "relative to now (now, -2h, -90m, -3d, -1d2h30m, +2h)"


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
            amount = sum(int(n) * _SECONDS[u] for n, u in _UNIT.findall(relative.group(2)))
            return _check_range(now + sign * amount)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(_expected(value, now)) from None
        return _check_range(_from_datetime(parsed))
    raise ValueError(_expected(value, now))


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
