"""The failure commands of a namespace (``state/failures.py``), called directly: a recording or
a transcript in progress fails now (its status, duration and text after), the refusals (an
unknown id, one not in progress, a bad text), the clock moved back before the failure, and a
reset bringing the scenario's items back. The expected values are worked out from the scenario
written here."""

from __future__ import annotations

from typing import Any

import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.recordings import GeneratedRecording, seen_at
from fake_meetings.domain.recordstart import StartOptions
from fake_meetings.domain.transcripts import seen_at as transcript_seen_at
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.scenario.scenario import load_text
from fake_meetings.state.bounds import Bounds
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

T = 1_700_000_000
SCENARIO = f"""\
now: {T}
sessions:
  - id: s1
    room: standup
    start_time: -10m
    participants:
      - {{participant_id: p-a, join_time: -10m}}
recordings:
  - {{id: rec-live, session: s1, start_ts: -5m}}
  - {{id: rec-done, session: s1, start_ts: -9m, end: -8m}}
  - {{id: rec-canceled, session: s1, start_ts: -7m, end: -6m, canceled: true}}
  - {{id: rec-later, session: s1, start_ts: +1m}}
transcripts:
  - {{id: tr-live, session: s1, start_ts: -4m}}
  - {{id: tr-done, session: s1, start_ts: -9m, end: -8m}}
"""


def space(bounds: Bounds | None = None, generated: bool = False) -> Namespace:
    """The scenario's namespace; with ``generated``, also a generated recording in progress
    (``gen-live``, on its own instance), as a `generate:` block draws them."""
    sc = load_text(SCENARIO, "failures.yaml")
    recordings = list(sc.recordings)
    if generated:
        other = "9d1c4a8e-0b2f-4e6d-8a7c-3f5e1d2b4c6a"
        recordings.append(
            GeneratedRecording("gen-live", "standup", "s1", T - 180, instance_id=other)
        )
    world = World(
        sc.sessions, Clock(T), sc.rooms, sc.domain, recordings, transcripts=sc.transcripts
    )
    return Namespace(world, Journal(), bounds=bounds)


def refused(status: int, call: Any, *args: Any) -> str:
    with pytest.raises(ApiError) as caught:
        call(*args)
    assert caught.value.status == status, caught.value.info
    return caught.value.info


def recording_now(s: Namespace, rec_id: str) -> tuple[str, int | None]:
    world = s.world
    r = world.recordings.visible(rec_id, world.clock.now())
    assert r is not None
    seen = seen_at(r, world.store.get(r.mtg_session_id), world.clock.now())
    return seen.status, seen.duration


def transcript_now(s: Namespace, tr_id: str) -> tuple[str, int, str | None]:
    world = s.world
    t = world.transcripts.visible(tr_id, world.clock.now())
    assert t is not None
    seen = transcript_seen_at(t, world.store.get(t.mtg_session_id), world.clock.now())
    return seen.status, seen.duration, t.error


def test_a_recording_in_progress_fails_now_canceled_with_its_text() -> None:
    s = space()
    s.advance_clock(20)
    failed = s.fail_recording("rec-live", "cloud-recording-error: disk full")
    assert (failed.end, failed.canceled, failed.error_msg) == (
        T + 20,
        True,
        "cloud-recording-error: disk full",
    )
    assert recording_now(s, "rec-live") == ("canceled", 0)
    s.advance_clock(60)
    assert recording_now(s, "rec-live") == ("canceled", 0)  # it stays stopped


def test_a_recording_fails_with_the_default_text_when_none_is_given() -> None:
    s = space()
    assert s.fail_recording("rec-live").error_msg == "cloud-recording-error: recording failed"


def test_a_recording_not_in_progress_cannot_fail() -> None:
    s = space()
    assert "recording nope not found" in refused(404, s.fail_recording, "nope")
    assert "recording rec-later not found" in refused(404, s.fail_recording, "rec-later")
    assert "rec-done is finished, not in progress" in refused(400, s.fail_recording, "rec-done")
    info = refused(400, s.fail_recording, "rec-canceled")
    assert "rec-canceled is canceled, not in progress" in info
    s.fail_recording("rec-live")
    assert "rec-live is canceled" in refused(400, s.fail_recording, "rec-live")  # failed already


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (42, "error: must be a string (the failure's text); got a number"),
        ("  ", "error: must not be empty"),
        ("x" * 1001, "error: at most 1,000 characters; got 1,001"),
    ],
)
def test_a_bad_text_is_refused_and_changes_nothing(error: object, words: str) -> None:
    s = space()
    assert words in refused(400, s.fail_recording, "rec-live", error)
    assert words in refused(400, s.fail_transcript, "tr-live", error)
    assert recording_now(s, "rec-live") == ("in-progress", None)
    assert transcript_now(s, "tr-live") == ("t_in_progress", 0, None)


def test_a_text_of_the_longest_length_is_kept() -> None:
    s = space()
    assert s.fail_recording("rec-live", "y" * 1000).error_msg == "y" * 1000


def test_moving_the_clock_back_before_a_failure_shows_it_in_progress_as_a_stop_does() -> None:
    s = space()
    s.advance_clock(30)
    s.fail_recording("rec-live", "boom")
    s.fail_transcript("tr-live", "no audio")
    s.set_clock(T + 10)
    assert recording_now(s, "rec-live") == ("in-progress", None)
    assert transcript_now(s, "tr-live")[:2] == ("t_in_progress", 0)
    s.set_clock(T + 100)  # forward again: stopped at the failure's instant
    assert recording_now(s, "rec-live") == ("canceled", 0)
    assert transcript_now(s, "tr-live") == ("t_error", 270, "no audio")


def test_a_transcript_in_progress_fails_now_with_t_error() -> None:
    s = space()
    s.advance_clock(15)
    failed = s.fail_transcript("tr-live", "transcription failed: no audio")
    assert (failed.end, failed.error) == (T + 15, "transcription failed: no audio")
    assert transcript_now(s, "tr-live") == ("t_error", 255, "transcription failed: no audio")


def test_a_transcript_fails_with_the_default_text_when_none_is_given() -> None:
    assert space().fail_transcript("tr-live").error == "transcription failed"


def test_a_transcript_not_in_progress_cannot_fail() -> None:
    s = space()
    assert "transcript nope not found" in refused(404, s.fail_transcript, "nope")
    info = refused(400, s.fail_transcript, "tr-done")
    assert "tr-done is t_finished, not in progress" in info
    s.fail_transcript("tr-live")
    assert "tr-live is t_error, not in progress" in refused(400, s.fail_transcript, "tr-live")


def test_a_reset_brings_the_scenario_s_recording_and_transcript_back() -> None:
    s = space()
    s.fail_recording("rec-live")
    s.fail_transcript("tr-live")
    s.reset()
    assert recording_now(s, "rec-live") == ("in-progress", None)
    assert transcript_now(s, "tr-live") == ("t_in_progress", 0, None)
    s.fail_recording("rec-live")  # and it can fail again


def test_failing_a_generated_recording_does_not_count_it_against_the_bound() -> None:
    declared = 4  # the scenario's recordings: the generated one is not counted
    s = space(Bounds(recordings=declared + 1), generated=True)
    assert s.world.recordings.counted == declared
    s.fail_recording("gen-live", "cloud-recording-error: generated and failed")
    assert s.world.recordings.counted == declared
    assert recording_now(s, "gen-live") == ("canceled", 0)
    # one more start fits under the bound, as it did before the failure; the next does not
    s.start_recording("standup", StartOptions(instance_id="e2a9f0c1-7b3d-4c5e-9f8a-1d2c3b4a5e6f"))
    assert "at most 5 recordings" in refused(
        400, s.start_recording, "standup", StartOptions(instance_id="third")
    )


def test_failing_a_declared_recording_does_not_change_the_count_either() -> None:
    s = space(Bounds(recordings=4))
    s.fail_recording("rec-live")
    assert s.world.recordings.counted == 4
    assert "at most 4 recordings" in refused(
        400, s.start_recording, "standup", StartOptions(instance_id="second")
    )
