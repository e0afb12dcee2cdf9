"""The request journal: what the server received, for assertions in tests.

Bounded twice: at most ``cap`` entries and at most ``max_bytes`` bytes of request data (path,
query and headers as received), the oldest entries dropped first, so neither a long-running
server nor a client sending huge headers can grow it without bound. One entry holds at most
``MAX_VALUE`` bytes of each header value and ``MAX_HEADER_BYTES`` of headers in all; what is
cut is named in the entry's ``truncated`` field.

Recording is on the hot path of every API request, so an entry keeps the request's own
immutable parts (its URL and the raw header bytes the parser produced) and decodes them only
when it is read. Header bytes are decoded as UTF-8 when they are valid UTF-8, else as Latin-1
(ISO-8859-1): every byte is one character, so any byte sequence a client sends is returned
without loss (``requests`` encodes non-ASCII header values as Latin-1).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from itertools import chain
from time import time
from typing import NamedTuple

from yarl import URL

from ..config import DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_CAP

DEFAULT_CAP = DEFAULT_JOURNAL_CAP
MAX_VALUE = 1024  # bytes kept of one header value
MAX_HEADER_BYTES = 16 * 1024  # bytes of header names and values kept in one entry
# what an entry costs beyond the bytes of its request data (entry, URL, deque slot; a tuple and
# two bytes objects per header), measured by bench/namespace_memory.py
ENTRY_OVERHEAD = 700
HEADER_OVERHEAD = 100

RawHeaders = Sequence[tuple[bytes, bytes]]


def decode(raw: bytes) -> str:
    """Header bytes as text: UTF-8 when valid, else Latin-1 (lossless: one byte, one char)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class Truncation(NamedTuple):
    values: tuple[str, ...]  # names of the kept headers whose value was cut to MAX_VALUE bytes
    dropped_headers: int  # headers left out whole, past MAX_HEADER_BYTES

    def as_dict(self) -> dict[str, object]:
        return {
            "values": list(self.values),
            "dropped_headers": self.dropped_headers,
            "max_value_bytes": MAX_VALUE,
            "max_header_bytes": MAX_HEADER_BYTES,
        }


class Entry(NamedTuple):  # built by Journal.record
    method: str
    url: URL  # the request's path and query, as received
    raw_headers: RawHeaders
    status: int  # 0 when the connection was dropped (an injected fault) instead of answered
    time: float
    fault: str | None  # id of the injected fault that answered, if any
    size: int  # bytes counted against the journal's budget
    truncated: Truncation | None

    @property
    def path(self) -> str:
        return self.url.path

    def as_dict(self) -> dict[str, object]:
        query = self.url.query
        return {
            "method": self.method,
            "path": self.url.path,
            "query": {k: query.getall(k) for k in dict.fromkeys(query)},
            "headers": {decode(k): decode(v) for k, v in self.raw_headers},
            "status": self.status,
            "time": self.time,
            "fault": self.fault,
            "truncated": self.truncated.as_dict() if self.truncated is not None else None,
        }


def _trim(raw_headers: RawHeaders) -> tuple[RawHeaders, Truncation | None]:
    """``raw_headers`` within the per-entry bounds, and what was cut (None: nothing)."""
    kept: list[tuple[bytes, bytes]] = []
    cut: list[str] = []
    used = dropped = 0
    for name, value in raw_headers:
        short = value[:MAX_VALUE]
        if used + len(name) + len(short) > MAX_HEADER_BYTES:
            dropped += 1
            continue
        used += len(name) + len(short)
        kept.append((name, short))
        if len(short) < len(value):
            cut.append(decode(name))
    if not cut and not dropped:
        return raw_headers, None
    return tuple(kept), Truncation(tuple(cut), dropped)


_new_entry = tuple.__new__  # Entry's own constructor, minus its Python-level call


class Journal:
    def __init__(self, cap: int = DEFAULT_CAP, max_bytes: int = DEFAULT_JOURNAL_BYTES):
        self.cap = cap
        self.max_bytes = max_bytes
        self._entries: deque[Entry] = deque()
        self._bytes = 0
        # the latest headers recorded (as kept) and their bytes: a client sends the same
        # headers request after request, and its entries then share one tuple of them
        self._last_headers: RawHeaders = ()
        self._last_data = 0

    @property
    def bytes(self) -> int:
        """The bytes the entries now hold, as counted against ``max_bytes``."""
        return self._bytes

    def record(
        self,
        method: str,
        target: str,
        url: URL,
        raw_headers: RawHeaders,
        status: int,
        fault: str | None = None,
    ) -> None:
        """Record a request: its ``target`` as received (the path and query of the request
        line, whose length is counted), its ``url`` (what the entry's path and query are read
        from) and headers. Headers past the per-entry bounds are cut here, once. On the hot
        path of every API request: headers equal to the latest ones kept (one comparison, in C)
        are kept as that tuple again, their bytes already counted; other headers
        within ``MAX_VALUE`` bytes in all cannot be over either bound, so that sum (taken in C)
        is the only check. The entry is built as a tuple without a Python-level constructor
        call."""
        truncated = None
        if raw_headers == self._last_headers:
            raw_headers, data = self._last_headers, self._last_data
        else:
            data = sum(map(len, chain.from_iterable(raw_headers)))
            if data > MAX_VALUE:
                raw_headers, truncated = _trim(raw_headers)
                data = sum(map(len, chain.from_iterable(raw_headers)))
            self._last_headers, self._last_data = raw_headers, data  # as kept: within bounds
        size = ENTRY_OVERHEAD + len(target) + data + HEADER_OVERHEAD * len(raw_headers)
        entry = _new_entry(
            Entry, (method, url, raw_headers, status, time(), fault, size, truncated)
        )
        entries = self._entries
        entries.append(entry)
        self._bytes += size
        while entries and (len(entries) > self.cap or self._bytes > self.max_bytes):
            self._bytes -= entries.popleft().size

    def clear(self) -> int:
        """Forget every entry; returns how many there were."""
        count = len(self._entries)
        self._entries.clear()
        self._bytes = 0
        return count

    def select(
        self, path: str | None = None, method: str | None = None, limit: int | None = None
    ) -> list[Entry]:
        """Entries oldest first, only those whose path starts with ``path`` and whose method is
        ``method`` (case-insensitive) when given; with ``limit``, only the newest ``limit``."""
        wanted = method.upper() if method else None
        chosen = [
            e
            for e in list(self._entries)
            if (path is None or e.url.path.startswith(path))
            and (wanted is None or e.method == wanted)
        ]
        if limit is not None and limit < len(chosen):
            return chosen[len(chosen) - limit :]
        return chosen

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)
