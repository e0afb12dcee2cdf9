"""Transcripts on the timeline (domain/transcripts.py) against a naive model at random clock
positions, and the WebVTT file's cues (domain/vtt.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.query import OLDEST
from fake_meetings.domain.transcripts import (
    Transcript,
    Transcripts,
    TranscriptsQuery,
    list_transcripts,
    seen_at,
)
from fake_meetings.domain.vtt import cues, webvtt
from tests.helpers.models import NaiveTranscript, keyset_page, naive_transcripts

T = 1_700_000_000
ROOMS, SESSIONS = ("room-1", "room-2"), ("s1", "s2", "s3")


def _session(sid: str, start: int, *stays: tuple[int, int | None]) -> Session:
    people = [Participant(f"p{i}", None, f"N{i}", j, d) for i, (j, d) in enumerate(stays)]
    return Session.of(sid, "room", start, people)


def test_in_progress_until_stopped_or_the_session_ends() -> None:
    session = _session("s1", T, (T, 600), (T + 100, 300))
    tr = Transcript("t", "room", "room-id", "s1", T + 50)
    assert seen_at(tr, session, T + 599).status == "t_in_progress"
    done = seen_at(tr, session, T + 600)
    assert (done.status, done.duration, done.stop) == ("t_finished", 550, T + 600)
    stopped = Transcript("t", "room", "room-id", "s1", T + 50, end=T + 80, stored=True)
    assert seen_at(stopped, session, T + 80).vtt_available
    failed = Transcript("t", "room", "room-id", "s1", T + 50, end=T + 80, error="boom")
    assert seen_at(failed, session, T + 80).status == "t_error"
    live = _session("s1", T, (T, None))
    assert seen_at(tr, live, T + 10**6).status == "t_in_progress"


_items = st.lists(
    st.tuples(
        st.sampled_from(ROOMS),
        st.sampled_from(SESSIONS),
        st.integers(0, 50),
        st.one_of(st.none(), st.integers(0, 30)),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    items=_items,
    now=st.integers(-5, 90),
    room=st.one_of(st.none(), st.sampled_from(ROOMS)),
    sid=st.one_of(st.none(), st.sampled_from(SESSIONS)),
    limit=st.integers(1, 6),
    cursor=st.one_of(st.none(), st.integers(0, 29), st.just(-1)),
    before=st.booleans(),
)
def test_pages_and_visibility_match_the_naive_model(
    items: list[tuple[str, str, int, int | None]],
    now: int,
    room: str | None,
    sid: str | None,
    limit: int,
    cursor: int | None,
    before: bool,
) -> None:
    naive: list[NaiveTranscript] = []
    transcripts = []
    for i, (room_id, session_id, start, length) in enumerate(items):
        end = None if length is None else T + start + length
        tr_id = f"t{i:02d}"
        naive.append((tr_id, room_id, session_id, T + start, end))
        transcripts.append(Transcript(tr_id, "r", room_id, session_id, T + start, end=end))
    snapshot = Transcripts(transcripts)
    ordered, keys, seen = naive_transcripts(naive, T + now, room, sid)
    after = bef = None
    if cursor == -1:
        bef = OLDEST if before else None
    elif cursor is not None and ordered:
        chosen = ordered[cursor % len(ordered)]
        after, bef = (None, chosen) if before else (chosen, None)
    q = TranscriptsQuery(room, sid, limit, after, bef)
    page = list_transcripts(snapshot, q, T + now)
    assert page.total_count == len(ordered)
    assert [t.id for t in page.transcripts] == keyset_page(ordered, limit, after, bef, keys)
    for t in page.transcripts:
        got = seen_at(t, None, T + now)
        assert (got.status, got.duration) == seen[t.id]


@settings(max_examples=60, deadline=None)
@given(
    stays=st.lists(
        st.tuples(st.integers(-100, 400), st.one_of(st.none(), st.integers(0, 400))),
        min_size=1,
        max_size=6,
    ),
    start=st.integers(0, 100),
    length=st.integers(0, 600),
)
def test_cues_lie_inside_their_speaker_s_stay_and_the_span(
    stays: list[tuple[int, int | None]], start: int, length: int
) -> None:
    people = [Participant(f"p{i}", None, f"N{i}", T + j, d) for i, (j, d) in enumerate(stays)]
    found = cues("seed", people, T + start, T + start + length)
    last = 0
    for begin, end, stay, _ in found:
        assert last <= begin < end <= length * 1000
        leave = stay.leave if stay.leave is not None else T + start + length
        assert (stay.join_time - T - start) * 1000 <= begin and end <= (leave - T - start) * 1000
        last = end
    text = webvtt("seed", people, T + start, T + start + length)
    assert text == webvtt("seed", people, T + start, T + start + length)
    assert text.count("transcript:") == len(found)
