"""The ten-second rule (``domain/recorded.py``, ``listed.py``): what ``/meetings`` lists of a
timeline under ``min_stay``, against the naive model of ``tests/helpers/models.py``.

Random stays (short and long, some open), ``min_stay`` in {0, 1, 10, 30} and a clock before,
among and after them: the listed sessions, every page and ``total_count`` under every filter,
each session's fields and participant records agree with the model; so does a listed store
carried over live joins and leaves, with one made afresh from the sessions after them.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain import live, timeline
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.query import (
    OLDEST,
    MeetingsQuery,
    ParticipantsQuery,
    list_meetings,
    list_participants,
)
from fake_meetings.domain.recorded import DEFAULT_MIN_STAY
from fake_meetings.domain.store import Store
from tests.helpers.models import NaiveStay, keyset_page, naive_session, recorded_stays

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROOMS = ["alpha", "beta"]
MIN_STAYS = st.sampled_from([0, 1, 10, 30])
NOWS = st.integers(-2, 90)


def stays_of(s: Session) -> list[NaiveStay]:
    return [(p.participant_id, p.join_time, p.duration) for p in s.participants]


@st.composite
def pools(draw: st.DrawFn) -> list[Session]:
    sessions = []
    for n in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 20))
        stays = [
            Participant(
                f"p{n}-{i}",
                None,
                None,
                start + draw(st.integers(-3, 25)),
                draw(st.none() | st.integers(0, 12) | st.integers(0, 45)),
            )
            for i in range(draw(st.integers(1, 4)))
        ]
        sessions.append(Session.of(f"s{n:02d}", draw(st.sampled_from(ROOMS)), start, stays))
    return sessions


def model_listed(
    sessions: list[Session], now: int, min_stay: int, room: str | None, ongoing: bool | None
) -> list[Session]:
    """The sessions the model lists at ``now`` matching the filters, newest first."""
    out = []
    for s in sessions:
        seen = naive_session(s.start_time, stays_of(s), now, min_stay)
        if seen is None or (room is not None and s.room != room):
            continue
        if ongoing is not None and seen["ongoing"] != ongoing:
            continue
        out.append(s)
    return sorted(out, key=lambda s: (s.start_time, s.id), reverse=True)


def shown(s: Session, now: int, min_stay: int) -> dict[str, object]:
    """A listed session's fields as the engine gives them (the model's shape)."""
    return {
        "start_time": s.start_time,
        "duration": timeline.duration(s, now),
        "ongoing": timeline.ongoing(s, now),
        "max_participants": timeline.max_participants(s, now, min_stay),
        "participants": [
            (p.participant_id, p.join_time, timeline.stay_duration(p, now))
            for p in timeline.participants(s, now, min_stay)
        ],
    }


def check(sessions: list[Session], listed: Store, now: int, min_stay: int) -> None:
    """Every session's visibility and fields, and every filter's first page and count."""
    for s in sessions:
        expected = naive_session(s.start_time, stays_of(s), now, min_stay)
        got = listed.visible(s.id, now)
        assert (got is None) == (expected is None), (s.id, now, min_stay)
        if got is not None:
            assert shown(got, now, min_stay) == expected, (s.id, now, min_stay)
    for room in (None, *ROOMS):
        for ongoing in (None, True, False):
            want = model_listed(sessions, now, min_stay, room, ongoing)
            page = list_meetings(listed, MeetingsQuery(room=room, ongoing=ongoing), now)
            assert [s.id for s in page.sessions] == [s.id for s in want], (room, ongoing)
            assert page.total_count == len(want)
            assert page.settled == all(not timeline.ongoing(s, now) for s in page.sessions)


@SETTINGS
@given(pools(), MIN_STAYS, NOWS)
def test_listed_sessions_and_their_fields_agree_with_the_model(
    sessions: list[Session], min_stay: int, now: int
) -> None:
    listed = Store(sessions).listed(min_stay)
    check(sessions, listed, now, min_stay)


@SETTINGS
@given(pools(), MIN_STAYS, NOWS, st.data())
def test_pages_and_cursors_agree_with_the_model(
    sessions: list[Session], min_stay: int, now: int, data: st.DataObject
) -> None:
    listed = Store(sessions).listed(min_stay)
    room = data.draw(st.none() | st.sampled_from(ROOMS))
    ongoing = data.draw(st.none() | st.booleans())
    frame = data.draw(st.none() | st.integers(0, 21)), data.draw(st.none() | st.integers(0, 21))
    limit = data.draw(st.integers(1, 4))
    want = [
        s
        for s in model_listed(sessions, now, min_stay, room, ongoing)
        if (frame[0] is None or s.start_time >= frame[0])
        and (frame[1] is None or s.start_time < frame[1])
    ]
    keys = {s.id: (s.start_time, s.id) for s in sessions}
    ordered = [s.id for s in want]
    ids = [s.id for s in sessions]
    after = data.draw(st.none() | st.sampled_from(ids)) if ids else None
    before = None
    if after is None:
        before = data.draw(st.none() | st.sampled_from([OLDEST, *ids]))
    q = MeetingsQuery(room, frame[0], frame[1], ongoing, limit, after, before)
    page = list_meetings(listed, q, now)
    assert page.total_count == len(want)
    assert [s.id for s in page.sessions] == keyset_page(ordered, limit, after, before, keys)


@SETTINGS
@given(pools(), MIN_STAYS, NOWS, st.integers(1, 3))
def test_participant_pages_show_the_recorded_stays_only(
    sessions: list[Session], min_stay: int, now: int, limit: int
) -> None:
    listed = Store(sessions).listed(min_stay)
    for s in sessions:
        rec = listed.visible(s.id, now)
        if rec is None:
            continue
        want = [p[0] for p in recorded_stays(stays_of(s), now, min_stay)]
        got: list[str] = []
        cursor = None
        while True:
            page = list_participants(rec, ParticipantsQuery(limit, cursor), now, min_stay=min_stay)
            if not page:
                break
            got.extend(p.participant_id for p in page)
            cursor = page[-1].participant_id
        assert got == want


@SETTINGS
@given(
    pools(),
    MIN_STAYS,
    st.integers(-2, 30),
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 6)), max_size=25),
)
def test_a_listed_store_carried_over_live_changes_is_made_afresh_alike(
    sessions: list[Session], min_stay: int, start: int, steps: list[tuple[int, int]]
) -> None:
    """Joins and leaves at a clock moving forward, among scenario sessions (ongoing ones a join
    goes into, later ones a new session is inserted before): after each, the carried listed
    store and one made from the real sessions list the same, as the model says, now and a
    while later."""
    store = Store(sessions)
    listed = store.listed(min_stay)
    rng = random.Random(0)
    now = start
    present: list[str] = []
    for wait, what in steps:
        now += wait
        if what < 3 or not present:
            change = live.join(store, ROOMS[what % 2], now, rng)
            present.append(change.participant.participant_id)
        else:
            change = live.leave(store, present.pop(what % len(present)), now)
        store = change.store
        listed = store.listed(min_stay)
        sessions = list(store.sessions)
        fresh = Store(sessions).listed(min_stay)
        for later in (now, now + min_stay // 2, now + min_stay, now + 40):
            check(sessions, listed, later, min_stay)
            check(sessions, fresh, later, min_stay)


def test_a_join_is_listed_once_it_has_lasted_min_stay_and_a_short_one_never() -> None:
    m = DEFAULT_MIN_STAY
    rng = random.Random(0)
    first = live.join(Store(()), "alpha", 100, rng)
    listed = first.store.listed(m)
    assert listed.visible(first.session.id, 100 + m - 1) is None
    assert list_meetings(listed, MeetingsQuery(), 100 + m - 1).total_count == 0
    assert listed.visible(first.session.id, 100 + m) is not None
    left = live.leave(first.store, first.participant.participant_id, 105)
    gone = left.store.listed(m)
    assert all(gone.visible(first.session.id, t) is None for t in (105, 110, 1000))
    assert list_meetings(gone, MeetingsQuery(), 1000).total_count == 0
    assert Store(list(left.store.sessions)).listed(0).visible(first.session.id, 105) is not None


def test_min_stay_0_is_the_store_itself() -> None:
    store = Store([Session.of("a", "alpha", 0, [Participant("p", None, None, 0, 3)])])
    assert store.listed(0) is store


def test_generated_sessions_under_a_min_stay_above_their_least_stay() -> None:
    """With min_stay 30, a generated session's stays of 10 to 29 s are dropped (drawn without
    being kept), and what is listed agrees with the model at instants around the starts."""
    spec = GenerateSpec(sessions=40, rooms=2, seed=3, start=0, end=4 * 3600)
    sessions = generate(spec, 4 * 3600)
    listed = Store(sessions).listed(30)
    plain = [Session.of(s.id, s.room, s.start_time, s.participants) for s in sessions]
    for s in sessions[::5]:
        for now in (s.start_time + lag for lag in (0, 10, 29, 30, 31, 600)):
            check(plain, listed, now, 30)


def test_a_snapshot_keeps_the_listed_stores_of_several_min_stays() -> None:
    """Namespaces sharing one snapshot may each have their own min_stay: each asks its listed
    store once, and a live change carries every one kept."""
    rng = random.Random(0)
    store = live.join(Store(()), "alpha", 100, rng).store
    ten, thirty = store.listed(10), store.listed(30)
    assert store.listed(10) is ten and store.listed(30) is thirty and ten is not thirty
    after = live.join(store, "beta", 105, rng).store
    sessions = list(after.sessions)
    for min_stay in (10, 30):
        listed = after.listed(min_stay)
        for now in (109, 110, 115, 130, 135, 200):
            check(sessions, listed, now, min_stay)
    for min_stay in (1, 2, 3, 4, 5):  # the oldest asked go beyond four
        store.listed(min_stay)
    assert store.listed(5) is store.listed(5)
