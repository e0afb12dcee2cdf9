"""Live changes patch a store instead of rebuilding it (``ranked.py``, ``endindex.py``,
``Instant.carried``): each structure against a naive model, and a store after a random
sequence of joins, leaves and clock moves against one indexed from scratch with the same
sessions. Every older snapshot must still show what it showed when it was made.

Chunks, patches and the present-id overlay are made tiny here, so that splits and folds
happen within a few changes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain import endindex, live, ranked
from fake_meetings.domain.endindex import OPEN, EndIndex
from fake_meetings.domain.generate import seeded_uuid
from fake_meetings.domain.instant import Present
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.query import MeetingsQuery, list_meetings
from fake_meetings.domain.ranked import Ranked
from fake_meetings.domain.store import Store
from tests.domain.test_query_properties import model_ongoing, nows, session_pools

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def tiny() -> Iterator[None]:
    with (
        mock.patch.object(endindex, "CHUNK", 2),
        mock.patch.object(ranked, "FOLD_AT", 2),
        mock.patch.object(Present, "FOLD", 2),
    ):
        yield


ends_or_open = st.none() | st.integers(0, 20)


@SETTINGS
@given(st.lists(ends_or_open, max_size=12), st.lists(st.tuples(st.integers(0, 30), ends_or_open)))
def test_an_end_index_is_a_sorted_list_of_pairs(
    first: list[int | None], moves: list[tuple[int, int | None]]
) -> None:
    with tiny():
        model = {rank: end for rank, end in enumerate(first)}
        index = EndIndex((end, rank) for rank, end in model.items())
        history = []
        for pick, end in moves:
            history.append((index, sorted(model.items(), key=lambda p: (key(p[1]), p[0]))))
            if pick % 3 == 0 or not model:  # a session comes in
                rank = len(model)
                index = index.moved(rank, None, end, new=True)
            else:
                rank = sorted(model)[pick % len(model)]
                index = index.moved(rank, model[rank], end)
            model[rank] = end
        history.append((index, sorted(model.items(), key=lambda p: (key(p[1]), p[0]))))
    for index, pairs in history:  # every index made on the way still holds its own pairs
        keys = [key(e) for _, e in pairs]
        assert list(index) == keys and len(index) == len(keys)
        assert index.ranks(0, len(index)) == [r for r, _ in pairs]
        for i in range(len(keys)):
            assert index[i] == keys[i]
            assert index.ranks(i, i + 3) == [r for r, _ in pairs][i : i + 3]
        for now in range(-1, 22):
            assert index.ended(now) == sum(k <= now for k in keys)


def key(end: int | None) -> int:
    return OPEN if end is None else end


def session(sid: str, start: int, room: str = "a") -> Session:
    return Session.of(sid, room, start, [Participant(f"p-{sid}", None, None, start, None)])


@SETTINGS
@given(st.lists(st.integers(0, 9), max_size=10, unique=True), st.lists(st.integers(0, 40)))
def test_a_ranked_sequence_is_a_list(starts: list[int], changes: list[int]) -> None:
    with tiny():
        model = [session(f"s{i}", start) for i, start in enumerate(sorted(starts))]
        seq = Ranked(model, {s.id: r for r, s in enumerate(model)})
        history = []
        for n, c in enumerate(changes):
            history.append((seq, list(model)))
            if c % 2 or not model:
                new = session(f"n{n}", 10 + n)
                seq = seq.appended(new)
                model.append(new)
            else:
                r = c % len(model)
                new = replace(model[r], peak=model[r].peak + 1)
                seq = seq.replaced(r, new)
                model[r] = new
        history.append((seq, list(model)))
    for seq, sessions in history:
        assert list(seq) == sessions and len(seq) == len(sessions)
        assert list(reversed(seq)) == sessions[::-1]
        assert [seq[r] for r in range(len(sessions))] == sessions
        assert seq[1:4] == sessions[1:4] and seq[::2] == sessions[::2]
        some = [r for r in [3, 0, 1] if r < len(sessions)]
        assert seq.pick(some) == [sessions[r] for r in some]
        for run in (range(len(sessions)), range(1, 4), range(2, 2), range(3, 1)):
            if run.stop <= len(sessions):
                assert seq.pick(run) == [sessions[r] for r in run]
        assert list(seq.starts) == [s.start_time for s in sessions]
        for r, s in enumerate(sessions):
            assert seq.rank(s.id) == r and seq.start(r) == s.start_time
            assert seq.find(s.id) is s
        assert seq.find("nobody") is None and seq.rank("nobody") is None
        for t in range(-1, 12 + len(changes)):
            assert seq.started(t) == sum(s.start_time <= t for s in sessions)
            assert seq.started(t, at=False) == sum(s.start_time < t for s in sessions)


ops = st.lists(
    st.one_of(
        st.tuples(st.just("join"), st.sampled_from(["a", "b", "new"])),
        st.tuples(st.just("leave"), st.integers(0, 100)),
        st.tuples(st.just("clock"), st.integers(-20, 20)),
    ),
    max_size=25,
)


def first_live_ids(count: int) -> list[str]:
    rng = random.Random(0)
    return [seeded_uuid(rng) for _ in range(count)]


@st.composite
def pools(draw: st.DrawFn) -> list[Session]:
    """Sessions as in the query tests, where some participant ids may repeat, or be ids the
    live generator draws (data recorded from an earlier run)."""
    sessions = draw(session_pools())
    shared = [*first_live_ids(4), "dup"]
    out = []
    for s in sessions:
        stays = [
            replace(p, participant_id=draw(st.sampled_from(shared)))
            if draw(st.integers(0, 4)) == 0
            else p
            for p in s.participants
        ]
        if len({p.participant_id for p in stays}) == len(stays):
            s = Session.of(s.id, s.room, s.start_time, stays)
        out.append(s)
    return out


QUERIES = [
    MeetingsQuery(),
    MeetingsQuery(ongoing=True),
    MeetingsQuery(ongoing=False, limit=3),
    MeetingsQuery(room="a", ongoing=True),
    MeetingsQuery(room="b", ongoing=False),
]


def seen(store: Store, now: int) -> Any:
    """What a reader of ``store`` sees at ``now``."""
    instant = store.at(now)
    pages = [list_meetings(store, q, now) for q in QUERIES]
    return list(store.sessions), instant.key, instant.ongoing, pages


def naive_find(sessions: list[Session], pid: str, now: int) -> Session | None:
    ongoing = [s for s in sessions if s.start_time <= now and model_ongoing(s, now)]
    holding = [s for s in ongoing if any(p.participant_id == pid for p in s.participants)]
    return max(holding, key=lambda s: s.sort_key) if holding else None


@pytest.mark.slow
@SETTINGS
@given(pools(), nows, ops)
def test_live_changes_agree_with_a_store_built_from_scratch(
    sessions: list[Session], now: int, operations: list[tuple[str, Any]]
) -> None:
    with tiny():
        store = Store(sessions)
        rng = random.Random(0)
        snapshots = [(store, now, seen(store, now))]
        pids = [p.participant_id for s in sessions for p in s.participants] + ["nobody"]
        for op, arg in operations:
            store.at(now).present()  # built and carried, or not: both paths are taken
            if arg == "a":
                store.at(now).ongoing_in("a")
            fresh = Store(list(store.sessions))
            if op == "join":
                twin = random.Random()
                twin.setstate(rng.getstate())
                change = live.join(store, arg, now, rng)
                expected = live.join(fresh, arg, now, twin)
                assert (change.session, change.participant) == (
                    expected.session,
                    expected.participant,
                )
                store = change.store
                pids.append(change.participant.participant_id)
            elif op == "leave":
                pid = pids[arg % len(pids)]
                try:
                    store = live.leave(store, pid, now).store
                except (live.UnknownParticipant, live.NotPresent) as exc:
                    try:
                        live.leave(fresh, pid, now)
                    except type(exc) as same:
                        assert str(same) == str(exc)
                    else:
                        raise AssertionError(f"{exc!r} only on the patched store") from None
            else:
                now += arg
            check_against_scratch(store, now, pids)
            snapshots.append((store, now, seen(store, now)))
    for old, at, view in snapshots:  # every snapshot still shows what it showed
        assert seen(old, at) == view


def check_against_scratch(store: Store, now: int, pids: list[str]) -> None:
    fresh = Store(list(store.sessions))
    assert list(store.starts) == list(fresh.starts)
    assert list(store.ends) == list(fresh.ends)
    assert store.ends.ranks(0, len(store.ends)) == fresh.ends.ranks(0, len(fresh.ends))
    assert store.rooms == fresh.rooms and store.first_starts() == fresh.first_starts()
    for room in store.rooms:
        assert list(store.room_ranks(room)) == list(fresh.room_ranks(room))
        assert store.at(now).ongoing_in(room) == fresh.at(now).ongoing_in(room)
    for s in store.sessions:
        assert store.rank_of(s.id) == fresh.rank_of(s.id)
    for t in (now - 7, now, now + 5):
        assert store.at(t).key == fresh.at(t).key
        assert store.at(t).ongoing == fresh.at(t).ongoing
        for q in QUERIES:
            assert list_meetings(store, q, t) == list_meetings(fresh, q, t)
    assert store.crossed(now - 10, now + 10) == fresh.crossed(now - 10, now + 10)
    everyone = list(store.sessions)
    for pid in set(pids):
        found = live._find_ongoing(store, pid, now)
        assert (found and found[0]) == naive_find(everyone, pid, now)


def stay(pid: str, join: int, duration: int | None) -> Participant:
    return Participant(pid, None, None, join, duration)


def test_present_ids_are_carried_forward_with_the_clock() -> None:
    """Moving forward from an instant whose present ids are known, the ids of the sessions
    that start on the way are added to them (so a join or leave need not read every ongoing
    session); a stale rank (a session ended since) is checked, and a repeated id is found in
    the latest ongoing session that holds it."""
    past = [Session.of(f"old{i}", "a", i, [stay(f"o{i}", i, 1)]) for i in range(40)]
    future = [Session.of(f"new{i}", "b", 100 + i, [stay(f"n{i}", 100 + i, 1)]) for i in range(40)]
    drawn = first_live_ids(1)[0]
    spanning = [
        Session.of("long", "a", 50, [stay("dup", 50, None), stay(drawn, 50, None)]),
        Session.of("short", "a", 60, [stay("dup", 60, 20)]),  # ends at 80
    ]
    sessions = past + future + spanning
    store = Store(sessions)
    store.at(70).present()
    moved = store.at(101)
    assert moved._present is not None  # carried, not built again
    everyone = list(store.sessions)
    for pid in ["dup", drawn, "n0", "n1", "o3", "nobody"]:
        found = live._find_ongoing(store, pid, 101)
        assert (found and found[0]) == naive_find(everyone, pid, 101)
    change = live.join(store, "a", 101, random.Random(0))
    assert change.participant.participant_id != drawn  # held by an ongoing session: skipped
    assert change.session.id == "long"
