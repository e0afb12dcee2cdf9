"""The ranked snapshot that recordings and transcripts share (domain/ranklist.py) against a plain
model, a dict of objects sorted when asked: random starts, deletes and replacements one at a
time (the untouched key values' sequences shared) and whole joins, each followed by pages of
every kind (a key's value or all, at random instants and cursors, either mode of an unknown
cursor), lookups by id and by rank, new ids and the family's own count. Each runs with the
chunks and shards of the real sizes and with tiny ones (``chunked.CHUNK``, ``sharded.SHARD``),
so sequences are chunked, split, emptied and made tuples again, and maps spread again, within
a few changes."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain import chunked, sharded
from fake_meetings.domain.ids import seeded_uuid
from fake_meetings.domain.query import OLDEST, UnknownCursor
from fake_meetings.domain.ranklist import EARLIEST, LATEST, Keys, RankList
from tests.helpers.models import keyset_page


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    start_ts: int
    room: str
    session: str


@dataclass(frozen=True, slots=True)
class Asked:
    """A keyset query: what ``RankList.page`` reads of one."""

    limit: int
    starting_after: str | None
    ending_before: str | None


class Items(RankList[Item]):
    """A family of two keys, counting the objects of room "a" (a count of its own)."""

    __slots__ = ("in_a",)
    KEYS: ClassVar[Keys] = {"room": attrgetter("room"), "session": attrgetter("session")}
    WHAT = "item"

    def _derive(self) -> None:
        self.in_a = sum(i.room == "a" for i in self.ordered)

    def _moved(self, was: Items, gone: Item | None, came: Item | None) -> None:
        self.in_a = was.in_a - (gone is not None and gone.room == "a")
        self.in_a += came is not None and came.room == "a"


def _key(i: Item) -> tuple[int, str]:
    return (i.start_ts, i.id)


def check(snapshot: Items, model: dict[str, Item]) -> None:
    """Every index of ``snapshot`` is the model's, sorted plainly, and a rebuild's."""
    ordered = sorted(model.values(), key=_key)
    assert list(snapshot.ordered) == ordered and len(snapshot) == len(ordered)
    assert list(reversed(snapshot.ordered)) == ordered[::-1]
    assert [snapshot.ordered[r] for r in range(len(ordered))] == ordered
    assert list(snapshot.ordered[1:-1]) == ordered[1:-1]
    assert dict(snapshot.rank) == {i.id: r for r, i in enumerate(ordered)}
    assert all(i.id in snapshot.rank for i in ordered) and "nobody" not in snapshot.rank
    for name in ("room", "session"):
        want: dict[str, list[Item]] = {}
        for i in ordered:
            want.setdefault(getattr(i, name), []).append(i)
        assert {value: list(of) for value, of in snapshot.by[name].items()} == want
        for value in ("a", "b", "c", "s1", "s2"):
            assert list(snapshot.of(name, value)) == want.get(value, [])
            assert snapshot.having(name, value) == want.get(value, [])
    assert snapshot.in_a == sum(i.room == "a" for i in ordered)
    rebuilt = Items(model.values())
    assert dict(rebuilt.rank) == dict(snapshot.rank)
    for name in ("room", "session"):
        assert {v: list(of) for v, of in rebuilt.by[name].items()} == {
            v: list(of) for v, of in snapshot.by[name].items()
        }


def shared_but(after: Items, before: Items, *changed: Item) -> None:
    """Every key value's sequence that no object of ``changed`` has is ``before``'s own."""
    for name, key in Items.KEYS.items():
        touched = {key(i) for i in changed}
        for value, of in before.by[name].items():
            assert value in touched or after.by[name][value] is of


ITEM = st.tuples(st.integers(0, 20), st.sampled_from("abc"), st.sampled_from(["s1", "s2"]))
OPS = st.lists(
    st.tuples(
        st.sampled_from(["join", "join-many", "delete", "delete-absent", "stop", "move"]),
        st.integers(0, 60),  # which object, or the offset of a start
        ITEM,
        st.lists(ITEM, max_size=3),
    ),
    max_size=40,
)
PAGES = st.lists(
    st.tuples(
        st.integers(-1, 22),  # now
        st.sampled_from([None, "a", "b", "s1", "nowhere"]),  # a room, a session or all
        st.integers(1, 4),  # limit
        st.sampled_from(["none", "after", "before", "oldest", "unknown"]),
        st.integers(0, 60),  # which object is the cursor
    ),
    max_size=4,
)


# (objects a chunk, entries a shard): the real sizes, and tiny ones that chunk and spread
# within a few changes
SIZES = [(chunked.CHUNK, sharded.SHARD), (1, 1), (2, 3)]


@pytest.mark.parametrize(("chunk", "shard"), SIZES)
@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(ops=OPS, pages=PAGES)
def test_changes_pages_and_lookups_match_a_sorted_model(
    chunk: int,
    shard: int,
    ops: list[tuple[str, int, tuple[int, str, str], list[tuple[int, str, str]]]],
    pages: list[tuple[int, str | None, int, str, int]],
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunked, "CHUNK", chunk)
        patch.setattr(sharded, "SHARD", shard)
        _changes(ops, pages)


def _changes(
    ops: list[tuple[str, int, tuple[int, str, str], list[tuple[int, str, str]]]],
    pages: list[tuple[int, str | None, int, str, int]],
) -> None:
    snapshot, made = Items(), 0
    model: dict[str, Item] = {}
    for op, n, (start, room, session), more in ops:
        ids = sorted(model)
        before = snapshot
        if op == "join":
            item = Item(f"i{made:03d}", start, room, session)
            made += 1
            snapshot, model[item.id] = snapshot.joined([item]), item
            shared_but(snapshot, before, item)
        elif op == "join-many":
            added = [Item(f"i{made + k:03d}", *x) for k, x in enumerate(more)]
            made += len(added)
            snapshot = snapshot.joined(added)
            model.update((i.id, i) for i in added)
        elif op == "delete" and ids:
            gone = ids[n % len(ids)]
            snapshot = snapshot.without(gone)
            shared_but(snapshot, before, model.pop(gone))
        elif op == "delete-absent":
            assert snapshot.without("nobody") is snapshot
        elif op in ("stop", "move") and ids:
            was = model[ids[n % len(ids)]]
            # a stop keeps the start and keys (in place); a move changes them (a rebuild)
            if op == "stop":
                snapshot = snapshot.replaced(replace(was))
                shared_but(snapshot, before, was)
                model[was.id] = snapshot.ordered[snapshot.rank[was.id]]
            else:
                moved = replace(was, start_ts=start, room=room)
                snapshot, model[was.id] = snapshot.replaced(moved), moved
        check(snapshot, model)
        for at, value, limit, kind, pick in pages:
            _page(snapshot, model, at, value, limit, kind, pick)


def _page(
    snapshot: Items,
    model: dict[str, Item],
    now: int,
    value: str | None,
    limit: int,
    kind: str,
    pick: int,
) -> None:
    key = "session" if value is not None and value.startswith("s") else "room"
    kept = [i for i in model.values() if i.start_ts <= now and value in (None, getattr(i, key))]
    newest_first = [i.id for i in sorted(kept, key=_key, reverse=True)]
    every = sorted(model)
    after = before = None
    if kind == "after" and every:
        after = every[pick % len(every)]
    elif kind == "before" and every:
        before = every[pick % len(every)]
    elif kind == "oldest":
        before = OLDEST
    elif kind == "unknown":
        after = "nobody"
    q = Asked(limit, after, before)
    index = snapshot.of(key, value)
    hi = snapshot.visible_in(index, now)
    assert hi == len(kept)
    assert snapshot.visible_count(now) == sum(i.start_ts <= now for i in model.values())
    # the instants that see what ``now`` sees: from the latest start up to the next one
    starts = [i.start_ts for i in model.values()]
    lo, hi_span = snapshot.visible_span(now)
    assert lo == max((s for s in starts if s <= now), default=EARLIEST)
    assert hi_span == min((s for s in starts if s > now), default=LATEST)
    if after == "nobody":
        with pytest.raises(UnknownCursor):
            snapshot.page(index, hi, q, "error")
        assert snapshot.page(index, hi, q, "empty") == []
        return
    keys = {i.id: _key(i) for i in model.values()}
    want = keyset_page(newest_first, limit, after, before, keys)
    assert [i.id for i in snapshot.page(index, hi, q, "error")] == want
    for i in model.values():
        assert snapshot.visible(i.id, now) == (i if i.start_ts <= now else None)
    assert snapshot.visible("nobody", now) is None


def test_an_id_twice_is_refused_by_name() -> None:
    one = Item("x", 1, "a", "s1")
    with pytest.raises(ValueError, match="duplicate item id 'x'"):
        Items([one, replace(one, start_ts=2)])
    with pytest.raises(ValueError, match="duplicate item id 'x'"):
        Items([one]).joined([replace(one, start_ts=0)])
    with pytest.raises(ValueError, match="duplicate item id 'x'"):
        Items([one]).joined([one, Item("y", 1, "a", "s1")])


def test_a_new_id_is_the_next_seeded_one_that_no_object_has() -> None:
    rng = random.Random(7)
    first, second = seeded_uuid(rng), seeded_uuid(rng)
    assert Items().new_id(random.Random(7)) == first
    assert Items([Item(first, 1, "a", "s1")]).new_id(random.Random(7)) == second
