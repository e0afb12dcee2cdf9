"""Daily's transcript routes (contract part three, §3) on a real server with ``requests``: a
transcription started in a room with people, on the timeline until stopped or its session
ends; the list, get, delete; the access link and the WebVTT file it downloads, read with
webvtt-py (cue ids, speakers from the session's stays, times inside the stays and the span);
storage off; expired and tampered links; the start/update/stop errors; faults, reset, bounds;
every answer checked against the OpenAPI document."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import jsonschema
import pytest
import requests
import webvtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from fake_meetings.api.keys import NAMESPACES
from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.transcripts import Transcript, Transcripts
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.models import NaiveTranscript, naive_transcripts

KEY = {"Authorization": "Bearer test-key"}
T = 1_700_000_000
SCENARIO = f"""\
now: {T}
rooms:
  - name: empty
    created_at: -1d
sessions:
  - id: s1
    room: standup
    start_time: -10m
    participants:
      - {{participant_id: p-a, user_name: Ada Lovelace, join_time: -10m}}
      - {{participant_id: p-b, user_name: B <&> b, join_time: -5m, duration: 600}}
      - {{participant_id: p-c, join_time: +1m, duration: 120}}
"""
STAYS = {  # speaker label -> the stay's (join, leave or None)
    "Ada Lovelace": (T - 600, None),
    "B &lt;&amp;&gt; b": (T - 300, T + 300),
    "p-c": (T + 60, T + 180),
}
_CUE = re.compile(r"<v>(?P<name>[^<]*):</v>(?P<text>[^\n]+)")


@pytest.fixture
def server() -> Iterator[ServerThread]:
    sc = load_text(SCENARIO, "transcripts.yaml")
    world = World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings)
    with ServerThread(world, ServerConfig(port=0)) as running:
        yield running


class Checked:
    """Every answer of a Daily route checked against the served OpenAPI document."""

    def __init__(self, server: ServerThread):
        self.base = server.base_url
        doc = requests.get(self.base + "/_fake/openapi.json", timeout=10).json()
        self.registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(doc))
        self.doc = doc

    def call(
        self, method: str, template: str, path: str, body: Any = None, **params: Any
    ) -> requests.Response:
        r = requests.request(
            method, self.base + "/v1" + path, json=body, params=params, headers=KEY, timeout=10
        )
        declared = self.doc["paths"][template][method.lower()]["responses"]
        assert str(r.status_code) in declared, (template, r.status_code, r.text)
        pointer = template.replace("~", "~0").replace("/", "~1")
        ref = f"urn:doc#/paths/{pointer}/{method.lower()}/responses/{r.status_code}"
        schema = {"$ref": ref + "/content/application~1json/schema"}
        jsonschema.Draft202012Validator(schema, registry=self.registry).validate(r.json())
        return r


@pytest.fixture
def api(server: ServerThread) -> Checked:
    return Checked(server)


def _clock(server: ServerThread, at: int) -> None:
    r = requests.post(server.base_url + "/_fake/clock", json={"freeze_at": at}, timeout=10)
    assert r.status_code == 200, r.text


def _storage(api: Checked, on: bool) -> None:
    r = requests.post(
        api.base + "/v1/",
        json={"properties": {"enable_transcription_storage": on}},
        headers=KEY,
        timeout=10,
    )
    assert r.status_code == 200, r.text


def _start(api: Checked, room: str = "standup", body: Any = None) -> requests.Response:
    return api.call(
        "POST", "/rooms/{name}/transcription/start", f"/rooms/{room}/transcription/start", body
    )


def _stop(api: Checked, room: str = "standup", body: Any = None) -> requests.Response:
    return api.call(
        "POST", "/rooms/{name}/transcription/stop", f"/rooms/{room}/transcription/stop", body
    )


def _list(api: Checked, **params: Any) -> dict[str, Any]:
    r = api.call("GET", "/transcript", "/transcript", **params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _error(r: requests.Response, status: int, error: str, info: str) -> None:
    assert r.status_code == status, r.text
    assert r.json()["error"] == error, r.text
    assert info in r.json()["info"], r.text


def _ms(stamp: str) -> int:
    h, m, s = stamp.split(":")
    return (int(h) * 3600 + int(m) * 60) * 1000 + round(float(s) * 1000)


def test_a_stored_transcript_downloads_as_daily_s_webvtt(
    server: ServerThread, api: Checked
) -> None:
    _storage(api, True)
    assert _start(api).json() == {"sent": "true"}
    _clock(server, T + 240)
    assert _stop(api).json() == {"sent": "true"}
    room = requests.get(api.base + "/v1/rooms/standup", headers=KEY, timeout=10).json()
    page = _list(api)
    assert page["total_count"] == 1
    item = page["data"][0]
    assert item["roomId"] == room["id"]
    assert (item["mtgSessionId"], item["status"], item["duration"]) == ("s1", "t_finished", 240)
    assert item["isVttAvailable"] is True and item["error"] is None
    assert item["outParams"]["key"] == f"fake-meetings/standup/{T * 1000}.vtt"
    assert api.call("GET", "/transcript/{id}", f"/transcript/{item['transcriptId']}").json() == item
    path = f"/transcript/{item['transcriptId']}/access-link"
    link = api.call("GET", "/transcript/{id}/access-link", path).json()
    assert link["transcriptId"] == item["transcriptId"]
    assert link["outParams"] == item["outParams"]
    got = requests.get(link["link"], timeout=10)
    assert got.status_code == 200, got.text
    assert got.headers["Content-Type"].startswith("text/vtt")
    assert got.headers["Content-Disposition"] == f'attachment; filename="{T * 1000}.vtt"'
    assert got.text.startswith("WEBVTT\n\ntranscript:0\n")
    captions = webvtt.from_buffer(io.StringIO(got.text)).captions
    assert len(captions) >= 20
    assert [c.identifier for c in captions] == [f"transcript:{n}" for n in range(len(captions))]
    speakers = set()
    for c in captions:
        found = _CUE.fullmatch(c.raw_text)
        assert found, c.raw_text
        name = found["name"]
        speakers.add(name)
        join, leave = STAYS[name]
        begin, end = T + _ms(c.start) / 1000, T + _ms(c.end) / 1000
        assert join <= begin < end <= (leave if leave is not None else T + 240)
        assert begin >= T and end <= T + 240
    assert speakers <= set(STAYS) and len(speakers) >= 2
    assert requests.get(link["link"], timeout=10).content == got.content  # deterministic


def test_in_progress_then_finished_as_the_clock_moves(server: ServerThread, api: Checked) -> None:
    _storage(api, True)
    _start(api)
    tr_id = _list(api)["data"][0]["transcriptId"]
    _clock(server, T + 60)
    seen = _list(api)["data"][0]
    assert (seen["status"], seen["duration"], seen["isVttAvailable"]) == ("t_in_progress", 0, False)
    path = f"/transcript/{tr_id}/access-link"
    _error(
        api.call("GET", "/transcript/{id}/access-link", path),
        400,
        "invalid-request-error",
        "not ready",
    )
    _stop(api)
    _clock(server, T - 1)  # before it started: not there
    assert _list(api)["total_count"] == 0
    _error(api.call("GET", "/transcript/{id}", f"/transcript/{tr_id}"), 404, "not-found", tr_id)
    _clock(server, T + 30)  # back inside its span: in progress again
    assert _list(api)["data"][0]["status"] == "t_in_progress"


def test_the_session_s_end_stops_it(server: ServerThread, api: Checked) -> None:
    joined = requests.post(
        api.base + "/_fake/join", json={"room": "empty", "user_name": "Zed"}, timeout=10
    )
    assert joined.status_code == 201, joined.text
    _start(api, "empty")
    _clock(server, T + 90)
    left = requests.post(
        api.base + "/_fake/leave",
        json={"participant_id": joined.json()["participant_id"]},
        timeout=10,
    )
    assert left.status_code == 200, left.text
    _clock(server, T + 200)
    seen = _list(api, mtgSessionId=joined.json()["session_id"])
    assert seen["total_count"] == 1
    assert (seen["data"][0]["status"], seen["data"][0]["duration"]) == ("t_finished", 90)
    _error(_stop(api, "empty"), 404, "not-found", "no transcription to stop")


def test_start_update_stop_errors(api: Checked) -> None:
    _error(_start(api, "empty"), 404, "not-found", "not hosting a call")
    _error(_start(api, "nowhere"), 404, "not-found", "nowhere")
    _error(_stop(api), 404, "not-found", "no transcription to stop")
    update = "/rooms/{name}/transcription/update"
    _error(
        api.call("POST", update, "/rooms/standup/transcription/update"),
        404,
        "not-found",
        "no transcription to update",
    )
    _start(api)
    _error(_start(api), 400, "invalid-request-error", "already")
    other = {"instanceId": "0b6f1f36-3f2e-4b4e-9a55-2a5a2d1f0c11"}
    assert _start(api, body=other).status_code == 200  # another instance: a second transcript
    assert (
        api.call(
            "POST", update, "/rooms/standup/transcription/update", {"participants": ["p-a"]}
        ).status_code
        == 200
    )
    assert _stop(api, body=other).status_code == 200
    assert _stop(api).status_code == 200
    assert _list(api)["total_count"] == 2


@pytest.mark.parametrize(
    ("body", "info"),
    [
        ({"nope": 1}, '"nope" is not allowed'),
        ({"language": 3}, '"language"'),
        ({"punctuate": "yes"}, '"punctuate"'),
        ({"endpointing": -5}, '"endpointing"'),
        ({"redact": [1]}, '"redact"'),
        ({"extra": []}, '"extra"'),
        ({"participants": "p-a"}, '"participants"'),
        ({"instanceId": "x"}, '"instanceId"'),
    ],
)
def test_start_bodies_are_checked(api: Checked, body: dict[str, Any], info: str) -> None:
    _error(_start(api, body=body), 400, "invalid-request-error", info)
    assert _list(api)["total_count"] == 0


def test_storage_off_no_file_and_daily_s_error(server: ServerThread, api: Checked) -> None:
    _start(api)  # the domain's default: storage off
    _clock(server, T + 30)
    _stop(api)
    item = _list(api)["data"][0]
    assert (item["status"], item["isVttAvailable"]) == ("t_finished", False)
    path = f"/transcript/{item['transcriptId']}/access-link"
    r = api.call("GET", "/transcript/{id}/access-link", path)
    _error(r, 400, "invalid-request-error", f"Transcriptions not stored for {item['transcriptId']}")
    _storage(api, True)  # turning it on later stores nothing of the earlier one
    assert api.call("GET", "/transcript/{id}/access-link", path).status_code == 400


def test_the_room_s_property_overrides_the_domain_s(server: ServerThread, api: Checked) -> None:
    _storage(api, True)
    r = requests.post(
        api.base + "/v1/rooms/standup",
        json={"properties": {"enable_transcription_storage": False}},
        headers=KEY,
        timeout=10,
    )
    assert r.status_code == 200, r.text
    _start(api)
    _clock(server, T + 30)
    _stop(api)
    assert _list(api)["data"][0]["isVttAvailable"] is False


def _with(link: str, **changes: str) -> str:
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_links_expire_and_refuse_tampering(server: ServerThread, api: Checked) -> None:
    _storage(api, True)
    _start(api)
    _clock(server, T + 30)
    _stop(api)
    tr_id = _list(api)["data"][0]["transcriptId"]
    link = api.call(
        "GET", "/transcript/{id}/access-link", f"/transcript/{tr_id}/access-link"
    ).json()["link"]
    expires = int(parse_qs(urlsplit(link).query)["expires"][0])
    assert expires == T + 30 + 3600
    tampered = requests.get(_with(link, expires=str(expires + 1)), timeout=10)
    assert (tampered.status_code, "SignatureDoesNotMatch" in tampered.text) == (403, True)
    as_recording = link.replace("/transcripts/", "/recordings/").replace(".vtt", ".mp4")
    assert requests.get(as_recording, timeout=10).status_code == 403
    _clock(server, expires + 1)
    late = requests.get(link, timeout=10)
    assert (late.status_code, "Request has expired" in late.text) == (403, True)


def test_delete_answers_t_deleted_then_404(server: ServerThread, api: Checked) -> None:
    _start(api)
    tr_id = _list(api)["data"][0]["transcriptId"]
    gone = api.call("DELETE", "/transcript/{id}", f"/transcript/{tr_id}")
    assert (gone.json()["status"], gone.json()["transcriptId"]) == ("t_deleted", tr_id)
    assert _list(api)["total_count"] == 0
    _error(api.call("DELETE", "/transcript/{id}", f"/transcript/{tr_id}"), 404, "not-found", tr_id)
    assert _start(api).status_code == 200  # the deleted one no longer holds the instance


def test_a_fault_answers_the_start_like_any_daily_route(server: ServerThread, api: Checked) -> None:
    fault = requests.post(
        api.base + "/_fake/faults",
        json={"path": "/v1/rooms/standup/transcription/start", "status": 503},
        timeout=10,
    )
    assert fault.status_code in (200, 201), fault.text
    raw = requests.post(api.base + "/v1/rooms/standup/transcription/start", headers=KEY, timeout=10)
    assert raw.status_code == 503, raw.text  # an injected fault: not in the document
    assert _list(api)["total_count"] == 0
    assert _start(api).status_code == 200


def test_a_reset_forgets_them_and_ids_repeat(server: ServerThread, api: Checked) -> None:
    _start(api)
    first = _list(api)["data"][0]["transcriptId"]
    assert requests.post(api.base + "/_fake/reset", timeout=10).status_code == 200
    assert _list(api)["total_count"] == 0
    _start(api)
    assert _list(api)["data"][0]["transcriptId"] == first


def test_transcripts_per_namespace_are_bounded(
    server: ServerThread, api: Checked, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fake_meetings.state import transcription

    monkeypatch.setattr(transcription, "MAX_TRANSCRIPTS", 2)
    for _ in range(2):
        assert _start(api).status_code == 200
        assert _stop(api).status_code == 200
    _error(_start(api), 400, "invalid-request-error", "a namespace holds at most 2 transcripts")
    assert _list(api)["total_count"] == 2


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
    for i, (room_id, sid, start, length) in enumerate(items):
        end = None if length is None else T + start + length
        naive.append((f"t{i:02d}", room_id, sid, T + start, end))
        made.append(Transcript(f"t{i:02d}", "r", room_id, sid, T + start, end=end))

    def install() -> None:
        space.world.transcripts = Transcripts(made)

    model_server.call(install)
    _clock(model_server, T + at)
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
    sc = load_text(SCENARIO, "transcripts.yaml")
    world = World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings)
    config = ServerConfig(port=0, public_url="http://fake-meetings:8080")
    with ServerThread(world, config) as server:
        api = Checked(server)
        _storage(api, True)
        _start(api)
        _clock(server, T + 20)
        _stop(api)
        tr_id = _list(api)["data"][0]["transcriptId"]
        path = f"/transcript/{tr_id}/access-link"
        link = api.call("GET", "/transcript/{id}/access-link", path).json()["link"]
        assert link.startswith(f"http://fake-meetings:8080/_fake/files/transcripts/{tr_id}.vtt?")
        here = link.replace("http://fake-meetings:8080", server.base_url)
        assert requests.get(here, timeout=10).status_code == 200
