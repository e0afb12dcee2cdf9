"""Equality that also compares types, for values read from YAML or JSON: ``True == 1`` and
``1.0 == 1`` in Python, but a reader that gives one for the other is wrong."""

from __future__ import annotations

from typing import Any


def same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b  # nan
    return bool(a == b)
