"""Daily's transcript routes (contract part three, §3) on a real server with ``requests``: a
transcript on the timeline; the list, get, delete; the access link and the WebVTT file it
downloads, read with webvtt-py (cue ids, speakers from the session's stays, times inside the
stays and the span); storage off; expired and tampered links; namespaces; ``--public-url``;
pages at random clock positions against a naive model; every answer checked against the
OpenAPI document. Starting and stopping: ``test_http_transcription_control.py``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
import webvtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.api.keys import NAMESPACES
from fake_meetings.config import ServerConfig
from fake_meetings.domain.transcripts import Transcript, Transcripts
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.models import NaiveTranscript, key_ms, naive_transcripts
from tests.helpers.transcripts import (
    CUE,
    KEY,
    SCENARIO,
    STAYS,
    Checked,
    T,
    clock,
    error,
    listed,
    ms,
    served,
    start,
    stop,
    storage,
)


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with served() as running:
        yield running


@pytest.fixture
def api(server: ServerThread) -> Checked:
    return Checked(server)


def test_a_stored_transcript_downloads_as_daily_s_webvtt(
    server: ServerThread, api: Checked
) -> None:
    storage(api, True)
    assert start(api).json() == {"sent": "true"}
    clock(server, T + 240)
    assert stop(api).json() == {"sent": "true"}
    room = requests.get(api.base + "/v1/rooms/standup", headers=KEY, timeout=10).json()
    page = listed(api)
    assert page["total_count"] == 1
    item = page["data"][0]
    assert item["roomId"] == room["id"]
    assert (item["mtgSessionId"], item["status"], item["duration"]) == ("s1", "t_finished", 240)
    assert item["isVttAvailable"] is True and item["error"] is None
    epoch = key_ms(T, item["transcriptId"])
    assert item["outParams"]["key"] == f"fake-meetings/standup/{epoch}.vtt"
    assert api.call("GET", "/transcript/{id}", f"/transcript/{item['transcriptId']}").json() == item
    path = f"/transcript/{item['transcriptId']}/access-link"
    link = api.call("GET", "/transcript/{id}/access-link", path).json()
    assert link["transcriptId"] == item["transcriptId"]
    assert link["download_link"] == link["link"]  # the name of Daily's current example
    assert link["outParams"] == item["outParams"]
    got = requests.get(link["link"], timeout=10)
    assert got.status_code == 200, got.text
    assert got.headers["Content-Type"].startswith("text/vtt")
    assert got.headers["Content-Disposition"] == f'attachment; filename="{epoch}.vtt"'
    assert got.text.startswith("WEBVTT\n\ntranscript:0\n")
    captions = webvtt.from_buffer(io.StringIO(got.text)).captions
    assert len(captions) >= 20
    assert [c.identifier for c in captions] == [f"transcript:{n}" for n in range(len(captions))]
    speakers = set()
    for c in captions:
        found = CUE.fullmatch(c.raw_text)
        assert found, c.raw_text
        name = found["name"]
        speakers.add(name)
        join, leave = STAYS[name]
        begin, end = T + ms(c.start) / 1000, T + ms(c.end) / 1000
        assert join <= begin < end <= (leave if leave is not None else T + 240)
        assert begin >= T and end <= T + 240
    assert speakers <= set(STAYS) and len(speakers) >= 2
    assert requests.get(link["link"], timeout=10).content == got.content  # deterministic


def test_in_progress_then_finished_as_the_clock_moves(server: ServerThread, api: Checked) -> None:
    storage(api, True)
    start(api)
    tr_id = listed(api)["data"][0]["transcriptId"]
    clock(server, T + 60)
    seen = listed(api)["data"][0]
    assert (seen["status"], seen["duration"], seen["isVttAvailable"]) == ("t_in_progress", 0, False)
    path = f"/transcript/{tr_id}/access-link"
    error(
        api.call("GET", "/transcript/{id}/access-link", path),
        400,
        "invalid-request-error",
        "not ready",
    )
    stop(api)
    clock(server, T - 1)  # before it started: not there
    assert listed(api)["total_count"] == 0
    error(api.call("GET", "/transcript/{id}", f"/transcript/{tr_id}"), 404, "not-found", tr_id)
    clock(server, T + 30)  # back inside its span: in progress again
    assert listed(api)["data"][0]["status"] == "t_in_progress"


def test_storage_off_no_file_and_daily_serror(server: ServerThread, api: Checked) -> None:
    start(api)  # the domain's default: storage off
    clock(server, T + 30)
    stop(api)
    item = listed(api)["data"][0]
    assert (item["status"], item["isVttAvailable"]) == ("t_finished", False)
    path = f"/transcript/{item['transcriptId']}/access-link"
    r = api.call("GET", "/transcript/{id}/access-link", path)
    error(r, 400, "invalid-request-error", f"Transcriptions not stored for {item['transcriptId']}")
    storage(api, True)  # turning it on later stores nothing of the earlier one
    assert api.call("GET", "/transcript/{id}/access-link", path).status_code == 400


def test_the_room_s_property_overrides_the_domain_s(server: ServerThread, api: Checked) -> None:
    storage(api, True)
    r = requests.post(
        api.base + "/v1/rooms/standup",
        json={"properties": {"enable_transcription_storage": False}},
        headers=KEY,
        timeout=10,
    )
    assert r.status_code == 200, r.text
    start(api)
    clock(server, T + 30)
    stop(api)
    assert listed(api)["data"][0]["isVttAvailable"] is False


def _with(link: str, **changes: str) -> str:
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_links_expire_and_refuse_tampering(server: ServerThread, api: Checked) -> None:
    storage(api, True)
    start(api)
    clock(server, T + 30)
    stop(api)
    tr_id = listed(api)["data"][0]["transcriptId"]
    link = api.call(
        "GET", "/transcript/{id}/access-link", f"/transcript/{tr_id}/access-link"
    ).json()["link"]
    expires = int(parse_qs(urlsplit(link).query)["expires"][0])
    assert expires == T + 30 + 3600
    tampered = requests.get(_with(link, expires=str(expires + 1)), timeout=10)
    assert (tampered.status_code, "SignatureDoesNotMatch" in tampered.text) == (403, True)
    as_recording = link.replace("/transcripts/", "/recordings/").replace(".vtt", ".mp4")
    assert requests.get(as_recording, timeout=10).status_code == 403
    clock(server, expires + 1)
    late = requests.get(link, timeout=10)
    assert (late.status_code, "Request has expired" in late.text) == (403, True)


def test_delete_answers_t_deleted_then_404(server: ServerThread, api: Checked) -> None:
    start(api)
    tr_id = listed(api)["data"][0]["transcriptId"]
    gone = api.call("DELETE", "/transcript/{id}", f"/transcript/{tr_id}")
    assert (gone.json()["status"], gone.json()["transcriptId"]) == ("t_deleted", tr_id)
    assert listed(api)["total_count"] == 0
    error(api.call("DELETE", "/transcript/{id}", f"/transcript/{tr_id}"), 404, "not-found", tr_id)
    assert start(api).status_code == 200  # the deleted one no longer holds the instance


def test_namespaces_have_their_own_transcripts_and_links() -> None:
    with ServerThread(World(), ServerConfig(port=0, namespaces=True)) as server:
        one, two = {"Authorization": "Bearer one"}, {"Authorization": "Bearer two"}
        for key in (one, two):
            loaded = requests.post(
                server.base_url + "/_fake/scenario",
                data=SCENARIO,
                headers={**key, "Content-Type": "application/yaml"},
                timeout=10,
            )
            assert loaded.status_code == 200, loaded.text
        base = server.base_url + "/v1"
        storage = {"properties": {"enable_transcription_storage": True}}
        assert requests.post(base + "/", json=storage, headers=one, timeout=10).ok
        start = base + "/rooms/standup/transcription/start"
        assert requests.post(start, headers=one, timeout=10).status_code == 200
        requests.post(
            server.base_url + "/_fake/clock", json={"advance": 60}, headers=one, timeout=10
        )
        stop = base + "/rooms/standup/transcription/stop"
        assert requests.post(stop, headers=one, timeout=10).status_code == 200
        assert (
            requests.get(base + "/transcript", headers=two, timeout=10).json()["total_count"] == 0
        )
        (item,) = requests.get(base + "/transcript", headers=one, timeout=10).json()["data"]
        link = requests.get(
            base + f"/transcript/{item['transcriptId']}/access-link", headers=one, timeout=10
        ).json()["link"]
        assert "&ns=" in link and "one" not in link
        assert requests.get(link, timeout=10).text.startswith("WEBVTT")
        requests.delete(server.base_url + "/_fake/namespaces/one", timeout=10)
        assert requests.get(link, timeout=10).status_code == 404


@pytest.fixture(scope="module")
def model_server() -> Iterator[ServerThread]:
    with ServerThread(World(), ServerConfig(port=0)) as running:
        yield running


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    items=st.lists(
        st.tuples(
            st.sampled_from(["room-a", "room-b"]),
            st.sampled_from(["s1", "s2"]),
            st.integers(0, 40),
            st.one_of(st.none(), st.integers(0, 20)),
        ),
        max_size=14,
    ),
    at=st.integers(-3, 70),
    limit=st.integers(1, 5),
    room=st.one_of(st.none(), st.sampled_from(["room-a", "room-b"])),
)
def test_pages_over_http_match_the_naive_model(
    model_server: ServerThread,
    items: list[tuple[str, str, int, int | None]],
    at: int,
    limit: int,
    room: str | None,
) -> None:
    """Paged with starting_after to the end, at a random clock position: the ids, the
    total_count, the status and duration of each, as the naive model says."""
    space = model_server.app[NAMESPACES].default
    naive: list[NaiveTranscript] = []
    made = []
    for i, (room_id, sid, begin, length) in enumerate(items):
        end = None if length is None else T + begin + length
        naive.append((f"t{i:02d}", room_id, sid, T + begin, end))
        made.append(Transcript(f"t{i:02d}", "r", room_id, sid, T + begin, end=end))

    def install() -> None:
        space.world.transcripts = Transcripts(made)

    model_server.call(install)
    clock(model_server, T + at)
    ordered, _, seen = naive_transcripts(naive, T + at, room, None)
    got: list[str] = []
    query: dict[str, Any] = {"limit": limit} | ({"roomId": room} if room else {})
    while True:
        r = requests.get(
            model_server.base_url + "/v1/transcript", params=query, headers=KEY, timeout=10
        )
        body = r.json()
        assert body["total_count"] == len(ordered)
        for t in body["data"]:
            assert (t["status"], t["duration"]) == seen[t["transcriptId"]]
        got += [t["transcriptId"] for t in body["data"]]
        if len(body["data"]) < limit:
            break
        query["starting_after"] = got[-1]
    assert got == ordered


def test_the_link_s_host_is_the_public_url_when_given() -> None:
    with served(ServerConfig(port=0, public_url="http://fake-meetings:8080")) as server:
        api = Checked(server)
        storage(api, True)
        start(api)
        clock(server, T + 20)
        stop(api)
        tr_id = listed(api)["data"][0]["transcriptId"]
        path = f"/transcript/{tr_id}/access-link"
        link = api.call("GET", "/transcript/{id}/access-link", path).json()["link"]
        assert link.startswith(f"http://fake-meetings:8080/_fake/files/transcripts/{tr_id}.vtt?")
        here = link.replace("http://fake-meetings:8080", server.base_url)
        assert requests.get(here, timeout=10).status_code == 200
