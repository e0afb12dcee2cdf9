"""The request journal: what the server received, for assertions in tests. Capped: the oldest
entries are dropped first, so a long-running server cannot grow without bound."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

DEFAULT_CAP = 1000


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    status: int
    time: float = field(default_factory=time.time)

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "status": self.status,
            "time": self.time,
        }


class Journal:
    def __init__(self, cap: int = DEFAULT_CAP):
        self.cap = cap
        self._entries: deque[Entry] = deque(maxlen=cap)

    def record(self, entry: Entry) -> None:
        self._entries.append(entry)

    def clear(self) -> None:
        self._entries.clear()

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)
