"""The persistent sorted map (``domain/sortedmap.py``) against a naive model (a dict, sorted on
every read), with nodes a few entries wide so that a few dozen keys split, grow and empty
nodes at every level; and that a change leaves the map it came from as it was, and copies a
path, not the map."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain import sortedmap
from fake_meetings.domain.sortedmap import SortedMap


@contextmanager
def narrow(width: int) -> Iterator[None]:
    saved = sortedmap.WIDTH, sortedmap._FILL
    sortedmap.WIDTH, sortedmap._FILL = width, max(2, width - 1)
    try:
        yield
    finally:
        sortedmap.WIDTH, sortedmap._FILL = saved


def check(m: SortedMap[int, str], model: dict[int, str]) -> None:
    keys = sorted(model)
    assert len(m) == len(keys)
    assert list(m.keys()) == keys
    assert list(m.values()) == [model[k] for k in keys]
    for r, k in enumerate(keys):
        assert m.item_at(r) == (k, model[k])
        assert m.rank(k) == r and m.get(k) == model[k] and k in m
    for probe in range(-2, 62):
        assert m.count_below(probe) == bisect_left(keys, probe)
        assert m.count_below(probe, inclusive=True) == bisect_right(keys, probe)
        if probe not in model:
            assert m.get(probe) is None and m.rank(probe) is None and probe not in m
    for start in range(-1, len(keys) + 2, 3):
        for stop in range(start, len(keys) + 3, 4):
            expected = [model[k] for k in keys[max(0, start) : max(0, stop)]]
            assert m.values_between(start, stop) == expected
    for bad in (-1, len(keys)):
        with pytest.raises(IndexError):
            m.item_at(bad)


OPS = st.lists(
    st.tuples(st.sampled_from(["set", "remove"]), st.integers(0, 60), st.text(max_size=2)),
    max_size=150,
)


@settings(max_examples=150, deadline=None)
@given(
    initial=st.dictionaries(st.integers(0, 60), st.text(max_size=2)),
    ops=OPS,
    width=st.sampled_from([2, 3, 4, 8]),
)
def test_against_a_dict(
    initial: dict[int, str], ops: list[tuple[str, int, str]], width: int
) -> None:
    with narrow(width):
        m = SortedMap(initial.items())
        model = dict(initial)
        history = [(m, dict(model))]
        check(m, model)
        for op, key, value in ops:
            if op == "set":
                m = m.set(key, value)
                model[key] = value
            elif key in model:
                m = m.remove(key)
                del model[key]
            else:
                with pytest.raises(KeyError):
                    m.remove(key)
            history.append((m, dict(model)))
        check(m, model)
        for old, old_model in history[:: max(1, len(history) // 5)]:
            check(old, old_model)  # every earlier map is as it was


def test_a_change_copies_a_path_not_the_map() -> None:
    m = SortedMap((i, str(i)) for i in range(100_000))
    changed = m.set(50_000, "x").set(100_001, "y").remove(3)

    def nodes(node: object) -> set[int]:
        out = {id(node)}
        for child in getattr(node, "children", ()):
            out |= nodes(child)
        return out

    before, after = nodes(m._root), nodes(changed._root)
    assert len(after - before) <= 3 * 4  # three paths of at most four nodes were copied
    assert len(before) > 2_000  # out of thousands
    assert m.get(50_000) == "50000" and m.get(3) == "3" and len(m) == 100_000
    assert changed.get(50_000) == "x" and changed.get(3) is None and len(changed) == 100_000


def test_empty_and_duplicates() -> None:
    empty: SortedMap[int, str] = SortedMap()
    assert len(empty) == 0 and empty.get(1) is None and empty.rank(1) is None
    assert empty.count_below(5) == 0 and empty.values_between(0, 5) == []
    with pytest.raises(KeyError):
        empty.remove(1)
    one = empty.set(1, "a")
    assert list(one.keys()) == [1] and len(one.remove(1)) == 0
    assert list(SortedMap([(2, "a"), (1, "b"), (2, "c")]).values()) == ["b", "c"]
