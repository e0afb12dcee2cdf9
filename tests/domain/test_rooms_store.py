"""The rooms snapshot (``domain/rooms.py``'s ``Rooms``) against a naive model (a dict of rooms,
sorted on every read): lookups, the visible count and every keyset page of ``list_rooms``
after any sequence of creates, updates, deletes and implied rooms; earlier snapshots unchanged;
and a change at 100,000 rooms shares all but a few nodes with the snapshot it came from."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.query import OLDEST, UnknownCursor
from fake_meetings.domain.rooms import Room, Rooms, RoomsQuery, implied_room, list_rooms

NAMES = [f"r{i}" for i in range(30)]


def room(name: str, created: int, n: int = 0) -> Room:
    return Room(f"id-{n % 7}-{name}", name, True, "public", created, {})


def naive_page(model: dict[str, Room], q: RoomsQuery, now: int) -> tuple[int, list[str]]:
    """GET /rooms by the contract's words: the visible rooms newest first, ties by id
    descending; a cursor names a room (visible or not) and pages strictly after or before it."""
    everything = sorted(model.values(), key=lambda r: (r.created_at, r.id), reverse=True)
    visible = [r for r in everything if r.created_at <= now]
    if q.starting_after is not None:
        cursor = next(r for r in everything if r.id == q.starting_after)
        after = [r for r in visible if (r.created_at, r.id) < (cursor.created_at, cursor.id)]
        return len(visible), [r.id for r in after[: q.limit]]
    if q.ending_before == OLDEST:
        return len(visible), [r.id for r in visible[-q.limit :]] if visible else []
    if q.ending_before is not None:
        cursor = next(r for r in everything if r.id == q.ending_before)
        before = [r for r in visible if (r.created_at, r.id) > (cursor.created_at, cursor.id)]
        return len(visible), [r.id for r in before[-q.limit :]] if before else []
    return len(visible), [r.id for r in visible[: q.limit]]


def check(rooms: Rooms, model: dict[str, Room], now: int) -> None:
    assert len(rooms) == len(model)
    assert list(rooms) == sorted(model.values(), key=lambda r: (r.created_at, r.id))
    for name in NAMES:
        assert rooms.get(name) == model.get(name)
        r = model.get(name)
        assert rooms.visible(name, now) == (r if r is not None and r.created_at <= now else None)
    assert rooms.visible_count(now) == sum(r.created_at <= now for r in model.values())
    queries = [RoomsQuery(limit=lim) for lim in (1, 3, 100)] + [
        RoomsQuery(limit=3, ending_before=OLDEST)
    ]
    cursors = list(model.values())
    for r in cursors[:: max(1, len(cursors) // 40)]:
        queries += [
            RoomsQuery(limit=2, starting_after=r.id),
            RoomsQuery(limit=2, ending_before=r.id),
        ]
    for q in queries:
        page = list_rooms(rooms, q, now)
        assert (page.total_count, [r.id for r in page.rooms]) == naive_page(model, q, now)
    with pytest.raises(UnknownCursor):
        list_rooms(rooms, RoomsQuery(starting_after="nobody"), now)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["create", "update", "delete", "implied", "many"]),
        st.sampled_from(NAMES),
        st.integers(0, 20),
    ),
    max_size=60,
)


@settings(max_examples=50, deadline=None)
@given(ops=OPS, now=st.integers(0, 20))
def test_against_a_naive_model(ops: list[tuple[str, str, int]], now: int) -> None:
    rooms, model = Rooms(), {}
    history: list[tuple[Rooms, dict[str, Room]]] = []
    for n, (op, name, t) in enumerate(ops):
        if op == "create" or (op == "update" and name not in model):
            new = room(name, t, n)
            rooms, model[name] = rooms.with_room(new), new
        elif op == "update":
            new = replace(model[name], privacy="private", config={"n": n})
            rooms, model[name] = rooms.with_room(new), new
        elif op == "delete":
            rooms = rooms.without(name)
            model.pop(name, None)
        elif op == "implied":
            rooms = rooms.implied_by({name: t})
            model.setdefault(name, implied_room(name, t))
        else:  # a load naming many rooms: the snapshot is built whole
            firsts: dict[str, Any] = {f"{name}-{i}": t for i in range(300)}
            rooms = rooms.implied_by(firsts)
            for other, first in firsts.items():
                model.setdefault(other, implied_room(other, first))
        history.append((rooms, dict(model)))
    check(rooms, model, now)
    for old, old_model in history[:: max(1, len(history) // 4)]:
        check(old, old_model, now)


def test_appending_rooms_refuses_a_name_twice() -> None:
    rooms = Rooms([room("a", 1)])
    assert [r.name for r in rooms.with_rooms([room("b", 2)])] == ["a", "b"]
    for many in (False, True):
        extra = [room(f"x{i}", i) for i in range(300 if many else 2)]
        with pytest.raises(ValueError, match="duplicate room name 'a'"):
            rooms.with_rooms([*extra, room("a", 5)])
    with pytest.raises(ValueError, match="duplicate"):
        Rooms([room("a", 1), room("a", 2)])


def nodes(tree: Any) -> set[int]:
    found, stack = set(), [tree._root]
    while stack:
        node = stack.pop()
        found.add(id(node))
        stack.extend(getattr(node, "children", ()))
    return found


def test_a_change_at_100_000_rooms_copies_a_few_nodes() -> None:
    rooms = Rooms(room(f"room-{i}", i) for i in range(100_000))
    trees = ("_by_name", "_by_id", "_ordered")
    before = {t: nodes(getattr(rooms, t)) for t in trees}
    created = rooms.with_room(room("new", 50_000, 3))
    updated = created.with_room(replace(created.get("room-7") or room("x", 0), privacy="private"))
    deleted = updated.without("room-99")
    for after in (created, updated, deleted):
        for t in trees:
            copied = nodes(getattr(after, t)) - before[t]
            assert len(copied) <= 3 * 4, (t, len(copied))  # a path per change, of <= 4 nodes
            assert len(before[t]) > 2_000
    assert len(rooms) == 100_000 and rooms.get("new") is None  # the old snapshot as it was
    assert len(deleted) == 100_000 and deleted.get("room-99") is None
    assert deleted.get("room-7") is not None and deleted.get("room-7").privacy == "private"  # type: ignore[union-attr]
