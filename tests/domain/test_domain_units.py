"""Unit tests of the domain layer: time parsing, the clock, session arithmetic and the store.

Every expected value is written out by hand or computed by a brute-force count in this file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain import timeline
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.model import Participant, Session, peak_overlap, session_end
from fake_meetings.domain.store import DuplicateSessionId, Store
from fake_meetings.domain.times import parse_duration, parse_instant

T0 = 1_717_236_000  # 2024-06-01T10:00:00Z
NOW = 1_717_250_000


def participant(pid: str, join: int, duration: int | None) -> Participant:
    return Participant(
        participant_id=pid, user_id=None, user_name=None, join_time=join, duration=duration
    )


def ended(sid: str, room: str, start: int, duration: int = 60) -> Session:
    return Session.of(sid, room, start, [participant(f"p-{sid}", start, duration)])


def ongoing(sid: str, room: str, start: int) -> Session:
    return Session.of(sid, room, start, [participant(f"p-{sid}", start, None)])


# --------------------------------------------------------------------------------------------
# times.parse_instant
# --------------------------------------------------------------------------------------------


class TestParseInstant:
    @pytest.mark.parametrize("value", [0, 1, T0, 2**53 - 1])
    def test_integers_are_unix_seconds(self, value: int) -> None:
        assert parse_instant(value) == value

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1717236000", T0),
            ("  1717236000\n", T0),
            ("0", 0),
            ("2024-06-01T10:00:00Z", T0),
            ("2024-06-01T10:00:00+00:00", T0),
            ("2024-06-01T12:00:00+02:00", T0),
            ("2024-06-01T05:30:00-04:30", T0),
            ("2024-06-01T10:00:00", T0),  # no offset: UTC
            ("2024-06-01 10:00:00", T0),
            ("2024-06-01T10:00:01.900Z", T0 + 1),  # fractions are dropped, not rounded
            ("1970-01-01T00:00:00Z", 0),
        ],
    )
    def test_strings(self, text: str, expected: int) -> None:
        assert parse_instant(text) == expected

    def test_datetimes_aware_and_naive(self) -> None:
        assert parse_instant(datetime(2024, 6, 1, 10, 0, tzinfo=UTC)) == T0
        plus_two = timezone(timedelta(hours=2))
        assert parse_instant(datetime(2024, 6, 1, 12, 0, tzinfo=plus_two)) == T0
        assert parse_instant(datetime(2024, 6, 1, 10, 0)) == T0  # naive: UTC

    def test_a_date_is_its_utc_midnight(self) -> None:
        assert parse_instant(date(2024, 6, 1)) == T0 - 10 * 3600

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("now", NOW),
            ("-2h", NOW - 7_200),
            ("-90m", NOW - 5_400),
            ("-3d", NOW - 259_200),
            ("-1w", NOW - 604_800),
            ("+45s", NOW + 45),
            ("-1d2h30m", NOW - (86_400 + 7_200 + 1_800)),
            ("+1h1m1s", NOW + 3_661),
            ("now-2h", NOW - 7_200),
            ("now + 45s", NOW + 45),
            ("  -2h  ", NOW - 7_200),
            ("-0s", NOW),
        ],
    )
    def test_relative_forms_with_now(self, text: str, expected: int) -> None:
        assert parse_instant(text, now=NOW) == expected

    def test_absolute_forms_ignore_now(self) -> None:
        assert parse_instant("2024-06-01T10:00:00Z", now=NOW) == T0
        assert parse_instant(T0, now=NOW) == T0
        assert parse_instant("1717236000", now=NOW) == T0

    @pytest.mark.parametrize("text", ["now", "-2h", "+45s", "-1d2h30m", "now-2h"])
    def test_relative_forms_without_now_are_rejected(self, text: str) -> None:
        with pytest.raises(ValueError, match="is not a time") as info:
            parse_instant(text)
        message = str(info.value)
        assert repr(text) in message
        assert "unix seconds" in message
        assert "ISO 8601" in message
        assert "relative" not in message  # relative forms are not offered without a reference

    def test_rejection_with_now_names_relative_forms_too(self) -> None:
        with pytest.raises(ValueError, match="relative to now") as info:
            parse_instant("yesterday", now=NOW)
        assert "'yesterday' is not a time" in str(info.value)

    @pytest.mark.parametrize("value", [True, False])
    def test_bools_are_rejected(self, value: bool) -> None:
        with pytest.raises(ValueError, match="is not a time"):
            parse_instant(value)
        with pytest.raises(ValueError, match="is not a time"):
            parse_instant(value, now=NOW)

    @pytest.mark.parametrize("value", [1.0, 1717236000.0, 1.5, float("nan")])
    def test_floats_are_rejected(self, value: float) -> None:
        with pytest.raises(ValueError, match="is not a time"):
            parse_instant(value)

    @pytest.mark.parametrize("value", [-1, -T0])
    def test_negative_integers_are_out_of_range(self, value: int) -> None:
        with pytest.raises(ValueError, match="out of range"):
            parse_instant(value)

    def test_too_large_integers_are_out_of_range(self) -> None:
        with pytest.raises(ValueError, match="out of range"):
            parse_instant(2**53)

    def test_relative_result_before_the_epoch_is_out_of_range(self) -> None:
        with pytest.raises(ValueError, match="out of range"):
            parse_instant("-2h", now=3_600)

    def test_pre_epoch_iso_dates_are_rejected_as_out_of_range(self) -> None:
        with pytest.raises(ValueError, match="out of range"):
            parse_instant("1969-12-31T23:59:59Z")

    @pytest.mark.parametrize(
        "value",
        [
            "",
            "   ",
            "abc",
            "-5",
            "1.5",
            "1717236000.0",
            "1e9",
            "2h",  # relative needs a sign
            "-2x",
            "--2h",
            "- h",
            "2024-13-01T00:00:00Z",
            "2024-06-01T25:00:00Z",
            "tomorrow",
            None,
            [T0],
            {"t": T0},
        ],
    )
    def test_garbage_is_rejected_with_the_accepted_forms(self, value: object) -> None:
        with pytest.raises(ValueError) as info:
            parse_instant(value, now=NOW)
        message = str(info.value)
        assert f"{value!r} is not a time" in message
        assert "unix seconds" in message
        assert "ISO 8601" in message
        assert "relative to now" in message


class TestParseDuration:
    YEAR = 365 * 86_400

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (0, 0),
            (7_200, 7_200),
            ("0", 0),
            ("7200", 7_200),
            ("2h", 7_200),
            ("90m", 5_400),
            ("45s", 45),
            ("1d2h30m", 86_400 + 7_200 + 1_800),
            ("1w1s", 604_801),
            (" 2h\n", 7_200),
            ("365d", 365 * 86_400),
        ],
    )
    def test_seconds_and_units(self, value: object, expected: int) -> None:
        assert parse_duration(value, most=self.YEAR) == expected

    @pytest.mark.parametrize(
        "value",
        ["", "soon", "-2h", "+2h", "2h30", "1.5h", "2 h", "h", "-1", "\u0663", -1, 1.5, True,
         None, ["2h"]],
    )  # fmt: skip
    def test_garbage_is_rejected_with_the_accepted_forms(self, value: object) -> None:
        with pytest.raises(ValueError) as info:
            parse_duration(value, most=self.YEAR)
        message = str(info.value)
        assert f"{value!r} is not a duration" in message
        assert "seconds (7200)" in message and "1d2h30m" in message

    @pytest.mark.parametrize("value", ["365d1s", 365 * 86_400 + 1, "53w"])
    def test_over_the_most_names_the_limit(self, value: object) -> None:
        with pytest.raises(ValueError) as info:
            parse_duration(value, most=self.YEAR)
        assert str(info.value) == f"{value!r} is too long: at most 365d (31536000 seconds)"


# --------------------------------------------------------------------------------------------
# model.peak_overlap, session_end; timeline durations
# --------------------------------------------------------------------------------------------


def brute_force_peak(participants: list[Participant], horizon: int) -> int:
    """Count who is in the room at every whole second; stays are half-open [join, join + d)."""
    best = 0
    for t in range(horizon):
        here = sum(
            1
            for p in participants
            if p.join_time <= t and (p.duration is None or t < p.join_time + p.duration)
        )
        best = max(best, here)
    return best


class TestPeakOverlap:
    def test_no_participants(self) -> None:
        assert peak_overlap([]) == 0

    def test_touching_intervals_do_not_overlap(self) -> None:
        assert peak_overlap([participant("a", 0, 10), participant("b", 10, 10)]) == 1
        # also when given out of order
        assert peak_overlap([participant("b", 10, 10), participant("a", 0, 10)]) == 1

    def test_overlapping_by_one_second(self) -> None:
        assert peak_overlap([participant("a", 0, 11), participant("b", 10, 10)]) == 2

    def test_a_present_participant_never_leaves(self) -> None:
        people = [participant("a", 0, None), participant("b", 1_000_000, 10)]
        assert peak_overlap(people) == 2

    def test_chain_of_handovers_stays_at_one(self) -> None:
        people = [participant(str(i), 10 * i, 10) for i in range(20)]
        assert peak_overlap(people) == 1

    def test_nested_stays(self) -> None:
        people = [
            participant("a", 0, 100),
            participant("b", 10, 50),
            participant("c", 20, 10),
            participant("d", 30, 5),  # starts right as c leaves
            participant("e", 55, 10),
        ]
        # at t=20..29: a, b, c -> 3; at t=30..34: a, b, d -> 3; at 55..59: a, b, e -> 3
        assert peak_overlap(people) == 3

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.tuples(st.integers(0, 20), st.none() | st.integers(0, 12)),
            max_size=8,
        )
    )
    def test_matches_a_brute_force_count(self, stays: list[tuple[int, int | None]]) -> None:
        people = [participant(str(i), join, d) for i, (join, d) in enumerate(stays)]
        assert peak_overlap(people) == brute_force_peak(people, horizon=40)


class TestDurations:
    def test_the_end_is_the_last_leave(self) -> None:
        people = [participant("a", 95, 50), participant("b", 110, 60), participant("c", 120, 5)]
        assert session_end(people) == 170  # last leave: 110 + 60
        s = Session.of("s", "r", 100, people)
        assert timeline.duration(s, 10_000) == 70

    def test_duration_with_a_join_before_the_start(self) -> None:
        s = Session.of("s", "r", 1_030, [participant("a", 1_000, 300)])
        assert timeline.duration(s, 10_000) == 270

    def test_an_open_stay_means_no_end(self) -> None:
        assert session_end([participant("a", 0, 10), participant("b", 5, None)]) is None

    def test_ended_session_duration_ignores_later_instants(self) -> None:
        s = ended("s", "alpha", T0, duration=600)
        assert timeline.duration(s, T0 + 600) == 600
        assert timeline.duration(s, T0 + 100_000) == 600
        assert timeline.duration(s, T0 + 100) == 100  # earlier, it was running

    def test_ongoing_session_duration_grows_with_now(self) -> None:
        s = ongoing("s", "alpha", T0)
        assert timeline.duration(s, T0) == 0
        assert timeline.duration(s, T0 + 600) == 600
        assert timeline.duration(s, T0 + 3_601) == 3_601

    def test_ongoing_session_duration_is_never_negative(self) -> None:
        assert timeline.duration(ongoing("s", "alpha", T0), T0 - 50) == 0

    def test_present_participant_duration_grows_with_now(self) -> None:
        p = participant("p", T0 - 20, None)
        assert timeline.stay_duration(p, T0) == 20
        assert timeline.stay_duration(p, T0 + 100) == 120
        assert timeline.stay_duration(p, T0 - 30) == 0

    def test_departed_participant_duration_is_fixed(self) -> None:
        p = participant("p", T0, 45)
        assert timeline.stay_duration(p, T0 + 10_000) == 45
        assert timeline.stay_duration(p, T0 + 30) == 30  # still there at T0 + 30


# --------------------------------------------------------------------------------------------
# clock.Clock
# --------------------------------------------------------------------------------------------


class FakeSource:
    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


class TestClock:
    def test_frozen_clock_does_not_move(self) -> None:
        source = FakeSource(5_000.0)
        clock = Clock(T0, source=source)
        assert clock.frozen
        assert clock.now() == T0
        source.t += 1_000
        assert clock.now() == T0

    def test_real_clock_follows_the_source_as_integer_seconds(self) -> None:
        source = FakeSource(T0 + 0.9)
        clock = Clock(source=source)
        assert not clock.frozen
        assert clock.now() == T0
        source.t = T0 + 30.2
        assert clock.now() == T0 + 30
        assert isinstance(clock.now(), int)

    def test_default_source_is_real_time(self) -> None:
        import time

        before = int(time.time())
        now = Clock().now()
        after = int(time.time())
        assert before <= now <= after

    def test_set_freezes_a_real_clock(self) -> None:
        source = FakeSource(T0)
        clock = Clock(source=source)
        clock.set(1_000)
        assert clock.frozen
        assert clock.now() == 1_000
        source.t += 500
        assert clock.now() == 1_000

    def test_set_moves_a_frozen_clock(self) -> None:
        clock = Clock(T0, source=FakeSource(0))
        clock.set(T0 - 3_600)
        assert clock.now() == T0 - 3_600

    def test_advance_a_frozen_clock(self) -> None:
        clock = Clock(T0, source=FakeSource(0))
        clock.advance(90)
        assert clock.now() == T0 + 90
        clock.advance(10)
        assert clock.now() == T0 + 100
        assert clock.frozen

    def test_advance_a_real_clock_shifts_it(self) -> None:
        source = FakeSource(T0)
        clock = Clock(source=source)
        clock.advance(3_600)
        assert not clock.frozen
        assert clock.now() == T0 + 3_600
        source.t = T0 + 5
        assert clock.now() == T0 + 3_605  # still running, with the offset
        clock.advance(-600)
        assert clock.now() == T0 + 3_005

    def test_unfreeze_returns_to_real_time_without_offset(self) -> None:
        source = FakeSource(T0)
        clock = Clock(source=source)
        clock.advance(3_600)
        clock.set(42)
        clock.advance(8)
        assert clock.now() == 50
        clock.unfreeze()
        assert not clock.frozen
        assert clock.now() == T0
        source.t = T0 + 7
        assert clock.now() == T0 + 7

    def test_unfreeze_a_clock_frozen_at_construction(self) -> None:
        clock = Clock(0, source=FakeSource(T0))
        assert clock.now() == 0  # zero is a valid frozen instant, not "not frozen"
        assert clock.frozen
        clock.unfreeze()
        assert clock.now() == T0


# --------------------------------------------------------------------------------------------
# store.Store
# --------------------------------------------------------------------------------------------


class TestStore:
    def test_duplicate_session_id_is_rejected(self) -> None:
        with pytest.raises(DuplicateSessionId, match="'dup'") as info:
            Store([ended("dup", "alpha", T0), ended("x", "beta", T0), ended("dup", "beta", T0 + 9)])
        assert info.value.session_id == "dup"
        assert isinstance(info.value, ValueError)

    def test_get(self) -> None:
        a = ended("a", "alpha", T0)
        b = ongoing("b", "beta", T0 + 60)
        store = Store([b, a])
        assert store.get("a") is a
        assert store.get("b") is b
        assert store.get("c") is None
        assert store.get("") is None
        assert len(store) == 2

    def test_rooms_are_distinct_and_sorted(self) -> None:
        store = Store(
            [
                ended("1", "zeta", T0),
                ended("2", "Alpha", T0),
                ended("3", "alpha", T0),
                ongoing("4", "zeta", T0),
                ended("5", "mid", T0),
            ]
        )
        assert store.rooms == ["Alpha", "alpha", "mid", "zeta"]

    def test_empty_store(self) -> None:
        store = Store()
        assert len(store) == 0
        assert store.rooms == []
        assert store.get("a") is None
