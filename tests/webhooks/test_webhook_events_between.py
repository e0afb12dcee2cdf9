"""``domain.events.between`` and ``next_instant`` against a naive model (contract §13, §9).

Sessions are drawn as plain data (id, room, start, stays ``(participant id, join, duration or
None)``) in a short span of time, so that instants tie across sessions and kinds of events, and
rooms hold several sessions. The package gets them through ``Session.of`` and ``Store``; the
model reads the plain data only, and is as plain as it can be:

- every session has ``meeting.started`` at its start, ``participant.joined`` at each join,
  ``participant.left`` at each join + duration of a closed stay and, when no stay is open,
  ``meeting.ended`` at the latest leave + the ended delay;
- a clock going from ``before`` to ``after`` passes the events with ``before < instant <=
  after`` (none unless ``after > before``);
- in the order: instant, then started < left < joined < left of a stay that joined at that
  same instant (a zero-length stay: its join comes first) < ended, then the session's start
  and id, then the stay's join and participant id;
- the next instant after ``now`` is the smallest event instant greater than ``now``, or None.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.events import EVENT_TYPES, Passing, between, next_instant
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.store import Store

T0 = 1_700_000_000
SESSION_IDS = ("m-3", "m-1", "m-7", "m-2", "m-9", "m-5", "m-4", "m-8")
PARTICIPANT_IDS = ("p-b", "p-a", "p-d", "p-c", "p-e")
KIND_ORDER = {
    "meeting.started": 0,
    "participant.left": 1,
    "participant.joined": 2,
    "meeting.ended": 4,
}
LEFT_AT_ONCE = 3  # participant.left of a stay of duration 0

Row = tuple[int, str, str, str | None]  # (instant, type, session id, participant id)


@dataclass(frozen=True)
class Raw:
    id: str
    room: str
    start: int
    stays: tuple[tuple[str, int, int | None], ...]  # (participant id, join, duration | None)

    def session(self) -> Session:
        return Session.of(
            self.id,
            self.room,
            self.start,
            [Participant(pid, None, None, join, dur) for pid, join, dur in self.stays],
        )


@st.composite
def raw_session(draw: st.DrawFn, session_id: str) -> Raw:
    start = T0 + draw(st.integers(0, 20))
    pids = draw(st.lists(st.sampled_from(PARTICIPANT_IDS), min_size=1, max_size=4, unique=True))
    stays = []
    for pid in pids:
        join = start + draw(st.integers(0, 8))
        duration = draw(st.none() | st.integers(0, 10) | st.integers(0, 10))  # 1/3 open
        stays.append((pid, join, duration))
    return Raw(session_id, draw(st.sampled_from(("a", "b", "c"))), start, tuple(stays))


@st.composite
def raw_sessions(draw: st.DrawFn) -> list[Raw]:
    ids = draw(st.lists(st.sampled_from(SESSION_IDS), max_size=6, unique=True))
    return [draw(raw_session(session_id)) for session_id in ids]


instants = st.integers(T0 - 5, T0 + 45)
delays = st.sampled_from((0, 0, 1, 3, 20))


def model_events(raws: list[Raw], ended_delay: int) -> list[tuple[int, int, int, str, int, str]]:
    """Every event of the timeline as (instant, kind rank, start, session id, join, pid)."""
    out = []
    for r in raws:
        out.append((r.start, KIND_ORDER["meeting.started"], r.start, r.id, 0, ""))
        for pid, join, duration in r.stays:
            out.append((join, KIND_ORDER["participant.joined"], r.start, r.id, join, pid))
            if duration is not None:
                leave = join + duration
                kind = KIND_ORDER["participant.left"] if duration else LEFT_AT_ONCE
                out.append((leave, kind, r.start, r.id, join, pid))
        if all(duration is not None for _, _, duration in r.stays):
            end = max(join + duration for _, join, duration in r.stays if duration is not None)
            out.append((end + ended_delay, KIND_ORDER["meeting.ended"], r.start, r.id, 0, ""))
    return out


def model_between(raws: list[Raw], before: int, after: int, ended_delay: int) -> list[Row]:
    names = {rank: name for name, rank in KIND_ORDER.items()} | {LEFT_AT_ONCE: "participant.left"}
    found = [e for e in model_events(raws, ended_delay) if before < e[0] <= after]
    found.sort()
    return [(e[0], names[e[1]], e[3], e[5] or None) for e in found]


def model_next(raws: list[Raw], now: int, ended_delay: int) -> int | None:
    later = [e[0] for e in model_events(raws, ended_delay) if e[0] > now]
    return min(later) if later else None


def rows(store: Store, before: int, after: int, ended_delay: int) -> list[Row]:
    return [
        (
            e.instant,
            e.type,
            e.session.id,
            None if e.participant is None else e.participant.participant_id,
        )
        for e in between(store, before, after, ended_delay)
    ]


@pytest.mark.slow
@settings(derandomize=True, deadline=None, max_examples=300)
@given(raw_sessions(), delays, st.lists(st.tuples(instants, instants), min_size=1, max_size=12))
def test_between_matches_the_model(
    raws: list[Raw], delay: int, moves: list[tuple[int, int]]
) -> None:
    store = Store(r.session() for r in raws)  # one store for every move: its instants are kept
    for before, after in moves:
        assert rows(store, before, after, delay) == model_between(raws, before, after, delay)


@settings(derandomize=True, deadline=None, max_examples=100)
@given(raw_sessions(), delays)
def test_a_move_over_the_whole_span_passes_every_event_once(raws: list[Raw], delay: int) -> None:
    store = Store(r.session() for r in raws)
    got = rows(store, T0 - 1, T0 + 60, delay)
    assert got == model_between(raws, T0 - 1, T0 + 60, delay)
    stays = sum(len(r.stays) for r in raws)
    closed = sum(1 for r in raws for _, _, duration in r.stays if duration is not None)
    ended = sum(1 for r in raws if all(d is not None for _, _, d in r.stays))
    assert len(got) == len(raws) + stays + closed + ended  # a count, not the model's list


@pytest.mark.slow
@settings(derandomize=True, deadline=None, max_examples=200)
@given(raw_sessions(), delays, st.lists(instants, min_size=3, max_size=3))
def test_a_move_split_in_two_passes_the_same_events(
    raws: list[Raw], delay: int, points: list[int]
) -> None:
    a, b, c = sorted(points)
    store = Store(r.session() for r in raws)
    assert between(store, a, b, delay) + between(store, b, c, delay) == between(store, a, c, delay)


@pytest.mark.slow
@settings(derandomize=True, deadline=None, max_examples=200)
@given(raw_sessions(), delays, st.lists(instants, min_size=1, max_size=12))
def test_next_instant_matches_the_model(raws: list[Raw], delay: int, nows: list[int]) -> None:
    store = Store(r.session() for r in raws)
    for now in nows:
        assert next_instant(store, now, delay) == model_next(raws, now, delay)


type_sets = st.sets(st.sampled_from(EVENT_TYPES)).map(frozenset)


@settings(derandomize=True, deadline=None, max_examples=150)
@given(
    raw_sessions(),
    delays,
    st.tuples(instants, instants),
    st.lists(st.integers(0, 6), min_size=1, max_size=10),
    type_sets,
    st.integers(0, 3),
)
def test_taken_a_few_at_a_time_then_counted_is_the_model(
    raws: list[Raw],
    delay: int,
    move: tuple[int, int],
    slices: list[int],
    types: frozenset[str],
    chunk: int,
) -> None:
    """``Passing`` with sessions taken in one by one (no lookahead, nothing eager): slices of
    any size give the model's events in order, building only those taken, and the rest
    counted by type, a few sessions at a time, is what the model has left."""
    before, after = move
    store = Store(r.session() for r in raws)
    expected = model_between(raws, before, after, delay)
    passing = Passing(store, before, after, delay, eager=0, lead=0)
    got = []
    for n in slices:
        got.extend(passing.take(n))
    assert passing.made == len(got) <= sum(slices)
    taken = [
        (
            e.instant,
            e.type,
            e.session.id,
            None if e.participant is None else e.participant.participant_id,
        )
        for e in got
    ]
    assert taken == expected[: len(taken)]
    counted = passing.count_rest(types, chunk)
    while not passing.done:
        counted += passing.count_rest(types, max(1, chunk))
    assert counted == sum(1 for row in expected[len(taken) :] if row[1] in types)
    assert passing.made == len(got)  # counting built nothing


@st.composite
def changed_sessions(draw: st.DrawFn) -> tuple[list[Raw], list[Raw]]:
    """The sessions as they end up, and as they were before some of them changed: a stay that
    was open (closed since) or not there yet (joined since)."""
    final = draw(raw_sessions())
    initial = []
    for r in final:
        change = draw(st.sampled_from(("same", "open", "fewer")))
        if change == "open" and r.stays[-1][2] is not None:
            pid, join, _ = r.stays[-1]
            initial.append(Raw(r.id, r.room, r.start, (*r.stays[:-1], (pid, join, None))))
        elif change == "fewer" and len(r.stays) > 1:
            initial.append(Raw(r.id, r.room, r.start, r.stays[:-1]))
        else:
            initial.append(r)
    return initial, final


@pytest.mark.slow
@settings(derandomize=True, deadline=None, max_examples=200)
@given(changed_sessions(), delays, st.lists(st.tuples(instants, instants), max_size=8))
def test_a_store_changed_in_place_gives_the_events_of_its_sessions(
    sessions: tuple[list[Raw], list[Raw]], delay: int, moves: list[tuple[int, int]]
) -> None:
    """The stores a live join or leave makes (``added``, ``replaced``), as the webhook desk
    gets them, pass the events of the sessions they hold."""
    initial, final = sessions
    store = Store()
    for r in initial:
        store = store.added(r.session(), r.start)
    for before, after in moves:  # let the old store keep instants, as a running server's does
        assert rows(store, before, after, delay) == model_between(initial, before, after, delay)
    for old, new in zip(initial, final, strict=True):
        if old != new:
            store = store.replaced(old.session(), new.session(), new.start)
    for before, after in [*moves, (T0 - 1, T0 + 60)]:
        assert rows(store, before, after, delay) == model_between(final, before, after, delay)
    for now, _ in moves:
        assert next_instant(store, now, delay) == model_next(final, now, delay)


def test_ties_at_one_instant_follow_the_documented_order() -> None:
    """A hand-made instant where every kind happens: session ``m-2`` ends and ``m-1`` starts in
    the same room, ``x`` leaves ``m-1`` as ``y`` and ``z`` join it, ``m-0`` starts elsewhere."""
    t = T0 + 10
    m2 = Session.of("m-2", "a", T0, [Participant("w", None, None, T0, 10)])
    m1 = Session.of(
        "m-1",
        "a",
        t,
        [
            Participant("x", None, None, t, 0),
            Participant("z", None, None, t, 5),
            Participant("y", None, None, t, None),
        ],
    )
    m0 = Session.of("m-0", "b", t, [Participant("v", None, None, t + 1, 2)])
    store = Store([m2, m1, m0])
    assert rows(store, t - 1, t, 0) == [
        (t, "meeting.started", "m-0", None),
        (t, "meeting.started", "m-1", None),
        (t, "participant.left", "m-2", "w"),
        (t, "participant.joined", "m-1", "x"),
        (t, "participant.joined", "m-1", "y"),
        (t, "participant.joined", "m-1", "z"),
        (t, "participant.left", "m-1", "x"),  # joined at t too: after its join
        (t, "meeting.ended", "m-2", None),
    ]
    assert rows(store, t, t, 0) == []
    assert rows(store, t + 1, t - 1, 0) == []
    assert next_instant(store, t, 0) == t + 1
    assert next_instant(store, t, 3) == t + 1
    assert next_instant(store, t + 10, 0) is None
