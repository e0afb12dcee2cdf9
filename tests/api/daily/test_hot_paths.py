"""The shortcuts of the hot paths agree with the rules they stand for."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fake_meetings.api.daily import rooms as rooms_api
from fake_meetings.domain import timeline
from fake_meetings.domain.model import Session
from fake_meetings.domain.rooms import Room

from .test_render_cache import SETTINGS, instants, stores, texts


@pytest.mark.slow
@SETTINGS
@given(stores(), instants)
def test_all_settled_is_every_session_settled(pool: list[Session], nows: list[int]) -> None:
    for now in nows:
        for size in range(len(pool) + 1):
            page = pool[:size]
            assert timeline.all_settled(page, now) == all(timeline.settled(s, now) for s in page)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
room_objects = st.builds(
    Room,
    id=texts,
    name=texts,
    api_created=st.booleans(),
    privacy=st.sampled_from(["public", "private"]),
    created_at=st.integers(0, 2**33),
    config=st.dictionaries(texts, json_values, max_size=4),
)


@pytest.mark.slow
@SETTINGS
@given(st.lists(room_objects, min_size=1, max_size=5), st.sampled_from(["fake-meetings", "x"]))
def test_kept_room_bodies_equal_the_rooms_json(rooms: list[Room], domain: str) -> None:
    for _ in range(2):  # written, then kept
        for room in rooms:
            assert rooms_api._one(room, domain) == orjson.dumps(room.as_json(domain))
            changed = room.updated("private", {"k": 1})  # a new object: written again
            assert rooms_api._one(changed, domain) == orjson.dumps(changed.as_json(domain))


@pytest.mark.slow
@SETTINGS
@given(st.lists(room_objects, max_size=5), st.integers(0, 10**6), st.sampled_from(["d", "x-y"]))
def test_a_rooms_page_is_the_json_of_its_rooms(rooms: list[Room], total: int, domain: str) -> None:
    expected = orjson.dumps({"total_count": total, "data": [r.as_json(domain) for r in rooms]})
    for _ in range(2):  # written, then from kept room bodies
        assert rooms_api.rooms_page(total, rooms, domain) == expected
