"""A refused scenario's problems travel structured: the control plane's 400 lists them
(``file``, ``line``, ``path``, ``message``) beside ``info``, and the handle on an external server
raises them named after the user's own input, without reading that input again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import ScenarioError
from fake_meetings.testing import FakeMeetings, RemoteBackend, ServerThread

NOW = 1_717_243_200
# line 4 lacks the required `room`; line 7's `duration` is negative
BAD = """\
now: 2024-06-01T12:00:00Z
sessions:
  - id: a
    start_time: -1h
    duration: 600
  - room: r
    duration: -5
    start_time: -2h
"""


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0)) as s:
        yield s


@pytest.fixture
def handle(server: ServerThread) -> Iterator[FakeMeetings]:
    fake = FakeMeetings(RemoteBackend(server.base_url, "k"), server.url, "k")
    fake.reset()
    yield fake


def test_the_400_lists_each_problem_with_its_line_and_path(server: ServerThread) -> None:
    answer = requests.post(
        f"{server.base_url}/_fake/scenario",
        data=BAD.encode(),
        timeout=10,
        headers={"Content-Type": "application/yaml"},
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "invalid-request-error"
    problems = body["problems"]
    assert {(p["line"], tuple(p["path"])) for p in problems} >= {
        (3, ("sessions", 0)),
        (7, ("sessions", 1, "duration")),
    }
    assert all(p["file"] == "<request body>" for p in problems)
    assert [f"{p['file']}:{p['line']}" in body["info"] for p in problems] == [True] * len(problems)
    assert any("room" in p["message"] for p in problems if p["path"] == ["sessions", 0])


def test_a_good_body_has_no_problems_key(server: ServerThread) -> None:
    answer = requests.post(f"{server.base_url}/_fake/clock", json={"advance": "soon"}, timeout=10)
    assert answer.status_code == 400
    assert set(answer.json()) == {"error", "info"}  # only scenario refusals carry problems


def test_the_handle_names_the_user_s_file_and_its_lines(
    handle: FakeMeetings, tmp_path: Path
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(BAD)
    with pytest.raises(ScenarioError) as caught:
        handle.load(path)
    where = {(p.source, p.line, p.path) for p in caught.value.problems}
    assert (str(path), 7, ("sessions", 1, "duration")) in where
    assert f"{path}:7: sessions[1].duration:" in str(caught.value)
    assert "<request body>" not in str(caught.value)


def test_a_dict_has_paths_but_no_lines(handle: FakeMeetings) -> None:
    with pytest.raises(ScenarioError, match=r"sessions\[0\]: missing required key") as caught:
        handle.load({"sessions": [{"id": "x"}]})
    problems = caught.value.problems
    assert problems and {(p.source, p.line) for p in problems} == {("scenario dict", None)}


def test_a_clash_found_only_by_the_server_names_add_session(handle: FakeMeetings) -> None:
    handle.add_session(id="keep", room="r")
    with pytest.raises(ScenarioError, match="'keep' is already served") as caught:
        handle.add_session(id="keep", room="r")
    assert {p.source for p in caught.value.problems} == {"add_session()"}
    assert caught.value.problems[0].path[:2] == ("sessions", 0)
