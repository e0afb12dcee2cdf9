"""``--ignore FILE``: differences known and accepted for a while. A YAML (or JSON) list of
entries, each a JSON path (``*`` stands for any key or index: ``$.data[*].duration``), the
reason, the date it expires (``YYYY-MM-DD``: from that day on it no longer applies, and the
run lists it as expired) and, optionally, the requests it is about (a pattern with ``*``):

    - path: $.info
      request: /meetings?limit=abc*
      reason: Daily words this error otherwise; the code only reads `error`
      expires: 2027-06-30
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bounds import MAX_IGNORE_BYTES, MAX_IGNORES


class IgnoreFileError(ValueError):
    """The ``--ignore`` file cannot be used; the message says why."""


@dataclass(frozen=True)
class Ignore:
    path: str
    reason: str
    expires: dt.date
    request: str | None = None

    def matches(self, request: str, path: str) -> bool:
        if self.request is not None and not fnmatch.fnmatchcase(request, self.request):
            return False
        return _pattern(self.path).fullmatch(path) is not None


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path).replace(r"\*", r"[^.\[\]]*"))


@dataclass(frozen=True)
class Ignores:
    active: tuple[Ignore, ...] = ()
    expired: tuple[Ignore, ...] = ()

    def match(self, request: str, path: str) -> Ignore | None:
        return next((e for e in self.active if e.matches(request, path)), None)


def load_ignores(path: Path | None, today: dt.date) -> Ignores:
    if path is None:
        return Ignores()
    where = f"--ignore {path}"
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_IGNORE_BYTES + 1)
    except OSError as exc:
        raise IgnoreFileError(f"{where}: {exc.strerror or exc}") from None
    if len(raw) > MAX_IGNORE_BYTES:
        raise IgnoreFileError(f"{where}: larger than {MAX_IGNORE_BYTES // 1024} KiB")
    import yaml  # on first use: the command line starts without it

    try:
        data = yaml.safe_load(raw.decode("utf-8")) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise IgnoreFileError(f"{where}: not YAML or JSON: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, list) or len(data) > MAX_IGNORES:
        raise IgnoreFileError(f"{where}: expected a list of at most {MAX_IGNORES:,} entries")
    entries = [_entry(item, f"{where}, entry {i + 1}") for i, item in enumerate(data)]
    return Ignores(
        tuple(e for e in entries if e.expires > today),
        tuple(e for e in entries if e.expires <= today),
    )


def _entry(item: Any, where: str) -> Ignore:
    if not isinstance(item, dict):
        raise IgnoreFileError(f"{where}: expected path, reason and expires")
    unknown = set(item) - {"path", "reason", "expires", "request"}
    if unknown:
        raise IgnoreFileError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    path, reason, request = item.get("path"), item.get("reason"), item.get("request")
    if not isinstance(path, str) or not path.startswith("$"):
        raise IgnoreFileError(f"{where}: path must be a JSON path starting with $")
    if not isinstance(reason, str) or not reason.strip():
        raise IgnoreFileError(f"{where}: give a reason")
    if request is not None and not isinstance(request, str):
        raise IgnoreFileError(f"{where}: request must be a text pattern")
    expires = item.get("expires")
    if isinstance(expires, str):
        with contextlib.suppress(ValueError):
            expires = dt.date.fromisoformat(expires)
    if not isinstance(expires, dt.date) or isinstance(expires, dt.datetime):
        raise IgnoreFileError(f"{where}: expires must be a date, YYYY-MM-DD")
    return Ignore(path, reason.strip(), expires, request)
