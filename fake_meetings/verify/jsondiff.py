"""The differences of two JSON answers, each at its JSON path (``$.data[3].duration``).

Lists of objects with ids (sessions and rooms by ``id``, participant records by
``participant_id``) are compared by id: when the ids come in another order, or others, the
first place they part is one difference (``$.data[2].id``), then the objects with the same id
are compared with each other (at the account's index). Other lists are compared item by item.
A key on one side only is a difference whose other side is :data:`ABSENT`."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any, Final

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
IDS = ("id", "participant_id")


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Final = _Absent()
Diff = tuple[str, Any, Any]


def key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if _NAME.fullmatch(key) else f'{path}["{key}"]'


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _id_key(a: list[Any], b: list[Any]) -> str | None:
    for key in IDS:
        if all(isinstance(i, dict) and isinstance(i.get(key), str) for i in [*a, *b]):
            return key
    return None


def differences(a: Any, b: Any, path: str = "$") -> Iterator[Diff]:
    """``(path, a's value, b's value)`` for every place ``a`` and ``b`` differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            sub = key_path(path, str(key))
            if key not in a or key not in b:
                yield sub, a.get(key, ABSENT), b.get(key, ABSENT)
            else:
                yield from differences(a[key], b[key], sub)
    elif isinstance(a, list) and isinstance(b, list):
        yield from _lists(a, b, path)
    elif not _same(a, b):
        yield path, a, b


def _lists(a: list[Any], b: list[Any], path: str) -> Iterator[Diff]:
    key = _id_key(a, b) if a and b else None
    if key is None:
        for i in range(max(len(a), len(b))):
            if i >= len(a) or i >= len(b):
                yield f"{path}[{i}]", a[i] if i < len(a) else ABSENT, b[i] if i < len(b) else ABSENT
            else:
                yield from differences(a[i], b[i], f"{path}[{i}]")
        return
    ids_a, ids_b = [i[key] for i in a], [i[key] for i in b]
    if ids_a != ids_b:
        i = next(
            i for i, pair in enumerate(itertools.zip_longest(ids_a, ids_b)) if pair[0] != pair[1]
        )
        yield (
            f"{path}[{i}].{key}",
            ids_a[i] if i < len(ids_a) else ABSENT,
            ids_b[i] if i < len(ids_b) else ABSENT,
        )
    by_id = {item[key]: item for item in b}
    for i, item in enumerate(a):
        other = by_id.get(item[key])
        if other is not None:
            yield from differences(item, other, f"{path}[{i}]")


def value_at(body: Any, path: str) -> Any:
    """The value at a path :func:`differences` gave (``ABSENT`` if there is none)."""
    for step in re.findall(r'\.([A-Za-z_][A-Za-z0-9_]*)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]', path):
        name, quoted, index = step
        if index:
            if not isinstance(body, list) or int(index) >= len(body):
                return ABSENT
            body = body[int(index)]
        else:
            key = name or quoted
            if not isinstance(body, dict) or key not in body:
                return ABSENT
            body = body[key]
    return body
