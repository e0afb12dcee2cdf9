"""A load's recordings and transcripts (``Namespace.load``): they replace the current ones, or
with ``append`` join them, where an id already there is a 400 naming the family and changes
nothing; None keeps them. A loaded transcript gets its room's id."""

from __future__ import annotations

import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.recordings import Recording
from fake_meetings.domain.rooms import Room
from fake_meetings.domain.transcripts import Transcript
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

T0 = 1_717_243_200


def space() -> Namespace:
    s = Namespace(World((), Clock(T0), (Room("r-a", "alpha", False, "public", 0, {}),)), Journal())
    s.load(
        s.world.store,
        None,
        recordings=[Recording("rec-1", "alpha", "s1", T0 - 60)],
        transcripts=[Transcript("tr-1", "alpha", "", "s1", T0 - 60)],
    )
    return s


def refused(
    s: Namespace,
    recordings: list[Recording] | None = None,
    transcripts: list[Transcript] | None = None,
) -> str:
    was = s.world.recordings, s.world.transcripts
    with pytest.raises(ApiError) as caught:
        s.load(s.world.store, None, append=True, recordings=recordings, transcripts=transcripts)
    assert caught.value.status == 400
    assert s.world.recordings is was[0] and s.world.transcripts is was[1]  # nothing changed
    return caught.value.info


def test_a_loaded_transcript_gets_its_room_s_id() -> None:
    assert [t.room_id for t in space().world.transcripts.ordered] == ["r-a"]


def test_an_append_joins_and_a_replace_replaces() -> None:
    s = space()
    s.load(
        s.world.store,
        None,
        append=True,
        recordings=[Recording("rec-2", "alpha", "s1", T0 - 30)],
        transcripts=[Transcript("tr-2", "alpha", "", "s1", T0 - 30)],
    )
    assert [r.id for r in s.world.recordings.ordered] == ["rec-1", "rec-2"]
    assert [t.id for t in s.world.transcripts.ordered] == ["tr-1", "tr-2"]
    s.load(s.world.store, None, recordings=[Recording("rec-3", "alpha", "s1", T0)])
    assert [r.id for r in s.world.recordings.ordered] == ["rec-3"]
    assert [t.id for t in s.world.transcripts.ordered] == ["tr-1", "tr-2"]  # None keeps them


def test_an_id_already_there_is_a_400_naming_the_family() -> None:
    s = space()
    assert refused(s, recordings=[Recording("rec-1", "alpha", "s1", T0)]) == (
        "recordings: a recording with id rec-1 already exists; give another id, or load with "
        "mode=replace"
    )
    assert refused(s, transcripts=[Transcript("tr-1", "alpha", "", "s1", T0)]) == (
        "transcripts: a transcript with id tr-1 already exists; give another id, or load with "
        "mode=replace"
    )
