"""The request journal's bounds, against a naive model (property tests).

The model cuts headers the plain way: each value to ``MAX_VALUE`` bytes; a header whose name and
cut value would take the entry past ``MAX_HEADER_BYTES`` is left out whole; an entry is marked
truncated exactly when something was cut or left out; its size is ``ENTRY_OVERHEAD``, the raw
path and query, the kept bytes and ``HEADER_OVERHEAD`` per kept header. The journal then holds
the newest entries whose count is within ``cap`` and whose sizes sum within ``max_bytes``.
Header sets are drawn around the edges, where the journal skips its checks (headers whose bytes
add up to ``MAX_VALUE`` or less) and where it cuts.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yarl import URL

from fake_meetings.state.journal import (
    ENTRY_OVERHEAD,
    HEADER_OVERHEAD,
    MAX_HEADER_BYTES,
    MAX_VALUE,
    Journal,
)

Headers = list[tuple[bytes, bytes]]

_sizes = st.one_of(
    st.integers(0, 40),
    st.integers(MAX_VALUE - 40, MAX_VALUE + 40),
    st.integers(0, 5000),
    st.just(MAX_VALUE - 13),  # with a 12-byte name and nothing else: exactly MAX_VALUE bytes
)
_header = st.tuples(
    st.binary(min_size=1, max_size=12),
    _sizes.flatmap(lambda n: st.just(bytes(range(256)) * (n // 256) + bytes(n % 256))),
)
_headers = st.lists(_header, max_size=12) | st.lists(_header, min_size=1, max_size=1)


def model(url: URL, headers: Headers) -> tuple[Headers, tuple[list[bytes], int] | None, int]:
    """The rule as stated: walking the headers in order, a header whose name and cut value fit
    in what is left of ``MAX_HEADER_BYTES`` is kept (cut), the others are left out."""

    def fitting(rest: Headers, left: int) -> list[tuple[bytes, bytes, bool]]:
        if not rest:
            return []
        (name, value), later = rest[0], rest[1:]
        cost = len(name) + min(len(value), MAX_VALUE)
        if cost > left:
            return fitting(later, left)
        return [(name, value[:MAX_VALUE], len(value) > MAX_VALUE), *fitting(later, left - cost)]

    chosen = fitting(headers, MAX_HEADER_BYTES)
    kept = [(name, value) for name, value, _ in chosen]
    cut_names = [name for name, _, cut in chosen if cut]
    dropped = len(headers) - len(kept)
    truncated = (cut_names, dropped) if cut_names or dropped else None
    used = sum(len(name) + len(value) for name, value in kept)
    size = ENTRY_OVERHEAD + len(url.raw_path_qs) + used + HEADER_OVERHEAD * len(kept)
    return kept, truncated, size


@pytest.mark.slow
@settings(max_examples=300)
@given(
    headers=_headers,
    other=_headers,
    path=st.sampled_from(["/v1/meetings", "/v1/meetings?limit=3&x=%C2%B2"]),
)
def test_an_entry_is_cut_exactly_as_the_model_cuts(
    headers: Headers, other: Headers, path: str
) -> None:
    """Each entry of a run where headers come again (equal, not the same object: a client
    sends the same headers on every request, which the journal recognizes), other headers
    between them, is cut as the model cuts it."""
    url = URL(path)
    journal = Journal(cap=10, max_bytes=10**9)
    sent = [headers, list(headers), other, [tuple(h) for h in headers]]
    for each in sent:
        journal.record("GET", url.raw_path_qs, url, each, 200)
    entries = list(journal)
    assert len(entries) == len(sent)
    for entry, each in zip(entries, sent, strict=True):
        kept, truncated, size = model(url, each)
        assert [tuple(h) for h in entry.raw_headers] == kept
        assert entry.size == size
        if truncated is None:
            assert entry.truncated is None
        else:
            names, dropped = truncated
            assert entry.truncated is not None
            assert list(entry.truncated.values) == [_text(n) for n in names]
            assert entry.truncated.dropped_headers == dropped
        assert (entry.method, entry.url, entry.status, entry.fault) == ("GET", url, 200, None)
    assert journal.bytes == sum(e.size for e in entries)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


@settings(max_examples=100)
@given(
    requests=st.lists(st.tuples(_headers, st.integers(100, 599)), max_size=30),
    cap=st.integers(1, 8),
    max_bytes=st.integers(0, 40_000),
)
def test_the_journal_keeps_the_newest_entries_within_both_bounds(
    requests: list[tuple[Headers, int]], cap: int, max_bytes: int
) -> None:
    url = URL("/v1/meetings")
    journal = Journal(cap=cap, max_bytes=max_bytes)
    sizes = []
    for headers, status in requests:
        journal.record("GET", url.raw_path_qs, url, headers, status)
        sizes.append(model(url, headers)[2])
    # the model: the longest run of newest entries within cap and max_bytes
    held = 0
    while held < min(cap, len(sizes)) and sum(sizes[len(sizes) - held - 1 :]) <= max_bytes:
        held += 1
    entries = list(journal)
    assert [e.status for e in entries] == [s for _, s in requests][len(requests) - held :]
    assert journal.bytes == sum(sizes[len(sizes) - held :]) == sum(e.size for e in entries)
    assert len(journal) == held
