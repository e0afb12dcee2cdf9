"""The load commands both the control plane and the test handle call (``state/loading.py``):
``prepare_load`` (bounds, ids served twice as file/line/path problems, the store) and
``commit_load`` (everything swapped in at once, or nothing)."""

from __future__ import annotations

import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.store import Store
from fake_meetings.domain.world import World
from fake_meetings.errors import ApiError
from fake_meetings.scenario.scenario import ScenarioError, build, load_data
from fake_meetings.scenario.yamldoc import read_yaml
from fake_meetings.state.bounds import Bounds
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

T0 = 1_717_243_200
TEXT = """\
now: 1717243200
rooms:
  - {name: alpha}
sessions:
  - id: s1
    room: alpha
    start_time: -10m
    participants: [{join_time: -10m, duration: 60}]
  - id: s2
    room: beta
    start_time: -5m
    participants: [{join_time: -5m, duration: 30}]
"""


def space(bounds: Bounds | None = None) -> Namespace:
    return Namespace(World((), Clock(T0 + 999)), Journal(), bounds=bounds)


def loaded() -> Namespace:
    s = space()
    scenario = build(read_yaml(TEXT), "mine.yaml", now=None, wall_now=T0)
    s.commit_load(scenario, s.prepare_load(scenario, "mine.yaml", append=False), append=False)
    return s


def test_a_load_is_prepared_then_committed_whole() -> None:
    s = loaded()
    assert [x.id for x in s.world.store.sessions] == ["s1", "s2"]
    assert sorted(r.name for r in s.world.rooms) == ["alpha", "beta"]
    assert (s.world.clock.now(), s.world.clock.frozen) == (T0, True)


def test_freeze_at_beats_the_scenario_s_now() -> None:
    s = space()
    scenario = load_data({"now": T0, "sessions": []}, "d", wall_now=T0)
    s.commit_load(scenario, Store(()), append=False, freeze_at=T0 + 5)
    assert s.world.clock.now() == T0 + 5


def test_an_append_of_served_ids_names_each_with_its_line_and_path() -> None:
    s = loaded()
    doc = read_yaml(TEXT)
    again = build(doc, "again.yaml", now=None, wall_now=T0)
    store = s.world.store
    with pytest.raises(ScenarioError) as caught:
        s.prepare_load(again, "again.yaml", append=True, doc=doc)
    where = [(p.source, p.line, p.path) for p in caught.value.problems]
    assert where == [
        ("again.yaml", 5, ("sessions", 0, "id")),
        ("again.yaml", 9, ("sessions", 1, "id")),
    ]
    assert "'s1' is already served" in str(caught.value)
    assert s.world.store is store


def test_without_a_document_the_problems_have_paths_but_no_lines() -> None:
    s = loaded()
    stay = {"join_time": T0, "duration": 5}
    again = load_data(
        {"sessions": [{"id": "s2", "room": "r", "start_time": T0, "participants": [stay]}]}, "d"
    )
    with pytest.raises(ScenarioError) as caught:
        s.prepare_load(again, "add_session()", append=True)
    assert [(p.line, p.path) for p in caught.value.problems] == [(None, ("sessions", 0, "id"))]


def test_the_sessions_bound_is_checked_before_the_store_is_built() -> None:
    s = space(Bounds(sessions=1))
    scenario = build(read_yaml(TEXT), "mine.yaml", now=None, wall_now=T0)
    with pytest.raises(ApiError, match="at most 1 sessions"):
        s.prepare_load(scenario, "mine.yaml", append=False)
    assert len(s.world.store) == 0


def test_a_built_store_is_used_as_it_is() -> None:
    s = space()
    scenario = build(read_yaml(TEXT), "mine.yaml", now=None, wall_now=T0)
    built = Store(scenario.sessions)
    assert s.prepare_load(scenario, "mine.yaml", append=False, built=built) is built


def test_a_clashing_room_refuses_the_commit_and_changes_nothing() -> None:
    s = loaded()
    more = load_data(
        {
            "rooms": [{"name": "alpha"}],
            "sessions": [
                {
                    "id": "s3",
                    "room": "alpha",
                    "start_time": T0,
                    "participants": [{"join_time": T0, "duration": 5}],
                }
            ],
        },
        "d",
        wall_now=T0,
    )
    store, rooms = s.world.store, s.world.rooms
    prepared = s.prepare_load(more, "d", append=True)
    with pytest.raises(ApiError, match="a room named alpha already exists"):
        s.commit_load(more, prepared, append=True)
    assert s.world.store is store and s.world.rooms is rooms
