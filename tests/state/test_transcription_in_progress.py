"""The transcription in progress on an instance, which a transcription's start refuses and its
update and stop answer (``state/transcription.py``): found among the transcripts of the room's
sessions going on now, it is the one a naive model finds by reading every transcript the room
ever had, from a random scenario's sessions and transcripts (overlapping, several on an
instance) along random joins, leaves, transcription starts, stops, failures and deletes, rooms
deleted and created again, and the clock moving forward and back. Every command answers the
same, error messages included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.rooms import Room
from fake_meetings.domain.transcripts import Transcript
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.state.journal import Journal
from fake_meetings.state.lookups import on_instance
from fake_meetings.state.namespaces import Namespace

T0 = 1_717_243_200
ROOMS = ("alpha", "beta")
INSTANCES = ("i-1", "i-2", "i-3")


class Naive(Namespace):
    """A namespace that finds the transcription in progress on an instance by reading every
    transcript of the room, as the commands did before they read only the sessions going on."""

    def _transcript_on(self, room: Room, instance: str, now: int) -> Transcript | None:
        world = self.world
        history = [t for t in world.transcripts.ordered if t.room_id == room.id]  # all, in order
        return on_instance(history, instance, world.store, now)


room = st.sampled_from(ROOMS)
instance = st.sampled_from(INSTANCES)
stay = st.tuples(st.integers(-300, 300), st.none() | st.integers(1, 400))  # join offset, duration
few = st.sampled_from(INSTANCES[:2])  # a scenario's transcripts: often two on one instance
span = st.tuples(st.integers(0, 300), st.none() | st.integers(0, 300))  # start offset, duration


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[Session], list[Transcript]]:
    """Sessions of the rooms, and transcripts of them as a scenario declares them: each from
    its session's start on, stopped or not, on one of a few instances."""
    sessions, transcripts = [], []
    for i in range(draw(st.integers(0, 5))):
        stays = draw(st.lists(stay, min_size=1, max_size=3))
        people = [
            Participant(f"p{i}-{k}", None, None, T0 + join, duration)
            for k, (join, duration) in enumerate(stays)
        ]
        session = Session.of(f"s{i}", draw(room), min(p.join_time for p in people), people)
        sessions.append(session)
        for k, (offset, length) in enumerate(draw(st.lists(span, max_size=3))):
            start = session.start_time + offset
            end = None if length is None else start + length
            transcripts.append(
                Transcript(f"t{i}-{k}", session.room, "", session.id, start, end, draw(few))
            )
    return sessions, transcripts


def made(kind: type[Namespace], scenario: tuple[list[Session], list[Transcript]]) -> Namespace:
    rooms = [Room(f"r-{name}", name, False, "public", 0, {}) for name in ROOMS]
    sessions, transcripts = scenario
    return kind(World(sessions, Clock(T0), rooms, transcripts=transcripts), Journal())


pick = st.integers(0, 50)  # the n-th (modulo) participant or transcript made so far
step = st.one_of(
    st.tuples(st.just("join"), room),
    st.tuples(st.just("leave"), pick),
    st.tuples(st.just("start"), room, instance),
    st.tuples(st.just("stop"), room, instance),
    st.tuples(st.just("fail"), pick),
    st.tuples(st.just("delete"), pick),
    st.tuples(st.just("again"), room),  # the room deleted, then created again (a new id)
    st.tuples(st.just("clock"), st.integers(-400, 400)),
)


def outcome(call: Callable[..., Any], *args: Any) -> Any:
    """What a command answers: its result, or its refusal's status and message."""
    try:
        return call(*args)
    except ApiError as refused:
        return ("refused", refused.status, refused.info)


def run(space: Namespace, action: tuple[Any, ...], people: list[str], ids: list[str]) -> Any:
    """One step on ``space``; ``people`` and ``ids`` (the participants and transcripts made so
    far) name what a leave, a failure or a delete acts on."""
    match action:
        case ("join", name):
            return outcome(space.join, name)
        case ("leave", n):
            return outcome(space.leave, people[n % len(people)]) if people else None
        case ("start", name, on):
            return outcome(space.start_transcription, name, on)
        case ("stop", name, on):
            return outcome(space.stop_transcription, name, on)
        case ("fail", n):
            return outcome(space.fail_transcript, ids[n % len(ids)]) if ids else None
        case ("delete", n):
            return outcome(space.delete_transcript, ids[n % len(ids)]) if ids else None
        case ("again", name):
            return outcome(space.delete_room, name), outcome(space.create_room, {"name": name})
        case ("clock", seconds):
            return space.advance_clock(seconds)
    raise AssertionError(action)


@settings(max_examples=300, deadline=None)
@given(scenario=scenarios(), actions=st.lists(step, max_size=40))
def test_the_transcription_in_progress_is_the_naive_models(
    scenario: tuple[list[Session], list[Transcript]], actions: list[tuple[Any, ...]]
) -> None:
    space, model = made(Namespace, scenario), made(Naive, scenario)
    sessions, transcripts = scenario
    people = [p.participant_id for s in sessions for p in s.participants]
    ids = [t.id for t in transcripts]
    same_in_progress(space, model)
    for action in actions:
        answer = run(space, action, people, ids)
        assert answer == run(model, action, people, ids), action
        match action[0], answer:
            case "join", (_, Participant() as stay):
                people.append(stay.participant_id)
            case "start", Transcript() as started:
                ids.append(started.id)
        same_in_progress(space, model)


def same_in_progress(space: Namespace, model: Namespace) -> None:
    """Each room's transcription in progress on each instance (an update's answer) is the
    model's."""
    for name in ROOMS:
        for on in INSTANCES:
            found = outcome(space.update_transcription, name, on)
            assert found == outcome(model.update_transcription, name, on), (name, on)


def test_a_room_created_under_a_deleted_ones_name_has_none_of_its_transcriptions() -> None:
    """Sessions name their room and transcripts its id: the session going on carries the deleted
    room's transcription on, which the new room does not see, even when the transcripts of each
    session going on are read rather than the room's."""
    space = made(Namespace, ([], []))
    space.join("alpha")
    before = space.start_transcription("alpha", "i-1")
    space.delete_room("alpha")
    space.create_room({"name": "alpha"})
    for on in ("i-2", "i-3"):  # more transcripts than sessions going on: each session's are read
        space.start_transcription("alpha", on)
    refused = outcome(space.update_transcription, "alpha", "i-1")
    assert refused == ("refused", 404, "room alpha has no transcription to update on instance i-1")
    assert space.start_transcription("alpha", "i-1").id != before.id
