"""Typed access to a parsed document that records problems (file, path, line) instead of failing
on the first one, so a user sees every mistake in a scenario at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.times import parse_duration, parse_instant
from .yamldoc import Document, Path, format_path

_MISSING: Any = object()
MAX_PROBLEMS = 1000  # checking stops here: the work on a wrong document stays bounded


class TooManyProblems(Exception):
    """Raised by :meth:`Checker.problem` at ``MAX_PROBLEMS``; the problems so far stand."""


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    path: Path
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {format_path(self.path)}: {self.message}"

    def as_json(self) -> dict[str, object]:
        """The problem as the control plane sends it (``problems`` of a 400's envelope)."""
        return {
            "file": self.source,
            "line": self.line,
            "path": list(self.path),
            "message": self.message,
        }

    @classmethod
    def from_json(cls, value: object, source: str) -> Problem | None:
        """A problem the control plane sent (:meth:`as_json`), named after ``source``; None
        when ``value`` is not one."""
        if not isinstance(value, dict):
            return None
        line, path, message = value.get("line"), value.get("path"), value.get("message")
        if not isinstance(message, str) or not isinstance(path, list):
            return None
        steps = tuple(s for s in path if isinstance(s, str | int) and not isinstance(s, bool))
        if len(steps) != len(path):
            return None
        return cls(
            source,
            line if isinstance(line, int) and not isinstance(line, bool) else None,
            steps,
            message,
        )


class Checker:
    def __init__(self, doc: Document, source: str):
        self.doc = doc
        self.source = source
        self.problems: list[Problem] = []

    @property
    def count(self) -> int:
        return len(self.problems)

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.source, self.doc.line_of(path), path, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise TooManyProblems

    def raise_if_any(self, error: type[Exception]) -> None:
        if self.problems:
            raise error(self.problems)
        return None

    def get(self, path: Path) -> Any:
        value = self.doc.data
        for part in path:
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return _MISSING
        return value

    def mapping(
        self, path: Path, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Any] | None:
        value = self.get(path)
        if not isinstance(value, dict):
            what = "an empty document" if value is None and not path else _describe(value)
            self.problem(path, f"expected a mapping with keys {', '.join(allowed)}; got {what}")
            return None
        for key in value:
            if key not in allowed:
                self.problem(
                    (*path, key), f"unknown key {key!r}; expected one of: {', '.join(allowed)}"
                )
        for key in required:
            if key not in value:
                self.problem(path, f"missing required key {key!r}")
        return value

    def sequence(self, path: Path, *, required: bool = True, non_empty: bool = False) -> list[Any]:
        value = self.get(path)
        if value is _MISSING and not required:
            return []
        if not isinstance(value, list):
            if value is not _MISSING:  # a missing required key is reported by mapping()
                self.problem(path, f"expected a list; got {_describe(value)}")
            return []
        if non_empty and not value:
            self.problem(path, "must list at least one entry")
        return value

    def string(self, path: Path) -> str | None:
        value = self.get(path)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not value:
            self.problem(path, f"expected a non-empty string; got {_describe(value)}")
            return None
        return value

    def optional_string(self, path: Path) -> str | None:
        value = self.get(path)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, str):
            self.problem(
                path,
                f"expected a string or null; got {_describe(value)} (quote it to make it a string)",
            )
            return None
        return value

    def identifier(self, path: Path, pattern: re.Pattern[str]) -> str | None:
        value = self.get(path)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.problem(
                path,
                f"expected an id of letters, digits, '.', '_', '~' or '-' "
                f"(1 to 128 characters); got {_describe(value)}",
            )
            return None
        return value

    def instant(self, path: Path, now: int | None) -> int | None:
        return self._parsed(path, lambda value: parse_instant(value, now=now))

    def duration(self, path: Path, most: int) -> int | None:
        return self._parsed(path, lambda value: parse_duration(value, most=most))

    def _parsed(self, path: Path, parse: Callable[[Any], int]) -> int | None:
        """The value at ``path`` through ``parse``; its ValueError is the problem reported."""
        value = self.get(path)
        if value is _MISSING:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.problem(path, str(exc))
            return None

    def boolean(self, path: Path, *, default: bool | None) -> bool | None:
        value = self.get(path)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.problem(path, f"expected true or false; got {_describe(value)}")
            return None
        return value

    def non_negative(self, path: Path) -> int | None:
        return self._integer(path, 0, "a whole number of seconds, 0 or more")

    def positive(self, path: Path) -> int | None:
        return self._integer(path, 1, "a whole number, 1 or more")

    def _integer(self, path: Path, minimum: int, what: str) -> int | None:
        value = self.get(path)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem(path, f"expected {what}; got {_describe(value)}")
            return None
        return value


def _describe(value: Any) -> str:
    if value is _MISSING:
        return "nothing"
    if value is None:
        return "null"
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"
