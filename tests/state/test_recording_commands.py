"""The recording and transcript commands of a namespace (``state/recordingchanges.py``,
``state/transcription.py``), called directly: each one's answer and every way it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.recordings import RAW_TRACKS
from fake_meetings.domain.recordstart import StartOptions, StopOptions
from fake_meetings.domain.rooms import Room
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.state.bounds import Bounds
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

T0 = 1_717_243_200


def space(bounds: Bounds | None = None) -> Namespace:
    rooms = (
        Room("r-a", "alpha", False, "public", 0, {}),
        Room("r-b", "beta", False, "public", 0, {}),
    )
    s = Namespace(World((), Clock(T0), rooms), Journal(), bounds=bounds)
    s.join("alpha", user_name="Ann")
    return s


def refused(status: int, call: Any, *args: Any) -> str:
    with pytest.raises(ApiError) as caught:
        call(*args)
    assert caught.value.status == status, caught.value.info
    return caught.value.info


def test_a_recording_starts_now_in_the_session_going_on_and_stops_later() -> None:
    s = space()
    started = s.start_recording("alpha", StartOptions())
    assert (started.room_name, started.start_ts, started.end) == ("alpha", T0, None)
    assert s.update_recording("alpha", StartOptions()) is started
    s.advance_clock(30)
    stopped = s.stop_recording("alpha", StopOptions())
    assert (stopped.id, stopped.end) == (started.id, T0 + 30)
    assert s.delete_recording(started.id).id == started.id
    assert "not found" in refused(404, s.delete_recording, started.id)


def test_a_start_is_refused_in_an_unknown_or_empty_room_and_on_a_busy_instance() -> None:
    s = space()
    assert "room nope not found" in refused(404, s.start_recording, "nope", StartOptions())
    assert "not hosting a call" in refused(404, s.start_recording, "beta", StartOptions())
    s.start_recording("alpha", StartOptions())
    assert "has an active stream" in refused(400, s.start_recording, "alpha", StartOptions())
    other = s.start_recording("alpha", StartOptions(instance_id="second"))
    assert other.instance_id == "second"


def test_an_update_or_a_stop_with_nothing_in_progress_is_a_400() -> None:
    s = space()
    assert "no recording in progress" in refused(400, s.update_recording, "alpha", StartOptions())
    assert "no cloud recording" in refused(400, s.stop_recording, "alpha", StopOptions())
    s.start_recording("alpha", StartOptions(type=RAW_TRACKS))
    assert "cannot be updated" in refused(
        400, s.update_recording, "alpha", StartOptions(type=RAW_TRACKS)
    )
    assert "to stop" in refused(400, s.stop_recording, "alpha", StopOptions())  # cloud != raw


def test_the_recordings_bound_refuses_one_more() -> None:
    s = space(Bounds(recordings=1))
    s.start_recording("alpha", StartOptions())
    assert "at most 1 recordings" in refused(
        400, s.start_recording, "alpha", StartOptions(instance_id="second")
    )


def test_a_transcription_starts_stops_fails_and_is_deleted() -> None:
    s = space()
    started = s.start_transcription("alpha", "main")
    assert s.update_transcription("alpha", "main").id == started.id
    s.advance_clock(10)
    assert s.stop_transcription("alpha", "main").id == started.id
    assert s.fail_transcription(started.id, "boom").error == "boom"
    assert s.delete_transcript(started.id).id == started.id
    assert "not found" in refused(404, s.delete_transcript, started.id)
    assert "not found" in refused(404, s.fail_transcription, started.id, "again")


def test_a_transcription_is_refused_in_an_unknown_room_or_with_nothing_to_stop() -> None:
    s = space()
    refused(404, s.start_transcription, "nope", "main")
    assert "no transcription to stop" in refused(404, s.stop_transcription, "alpha", "main")


def test_reset_restarts_the_recording_and_transcript_ids() -> None:
    s = space()
    first = (s.start_recording("alpha", StartOptions()).id, s.start_transcription("alpha", "m").id)
    s.reset()
    s.join("alpha", user_name="Ann")
    again = (s.start_recording("alpha", StartOptions()).id, s.start_transcription("alpha", "m").id)
    assert again == first
