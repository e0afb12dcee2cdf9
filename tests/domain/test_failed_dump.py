"""Recordings and transcripts failed on purpose survive a dump (``scenario/dump.py`` ->
``recordingblock.py``, ``transcriptblock.py``): for failures drawn by hypothesis (which items,
when, with what text: unicode, characters YAML cannot hold as they are, 1,000 characters), the
world loaded from the dump holds the same recordings and transcripts, shows the same REST
objects at instants before, at and after the failures, sends the same recording and transcript
webhooks, and dumps to the same text again."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.failed import FailedRecording
from fake_meetings.domain.recordingevents import Shelf, between
from fake_meetings.domain.recordings import as_json, seen_at
from fake_meetings.domain.transcripts import MAX_ERROR
from fake_meetings.domain.world import World, transcript_json
from fake_meetings.errors import ApiError
from fake_meetings.scenario.dump import dump_scenario
from fake_meetings.scenario.scenario import load_text
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

T = 1_717_243_200
DOMAIN = "fake-meetings"
UUID1, UUID3, UUID4 = (f"{n * 8}-{n * 4}-4{n * 3}-8{n * 3}-{n * 12}" for n in "134")
SCENARIO = f"""\
now: {T}
sessions:
  - id: s1
    room: standup
    start_time: -2h
    participants:
      - {{participant_id: p-a, join_time: -2h}}
      - {{participant_id: p-b, join_time: -1h, duration: 1800}}
  - id: s2
    room: retro
    start_time: -30m
    participants:
      - {{participant_id: p-c, join_time: -30m, duration: 3600}}
recordings:  # those of one room each on its own instance, as they run together
  - {{id: r0, session: s1, start_ts: -90m}}
  - {{id: r1, session: s1, start_ts: -60m, end: +20m, instance_id: {UUID1}}}
  - {{id: r2, session: s2, start_ts: -20m, type: cloud-audio-only}}
  - {{id: r3, session: s1, start_ts: -10m, max_duration: 900, instance_id: {UUID3}}}
  - {{id: r4, session: s2, start_ts: -5m, end: +40m, type: raw-tracks, instance_id: {UUID4}}}
transcripts:
  - {{id: t0, session: s1, start_ts: -90m}}
  - {{id: t1, session: s2, start_ts: -25m}}
  - {{id: t2, session: s1, start_ts: -30m, end: +10m, stored: false}}
"""
RECORDINGS = ("r0", "r1", "r2", "r3", "r4")
TRANSCRIPTS = ("t0", "t1", "t2")

# texts YAML does not hold as they are (PyYAML refuses DEL and the C1 controls, reads U+0085
# and U+2028 as line breaks, folding the spaces around them), quotes, line breaks and
# characters outside the BMP
AWKWARD = "d\u00e9j\u00e0 \x7f\x85\x9f \ufffe\uffff \u2028 \"q\" 'a' \\ \n\t # : - {} [] \U0001f4a5"
texts = st.one_of(
    st.none(),  # the default text
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=MAX_ERROR).filter(
        str.strip
    ),
    st.just("\u00e9" * MAX_ERROR),
    st.just(AWKWARD),
)


def world_of(text: str, source: str, now: int) -> World:
    sc = load_text(text, source)
    return World(
        sc.sessions, Clock(now), sc.rooms, sc.domain, sc.recordings, transcripts=sc.transcripts
    )


def dumped(world: World) -> str:
    out = io.StringIO()
    dump_scenario(
        world.store.sessions,
        out,
        now=world.clock.now(),
        recordings=world.recordings.ordered,
        transcripts=world.transcripts.ordered,
    )
    return out.getvalue()


def answers(world: World, now: int) -> dict[str, Any]:
    """What ``world`` shows at ``now``: every visible recording's and transcript's REST
    object."""
    out: dict[str, Any] = {}
    for r in world.recordings.ordered:
        if r.start_ts <= now:
            seen = seen_at(r, world.store.get(r.mtg_session_id), now)
            out[r.id] = (as_json(seen, DOMAIN), seen.max_participants)
    for t in world.transcripts.ordered:
        if t.start_ts <= now:
            out[t.id] = transcript_json(world, t, now, DOMAIN)
    return out


def events(world: World, before: int, after: int) -> list[dict[str, Any]]:
    shelf = Shelf(world.recordings, DOMAIN, transcripts=world.transcripts)
    return [e.envelope() for e in between(shelf, world.store, before, after)]


failures = st.lists(
    st.tuples(st.sampled_from(RECORDINGS + TRANSCRIPTS), st.integers(0, 50 * 60), texts),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(failures, st.integers(0, 3 * 3600))
def test_failed_items_read_back_the_same(
    drawn: list[tuple[str, int, str | None]], later: int
) -> None:
    space = Namespace(world_of(SCENARIO, "failures.yaml", T), Journal())
    instants = [T - 3600, T]
    for item, offset, text in sorted(drawn, key=lambda d: d[1]):
        space.advance_clock(T + offset - space.world.clock.now())
        fail = space.fail_recording if item.startswith("r") else space.fail_transcript
        try:
            fail(item, text)
        except ApiError as exc:  # stopped already (or failed): refused, nothing changes
            assert exc.status == 400, exc.info
        instants += [T + offset - 1, T + offset, T + offset + 1]
    space.advance_clock(later)
    world = space.world
    first = dumped(world)
    again = world_of(first, "dumped.yaml", world.clock.now())

    assert list(again.recordings.ordered) == list(world.recordings.ordered)
    assert list(again.transcripts.ordered) == list(world.transcripts.ordered)
    for now in [*instants, world.clock.now(), world.clock.now() + 4 * 3600]:
        assert answers(again, now) == answers(world, now), now
    end = world.clock.now() + 4 * 3600
    assert events(again, T - 3 * 3600, end) == events(world, T - 3 * 3600, end)
    assert dumped(again) == first


def test_a_failed_recording_is_written_with_its_text_and_read_back_failed() -> None:
    space = Namespace(world_of(SCENARIO, "failures.yaml", T), Journal())
    space.advance_clock(60)
    space.fail_recording("r0", AWKWARD)
    space.fail_transcript("t1", "x" * MAX_ERROR)
    first = dumped(space.world)
    line = next(x for x in first.splitlines() if '"r0"' in x)
    assert "error: " in line and "canceled" not in line  # error: implies canceled
    again = world_of(first, "dumped.yaml", T + 60)
    r0 = again.recordings.visible("r0", T + 60)
    assert isinstance(r0, FailedRecording)
    assert (r0.end, r0.canceled, r0.error_msg) == (T + 60, True, AWKWARD)
    at = seen_at(r0, again.store.get("s1"), T + 60)
    assert (at.status, at.duration) == ("canceled", 0)
    (error,) = [e for e in events(again, T, T + 60) if e["type"] == "recording.error"]
    assert error["payload"]["error_msg"] == AWKWARD
    t1 = again.transcripts.visible("t1", T + 60)
    assert t1 is not None and (t1.end, t1.error) == (T + 60, "x" * MAX_ERROR)


@pytest.mark.parametrize("canceled", ["", ", canceled: true"])
def test_a_declared_error_fails_the_recording_at_its_stop(canceled: str) -> None:
    text = SCENARIO.replace("start_ts: -90m}", f'start_ts: -90m, error: "disk full"{canceled}}}', 1)
    world = world_of(text, "declared.yaml", T)
    r0 = world.recordings.visible("r0", T)
    assert isinstance(r0, FailedRecording) and r0.canceled
    stop = T - 90 * 60 + 10800  # its max_duration
    assert seen_at(r0, world.store.get("s1"), stop - 1).status == "in-progress"
    assert (seen_at(r0, world.store.get("s1"), stop).status, r0.error_msg) == (
        "canceled",
        "disk full",
    )
    sent = [
        (e["type"], e["payload"]) for e in events(world, T, stop) if e["type"].startswith("rec")
    ]
    assert sent[-1][0] == "recording.error" and sent[-1][1]["error_msg"] == "disk full"
