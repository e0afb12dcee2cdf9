"""The render cache gives byte-for-byte the output of the uncached reference renderer.

``fake_meetings.api.render`` is the reference: it builds dicts and serializes them with orjson
on every call. ``fake_meetings.api.render_cache`` reuses bytes. Every test here renders the same
thing both ways and compares bytes: for arbitrary sessions (odd strings, ongoing sessions,
people still present), at a sequence of clock instants, with budgets so small that entries are
evicted all the time, and across store snapshots. No timing is asserted anywhere.
"""

from __future__ import annotations

import gc
import threading
import weakref

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.api import render
from fake_meetings.api.render_cache import (
    BODIES,
    FULL_FRAGMENTS,
    HEAD_FRAGMENTS,
    Body,
    Bounded,
    RenderCache,
    cache_of,
    is_live,
)
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
def participants(draw: st.DrawFn, *, present: bool) -> Participant:
    return Participant(
        participant_id=draw(st.text(min_size=1, max_size=8)),
        user_id=draw(st.none() | texts),
        user_name=draw(st.none() | texts),
        join_time=draw(st.integers(T - 5_000, T)),
        duration=None if present else draw(st.integers(0, 10**7)),
    )


@st.composite
def sessions(draw: st.DrawFn, sid: str) -> Session:
    kind = draw(st.sampled_from(["ended", "ongoing", "odd-ended", "odd-ongoing"]))
    # "odd" sessions break the model's invariants (an ended session with someone still present,
    # an ongoing one with a stored duration): the cache must still never freeze a clock value
    ongoing = kind in ("ongoing", "odd-ongoing")
    people = draw(st.lists(participants(present=False), min_size=0, max_size=5))
    if kind in ("ongoing", "odd-ended"):
        people += draw(st.lists(participants(present=True), min_size=1, max_size=3))
    duration = (
        draw(st.integers(0, 10**6)) if kind in ("ended", "odd-ended", "odd-ongoing") else None
    )
    return Session(
        id=sid,
        room=draw(st.sampled_from(["alpha", "beta"]) | texts),
        start_time=draw(st.integers(T - 10_000, T)),
        ongoing=ongoing,
        duration=duration,
        max_participants=draw(st.integers(0, 30)),
        participants=tuple(sorted(people, key=lambda p: p.sort_key)),
    )


@st.composite
def stores(draw: st.DrawFn, min_size: int = 0) -> list[Session]:
    ids = draw(
        st.lists(st.text(min_size=1, max_size=6), min_size=min_size, max_size=25, unique=True)
    )
    return [draw(sessions(sid)) for sid in ids]


instants = st.lists(st.integers(T - 100, T + 10**6), min_size=1, max_size=5)
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
        page = list_meetings(store, q)
        key = ("list", repr(q), participants)
        for now in [*nows, *reversed(nows)]:  # forward, back, and the same instant twice
            expected = render.meetings_page(
                page.total_count, page.sessions, now, participants=participants
            )
            body = cache.body(key, now)
            if body is None:
                entry = cache.meetings_page(
                    page.total_count, page.sessions, participants=participants
                )
                body = cache.keep(key, entry, now)
            assert body == expected
        assert cache.full.size <= cache.full.budget
        assert cache.head.size <= cache.head.budget
        assert cache.bodies.size <= cache.bodies.budget


@SETTINGS
@given(stores(min_size=1), instants, budgets)
def test_single_session_bodies_equal_the_reference(
    pool: list[Session], nows: list[int], budget: int
) -> None:
    cache = RenderCache(budget, budget)
    for now in nows:
        for s in pool:
            key = ("session", s.id)
            body = cache.body(key, now)
            if body is None:
                body = cache.keep(key, cache.session(s), now)
            assert body == render.session_body(s, now)


@SETTINGS
@given(stores(min_size=1), instants, st.integers(1, 4), budgets)
def test_participant_pages_equal_the_reference(
    pool: list[Session], nows: list[int], limit: int, budget: int
) -> None:
    cache = RenderCache(budget, budget)
    for now in nows:
        for s in pool:
            unique = {p.participant_id: p for p in s.participants}  # cursors need unique ids
            s_ok = Session(s.id, s.room, s.start_time, s.ongoing, s.duration, s.max_participants,
                           tuple(sorted(unique.values(), key=lambda p: p.sort_key)))  # fmt: skip
            cursors = [None, *(p.participant_id for p in s_ok.participants)]
            for after in cursors:
                records = list_participants(s_ok, ParticipantsQuery(limit, joined_after=after))
                if not records:
                    continue
                key = ("participants", s.id, after, limit)
                body = cache.body(key, now)
                if body is None:
                    body = cache.keep(key, cache.participants_page(records), now)
                assert body == render.participants_page(records, now)


@SETTINGS
@given(stores(min_size=1))
def test_fragments_are_the_sessions_json_and_never_of_live_sessions(pool: list[Session]) -> None:
    cache = RenderCache()
    for s in pool:
        for participants in (True, False):
            frag = cache.fragment(s, participants=participants)
            if is_live(s):
                assert frag is None
                key = (cache.token, s.id)
                assert key not in cache.full.data and key not in cache.head.data
            else:
                assert frag == orjson.dumps(render.session_dict(s, 0, participants=participants))
                # the same at any instant: nothing in it depends on the clock
                assert frag == orjson.dumps(
                    render.session_dict(s, T + 12345, participants=participants)
                )


def test_is_live_is_exactly_depending_on_the_clock() -> None:
    ended = Participant("p", None, None, T, 60)
    present = Participant("q", None, None, T, None)
    assert not is_live(Session("a", "r", T, False, 60, 1, (ended,)))
    assert is_live(Session("b", "r", T, True, None, 1, (present,)))
    assert is_live(Session("c", "r", T, True, None, 1, (ended,)))  # no stored duration
    assert is_live(Session("d", "r", T, False, 60, 1, (ended, present)))  # someone present


def test_an_ongoing_page_follows_the_clock_and_reuses_the_body_of_one_instant() -> None:
    present = Participant("p", "u", "Ann", T - 100, None)
    live = Session("live", "r", T - 100, True, None, 1, (present,))
    done = Session(
        "done", "r", T - 5_000, False, 60, 1, (Participant("q", None, None, T - 5_000, 60),)
    )
    cache = RenderCache()
    entry = cache.meetings_page(2, [live, done], participants=True)
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
    s = Session("a", "r", T, False, 60, 1, (Participant("p", None, None, T, 60),))
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
        return Session(
            "a", "r", T, False, duration, 1, (Participant("p", None, None, T, duration),)
        )

    before, after = Store([session(60)]), Store([session(90)])
    key = ("list", "", participants)
    for store in (before, after):
        page = list_meetings(store, MeetingsQuery())
        cache = cache_of(store)
        body = cache.body(key, T) or cache.keep(
            key, cache.meetings_page(page.total_count, page.sessions, participants=participants), T
        )
        assert body == render.meetings_page(
            page.total_count, page.sessions, T, participants=participants
        )
    assert b'"duration":90' in (cache_of(after).body(key, T) or b"")


def test_the_entries_of_a_dropped_snapshot_leave_the_shared_maps() -> None:
    s = Session("a", "r", T, False, 60, 1, (Participant("p", None, None, T, 60),))
    store = Store([s])
    cache = cache_of(store)
    token = cache.token
    assert cache.full is FULL_FRAGMENTS and cache.bodies is BODIES  # the process-wide maps
    page = list_meetings(store, MeetingsQuery())
    for participants in (True, False):
        key = ("list", participants)
        cache.keep(key, cache.meetings_page(1, page.sessions, participants=participants), T)
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
        return Store([Session("same-id", "r", T, False, duration, 1, (p,))])

    stores = [store(d) for d in (60, 90, 120)]
    for st_, d in zip(stores, (60, 90, 120), strict=True):
        frag = cache_of(st_).fragment(st_.sessions[0], participants=True)
        assert frag is not None and b'"duration":%d' % d in frag


def test_live_bodies_count_their_assembled_bytes_against_the_budget() -> None:
    """A page of ongoing sessions is mostly holes: what it really keeps is the assembled body."""
    people = tuple(Participant(f"p{i}", f"u{i}", "Ann", T - 100, None) for i in range(20))
    live = [Session(f"s{i}", "r", T - 100, True, None, 20, people) for i in range(10)]
    cache = RenderCache(fragment_budget=10**6, body_budget=60_000)
    for i in range(50):  # fifty different keys for pages of ten live sessions
        now = T + i
        body = cache.keep(("page", i), cache.meetings_page(10, live, participants=True), now)
        assert body == render.meetings_page(10, live, now, participants=True)
    kept = sum(
        sum(map(len, entry.parts)) + (len(entry.last[1]) if entry.last else 0)
        for entry in cache.bodies.data.values()
    )
    assert 0 < kept <= cache.bodies.budget
    assert cache.bodies.size <= cache.bodies.budget
