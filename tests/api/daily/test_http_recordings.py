"""Daily's recording routes (contract part three, §2) on a real server with ``requests``: the
object on the timeline, the list and its cursors, get, delete, the access link and the file it
downloads (read with mutagen's MP4 parser), namespaces, reset, the scenario block loaded over
the control plane."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen.mp4 import MP4

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.models import key_ms, keyset_page

KEY = {"Authorization": "Bearer test-key"}
T = 1_700_000_000
SCENARIO = f"""\
now: {T}
sessions:
  - id: s1
    room: standup
    start_time: -2h
    participants:
      - {{user_name: A, join_time: -2h, duration: 3600}}
      - {{user_name: B, join_time: -110m, duration: 600}}
  - id: s2
    room: retro
    start_time: -30m
    participants:
      - {{user_name: C, join_time: -30m}}
recordings:
  - id: rec-a
    session: s1
    start_ts: -115m
    end: -100m
  - id: rec-b
    session: s1
    start_ts: -90m
  - id: rec-c
    room: retro
    start_ts: -20m
  - id: rec-d
    session: s2
    start_ts: +10m
"""


def _world() -> World:
    sc = load_text(SCENARIO, "rec.yaml")
    return World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings)


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(_world(), ServerConfig(port=0)) as running:
        yield running


def _get(server: ServerThread, path: str, **params: Any) -> requests.Response:
    return requests.get(server.base_url + path, params=params, headers=KEY, timeout=10)


def _clock(server: ServerThread, at: int) -> None:
    r = requests.post(server.base_url + "/_fake/clock", json={"freeze_at": at}, timeout=10)
    assert r.status_code == 200, r.text


def test_the_list_is_newest_first_with_daily_s_objects(server: ServerThread) -> None:
    body = _get(server, "/v1/recordings").json()
    assert body["total_count"] == 3  # rec-d starts in 10 minutes
    assert [r["id"] for r in body["data"]] == ["rec-c", "rec-b", "rec-a"]
    c, b, a = body["data"]
    assert a == {
        "id": "rec-a",
        "room_name": "standup",
        "start_ts": T - 6900,
        "status": "finished",
        "max_participants": 2,
        "duration": 900,
        "share_token": a["share_token"],
        "s3key": f"fake-meetings/standup/{key_ms(T - 6900, 'rec-a')}",
        "mtgSessionId": "s1",
        "tracks": [],
    }
    # rec-b stopped when its session ended (everyone left at -1h)
    assert (b["status"], b["duration"], b["max_participants"]) == ("finished", 1800, 1)
    assert c["status"] == "in-progress" and "duration" not in c  # its session is still on


def test_the_clock_moves_recordings(server: ServerThread) -> None:
    _clock(server, T - 5000)
    ids = [r["id"] for r in _get(server, "/v1/recordings").json()["data"]]
    assert ids == ["rec-b", "rec-a"]
    b = _get(server, "/v1/recordings/rec-b").json()
    assert b["status"] == "in-progress" and "duration" not in b
    assert _get(server, "/v1/recordings/rec-c").status_code == 404
    _clock(server, T + 7 * 3600)  # past rec-c's maxDuration (3 h): stopped at it
    c = _get(server, "/v1/recordings/rec-c").json()
    assert (c["status"], c["duration"]) == ("finished", 10800)
    assert _get(server, "/v1/recordings").json()["total_count"] == 4


def test_room_name_filter_and_cursors(server: ServerThread) -> None:
    body = _get(server, "/v1/recordings", room_name="standup").json()
    assert body["total_count"] == 2 and [r["id"] for r in body["data"]] == ["rec-b", "rec-a"]
    assert _get(server, "/v1/recordings", room_name="nowhere").json() == {
        "total_count": 0,
        "data": [],
    }
    page = _get(server, "/v1/recordings", limit=1, starting_after="rec-c").json()
    assert [r["id"] for r in page["data"]] == ["rec-b"] and page["total_count"] == 3
    page = _get(server, "/v1/recordings", limit=1, ending_before="OLDEST").json()
    assert [r["id"] for r in page["data"]] == ["rec-a"]
    page = _get(server, "/v1/recordings", ending_before="rec-a").json()
    assert [r["id"] for r in page["data"]] == ["rec-c", "rec-b"]
    running = _get(server, "/v1/recordings", in_progress="true").json()
    assert running["total_count"] == 1 and [r["id"] for r in running["data"]] == ["rec-c"]
    done = _get(server, "/v1/recordings", in_progress="false", room_name="standup").json()
    assert [r["id"] for r in done["data"]] == ["rec-b", "rec-a"]
    assert _get(server, "/v1/recordings", in_progress="yes").status_code == 400
    refused = _get(server, "/v1/recordings", starting_after="nope")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid-request-error"
    both = _get(server, "/v1/recordings", starting_after="rec-a", ending_before="rec-b")
    assert both.status_code == 400
    assert _get(server, "/v1/recordings", limit="0").status_code == 400


def test_unknown_ids_are_404_and_delete_removes_until_reset(server: ServerThread) -> None:
    missing = _get(server, "/v1/recordings/nope")
    assert missing.status_code == 404 and missing.json()["error"] == "not-found"
    url = server.base_url + "/v1/recordings/rec-a"
    deleted = requests.delete(url, headers=KEY, timeout=10)
    assert deleted.json() == {"deleted": True, "id": "rec-a"}
    assert requests.delete(url, headers=KEY, timeout=10).status_code == 404
    assert _get(server, "/v1/recordings/rec-a").status_code == 404
    assert _get(server, "/v1/recordings").json()["total_count"] == 2
    assert requests.post(server.base_url + "/_fake/reset", timeout=10).status_code == 200
    assert _get(server, "/v1/recordings/rec-a").status_code == 200
    assert requests.get(server.base_url + "/v1/recordings", timeout=10).status_code == 400


def test_the_access_link_downloads_an_mp4_of_the_recording_s_duration(
    server: ServerThread,
) -> None:
    link = _get(server, "/v1/recordings/rec-a/access-link").json()
    assert set(link) == {"download_link", "expires"} and link["expires"] == T + 3600
    assert link["download_link"].startswith(server.base_url + "/_fake/files/recordings/rec-a.mp4?")
    got = requests.get(link["download_link"], timeout=10)  # no API key: a presigned URL
    assert got.status_code == 200 and got.headers["Content-Type"] == "video/mp4"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert MP4(io.BytesIO(got.content)).info.length == 900
    assert requests.get(link["download_link"], timeout=10).content == got.content
    b = _get(server, "/v1/recordings/rec-b/access-link").json()
    assert MP4(io.BytesIO(requests.get(b["download_link"], timeout=10).content)).info.length == (
        1800
    )


@pytest.mark.parametrize(
    ("asked", "valid"), [(None, 3600), ("60", 900), ("900", 900), ("7200", 7200), ("99999", 43200)]
)
def test_valid_for_secs_is_brought_within_15_minutes_and_12_hours(
    server: ServerThread, asked: str | None, valid: int
) -> None:
    params = {} if asked is None else {"valid_for_secs": asked}
    assert _get(server, "/v1/recordings/rec-a/access-link", **params).json()["expires"] == T + valid


def test_access_link_refusals(server: ServerThread) -> None:
    bad = _get(server, "/v1/recordings/rec-a/access-link", valid_for_secs="soon")
    assert bad.status_code == 400 and bad.json()["info"].startswith("valid_for_secs:")
    running = _get(server, "/v1/recordings/rec-c/access-link")
    assert running.status_code == 400 and "in-progress" in running.json()["info"]
    assert _get(server, "/v1/recordings/nope/access-link").status_code == 404


def _tampered(link: str, **changes: str) -> str:
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_an_expired_or_tampered_link_is_refused_like_s3(server: ServerThread) -> None:
    link = _get(server, "/v1/recordings/rec-a/access-link").json()["download_link"]
    for wrong in (
        _tampered(link, signature="0" * 64),
        _tampered(link, expires=str(T + 10**6)),
        _tampered(link, expires="²"),  # a digit to str.isdigit, not to int()
        _tampered(link, expires=""),
        _tampered(link, ns="0" * 16),
        link.replace("rec-a.mp4", "rec-b.mp4"),
    ):
        refused = requests.get(wrong, timeout=10)
        assert refused.status_code == 403, wrong
        assert "<Code>SignatureDoesNotMatch</Code>" in refused.text
    _clock(server, T + 3600)
    assert requests.get(link, timeout=10).status_code == 200  # valid through its expires
    _clock(server, T + 3601)
    expired = requests.get(link, timeout=10)
    assert expired.status_code == 403 and "<Code>AccessDenied</Code>" in expired.text
    assert expired.headers["Content-Type"].startswith("application/xml")
    _clock(server, T)
    requests.delete(server.base_url + "/v1/recordings/rec-a", headers=KEY, timeout=10)
    assert requests.get(link, timeout=10).status_code == 404


def test_public_url_is_the_link_s_base() -> None:
    config = ServerConfig(port=0, public_url="http://fake-meetings:8080/")
    with ServerThread(_world(), config) as server:
        link = _get(server, "/v1/recordings/rec-a/access-link").json()["download_link"]
        assert link.startswith("http://fake-meetings:8080/_fake/files/recordings/rec-a.mp4?")
        here = link.replace("http://fake-meetings:8080", server.base_url)
        assert requests.get(here, timeout=10).status_code == 200


def test_namespaces_have_their_own_recordings_and_links() -> None:
    with ServerThread(World(), ServerConfig(port=0, namespaces=True)) as server:
        one, two = {"Authorization": "Bearer one"}, {"Authorization": "Bearer two"}
        loaded = requests.post(
            server.base_url + "/_fake/scenario",
            data=SCENARIO,
            headers={**one, "Content-Type": "application/yaml"},
            timeout=10,
        )
        assert loaded.status_code == 200, loaded.text
        url = server.base_url + "/v1/recordings"
        assert requests.get(url, headers=one, timeout=10).json()["total_count"] == 3
        assert requests.get(url, headers=two, timeout=10).json()["total_count"] == 0
        link = requests.get(url + "/rec-a/access-link", headers=one, timeout=10).json()
        assert "&ns=" in link["download_link"] and "one" not in link["download_link"]
        assert requests.get(link["download_link"], timeout=10).status_code == 200
        requests.delete(server.base_url + "/_fake/namespaces/one", timeout=10)
        assert requests.get(link["download_link"], timeout=10).status_code == 404


@pytest.fixture(scope="module")
def model_server() -> Iterator[ServerThread]:
    with ServerThread(World(), ServerConfig(port=0)) as running:
        yield running


MODEL_RECS = st.lists(
    st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 6), st.integers(1, 4)),
    min_size=0,
    max_size=10,
)
MODEL_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("delete"), st.integers(0, 20)),
        st.tuples(st.just("tick"), st.integers(0, 3)),
        st.tuples(st.just("back"), st.integers(1, 3)),
    ),
    max_size=6,
)
MODEL_QUERIES = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.sampled_from(["none", "after", "before", "oldest"]),
        st.integers(0, 30),
        st.sampled_from([None, "a", "b"]),
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(recs=MODEL_RECS, ops=MODEL_OPS, queries=MODEL_QUERIES)
def test_pages_over_http_match_a_naive_model(
    model_server: ServerThread, recs: Any, ops: Any, queries: Any
) -> None:
    """Recordings loaded over the control plane, some deleted, the clock moved back and forth:
    every page of GET /v1/recordings is the naive model's, and a walk visits each once."""
    lines = [f"now: {T}", "sessions:"]
    for room in ("a", "b"):
        lines.append(f"  - {{id: s-{room}, room: {room}, start_time: {T},")
        lines.append(f"     participants: [{{join_time: {T}, duration: 100}}]}}")
    lines.append("recordings:" if recs else "recordings: []")
    keys: dict[str, tuple[int, str]] = {}
    for i, (room, start, length) in enumerate(recs):
        rec_id = f"r{i:02d}"
        keys[rec_id] = (T + start, rec_id)
        lines.append(f"  - {{id: {rec_id}, session: s-{room}, start_ts: {T + start},")
        lines.append(f"     duration: {length}}}")
    base = model_server.base_url
    loaded = requests.post(base + "/_fake/scenario", data="\n".join(lines) + "\n", timeout=10)
    assert loaded.status_code == 200, loaded.text
    rooms = {f"r{i:02d}": room for i, (room, _, _) in enumerate(recs)}
    alive, now = dict(keys), T
    for op, arg in ops:
        if op == "delete":
            visible = sorted(i for i, k in alive.items() if k[0] <= now)
            if visible:
                gone = visible[arg % len(visible)]
                r = requests.delete(f"{base}/v1/recordings/{gone}", headers=KEY, timeout=10)
                assert r.json() == {"deleted": True, "id": gone}
                del alive[gone]
        else:
            now += arg if op == "tick" else -arg
            _clock(model_server, now)
    everyone = sorted(keys)
    for limit, kind, pick, room in queries:
        ordered = [
            i
            for _, i in sorted(
                (k for i, k in alive.items() if k[0] <= now and room in (None, rooms[i])),
                reverse=True,
            )
        ]
        params: dict[str, Any] = {"limit": limit}
        if room is not None:
            params["room_name"] = room
        after = before = None
        if kind == "after" and everyone:
            after = params["starting_after"] = everyone[pick % len(everyone)]
        elif kind == "before" and everyone:
            before = params["ending_before"] = everyone[pick % len(everyone)]
        elif kind == "oldest":
            before = params["ending_before"] = "OLDEST"
        answer = _get(model_server, "/v1/recordings", **params)
        if (after or before) in set(keys) - set(alive):
            assert answer.status_code == 400  # a deleted recording names nothing
            continue
        body = answer.json()
        assert body["total_count"] == len(ordered)
        got = [r["id"] for r in body["data"]]
        assert got == keyset_page(ordered, limit, after, before, keys), (params, ordered)
    walked: list[str] = []
    params = {"limit": 2}
    while data := _get(model_server, "/v1/recordings", **params).json()["data"]:
        walked += [r["id"] for r in data]
        params["starting_after"] = data[-1]["id"]
    assert walked == [
        i for _, i in sorted((k for k in alive.values() if k[0] <= now), reverse=True)
    ]


def test_links_download_with_the_control_plane_off() -> None:
    with ServerThread(_world(), ServerConfig(port=0, admin=False)) as server:
        link = _get(server, "/v1/recordings/rec-a/access-link").json()["download_link"]
        got = requests.get(link, timeout=10)
        assert got.status_code == 200 and MP4(io.BytesIO(got.content)).info.length == 900
        assert requests.get(server.base_url + "/_fake/clock", timeout=10).status_code == 404


def test_a_recording_stops_when_the_last_participant_leaves_live() -> None:
    scenario = f"""\
now: {T}
sessions:
  - id: live
    room: standup
    start_time: -10m
    participants:
      - {{participant_id: p-open, user_name: A, join_time: -10m}}
recordings:
  - {{id: rec-live, session: live, start_ts: -5m}}
"""
    sc = load_text(scenario, "live.yaml")
    world = World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings)
    with ServerThread(world, ServerConfig(port=0)) as server:
        assert _get(server, "/v1/recordings/rec-live").json()["status"] == "in-progress"
        _clock(server, T + 60)
        left = requests.post(
            server.base_url + "/_fake/leave", json={"participant_id": "p-open"}, timeout=10
        )
        assert left.status_code == 200, left.text
        done = _get(server, "/v1/recordings/rec-live").json()
        assert (done["status"], done["duration"], done["max_participants"]) == ("finished", 360, 1)
