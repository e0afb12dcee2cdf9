"""The generator: contract §1 invariants over thousands of sessions; determinism; round trip."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain import timeline
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.model import Session
from fake_meetings.scenario.dump import dump_scenario
from fake_meetings.scenario.scenario import load_text

NOW = 1_717_243_200  # 2024-06-01T12:00:00Z
MONDAY = 1_717_408_800  # 2024-06-03T10:00:00Z: working hours, so ahead of it sessions are common


def brute_force_peak(stays: list[tuple[int, int]]) -> int:
    """Peak simultaneous presence, counted by brute force at every join instant (independent of
    the model's sweep); a stay is [join, leave). Presence only rises at a join, so the most people
    at once are there at some join instant (or, for stays of no length, nobody is: 0)."""
    return max(sum(a <= t < b for a, b in stays) for t in {a for a, _ in stays})


def check_invariants(s: Session, now: int, window: tuple[int, int]) -> None:
    assert isinstance(s.start_time, int) and window[0] <= s.start_time < window[1]
    assert s.participants, "at least one participant"
    ids = [p.participant_id for p in s.participants]
    assert len(set(ids)) == len(ids)
    assert [(p.join_time, p.participant_id) for p in s.participants] == sorted(
        (p.join_time, p.participant_id) for p in s.participants
    )
    stays = []
    for p in s.participants:
        assert isinstance(p.join_time, int)
        assert p.join_time >= s.start_time - 30, "a join precedes the start by 30 s at most"
        assert p.duration is not None and p.duration >= 10, "every stay is whole, 10 s or more"
        stays.append((p.join_time, p.join_time + p.duration))
    # the session ends at the last leave; its peak is the most people in the room at once
    assert s.end == max(leave for _, leave in stays)
    assert s.peak == brute_force_peak(stays)
    # at now: ongoing exactly while someone is still to leave; what is visible is what joined
    assert timeline.ongoing(s, now) == (s.end > now)
    seen = [(a, min(b, now + 1)) for a, b in stays if a <= now]
    if timeline.visible(s, now) and seen:
        assert timeline.max_participants(s, now) == brute_force_peak(seen)
        assert timeline.duration(s, now) == min(now, s.end) - s.start_time


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    rooms=st.integers(1, 30),
    days=st.integers(1, 60),
    tz=st.sampled_from(["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata"]),
)
def test_invariants_hold_over_seeds_and_options(seed: int, rooms: int, days: int, tz: str) -> None:
    spec = GenerateSpec(sessions=160, rooms=rooms, seed=seed, start=NOW - days * 86400, tz=tz)
    sessions = generate(spec, NOW)
    assert len(sessions) == 160
    assert len({s.id for s in sessions}) == 160
    assert len({s.room for s in sessions}) <= rooms
    for s in sessions:
        check_invariants(s, NOW, spec.window(NOW))


@pytest.mark.slow
def test_invariants_over_thousands_with_a_window_ending_now() -> None:
    # A 2-day window ending at now makes ongoing sessions (straddling now) common enough to test.
    spec = GenerateSpec(sessions=4000, rooms=12, seed=11, start=NOW - 2 * 86400)
    sessions = generate(spec, NOW)
    for s in sessions:
        check_invariants(s, NOW, spec.window(NOW))
    assert any(timeline.ongoing(s, NOW) for s in sessions)


@pytest.mark.slow
@pytest.mark.parametrize("ahead", [2 * 3600, 3 * 86400])
def test_with_ahead_sessions_also_start_after_now(ahead: int) -> None:
    spec = GenerateSpec(sessions=3000, rooms=10, seed=4, start=MONDAY - 2 * 86400, ahead=ahead)
    sessions = generate(spec, MONDAY)
    window = (MONDAY - 2 * 86400, MONDAY + ahead)
    for s in sessions:
        check_invariants(s, MONDAY, window)
    future = [s for s in sessions if s.start_time > MONDAY]
    assert len(future) > len(sessions) * 0.05  # the future part is the window's, not a trace
    # whole stays: sessions under way at now keep their leaves after it
    assert any(s.start_time <= MONDAY < s.end for s in sessions if s.end is not None)


def test_ahead_leaves_the_past_part_of_the_default_window_alone() -> None:
    # no start given: 30 days back from now (not from now + ahead), then ahead into the future
    sessions = generate(GenerateSpec(sessions=2000, seed=6, ahead=86400), MONDAY)
    starts = [s.start_time for s in sessions]
    assert MONDAY - 30 * 86400 <= min(starts) < MONDAY - 29 * 86400
    assert MONDAY < max(starts) < MONDAY + 86400


def test_shapes_are_realistic() -> None:
    spec = GenerateSpec(sessions=5000, rooms=8, seed=3, tz="Europe/Berlin")
    sessions = generate(spec, NOW)
    tz = ZoneInfo("Europe/Berlin")
    local = [datetime.fromtimestamp(s.start_time, tz) for s in sessions]
    weekday_share = sum(d.weekday() < 5 for d in local) / len(local)
    working_share = sum(8 <= d.hour < 18 for d in local) / len(local)
    assert weekday_share > 0.85 and working_share > 0.7
    ended = sorted(s.end - s.start_time for s in sessions if s.end is not None and s.end <= NOW)
    in_5_to_60 = sum(300 <= d <= 3600 for d in ended) / len(ended)
    assert in_5_to_60 > 0.6 and ended[-1] > 3 * 3600  # most 5-60 min, a tail of hours
    heads = Counter(len(s.participants) for s in sessions)
    assert heads[1] > 0 and max(heads) >= 12
    people = [p for s in sessions for p in s.participants]
    assert any(p.user_id is None for p in people) and any(p.user_name is None for p in people)
    assert sum(p.user_id is None for p in people) < len(people) / 2
    late = [p for s in sessions for p in s.participants if p.join_time > s.start_time + 60]
    assert len(late) > len(people) / 10
    early = [s for s in sessions if s.participants[0].join_time < s.start_time]
    assert 0 < len(early) < len(sessions) * 0.05  # the 30 s rule: present but rare


def test_same_seed_same_sessions_different_seed_different() -> None:
    spec = GenerateSpec(sessions=300, seed=42, locale="de_DE")
    assert generate(spec, NOW) == generate(spec, NOW)
    other = generate(GenerateSpec(sessions=300, seed=43, locale="de_DE"), NOW)
    assert {s.id for s in other}.isdisjoint({s.id for s in generate(spec, NOW)})


@pytest.mark.parametrize("locale", ["en_US", "ja_JP"])
def test_written_scenario_loads_back_identically(locale: str) -> None:
    spec = GenerateSpec(sessions=400, seed=5, start=NOW - 86400, locale=locale)
    sessions = generate(spec, NOW)
    out = io.StringIO()
    assert dump_scenario(sessions, out, now=NOW, header="test") == 400
    loaded = load_text(out.getvalue(), "generated.yaml")
    assert loaded.now == NOW
    assert sorted(loaded.sessions, key=lambda s: s.id) == sorted(sessions, key=lambda s: s.id)


def test_generate_block_in_a_scenario_adds_to_hand_written_sessions() -> None:
    text = """\
now: 2024-06-01T12:00:00Z
generate: {sessions: 50, rooms: 3, seed: 9, start: -7d}
sessions:
  - room: by-hand
    start_time: -1h
    participants: [{join_time: -1h, duration: 600}]
"""
    scenario = load_text(text, "mixed.yaml")
    assert len(scenario.sessions) == 51
    expected = generate(GenerateSpec(50, 3, 9, NOW - 7 * 86400, None), NOW)
    assert list(scenario.sessions[1:]) == expected


@pytest.mark.parametrize(("ahead", "seconds"), [("2h", 7200), ("1d2h30m", 95400), (5400, 5400)])
def test_generate_block_ahead(ahead: object, seconds: int) -> None:
    text = f"now: {MONDAY}\ngenerate: {{sessions: 400, seed: 2, start: -1d, ahead: {ahead}}}\n"
    sessions = load_text(text, "ahead.yaml").sessions
    assert all(MONDAY - 86400 <= s.start_time < MONDAY + seconds for s in sessions)
    assert any(s.start_time > MONDAY for s in sessions)
    spec = GenerateSpec(400, seed=2, start=MONDAY - 86400, ahead=seconds)
    assert list(sessions) == generate(spec, MONDAY)


@pytest.mark.parametrize(
    ("block", "path", "message"),
    [
        ("{rooms: 3}", "generate", "missing required key 'sessions'"),
        ("{sessions: -1}", "generate.sessions", "0 or more"),
        ("{sessions: 5, tz: Mars/Base}", "generate.tz", "unknown time zone"),
        ("{sessions: 5, locale: xx_XX}", "generate.locale", "unknown Faker locale"),
        ("{sessions: 5, start: yesterday}", "generate.start", "is not a time"),
        ("{sessions: 5, colour: red}", "generate.colour", "unknown key"),
        (
            "{sessions: 5, ahead: soon}",
            "generate.ahead",
            "'soon' is not a duration: expected "
            "seconds (7200) or a duration in w, d, h, m, s (2h, 90m, 1d2h30m, 45s)",
        ),
        ("{sessions: 5, ahead: -2h}", "generate.ahead", "'-2h' is not a duration"),
        ("{sessions: 5, ahead: 1.5}", "generate.ahead", "1.5 is not a duration"),
        ("{sessions: 5, ahead: 366d}", "generate.ahead", "'366d' is too long: at most 365d"),
    ],
)
def test_bad_generate_block(block: str, path: str, message: str) -> None:
    from fake_meetings.scenario.scenario import ScenarioError

    with pytest.raises(ScenarioError) as info:
        load_text(f"now: 1717243200\ngenerate: {block}\n", "g.yaml")
    text = str(info.value)
    assert text.startswith(f"g.yaml:2: {path}: ") and message in text
