"""The render cache's fragments by rank (``api/daily/slots.py``) against a dict of rank -> bytes.

Ranks span several chunks, and pages are asked as ascending runs, descending runs (what the
query engine gives for a run of ranks, newest first) and arbitrary lists, so every way a page
crosses a chunk boundary is met.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.api.daily.slots import CHUNK, Slots

RANKS = st.integers(0, 3 * CHUNK + 5)


@st.composite
def pages(draw: st.DrawFn) -> range | list[int]:
    kind = draw(st.sampled_from(["ascending", "descending", "list"]))
    if kind == "list":
        return draw(st.lists(RANKS, max_size=12))
    start = draw(RANKS)
    stop = start + draw(st.integers(0, 2 * CHUNK + 3))
    return range(start, stop) if kind == "ascending" else range(stop - 1, start - 1, -1)


operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), RANKS),
        st.tuples(st.just("clear"), RANKS),
        st.tuples(st.just("pick"), pages()),
    ),
    max_size=40,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(operations)
def test_slots_answer_like_a_dict_of_ranks(ops: list[tuple[str, object]]) -> None:
    slots, model = Slots(), dict[int, bytes]()
    for op, arg in ops:
        if op == "put":
            assert isinstance(arg, int)
            frag = b"fragment %d" % arg
            slots.put(arg, frag)
            model[arg] = frag
        elif op == "clear":
            assert isinstance(arg, int)
            slots.clear(arg)
            model.pop(arg, None)
        else:
            assert isinstance(arg, range | list)
            assert slots.pick(arg) == [model.get(r) for r in arg]
    assert slots.kept() == model


def test_a_run_reads_each_chunk_it_spans_once_and_makes_none() -> None:
    slots = Slots()
    slots.put(CHUNK - 1, b"a")
    slots.put(CHUNK, b"b")
    assert slots.run(CHUNK - 2, CHUNK + 2) == [None, b"a", b"b", None]
    assert slots.run(5, 5) == []
    assert set(slots.chunks) == {0, 1}  # reading never makes a chunk
