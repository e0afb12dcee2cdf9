"""Property tests of the query engine (contract §2 and §4, and the timeline of part two §9)
against a naive, independent model.

The model below is written as plainly as possible: list comprehensions, ``sorted`` and slices.
It shares nothing with ``fake_meetings.domain.query``, ``store``, ``instant`` or ``timeline``;
the engine is only ever called, never consulted, and every expected value comes from the model.

Data are drawn from small pools (three rooms, thirteen start times, ids over a three-letter
alphabet) so that ties on ``start_time`` and cursors from other rooms are frequent. Every
session is a few stays, some still open, and every query is asked at an instant ``now`` drawn
before, among and after them: sessions not started yet are invisible, and ``ongoing`` means
someone is in the room at ``now`` or will be (the last leave is after ``now``, or a stay is
open).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.query import (
    OLDEST,
    MeetingsPage,
    MeetingsQuery,
    ParticipantsQuery,
    UnknownCursor,
    list_meetings,
    list_participants,
)
from fake_meetings.domain.store import Store

PROPERTY_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ROOMS = ["alpha", "beta", "gamma"]
# "Alpha" checks that the room match is case-sensitive; "delta" is a room nobody uses.
QUERY_ROOMS = [*ROOMS, "Alpha", "delta"]
START_MIN, START_MAX = 1_000, 1_012
ID_ALPHABET = "abc"  # cursor ids that cannot exist are drawn from a disjoint alphabet
FOREIGN_ALPHABET = "xyz"


# --------------------------------------------------------------------------------------------
# The naive model
# --------------------------------------------------------------------------------------------


def model_ongoing(s: Session, now: int) -> bool:
    if any(p.duration is None for p in s.participants):
        return True
    return max(p.join_time + (p.duration or 0) for p in s.participants) > now


def model_matching(sessions: list[Session], q: MeetingsQuery, now: int) -> list[Session]:
    """Every session visible at ``now`` matching all filters, newest first, ties by id
    descending."""
    matching = [
        s
        for s in sessions
        if s.start_time <= now
        and (q.room is None or s.room == q.room)
        and (q.timeframe_start is None or s.start_time >= q.timeframe_start)
        and (q.timeframe_end is None or s.start_time < q.timeframe_end)
        and (q.ongoing is None or model_ongoing(s, now) == q.ongoing)
    ]
    return sorted(matching, key=lambda s: (s.start_time, s.id), reverse=True)


def model_page(sessions: list[Session], q: MeetingsQuery, now: int) -> list[Session]:
    ordered = model_matching(sessions, q, now)
    if q.starting_after is not None:
        x = next(s for s in sessions if s.id == q.starting_after)
        older = [s for s in ordered if (s.start_time, s.id) < (x.start_time, x.id)]
        return older[: q.limit]
    if q.ending_before == OLDEST:
        return ordered[-q.limit :]
    if q.ending_before is not None:
        x = next(s for s in sessions if s.id == q.ending_before)
        newer = [s for s in ordered if (s.start_time, s.id) > (x.start_time, x.id)]
        return newer[-q.limit :]
    return ordered[: q.limit]


def model_participants_page(
    participants: list[Participant], q: ParticipantsQuery, now: int
) -> list[Participant]:
    ordered = sorted(
        (p for p in participants if p.join_time <= now),
        key=lambda p: (p.join_time, p.participant_id),
    )
    if q.joined_after is not None:
        x = next(p for p in ordered if p.participant_id == q.joined_after)
        after = [
            p for p in ordered if (p.join_time, p.participant_id) > (x.join_time, x.participant_id)
        ]
        return after[: q.limit]
    if q.joined_before is not None:
        x = next(p for p in ordered if p.participant_id == q.joined_before)
        before = [
            p for p in ordered if (p.join_time, p.participant_id) < (x.join_time, x.participant_id)
        ]
        return before[-q.limit :]
    return ordered[: q.limit]


def ids(items: list[Session]) -> list[str]:
    return [s.id for s in items]


def pids(items: list[Participant]) -> list[str]:
    return [p.participant_id for p in items]


# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------

short_ids = st.text(alphabet=ID_ALPHABET, min_size=1, max_size=3)
foreign_ids = st.text(alphabet=FOREIGN_ALPHABET, min_size=1, max_size=3)
limits = st.one_of(st.integers(1, 5), st.integers(1, 100))
instants = st.integers(START_MIN - 2, START_MAX + 2)
# the clock: before every session, among them, and after every stay has ended
nows = st.integers(START_MIN - 3, START_MAX + 24)


@st.composite
def session_pools(draw: st.DrawFn, min_size: int = 0) -> list[Session]:
    session_ids = draw(st.lists(short_ids, min_size=min_size, max_size=30, unique=True))
    sessions = []
    for sid in session_ids:
        start = draw(st.integers(START_MIN, START_MAX))
        stays = [
            Participant(
                participant_id=f"p-{sid}-{i}",
                user_id=None,
                user_name=None,
                join_time=start + draw(st.integers(-2, 6)),
                duration=draw(st.none() | st.integers(0, 10) | st.integers(0, 10)),
            )
            for i in range(draw(st.integers(1, 3)))
        ]
        sessions.append(Session.of(sid, draw(st.sampled_from(ROOMS)), start, stays))
    return sessions


@st.composite
def filters(draw: st.DrawFn) -> dict[str, object]:
    """Filter parameters only (room, timeframe incl. reversed ranges, ongoing) and a limit."""
    return {
        "room": draw(st.none() | st.sampled_from(QUERY_ROOMS)),
        "timeframe_start": draw(st.none() | instants),
        "timeframe_end": draw(st.none() | instants),
        "ongoing": draw(st.none() | st.booleans()),
        "limit": draw(limits),
    }


@st.composite
def pools_and_queries(draw: st.DrawFn) -> tuple[list[Session], MeetingsQuery]:
    """A pool and a query whose cursor (if any) names an existing session, matching or not
    (visible or not)."""
    sessions = draw(session_pools())
    f = draw(filters())
    kinds = ["none", "oldest"] + (["after", "before"] if sessions else [])
    kind = draw(st.sampled_from(kinds))
    cursor = {}
    if kind == "after":
        cursor["starting_after"] = draw(st.sampled_from(sessions)).id
    elif kind == "before":
        cursor["ending_before"] = draw(st.sampled_from(sessions)).id
    elif kind == "oldest":
        cursor["ending_before"] = OLDEST
    return sessions, MeetingsQuery(**f, **cursor)  # type: ignore[arg-type]


@st.composite
def sessions_with_participants(draw: st.DrawFn, min_size: int = 0) -> Session:
    participant_ids = draw(st.lists(short_ids, min_size=min_size, max_size=25, unique=True))
    participants = [
        Participant(
            participant_id=pid,
            user_id=draw(st.none() | st.just(f"user-{pid}")),
            user_name=None,
            join_time=draw(st.integers(START_MIN, START_MIN + 6)),
            duration=draw(st.none() | st.integers(10, 100)),
        )
        for pid in participant_ids
    ]
    if not participants:  # a session has at least one stay
        participants.append(Participant("only", None, None, START_MIN, 5))
    start = min(p.join_time for p in participants)
    return Session.of("s", "alpha", start, participants)


# --------------------------------------------------------------------------------------------
# GET /meetings (§2) at any instant (part two §9)
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(pools_and_queries(), nows)
def test_every_page_and_total_count_match_the_model(
    case: tuple[list[Session], MeetingsQuery], now: int
) -> None:
    sessions, q = case
    store = Store(sessions)
    page = list_meetings(store, q, now)
    assert ids(page.sessions) == ids(model_page(sessions, q, now))
    assert page.total_count == len(model_matching(sessions, q, now))
    assert_ranks_and_settled(store, page, now)


def assert_ranks_and_settled(store: Store, page: MeetingsPage, now: int) -> None:
    """A page also gives its sessions' ranks (the render cache finds fragments by them) and
    whether every one of them has ended at ``now`` (then none of its bytes follows the clock)."""
    assert list(page.ranks) == [store.rank_of(s.id) for s in page.sessions]
    assert page.settled == (not any(model_ongoing(s, now) for s in page.sessions))


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(session_pools(), st.lists(filters(), min_size=1, max_size=4), st.lists(nows, max_size=12))
def test_one_store_answers_like_the_model_as_the_clock_moves_both_ways(
    sessions: list[Session], fs: list[dict[str, object]], instants_asked: list[int]
) -> None:
    """The store keeps what it computed for recent instants and derives new ones from them:
    whatever order the clock visits instants in, every answer is the model's."""
    store = Store(sessions)
    for now in [*instants_asked, *reversed(instants_asked), START_MAX + 24, START_MIN - 3]:
        for f in fs:
            q = MeetingsQuery(**f)  # type: ignore[arg-type]
            page = list_meetings(store, q, now)
            assert ids(page.sessions) == ids(model_page(sessions, q, now)), now
            assert page.total_count == len(model_matching(sessions, q, now)), now
            assert_ranks_and_settled(store, page, now)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(session_pools(), filters(), nows)
def test_walking_forward_with_starting_after_yields_every_match_once_in_order(
    sessions: list[Session], f: dict[str, object], now: int
) -> None:
    store = Store(sessions)
    expected = ids(model_matching(sessions, MeetingsQuery(**f), now))  # type: ignore[arg-type]
    limit = f["limit"]
    assert isinstance(limit, int)

    page = list_meetings(store, MeetingsQuery(**f), now)  # type: ignore[arg-type]
    total = page.total_count
    walked: list[str] = []
    for _ in range(len(sessions) + 2):  # a correct walk ends long before this bound
        assert page.total_count == total
        assert len(page.sessions) <= limit
        if not page.sessions:
            break
        walked += ids(page.sessions)
        q = MeetingsQuery(**f, starting_after=page.sessions[-1].id)  # type: ignore[arg-type]
        page = list_meetings(store, q, now)
    else:
        pytest.fail("the walk never reached an empty page")

    assert walked == expected
    assert len(walked) == len(set(walked)) == total


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(session_pools(), filters(), nows)
def test_walking_backward_from_oldest_with_ending_before_yields_every_match_once(
    sessions: list[Session], f: dict[str, object], now: int
) -> None:
    store = Store(sessions)
    expected = ids(model_matching(sessions, MeetingsQuery(**f), now))  # type: ignore[arg-type]
    limit = f["limit"]
    assert isinstance(limit, int)

    q = MeetingsQuery(**f, ending_before=OLDEST)  # type: ignore[arg-type]
    page = list_meetings(store, q, now)
    total = page.total_count
    pages: list[list[str]] = []
    for _ in range(len(sessions) + 2):
        assert page.total_count == total
        assert len(page.sessions) <= limit
        if not page.sessions:
            break
        pages.append(ids(page.sessions))
        q = MeetingsQuery(**f, ending_before=page.sessions[0].id)  # type: ignore[arg-type]
        page = list_meetings(store, q, now)
    else:
        pytest.fail("the walk never reached an empty page")

    # Each page is newest first and the walk goes towards newer pages, so newest-first overall
    # is the pages in reverse walk order.
    walked = [sid for p in reversed(pages) for sid in p]
    assert walked == expected
    assert len(walked) == len(set(walked)) == total


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(session_pools(min_size=1), filters(), nows, st.data())
def test_ending_before_page_is_the_closest_newer_matches_newest_first(
    sessions: list[Session], f: dict[str, object], now: int, data: st.DataObject
) -> None:
    x = data.draw(st.sampled_from(sessions), label="cursor")  # need not match the filters
    q = MeetingsQuery(**f, ending_before=x.id)  # type: ignore[arg-type]
    page = list_meetings(Store(sessions), q, now).sessions
    key_x = (x.start_time, x.id)
    matching_newer = [s for s in model_matching(sessions, q, now) if (s.start_time, s.id) > key_x]

    assert x.id not in ids(page)
    assert len(page) == min(q.limit, len(matching_newer))
    assert all(s in matching_newer for s in page)
    keys = [(s.start_time, s.id) for s in page]
    assert keys == sorted(keys, reverse=True)  # newest first
    assert len(set(keys)) == len(keys)
    # Closest to X: every matching newer session left out is newer than everything returned.
    left_out = [s for s in matching_newer if s not in page]
    assert all((s.start_time, s.id) > k for s in left_out for k in keys)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(session_pools(min_size=1), filters(), nows, st.data())
def test_starting_after_page_is_the_closest_older_matches_newest_first(
    sessions: list[Session], f: dict[str, object], now: int, data: st.DataObject
) -> None:
    x = data.draw(st.sampled_from(sessions), label="cursor")
    q = MeetingsQuery(**f, starting_after=x.id)  # type: ignore[arg-type]
    page = list_meetings(Store(sessions), q, now).sessions
    key_x = (x.start_time, x.id)
    matching_older = [s for s in model_matching(sessions, q, now) if (s.start_time, s.id) < key_x]

    assert x.id not in ids(page)
    assert len(page) == min(q.limit, len(matching_older))
    assert all(s in matching_older for s in page)
    keys = [(s.start_time, s.id) for s in page]
    assert keys == sorted(keys, reverse=True)
    left_out = [s for s in matching_older if s not in page]
    assert all((s.start_time, s.id) < k for s in left_out for k in keys)


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(
    session_pools(),
    filters(),
    nows,
    st.sampled_from(["starting_after", "ending_before"]),
    foreign_ids | st.just(""),
)
def test_unknown_cursor_raises_or_gives_an_empty_page_with_the_right_total(
    sessions: list[Session], f: dict[str, object], now: int, param: str, cursor: str
) -> None:
    store = Store(sessions)
    q = MeetingsQuery(**f, **{param: cursor})  # type: ignore[arg-type]

    with pytest.raises(UnknownCursor) as info:
        list_meetings(store, q, now, unknown_cursor="error")
    assert info.value.param == param
    assert info.value.value == cursor

    page = list_meetings(store, q, now, unknown_cursor="empty")
    assert page.sessions == []
    assert page.total_count == len(model_matching(sessions, q, now))


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(session_pools(), filters(), nows)
def test_oldest_is_not_a_starting_after_cursor(
    sessions: list[Session], f: dict[str, object], now: int
) -> None:
    """OLDEST is a value of ending_before only; as starting_after it names no session."""
    store = Store(sessions)
    q = MeetingsQuery(**f, starting_after=OLDEST)  # type: ignore[arg-type]
    with pytest.raises(UnknownCursor):
        list_meetings(store, q, now)
    page = list_meetings(store, q, now, unknown_cursor="empty")
    assert page.sessions == []
    assert page.total_count == len(model_matching(sessions, q, now))


# --------------------------------------------------------------------------------------------
# GET /meetings/:meeting/participants (§4): the records visible at now
# --------------------------------------------------------------------------------------------

LATE = START_MIN + 10  # every record of a sessions_with_participants() session has joined


@st.composite
def participant_cases(draw: st.DrawFn) -> tuple[Session, ParticipantsQuery, int]:
    session = draw(sessions_with_participants())
    now = draw(st.integers(START_MIN - 1, START_MIN + 8))
    seen = [p for p in session.participants if p.join_time <= now]
    limit = draw(limits)
    kinds = ["none"] + (["after", "before"] if seen else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "none":
        return session, ParticipantsQuery(limit=limit), now
    pid = draw(st.sampled_from(seen)).participant_id
    if kind == "after":
        return session, ParticipantsQuery(limit=limit, joined_after=pid), now
    return session, ParticipantsQuery(limit=limit, joined_before=pid), now


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(participant_cases())
def test_every_participants_page_matches_the_model(
    case: tuple[Session, ParticipantsQuery, int],
) -> None:
    session, q, now = case
    page = list_participants(session, q, now)
    assert pids(page) == pids(model_participants_page(list(session.participants), q, now))


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(sessions_with_participants(), limits)
def test_walking_participants_with_joined_after_yields_everyone_once_in_join_order(
    session: Session, limit: int
) -> None:
    expected = pids(sorted(session.participants, key=lambda p: (p.join_time, p.participant_id)))
    page = list_participants(session, ParticipantsQuery(limit=limit), LATE)
    walked: list[str] = []
    for _ in range(len(session.participants) + 2):
        assert len(page) <= limit
        if not page:
            break
        walked += pids(page)
        page = list_participants(
            session, ParticipantsQuery(limit=limit, joined_after=page[-1].participant_id), LATE
        )
    else:
        pytest.fail("the walk never reached an empty page")
    assert walked == expected


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(sessions_with_participants(min_size=1), limits)
def test_walking_participants_backward_with_joined_before_yields_everyone_once(
    session: Session, limit: int
) -> None:
    expected = pids(sorted(session.participants, key=lambda p: (p.join_time, p.participant_id)))
    last = expected[-1]
    page = list_participants(session, ParticipantsQuery(limit=limit, joined_before=last), LATE)
    pages: list[list[str]] = []
    for _ in range(len(session.participants) + 2):
        assert len(page) <= limit
        if not page:
            break
        pages.append(pids(page))
        page = list_participants(
            session, ParticipantsQuery(limit=limit, joined_before=page[0].participant_id), LATE
        )
    else:
        pytest.fail("the walk never reached an empty page")
    walked = [pid for p in reversed(pages) for pid in p] + [last]
    assert walked == expected


@pytest.mark.slow
@PROPERTY_SETTINGS
@given(
    sessions_with_participants(),
    limits,
    st.sampled_from(["joined_after", "joined_before"]),
    foreign_ids | st.just(""),
)
def test_unknown_participant_cursor_raises_or_gives_no_records(
    session: Session, limit: int, param: str, cursor: str
) -> None:
    q = ParticipantsQuery(limit=limit, **{param: cursor})  # type: ignore[arg-type]
    with pytest.raises(UnknownCursor) as info:
        list_participants(session, q, LATE, unknown_cursor="error")
    assert info.value.param == param
    assert info.value.value == cursor
    assert list_participants(session, q, LATE, unknown_cursor="empty") == []
