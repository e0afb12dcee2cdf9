"""The render cache gives byte-for-byte the output of the uncached reference renderer.

``fake_meetings.api.daily.render`` is the reference: it builds dicts and serializes them with
orjson on every call. ``fake_meetings.api.daily.render_cache`` reuses bytes. Every test here
renders the same thing both ways and compares bytes: for arbitrary sessions (odd strings,
ongoing sessions, people still present, stays that start or end in the future), at a sequence of
clock instants forward and back, with budgets so small that entries are evicted all the time,
and across store snapshots. No timing is asserted anywhere.
"""

from __future__ import annotations

import gc
import threading
import weakref

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.api.daily import render
from fake_meetings.api.daily.render_cache import (
    BODIES,
    FULL_FRAGMENTS,
    HEAD_FRAGMENTS,
    Body,
    Bounded,
    RenderCache,
    cache_of,
)
from fake_meetings.domain import timeline
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.query import (
    OLDEST,
    MeetingsQuery,
    ParticipantsQuery,
    list_meetings,
    list_participants,
)
from fake_meetings.domain.store import Store

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
T = 1_700_000_000

# strings that would break a careless byte splicer: quotes, backslashes, the key names, commas,
# non-ASCII, control characters
tricky = st.sampled_from(
    ['","participants":[', '\\"', "Zoë ☕", "a,b", "}", "participants", "\x00\n", "é" * 40]
)
texts = st.one_of(st.text(max_size=12), tricky)


@st.composite
def participants(draw: st.DrawFn) -> Participant:
    return Participant(
        participant_id=draw(st.text(min_size=1, max_size=8)),
        user_id=draw(st.none() | texts),
        user_name=draw(st.none() | texts),
        join_time=draw(st.integers(T - 5_000, T + 5_000)),
        duration=draw(st.none() | st.integers(0, 10_000)),
    )


@st.composite
def sessions(draw: st.DrawFn, sid: str) -> Session:
    # any stays, open or closed, in the past or the future; the start may even follow the end
    people = draw(st.lists(participants(), min_size=1, max_size=6))
    return Session.of(
        sid,
        draw(st.sampled_from(["alpha", "beta"]) | texts),
        draw(st.integers(T - 10_000, T + 3_000)),
        people,
    )


@st.composite
def stores(draw: st.DrawFn, min_size: int = 0) -> list[Session]:
    ids = draw(
        st.lists(st.text(min_size=1, max_size=6), min_size=min_size, max_size=25, unique=True)
    )
    return [draw(sessions(sid)) for sid in ids]


instants = st.lists(
    st.integers(T - 10_001, T + 20_000) | st.sampled_from([T - 5_000, T, T + 5_000, T + 10**6]),
    min_size=1,
    max_size=6,
)
budgets = st.sampled_from([0, 300, 3_000, 10**9])


@st.composite
def queries(draw: st.DrawFn, pool: list[Session]) -> MeetingsQuery:
    cursor: dict[str, str] = {}
    kind = draw(st.sampled_from(["none", "after", "before", "oldest"]))
    if kind == "oldest":
        cursor["ending_before"] = OLDEST
    elif kind != "none" and pool:
        name = "starting_after" if kind == "after" else "ending_before"
        cursor[name] = draw(st.sampled_from(pool)).id
    return MeetingsQuery(
        room=draw(st.none() | st.sampled_from(["alpha", "beta", "nobody"])),
        timeframe_start=draw(st.none() | st.integers(T - 10_001, T + 1)),
        timeframe_end=draw(st.none() | st.integers(T - 10_001, T + 1)),
        ongoing=draw(st.none() | st.booleans()),
        limit=draw(st.integers(1, 30)),
        **cursor,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- pages


@pytest.mark.slow
@SETTINGS
@given(stores(), st.data(), instants, budgets, budgets)
def test_pages_equal_the_reference_at_every_instant(
    pool: list[Session],
    data: st.DataObject,
    nows: list[int],
    fragment_budget: int,
    body_budget: int,
) -> None:
    store = Store(pool)
    cache = RenderCache(fragment_budget, body_budget)
    for _ in range(4):  # several queries share the cache, so later ones meet cached fragments
        q = data.draw(queries(pool))
        participants = data.draw(st.booleans(), label="participants")
        for now in [*nows, *reversed(nows)]:  # forward, back, and the same instant twice
            page = list_meetings(store, q, now)
            expected = render.meetings_page(
                page.total_count, page.sessions, now, participants=participants
            )
            key = ("list", repr(q), participants, store.at(now).key)  # as the route keys it
            body = cache.body(key, now)
            if body is None:
                if data.draw(st.booleans(), label="by rank, as the route assembles it"):
                    entry = cache.listed(page, now, participants=participants)
                else:
                    entry = cache.meetings_page(
                        page.total_count, page.sessions, now, participants=participants
                    )
                body = cache.keep(key, entry, now)
            assert body == expected
            assert_slots_mirror_the_maps(cache)
        assert cache.full.size <= cache.full.budget
        assert cache.head.size <= cache.head.budget
        assert cache.bodies.size <= cache.bodies.budget


def assert_slots_mirror_the_maps(cache: RenderCache) -> None:
    """A fragment found by rank is one the byte-budgeted map holds under (token, rank), and the
    other way round: the slots never hold bytes the budget does not count."""
    for slots, kept in ((cache.full_slots, cache.full), (cache.head_slots, cache.head)):
        ours = [(k[1], v) for k, v in kept.data.items() if k[0] == cache.token]
        by_rank = {rank: v for rank, v in ours if isinstance(rank, int)}
        held = slots.kept()
        assert held.keys() == by_rank.keys()
        assert all(held[r] is by_rank[r] for r in held)


@pytest.mark.parametrize("fragment_budget", [0, 1_000, 3_000, 20_000])
def test_pages_by_rank_keep_the_slots_to_what_the_budget_holds(fragment_budget: int) -> None:
    """Paging through settled sessions with a budget that holds a few fragments at a time: each
    page is the reference's bytes, and a fragment the map evicts leaves its slot too."""
    people = [Participant("p", "u", "Ann", T, 60), Participant("q", None, "Bo", T + 5, 30)]
    pool = [Session.of(f"s{i:03}", "r", T + i, people) for i in range(300)]
    store, now = Store(pool), T + 10_000
    cache = RenderCache(fragment_budget, 0)
    cursors = [None, "s299", "s150", "s020", "s299", "s001", "s150"]
    for participants in (True, False):
        for cursor in cursors:
            page = list_meetings(store, MeetingsQuery(limit=40, starting_after=cursor), now)
            assert page.settled
            body = cache.listed(page, now, participants=participants).at(now)
            assert body == render.meetings_page(
                page.total_count, page.sessions, now, participants=participants
            )
            assert_slots_mirror_the_maps(cache)
    assert cache.full.size <= cache.full.budget and cache.head.size <= cache.head.budget


@pytest.mark.slow
@SETTINGS
@given(stores(min_size=1), instants, budgets)
def test_single_session_bodies_equal_the_reference(
    pool: list[Session], nows: list[int], budget: int
) -> None:
    cache = RenderCache(budget, budget)
    for now in [*nows, *reversed(nows)]:
        for s in pool:
            key = ("session", s.id, timeline.settled(s, now))  # as the route keys it
            body = cache.body(key, now)
            if body is None:
                body = cache.keep(key, cache.session(s, now), now)
            assert body == orjson.dumps(render.session_dict(s, now))


@pytest.mark.slow
@SETTINGS
@given(stores(min_size=1), instants, st.integers(1, 4), budgets)
def test_participant_pages_equal_the_reference(
    pool: list[Session], nows: list[int], limit: int, budget: int
) -> None:
    cache = RenderCache(budget, budget)
    for now in [*nows, *reversed(nows)]:
        for s in pool:
            unique = {p.participant_id: p for p in s.participants}  # cursors need unique ids
            s_ok = Session.of(s.id, s.room, s.start_time, unique.values())
            cursors = [None, *(p.participant_id for p in timeline.participants(s_ok, now))]
            for after in cursors:
                q = ParticipantsQuery(limit, joined_after=after)
                records = list_participants(s_ok, q, now)
                if not records:
                    continue
                # as the route does: kept only once the session has settled
                key = ("participants", s.id, after, limit)
                settled = timeline.settled(s_ok, now)
                body = cache.body(key, now) if settled else None
                if body is None:
                    page = cache.participants_page(s_ok, records, now)
                    body = cache.keep(key, page, now) if settled else page.at(now)
                assert body == render.participants_page(records, now)


@pytest.mark.slow
@SETTINGS
@given(stores(min_size=1), instants)
def test_fragments_are_the_sessions_json_and_only_of_settled_sessions(
    pool: list[Session], nows: list[int]
) -> None:
    cache = RenderCache()
    for now in nows:
        for s in pool:
            for participants in (True, False):
                frag = cache.fragment(s, now, participants=participants)
                if not timeline.settled(s, now):
                    assert frag is None
                    continue
                assert frag == orjson.dumps(render.session_dict(s, now, participants=participants))
                # the same at any later instant: nothing in it depends on the clock any more
                assert frag == orjson.dumps(
                    render.session_dict(s, now + 12345, participants=participants)
                )


def test_settled_is_exactly_having_ended() -> None:
    ended = Participant("p", None, None, T, 60)
    present = Participant("q", None, None, T, None)
    done = Session.of("a", "r", T, [ended])
    assert not timeline.settled(done, T + 59) and timeline.settled(done, T + 60)
    assert not timeline.settled(Session.of("b", "r", T, [present]), T + 10**6)
    assert not timeline.settled(Session.of("d", "r", T, [ended, present]), T + 10**6)


def test_an_ongoing_page_follows_the_clock_and_reuses_the_body_of_one_instant() -> None:
    present = Participant("p", "u", "Ann", T - 100, None)
    live = Session.of("live", "r", T - 100, [present])
    done = Session.of("done", "r", T - 5_000, [Participant("q", None, None, T - 5_000, 60)])
    cache = RenderCache()
    entry = cache.meetings_page(2, [live, done], T, participants=True)
    first = entry.at(T)
    assert first == render.meetings_page(2, [live, done], T, participants=True)
    assert entry.at(T) is first  # the same instant: the same bytes object
    later = entry.at(T + 60)
    assert later != first
    assert later == render.meetings_page(2, [live, done], T + 60, participants=True)
    assert b'"duration":160' in later  # now - start, for the session and for Ann
    assert entry.at(T) == first  # the clock set back: rendered again, same bytes


# --------------------------------------------------------------------------- the bounded map


def test_bounded_keeps_within_its_budget_dropping_the_oldest_first() -> None:
    b: Bounded[str, bytes] = Bounded(100, lambda k, v: len(v))
    b.put("a", b"x" * 40)
    b.put("b", b"x" * 40)
    b.put("c", b"x" * 40)  # over budget: "a" goes
    assert list(b.data) == ["b", "c"] and b.size == 80
    b.put("b", b"x" * 10)  # replacing an entry accounts for the old value
    assert b.size == 50 and list(b.data) == ["c", "b"]
    b.put("huge", b"x" * 101)  # more than the whole budget: not kept, nothing evicted
    assert "huge" not in b.data and b.size == 50
    assert b.get("c") == b"x" * 40 and b.get("a") is None


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 60),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 70)), max_size=40),
)
def test_bounded_is_a_fifo_within_its_budget(budget: int, puts: list[tuple[int, int]]) -> None:
    """Against a list of (key, size), oldest first: a put removes the key's old entry, drops the
    oldest entries until the new one fits, then adds it last; a value over the whole budget is
    neither kept nor makes room."""
    evicted: list[tuple[int, int]] = []
    b: Bounded[int, bytes] = Bounded(
        budget, lambda k, v: len(v), lambda k, v: evicted.append((k, len(v)))
    )
    model: list[tuple[int, int]] = []
    for key, size in puts:
        evicted.clear()
        kept = b.put(key, b"x" * size)
        dropped = []
        if size <= budget:
            model = [(k, n) for k, n in model if k != key]  # replaced: not an eviction
            while model and sum(n for _, n in model) + size > budget:
                dropped.append(model.pop(0))
            model.append((key, size))
        assert kept == (size <= budget)
        assert evicted == dropped  # told of each entry evicted, oldest first
        assert [(k, len(v)) for k, v in b.data.items()] == model
        assert b.size == sum(n for _, n in model) <= budget


def test_bounded_stays_consistent_under_concurrent_writers() -> None:
    b: Bounded[int, bytes] = Bounded(5_000, lambda k, v: len(v))

    def write(offset: int) -> None:
        for i in range(3_000):
            b.put(offset + i % 500, b"x" * (1 + i % 97))

    threads = [threading.Thread(target=write, args=(n * 1000,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert b.size == sum(len(v) for v in b.data.values())
    assert b.size <= b.budget


def test_a_body_without_holes_is_fixed() -> None:
    body = Body((b"abc",))
    assert body.at(1) is body.at(2) == b"abc"


# --------------------------------------------------------------------------- per snapshot


def test_each_snapshot_has_its_own_cache_which_dies_with_it() -> None:
    s = Session.of("a", "r", T, [Participant("p", None, None, T, 60)])
    old, new = Store([s]), Store([s])
    assert cache_of(old) is cache_of(old)
    assert cache_of(old) is not cache_of(new)
    gone = weakref.ref(cache_of(old))
    del old
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize("participants", [True, False])
def test_a_page_rendered_for_one_snapshot_is_not_reused_for_the_next(participants: bool) -> None:
    def session(duration: int) -> Session:
        return Session.of("a", "r", T, [Participant("p", None, None, T, duration)])

    now = T + 100
    before, after = Store([session(60)]), Store([session(90)])
    key = ("list", "", participants)
    for store in (before, after):
        page = list_meetings(store, MeetingsQuery(), now)
        cache = cache_of(store)
        entry = cache.meetings_page(page.total_count, page.sessions, now, participants=participants)
        body = cache.body(key, now) or cache.keep(key, entry, now)
        assert body == render.meetings_page(
            page.total_count, page.sessions, now, participants=participants
        )
    assert b'"duration":90' in (cache_of(after).body(key, now) or b"")


def test_the_entries_of_a_dropped_snapshot_leave_the_shared_maps() -> None:
    s = Session.of("a", "r", T, [Participant("p", None, None, T, 60)])
    store = Store([s])
    cache = cache_of(store)
    token = cache.token
    assert cache.full is FULL_FRAGMENTS and cache.bodies is BODIES  # the process-wide maps
    now = T + 100
    page = list_meetings(store, MeetingsQuery(), now)
    for participants in (True, False):
        key = ("list", participants)
        entry = cache.meetings_page(1, page.sessions, now, participants=participants)
        cache.keep(key, entry, now)
    assert any(k[0] == token for k in FULL_FRAGMENTS.data)
    assert any(k[0] == token for k in HEAD_FRAGMENTS.data)
    assert any(k[0] == token for k in BODIES.data)
    del store, cache
    gc.collect()
    for shared in (FULL_FRAGMENTS, HEAD_FRAGMENTS, BODIES):
        assert not any(k[0] == token for k in shared.data)
        assert shared.size == sum(shared._cost(k, v) for k, v in shared.data.items())


def test_snapshots_with_the_same_ids_never_share_entries() -> None:
    def store(duration: int) -> Store:
        p = Participant("p", None, None, T, duration)
        return Store([Session.of("same-id", "r", T, [p])])

    stores = [store(d) for d in (60, 90, 120)]
    for st_, d in zip(stores, (60, 90, 120), strict=True):
        frag = cache_of(st_).fragment(st_.sessions[0], T + 1000, participants=True)
        assert frag is not None and b'"duration":%d' % d in frag


def test_live_bodies_count_their_assembled_bytes_against_the_budget() -> None:
    """A page of ongoing sessions is mostly holes: what it really keeps is the assembled body."""
    people = tuple(Participant(f"p{i}", f"u{i}", "Ann", T - 100, None) for i in range(20))
    live = [Session.of(f"s{i}", "r", T - 100, people) for i in range(10)]
    cache = RenderCache(fragment_budget=10**6, body_budget=60_000)
    for i in range(50):  # fifty different keys for pages of ten live sessions
        now = T + i
        entry = cache.meetings_page(10, live, now, participants=True)
        body = cache.keep(("page", i), entry, now)
        assert body == render.meetings_page(10, live, now, participants=True)
    kept = sum(
        sum(map(len, entry.parts)) + (len(entry.last[1]) if entry.last else 0)
        for entry in cache.bodies.data.values()
    )
    assert 0 < kept <= cache.bodies.budget
    assert cache.bodies.size <= cache.bodies.budget
