"""A live join into a room's ongoing session (``live.join``) against the naive model it replaces
(``Session.of`` over every stay plus the new one): the same stays in the same order, the same
end and peak, whatever the session held (open stays, stays that left before or after now,
stays that join later, ties at now); and the work a join does at 5,000 present: no pass over
the stays (no ``peak_overlap``, a binary search's worth of sort keys) once the session's count
of who is present at that instant is known."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain import live, model
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.store import Store

NOW = 1_000_000

STAY = st.tuples(
    st.integers(NOW - 50, NOW + 5),  # join_time: some join after now
    st.one_of(st.none(), st.integers(0, 60)),  # duration: open, or left before or after now
)


@settings(max_examples=150, deadline=None)
@given(
    stays=st.lists(STAY, min_size=1, max_size=30),
    moves=st.lists(st.integers(0, 3), min_size=1, max_size=8),
)
def test_a_join_is_session_of_with_one_more_stay(
    stays: list[tuple[int, int | None]], moves: list[int]
) -> None:
    first = min(j for j, _ in stays)
    participants = [Participant(f"p{i}", None, None, j, d) for i, (j, d) in enumerate(stays)]
    session = Session.of("s", "room", first, participants)
    now = max(NOW, first)
    # the session must be ongoing at now for a join to go to it: keep one stay open
    session = Session.of(
        "s", "room", first, (*session.participants, Participant("open", None, None, first, None))
    )
    store, rng = Store([session]), random.Random(0)
    for move in moves:
        now += move  # joins at the same instant, and later ones
        before = store.get("s")
        assert before is not None
        change = live.join(store, "room", now, rng)
        assert change.session.id == "s"
        expected = Session.of("s", "room", first, (*before.participants, change.participant))
        assert change.session.participants == expected.participants
        assert (change.session.end, change.session.peak) == (expected.end, expected.peak)
        store = change.store


def test_a_join_at_5000_present_reads_no_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    stays = [Participant(f"p-{i}", None, None, NOW - 600 + i % 300, None) for i in range(5000)]
    store, rng = Store([Session.of("s", "big", NOW - 600, stays)]), random.Random(0)
    store = live.join(store, "big", NOW, rng).store  # the first join at NOW counts who is here
    overlaps, keys = [], []
    monkeypatch.setattr(model, "peak_overlap", lambda *a, **k: overlaps.append(1) or 0)
    sort_key = Participant.sort_key

    def counted(p: Participant) -> tuple[int, str]:
        keys.append(1)
        return sort_key.fget(p)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(Participant, "sort_key", property(counted))
    for i in range(50):
        keys.clear()
        store = live.join(store, "big", NOW, rng, user_id=str(i)).store
        assert len(keys) <= 2 + 14  # the last stay's key, the new one's, a binary search
    assert overlaps == []
    session = store.get("s")
    assert session is not None and len(session.participants) == 5051
    assert session.peak == 5051 and session.end is None
