"""Recordings on the timeline (domain/recordings.py) and the scenario's `recordings:` block."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.query import OLDEST, UnknownCursor
from fake_meetings.domain.recordings import (
    DEFAULT_MAX_DURATION,
    Recording,
    Recordings,
    RecordingsQuery,
    as_json,
    list_recordings,
    recording_id,
    s3_key,
    seen_at,
)
from fake_meetings.scenario.scenario import ScenarioError, load_text, merge_all
from tests.helpers.models import key_ms

T = 1_700_000_000


def _session(start: int, *stays: tuple[int, int | None], sid: str = "s1") -> Session:
    people = [Participant(f"p{i}", None, None, j, d) for i, (j, d) in enumerate(stays)]
    return Session.of(sid, "room", start, people)


def test_a_recording_is_in_progress_until_it_stops_then_finished() -> None:
    session = _session(T, (T, 600), (T + 100, 300))
    rec = Recording("r", "room", "s1", T + 50, end=T + 500)
    assert seen_at(rec, session, T + 50).status == "in-progress"
    seen = seen_at(rec, session, T + 120)
    assert (seen.status, seen.duration, seen.max_participants) == ("in-progress", None, 2)
    done = seen_at(rec, session, T + 500)
    assert (done.status, done.duration, done.max_participants) == ("finished", 450, 2)
    assert "duration" not in as_json(seen, "dom") and as_json(done, "dom")["duration"] == 450


def test_it_stops_when_the_session_ends_or_at_max_duration() -> None:
    session = _session(T, (T, 600))
    assert seen_at(Recording("r", "room", "s1", T), session, T + 600).duration == 600
    capped = Recording("r", "room", "s1", T, max_duration=60)
    assert seen_at(capped, session, T + 60).duration == 60
    live = _session(T, (T, None))  # an open stay: the session has no end yet
    forever = Recording("r", "room", "s1", T)
    assert seen_at(forever, live, T + DEFAULT_MAX_DURATION - 1).status == "in-progress"
    assert seen_at(forever, live, T + DEFAULT_MAX_DURATION).duration == DEFAULT_MAX_DURATION


def test_canceled_and_zero_length_recordings_are_canceled_with_duration_0() -> None:
    session = _session(T, (T, 600))
    canceled = seen_at(Recording("r", "room", "s1", T, end=T + 30, canceled=True), session, T + 30)
    assert (canceled.status, canceled.duration) == ("canceled", 0)
    after_end = seen_at(Recording("r", "room", "s1", T + 700), session, T + 700)
    assert (after_end.status, after_end.duration, after_end.max_participants) == ("canceled", 0, 0)


def test_the_object_has_daily_fields() -> None:
    rec = Recording(recording_id("x"), "room", "s1", T)
    body = as_json(seen_at(rec, _session(T, (T, 9)), T + 9), "dom")
    assert list(body) == [
        "id",
        "room_name",
        "start_ts",
        "status",
        "max_participants",
        "duration",
        "share_token",
        "s3key",
        "mtgSessionId",
        "tracks",
    ]
    assert body["s3key"] == f"dom/room/{key_ms(T, rec.id)}" and body["tracks"] == []
    assert len(body["share_token"]) == 12 and recording_id("x") == rec.id
    assert s3_key(rec, "d", "{room_name}/{recording_id}.mp4") == f"room/{rec.id}.mp4"


def _naive(
    recs: list[Recording],
    room: str | None,
    now: int,
    limit: int,
    after: str | None,
    before: str | None,
    in_progress: bool | None = None,
) -> list[str]:
    keys = {r.id: r.sort_key for r in recs}
    ordered = sorted(
        (
            r
            for r in recs
            if r.start_ts <= now
            and room in (None, r.room_name)
            and in_progress in (None, now < (r.end if r.end is not None else 10**12))
        ),
        key=lambda r: r.sort_key,
        reverse=True,
    )
    ids = [r.id for r in ordered]
    if after is not None:
        return [i for i in ids if keys[i] < keys[after]][:limit]
    if before == OLDEST:
        return ids[-limit:] if limit < len(ids) else ids
    if before is not None:
        newer = [i for i in ids if keys[i] > keys[before]]
        return newer[-limit:] if limit < len(newer) else newer
    return ids[:limit]


RECS = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(["a", "b"]), st.integers(0, 3)),
    min_size=0,
    max_size=12,
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    recs=RECS,
    now=st.integers(0, 7),
    room=st.sampled_from([None, "a", "b", "c"]),
    limit=st.integers(1, 5),
    kind=st.sampled_from(["none", "after", "before", "oldest"]),
    pick=st.integers(0, 20),
    in_progress=st.sampled_from([None, True, False]),
)
def test_pages_match_a_naive_model(
    recs: list[tuple[int, str, int]],
    now: int,
    room: str | None,
    limit: int,
    kind: str,
    pick: int,
    in_progress: bool | None,
) -> None:
    made = [
        Recording(f"id{i:02d}", r, "s", T + t, end=T + t + length)
        for i, (t, r, length) in enumerate(recs)
    ]
    snapshot = Recordings(made)
    after = before = None
    if kind == "after" and made:
        after = made[pick % len(made)].id
    elif kind == "before" and made:
        before = made[pick % len(made)].id
    elif kind == "oldest":
        before = OLDEST
    q = RecordingsQuery(room, limit, after, before, in_progress)
    page = list_recordings(snapshot, q, T + now)
    want = _naive(made, room, T + now, limit, after, before, in_progress)
    assert [r.id for r in page.recordings] == want
    everything = _naive(made, room, T + now, 10**6, None, None, in_progress)
    assert page.total_count == len(everything)


def test_an_unknown_cursor_is_an_error_or_an_empty_page() -> None:
    snapshot = Recordings([Recording("a", "r", "s", T)])
    with pytest.raises(UnknownCursor):
        list_recordings(snapshot, RecordingsQuery(starting_after="zz"), T)
    page = list_recordings(snapshot, RecordingsQuery(ending_before="zz"), T, "empty")
    assert (page.total_count, page.recordings) == (1, [])


SCENARIO = """\
now: 1700000000
sessions:
  - id: s1
    room: standup
    start_time: -1h
    participants:
      - {user_name: A, join_time: -1h, duration: 1800}
recordings:
  - session: s1
    start_ts: -50m
    end: -40m
  - room: standup
    start_ts: -45m
  - id: fixed
    session: s1
"""


def test_the_scenario_block_names_sessions_by_id_or_room_and_start() -> None:
    sc = load_text(SCENARIO, "rec.yaml")
    first, second, third = sc.recordings
    assert (first.mtg_session_id, first.start_ts, first.end) == ("s1", T - 3000, T - 2400)
    assert (second.room_name, second.mtg_session_id, second.end) == ("standup", "s1", None)
    assert (third.id, third.start_ts) == ("fixed", T - 3600)
    assert load_text(SCENARIO, "rec.yaml").recordings == sc.recordings  # stable ids
    assert merge_all([sc]).recordings == list(sc.recordings)


@pytest.mark.parametrize(
    ("block", "line", "words"),
    [
        ("  - session: nope\n", 9, "no session 'nope'"),
        ("  - room: standup\n    start_ts: -2h\n", 9, "is going on at"),
        ("  - room: standup\n", 9, "give start_ts"),
        ("  - start_ts: -2h\n", 9, "name its session"),
        ("  - session: s1\n    start_ts: -2h\n", 10, "before its session"),
        ("  - session: s1\n    end: -2h\n", 10, "before the recording starts"),
        ("  - session: s1\n    end: -2h\n    duration: 5\n", 11, "not both"),
        ("  - session: s1\n    max_duration: 0\n", 10, "1 or more"),
        ("  - session: s1\n    colour: red\n", 10, "colour"),
    ],
)
def test_block_problems_name_their_line(block: str, line: int, words: str) -> None:
    text = SCENARIO.split("recordings:\n")[0] + "recordings:\n" + block
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "rec.yaml")
    assert words in str(caught.value)
    assert f"rec.yaml:{line}" in str(caught.value), str(caught.value)


def test_two_files_declaring_one_id_do_not_merge() -> None:
    one = load_text(SCENARIO, "one.yaml")
    two = load_text(
        SCENARIO.replace("id: s1", "id: s2").replace("session: s1", "session: s2"), "two.yaml"
    )
    with pytest.raises(ScenarioError, match=r"recording id 'fixed' is also declared in one\.yaml"):
        merge_all([one, two])


def test_two_recordings_started_in_one_second_have_two_keys() -> None:
    """A frozen clock starts recordings of one room in the same second: each key's
    ``epoch_time`` is that second and three digits of its own, the same at every instant (the
    digits of rec-a and rec-b are written out: CRC-32 363 and 345)."""
    start = 1_700_000_000
    a, b = Recording("rec-a", "standup", "s1", start), Recording("rec-b", "standup", "s1", start)
    assert s3_key(a, "dom") == "dom/standup/1700000000363"
    assert s3_key(b, "dom") == "dom/standup/1700000000345"
    session = _session(start, (start, 600))
    for now in (start, start + 10, start + 900):
        assert as_json(seen_at(a, session, now), "dom")["s3key"] == "dom/standup/1700000000363"


@example(rec_id="\ud800", start=0)
@given(
    rec_id=st.text(st.characters(blacklist_characters="/"), min_size=1, max_size=40),
    start=st.integers(0, 2**34),
)
def test_a_key_s_epoch_time_lies_inside_its_start_second(rec_id: str, start: int) -> None:
    """Any id, lone surrogates included (one made the key fail before), gives a key."""
    epoch = int(s3_key(Recording(rec_id, "room", "s1", start), "dom").rsplit("/", 1)[1])
    assert start * 1000 <= epoch < (start + 1) * 1000
