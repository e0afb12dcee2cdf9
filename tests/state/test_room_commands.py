"""The room commands of a namespace (``state/roomchanges.py``), called directly: each one's
answer and every way it refuses (a 400 or a 404 that changes nothing)."""

from __future__ import annotations

from typing import Any

import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.rooms import Room
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.state.bounds import Bounds
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

T0 = 1_717_243_200


def space(rooms: tuple[Room, ...] = (), bounds: Bounds | None = None) -> Namespace:
    return Namespace(World((), Clock(T0), rooms), Journal(), bounds=bounds)


def refused(status: int, call: Any, *args: Any) -> str:
    with pytest.raises(ApiError) as caught:
        call(*args)
    assert caught.value.status == status, caught.value.info
    return caught.value.info


def test_a_room_is_created_with_its_name_privacy_and_properties_now() -> None:
    s = space()
    room = s.create_room({"name": "standup", "privacy": "private", "properties": {"max": 3}})
    assert (room.name, room.privacy, room.created_at) == ("standup", "private", T0)
    assert s.world.rooms.visible("standup", T0) is room


def test_rooms_without_a_name_get_random_names_seeded_per_namespace() -> None:
    first, second = space(), space()
    names = [first.create_room({}).name for _ in range(3)]
    assert names == [second.create_room({}).name for _ in range(3)]
    assert len(set(names)) == 3


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"name": 7}, "name: must be a string"),
        ({"name": ""}, "name: must not be empty"),
        ({"name": "a b"}, "name"),
        ({"privacy": "secret"}, "privacy: must be public or private"),
        ({"privacy": 1}, "privacy: must be public or private"),
        ({"properties": []}, "properties: must be a JSON object"),
        ({"colour": "red"}, '"colour" is not allowed'),
    ],
)
def test_a_bad_create_body_is_a_400_naming_the_field_and_changes_nothing(
    body: dict[str, Any], words: str
) -> None:
    s = space()
    before = s.world.rooms
    assert words in refused(400, s.create_room, body)
    assert s.world.rooms is before


def test_a_name_visible_now_is_taken_but_a_future_room_gives_its_name_up() -> None:
    s = space((Room("r-1", "later", True, "public", T0 + 60, {}),))
    s.create_room({"name": "now"})
    assert "already exists" in refused(400, s.create_room, {"name": "now"})
    taken = s.create_room({"name": "later"})  # not created yet by the clock [F]
    assert taken.created_at == T0 and len(s.world.rooms) == 2


def test_the_rooms_bound_refuses_one_more_room() -> None:
    s = space(bounds=Bounds(rooms=2))
    s.create_room({"name": "a"})
    s.create_room({"name": "b"})
    assert "at most 2 rooms" in refused(400, s.create_room, {"name": "c"})
    assert len(s.world.rooms) == 2


def test_update_sets_privacy_and_properties_of_a_visible_room_only() -> None:
    s = space()
    s.create_room({"name": "a"})
    room = s.update_room("a", {"privacy": "private"})
    assert room.privacy == "private" and s.world.rooms.get("a") is room
    assert "room nope not found" in refused(404, s.update_room, "nope", {})
    assert '"name" is not allowed' in refused(400, s.update_room, "a", {"name": "b"})


def test_delete_takes_a_visible_room_away_once() -> None:
    s = space()
    s.create_room({"name": "a"})
    assert s.delete_room("a").name == "a"
    assert s.world.rooms.get("a") is None
    refused(404, s.delete_room, "a")


def test_reset_forgets_created_rooms_and_restarts_their_random_names() -> None:
    s = space()
    first = s.create_room({}).name
    s.reset()
    assert len(s.world.rooms) == 0
    assert s.create_room({}).name == first
