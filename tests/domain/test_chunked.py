"""The sequences and maps a ranked list is made of (domain/chunked.py, domain/sharded.py) against
plain models, with chunks and shards small enough that random inserts and removals chunk, split,
empty and spread them again: a sorted list (every position, slice, start count and search) and a
dict (every lookup and entry); nothing a snapshot held before a change is changed by it."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain import chunked, sharded
from fake_meetings.domain.sharded import Sharded


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    start_ts: int


OPS = st.lists(st.tuples(st.booleans(), st.integers(0, 30), st.integers(0, 200)), max_size=80)


@pytest.mark.parametrize("chunk", [1, 2, 5])
@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(ops=OPS, probes=st.lists(st.integers(-2, 32), max_size=4))
def test_a_sequence_changed_one_object_at_a_time_is_the_sorted_list(
    chunk: int, ops: list[tuple[bool, int, int]], probes: list[int]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunked, "CHUNK", chunk)
        seq: chunked.Sorted[Item] = ()
        model: list[Item] = []
        history: list[tuple[chunked.Sorted[Item], list[Item]]] = []
        for made, (remove, start, pick) in enumerate(ops):
            if remove and model:
                gone = model.pop(pick % len(model))
                seq = chunked.removed(seq, gone)
            elif remove:
                continue
            else:
                item = Item(f"i{made:03d}", start)
                model = sorted([*model, item], key=lambda i: (i.start_ts, i.id))
                seq = chunked.inserted(seq, item)
            if model and pick % 3 == 0:  # a replacement: the same place, another object
                was = model[pick % len(model)]
                model[pick % len(model)] = again = Item(was.id, was.start_ts)
                seq = chunked.replaced(seq, again)
                assert seq[pick % len(model)] is again
            history.append((seq, list(model)))
            _same(seq, model, probes)
        for held, then in history:  # every older sequence still holds its own objects
            assert list(held) == then


def _same(seq: chunked.Sorted[Item], model: list[Item], probes: list[int]) -> None:
    n = len(model)
    assert len(seq) == n and list(seq) == model and list(reversed(seq)) == model[::-1]
    assert [seq[i] for i in range(-n, n)] == model + model
    for bad in (n, -n - 1):
        with pytest.raises(IndexError):
            seq[bad]
    keys = [(i.start_ts, i.id) for i in model]
    for p in probes:
        assert list(seq[p : p + 7]) == model[p : p + 7]
        assert list(seq[p::3]) == model[p::3]
        lo, hi = sorted((max(0, min(n, p)), max(0, min(n, p + 5))))
        assert chunked.window(seq, lo, hi) == model[lo:hi]
        assert list(chunked.iter_from(seq, max(0, p))) == model[max(0, p) :]
        assert chunked.started(seq, p) == sum(i.start_ts <= p for i in model)
        assert chunked.started(seq, p, at=False) == sum(i.start_ts < p for i in model)
        for key in ((p, ""), (p, "i050"), (p, "z")):
            assert chunked.position(seq, key) == bisect_left(keys, key)
        spliced = chunked.Spliced(seq, lo, model[hi:])
        assert list(spliced) == model[:lo] + model[hi:]
        assert list(spliced[: max(0, p)]) == (model[:lo] + model[hi:])[: max(0, p)]


@pytest.mark.parametrize("shard", [1, 2, 256])
@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(
    start=st.dictionaries(st.text(max_size=3), st.integers(), max_size=20),
    ops=st.lists(st.tuples(st.booleans(), st.text(max_size=3), st.integers()), max_size=60),
)
def test_a_map_changed_one_entry_at_a_time_is_the_dict(
    shard: int, start: dict[str, int], ops: list[tuple[bool, str, int]]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sharded, "SHARD", shard)
        held = Sharded(start)
        model = dict(start)
        history = [(held, dict(model))]
        for remove, key, value in ops:
            if remove:
                held = held.without(key)
                model.pop(key, None)
            else:
                held = held.set(key, value)
                model[key] = value
            history.append((held, dict(model)))
            assert dict(held) == model and len(held) == len(model)
            for probe in (key, "absent-key"):
                assert (probe in held) == (probe in model)
                assert held.get(probe) == model.get(probe)
                assert held.get(probe, -1) == model.get(probe, -1)
        for then_held, then in history:  # every older map still holds its own entries
            assert dict(then_held) == then
