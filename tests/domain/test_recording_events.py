"""``domain/recordingevents.py`` on hand-written sessions and recordings: the recording events
slotted among a ``Passing``'s session events in order, read in slices of any size as in one;
what is counted instead of read; the instant a real-time clock wakes at for a recording."""

from __future__ import annotations

import pytest

from fake_meetings.domain.events import Passing
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.recordingevents import (
    REC_ERROR,
    REC_READY,
    REC_STARTED,
    Merged,
    Shelf,
    between,
    next_instant,
)
from fake_meetings.domain.recordings import Recording, Recordings
from fake_meetings.domain.store import Store

T = 1_700_000_000
S1 = Session.of("s1", "a", T, [Participant("p1", None, None, T, 600)])  # ends at T + 600
S2 = Session.of("s2", "b", T + 50, [Participant("p2", None, None, T + 50, 100)])  # T + 150
STORE = Store([S1, S2])
SHELF = Shelf(
    Recordings(
        [
            Recording("r1", "a", "s1", T + 10, end=T + 100),
            Recording("r2", "b", "s2", T + 60),  # stops at its session's end, T + 150
            Recording("r3", "a", "s1", T + 20, max_duration=30, canceled=True),
            Recording("r4", "a", "s1", T + 700),  # after its session: stops at its start
        ]
    )
)


def _all(before: int, after: int, chunk: int) -> list[tuple[int, str]]:
    merged = Merged(Passing(STORE, before, after), between(SHELF, STORE, before, after))
    out: list[tuple[int, str]] = []
    while not merged.done:
        out += [(e.instant, e.type) for e in merged.take(chunk)]
    return out


def test_recording_events_come_in_order_among_the_session_events() -> None:
    got = _all(T - 1, T + 1000, 1000)
    assert got == [
        (T, "meeting.started"),
        (T, "participant.joined"),
        (T + 10, REC_STARTED),
        (T + 20, REC_STARTED),
        (T + 50, "meeting.started"),
        (T + 50, "participant.joined"),
        (T + 50, REC_ERROR),  # r3: canceled, stops at T + 20 + 30
        (T + 60, REC_STARTED),
        (T + 100, REC_READY),
        (T + 150, "participant.left"),
        (T + 150, "meeting.ended"),
        (T + 150, REC_READY),
        (T + 600, "participant.left"),
        (T + 600, "meeting.ended"),
        (T + 700, REC_STARTED),
        (T + 700, REC_ERROR),  # r4: stopped at its own start
    ]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_slices_of_any_size_read_the_same_events(chunk: int) -> None:
    assert _all(T - 1, T + 1000, chunk) == _all(T - 1, T + 1000, 1000)
    assert _all(T + 20, T + 150, chunk) == _all(T + 20, T + 150, 1000)


def test_the_rest_is_counted_by_type_without_being_read() -> None:
    merged = Merged(Passing(STORE, T - 1, T + 1000), between(SHELF, STORE, T - 1, T + 1000))
    merged.take(3)  # up to r1's start
    types = frozenset({REC_STARTED, REC_READY, REC_ERROR})
    n = 0
    while not merged.done:
        n += merged.count_rest(types, 1)
    assert n == 7  # r3, r2, r4 started; r3, r4 errors; r1, r2 ready


def test_a_real_time_clock_wakes_at_a_recording_s_next_start_or_stop() -> None:
    assert next_instant(SHELF, STORE, T) == T + 10
    assert next_instant(SHELF, STORE, T + 10) == T + 20
    assert next_instant(SHELF, STORE, T + 60) == T + 100
    assert next_instant(SHELF, STORE, T + 150) == T + 700
    assert next_instant(SHELF, STORE, T + 700) is None
