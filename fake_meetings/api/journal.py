"""The request journal: what the server received, for assertions in tests. Capped: the oldest
entries are dropped first, so a long-running server cannot grow without bound.

Recording is on the hot path of every API request, so an entry keeps the request's own
(immutable) header and query views and turns them into plain dicts only when it is read.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from multidict import MultiMapping

from ..config import DEFAULT_JOURNAL_CAP

DEFAULT_CAP = DEFAULT_JOURNAL_CAP


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    query: MultiMapping[str] | Mapping[str, list[str]]
    headers: Mapping[str, str]
    status: int  # 0 when the connection was dropped (an injected fault) instead of answered
    time: float = field(default_factory=time.time)
    fault: str | None = None  # id of the injected fault that answered, if any

    def as_dict(self) -> dict[str, object]:
        query = self.query
        if isinstance(query, MultiMapping):
            plain = {k: query.getall(k) for k in dict.fromkeys(query)}
        else:
            plain = {k: list(v) for k, v in query.items()}
        return {
            "method": self.method,
            "path": self.path,
            "query": plain,
            "headers": {str(k): v for k, v in self.headers.items()},  # istr -> str
            "status": self.status,
            "time": self.time,
            "fault": self.fault,
        }


class Journal:
    def __init__(self, cap: int = DEFAULT_CAP):
        self.cap = cap
        self._entries: deque[Entry] = deque(maxlen=cap)

    def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    def clear(self) -> int:
        """Forget every entry; returns how many there were."""
        count = len(self._entries)
        self._entries.clear()
        return count

    def select(self, path: str | None = None, method: str | None = None) -> list[Entry]:
        """Entries oldest first, only those whose path starts with ``path`` and whose method is
        ``method`` (case-insensitive) when given."""
        wanted = method.upper() if method else None
        return [
            e
            for e in list(self._entries)
            if (path is None or e.path.startswith(path)) and (wanted is None or e.method == wanted)
        ]

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)
