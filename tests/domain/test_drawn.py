"""Generated sessions draw their stays on first read (drawn.py): the same stays whatever is read
first, equal to a plain session of the same fields, and ranked like any other session."""

from __future__ import annotations

import random
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.ids import seeded_uuid
from fake_meetings.domain.model import Session
from fake_meetings.domain.store import Store

NOW = 1_717_243_200  # 2024-06-01T12:00:00Z


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32), order=st.randoms(use_true_random=False))
def test_stays_do_not_depend_on_what_is_read_first(seed: int, order: random.Random) -> None:
    spec = GenerateSpec(sessions=60, rooms=3, seed=seed, start=NOW - 86400)
    first = generate(spec, NOW)
    stays = {s.id: (s.participants, s.peak) for s in first}
    again = generate(spec, NOW)
    shuffled = list(again)
    order.shuffle(shuffled)
    for s in shuffled:  # peak before participants for half of them
        if hash(s.id) % 2:
            assert s.peak == stays[s.id][1]
        assert (s.participants, s.peak) == stays[s.id]


def test_a_drawn_session_is_a_session_of_its_fields() -> None:
    drawn = generate(GenerateSpec(sessions=20, seed=9), NOW)
    for s in drawn:
        plain = Session(s.id, s.room, s.start_time, s.participants, s.end, s.peak)
        assert plain == s and s == plain and hash(plain) == hash(s)
        other = Session(s.id, s.room, s.start_time, s.participants, s.end, s.peak + 1)
        assert other != s and s != other
    assert drawn[0] != drawn[1]


def test_a_store_ranks_generated_sessions_by_start_then_id() -> None:
    # 3000 sessions in a two-hour window: many start in the same second as another
    spec = GenerateSpec(sessions=3000, seed=2, start=NOW - 7200)
    sessions = generate(spec, NOW)
    starts = [s.start_time for s in sessions]
    assert len(set(starts)) < len(starts) - 100, "enough same-second starts to matter"
    expected = sorted((s.start_time, s.id) for s in sessions)
    store = Store(reversed(sessions))
    assert [(s.start_time, s.id) for s in store.sessions] == expected


@given(seed=st.integers(0, 2**64))
def test_seeded_ids_are_the_version_4_uuids_of_the_same_draws(seed: int) -> None:
    # the model: the uuid module setting version 4 and the RFC 4122 variant on the same bits
    ours, model = random.Random(seed), random.Random(seed)
    for _ in range(5):
        assert seeded_uuid(ours) == str(uuid.UUID(int=model.getrandbits(128), version=4))
