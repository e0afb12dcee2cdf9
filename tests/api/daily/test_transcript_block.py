"""A scenario's ``transcripts:`` block, served: the transcripts it declares are listed by
``GET /v1/transcript`` with their room's id, in progress or finished as the clock says, failed
with their error, stored or not, and a stored one downloads as WebVTT (read with webvtt-py);
loaded at start-up, through ``POST /_fake/scenario`` (replace and append) and through the
handle; its problems are reported at their lines."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import requests
import webvtt

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import ScenarioError, load_text
from fake_meetings.testing import FakeMeetings, RemoteBackend, ServerThread
from tests.helpers.transcripts import KEY, Checked, T, clock

SCENARIO = f"""\
now: {T}
sessions:
  - id: s1
    room: standup
    start_time: -2h
    participants:
      - {{participant_id: p-a, user_name: Ada, join_time: -2h, duration: 3600}}
      - {{participant_id: p-b, user_name: Bo, join_time: -110m, duration: 1200}}
  - id: s2
    room: retro
    start_time: -10m
    participants:
      - {{participant_id: p-c, user_name: Cy, join_time: -10m}}
transcripts:
  - {{id: tr-done, session: s1, start_ts: -115m, end: -90m}}
  - {{id: tr-failed, session: s1, start_ts: -80m, duration: 60, error: "no audio"}}
  - {{id: tr-unstored, session: s1, start_ts: -70m, end: -65m, stored: false}}
  - {{id: tr-live, room: retro, start_ts: -5m}}
"""


def _world(text: str = SCENARIO) -> World:
    sc = load_text(text, "tr.yaml")
    return World(sc.sessions, Clock(T), sc.rooms, transcripts=sc.transcripts)


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(_world(), ServerConfig(port=0, min_stay=0)) as s:
        yield s


def _seconds(stamp: str) -> float:
    """A WebVTT timestamp (``HH:MM:SS.mmm``) in seconds."""
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _room_id(api: Checked, name: str) -> str:
    room = requests.get(f"{api.base}/v1/rooms/{name}", headers=KEY, timeout=10).json()
    return str(room["id"])


def test_the_declared_transcripts_are_listed_as_the_clock_says(server: ServerThread) -> None:
    api = Checked(server)
    page = api.call("GET", "/transcript", "/transcript").json()
    assert page["total_count"] == 4
    by_id = {t["transcriptId"]: t for t in page["data"]}
    assert [t["transcriptId"] for t in page["data"]] == [
        "tr-live",
        "tr-unstored",
        "tr-failed",
        "tr-done",
    ]  # newest first
    assert by_id["tr-done"]["roomId"] == _room_id(api, "standup")
    assert by_id["tr-live"]["roomId"] == _room_id(api, "retro")
    assert (by_id["tr-done"]["status"], by_id["tr-done"]["duration"]) == ("t_finished", 1500)
    assert (by_id["tr-failed"]["status"], by_id["tr-failed"]["error"]) == ("t_error", "no audio")
    assert by_id["tr-live"]["status"] == "t_in_progress"
    assert by_id["tr-unstored"]["isVttAvailable"] is False
    assert by_id["tr-done"]["isVttAvailable"] is True
    one = api.call("GET", "/transcript", "/transcript", roomId=_room_id(api, "retro")).json()
    assert [t["transcriptId"] for t in one["data"]] == ["tr-live"]
    clock(server, T - 6 * 60)  # before tr-live started: not there yet
    ids = [t["transcriptId"] for t in api.call("GET", "/transcript", "/transcript").json()["data"]]
    assert ids == ["tr-unstored", "tr-failed", "tr-done"]


def test_a_declared_stored_transcript_downloads_as_webvtt(server: ServerThread) -> None:
    api = Checked(server)
    path = "/transcript/tr-done/access-link"
    link = api.call("GET", "/transcript/{id}/access-link", path).json()
    got = requests.get(link["link"], timeout=10)
    assert got.status_code == 200, got.text
    captions = webvtt.from_buffer(io.StringIO(got.text)).captions
    assert captions and captions[0].identifier == "transcript:0"
    start, end = T - 115 * 60, T - 90 * 60
    stays = {"Ada": (T - 7200, T - 3600), "Bo": (T - 6600, T - 5400)}
    for c in captions:
        name = c.raw_text.split(":</v>")[0].removeprefix("<v>")
        join, leave = stays[name]
        begin, finish = start + _seconds(c.start), start + _seconds(c.end)
        assert max(join, start) <= begin < finish <= min(leave, end)
    unstored = requests.get(
        f"{api.base}/v1/transcript/tr-unstored/access-link", headers=KEY, timeout=10
    )
    assert unstored.status_code == 400, unstored.text


def test_loaded_over_the_control_plane_replacing_then_appending(server: ServerThread) -> None:
    api = Checked(server)
    other = SCENARIO.split("transcripts:")[0] + "transcripts:\n  - {id: tr-new, session: s2}\n"
    r = requests.post(f"{api.base}/_fake/scenario", data=other.encode(), timeout=10)
    assert r.status_code == 200, r.text
    page = api.call("GET", "/transcript", "/transcript").json()
    assert [t["transcriptId"] for t in page["data"]] == ["tr-new"]
    appended = (
        "sessions:\n  - {id: s3, room: r, start_time: -1m, participants: [{join_time: -1m}]}\n"
        "transcripts:\n  - {id: tr-new, session: s3}\n"
    )
    again = requests.post(
        f"{api.base}/_fake/scenario?mode=append", data=appended.encode(), timeout=10
    )
    assert again.status_code == 400
    assert "tr-new" in again.json()["info"]
    assert requests.post(f"{api.base}/_fake/reset", timeout=10).status_code == 200
    ids = [t["transcriptId"] for t in api.call("GET", "/transcript", "/transcript").json()["data"]]
    assert len(ids) == 4  # the start-up ones are back


@pytest.mark.parametrize("backend", ["local", "remote"])
def test_loaded_through_the_handle(backend: str) -> None:
    with ServerThread(World(clock=Clock(T)), ServerConfig(port=0, min_stay=0)) as s:
        fake = (
            s.handle()
            if backend == "local"
            else FakeMeetings(RemoteBackend(s.base_url, "k"), s.url, "k")
        )
        fake.load(SCENARIO)
        listed = requests.get(f"{s.base_url}/v1/transcript", headers=KEY, timeout=10).json()
        assert listed["total_count"] == 4


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("{session: nope}", "no session 'nope'"),
        ("{session: s1, start_ts: -3h}", "before its session"),
        ("{session: s1, end: -3h}", "before the transcript starts"),
        ("{session: s1, end: -1h, duration: 5}", "give end or duration"),
        ("{session: s1, stored: yes please}", "expected true or false"),
        ("{session: s1, instance_id: x}", "expected a UUID"),
        ("{session: s1, speakers: 2}", "speakers"),
        ("{room: retro}", "with room:, give start_ts"),
        ("{session: s1, error: 5}", "expected a non-empty string; got"),
        ("{session: s1, error: '  '}", "expected the failure's text; got a blank string"),
        (f"{{session: s1, error: {'x' * 1001}}}", "at most 1,000 characters; got 1,001"),
    ],
)
def test_problems_are_at_their_line(item: str, words: str) -> None:
    text = SCENARIO.split("transcripts:")[0] + f"transcripts:\n  - {item}\n"
    line = text.count("\n")
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "bad.yaml")
    problems = caught.value.problems
    assert [(p.source, p.line) for p in problems] == [("bad.yaml", line)], problems
    assert words in problems[0].message


def test_an_id_declared_in_two_files_is_a_problem(tmp_path: object) -> None:
    from fake_meetings.scenario.scenario import merge_transcripts

    one = load_text(SCENARIO, "one.yaml")
    two = load_text(SCENARIO, "two.yaml")
    with pytest.raises(ScenarioError, match="transcript id 'tr-done' is also declared in one"):
        merge_transcripts([one, two])


def test_written_transcripts_read_back_the_same() -> None:
    from fake_meetings.scenario.dump import dump_scenario

    sc = load_text(SCENARIO, "tr.yaml")
    out = io.StringIO()
    dump_scenario(sc.sessions, out, now=T, transcripts=sc.transcripts)
    again = load_text(out.getvalue(), "again.yaml")
    assert again.transcripts == sc.transcripts
    assert {t.error for t in again.transcripts} == {None, "no audio"}
    assert {t.stored for t in again.transcripts} == {True, False}


def test_the_remote_handle_with_now_keeps_the_transcripts() -> None:
    with ServerThread(World(clock=Clock(T)), ServerConfig(port=0, min_stay=0)) as s:
        fake = FakeMeetings(RemoteBackend(s.base_url, "k"), s.url, "k")
        fake.load(SCENARIO, now=T + 60)  # resolved here, then sent as a file
        listed = requests.get(f"{s.base_url}/v1/transcript", headers=KEY, timeout=10).json()
        assert {t["transcriptId"] for t in listed["data"]} >= {"tr-done", "tr-failed"}
