"""The store's instants (``domain/instant.py``): the ongoing sessions found from nothing, and
derived from another known instant as the clock moves either way, both equal a naive model.

A whole query goes through whichever path is cheaper, so the property tests of the query
engine may never take one of them; here each path is asked directly.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain.instant import Complement, Instant, Instants
from fake_meetings.domain.model import Session
from fake_meetings.domain.store import Store
from tests.domain.test_query_properties import model_ongoing, nows, session_pools

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def model(sessions: list[Session], now: int) -> list[str]:
    """Ids of the sessions visible and ongoing at ``now``, oldest first."""
    seen = sorted((s for s in sessions if s.start_time <= now), key=lambda s: (s.start_time, s.id))
    return [s.id for s in seen if model_ongoing(s, now)]


def key_at(store: Store, now: int) -> tuple[int, int]:
    return (sum(s <= now for s in store.starts), sum(e <= now for e in store.ends))


@pytest.mark.slow
@SETTINGS
@given(session_pools(), nows, nows)
def test_from_nothing_and_moved_from_another_instant_agree_with_the_model(
    sessions: list[Session], before: int, after: int
) -> None:
    store = Store(sessions)
    instants = Instants(store)
    known_key = key_at(store, before)
    known = Instant(store, *known_key, instants._scratch(*known_key))
    assert [store.sessions[r].id for r in known.ongoing] == model(sessions, before)
    key = key_at(store, after)
    moved = instants._moved(known, *key)
    assert [store.sessions[r].id for r in moved] == model(sessions, after)
    assert moved == instants._scratch(*key)


@pytest.mark.slow
@SETTINGS
@given(st.lists(st.integers(0, 50), max_size=40, unique=True), st.data())
def test_a_complement_is_the_base_without_the_holes(base: list[int], data: st.DataObject) -> None:
    base.sort()
    holes = sorted(data.draw(st.sets(st.integers(0, max(0, len(base) - 1)), max_size=len(base))))
    holes = [h for h in holes if h < len(base)]
    expected = [v for i, v in enumerate(base) if i not in set(holes)]
    left = Complement(base, holes)
    assert len(left) == len(expected)
    assert [left[i] for i in range(len(left))] == expected
    assert list(left[1:3]) == expected[1:3]
    for start in range(-1, len(expected) + 1):  # widths with few holes inside and with many
        for width in (0, 1, 3, 8, len(base) + 1):
            want = expected[max(0, start) : max(0, start + width)]
            assert left.between(start, start + width) == want, (start, width)
    if expected:
        assert left[-1] == expected[-1]
    for value in range(-1, 53):
        assert left.below(value) == sum(v < value for v in expected)
