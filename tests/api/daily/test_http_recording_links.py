"""What an access link gives, by the recording's type and the domain's buckets, on a real
server: Daily's access links do not cover raw-tracks recordings (their tracks are files of
their own); a file in a custom ``recordings_bucket`` with ``allow_streaming_from_bucket: true``
is served ``inline`` rather than as an attachment; a custom bucket with
``allow_api_access: false`` gives no link (a 403, our choice of status)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from mutagen.mp4 import MP4

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.transcripts import KEY, Checked, T

SCENARIO = f"""\
now: {T}
sessions:
  - id: s1
    room: standup
    start_time: -2h
    participants:
      - {{user_name: A, join_time: -2h, duration: 3600}}
recordings:
  - id: rec-cloud
    session: s1
    start_ts: -115m
    end: -100m
  - id: rec-raw
    session: s1
    type: raw-tracks
    start_ts: -110m
    end: -90m
transcripts:
  - {{id: tr-done, session: s1, start_ts: -115m, end: -100m}}
"""
BUCKET = {
    "bucket_name": "my-recordings",
    "bucket_region": "eu-west-1",
    "assume_role_arn": "arn:aws:iam::111111111111:role/daily",
    "allow_api_access": True,
}


@pytest.fixture
def server() -> Iterator[ServerThread]:
    sc = load_text(SCENARIO, "links.yaml")
    world = World(
        sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings, transcripts=sc.transcripts
    )
    with ServerThread(world, ServerConfig(port=0)) as running:
        yield running


def _get(server: ServerThread, path: str) -> requests.Response:
    return requests.get(server.base_url + path, headers=KEY, timeout=10)


def _set_bucket(
    server: ServerThread, bucket: dict[str, Any] | None, name: str = "recordings_bucket"
) -> None:
    body = {"properties": {name: bucket}}
    r = requests.post(server.base_url + "/v1/", json=body, headers=KEY, timeout=10)
    assert r.status_code == 200, r.text


def _disposition(server: ServerThread) -> str:
    link = _get(server, "/v1/recordings/rec-cloud/access-link").json()["download_link"]
    got = requests.get(link, timeout=10)
    assert got.status_code == 200
    assert MP4(io.BytesIO(got.content)).info.length == 900
    return str(got.headers["Content-Disposition"])


def test_a_raw_tracks_recording_has_no_access_link(server: ServerThread) -> None:
    raw = _get(server, "/v1/recordings/rec-raw").json()
    assert raw["status"] == "finished" and raw["tracks"]  # finished, with files of its own
    link = "/recordings/{id}/access-link"
    refused = Checked(server).call("GET", link, "/recordings/rec-raw/access-link")
    assert refused.status_code == 400  # and as the served OpenAPI document declares it
    assert refused.json()["error"] == "invalid-request-error"
    assert "raw-tracks" in refused.json()["info"] and "s3Key" in refused.json()["info"]
    assert _get(server, "/v1/recordings/rec-cloud/access-link").status_code == 200


def test_the_file_is_inline_only_from_a_bucket_that_allows_streaming(
    server: ServerThread,
) -> None:
    assert _disposition(server).startswith("attachment;")  # Daily's own bucket
    _set_bucket(server, {**BUCKET, "allow_streaming_from_bucket": False})
    assert _disposition(server).startswith("attachment;")
    _set_bucket(server, {**BUCKET, "allow_streaming_from_bucket": True})
    assert _disposition(server).startswith("inline;")
    _set_bucket(server, None)
    assert _disposition(server).startswith("attachment;")


@pytest.mark.parametrize(
    ("bucket", "template", "path"),
    [
        ("recordings_bucket", "/recordings/{id}/access-link", "/recordings/rec-cloud/access-link"),
        ("transcription_bucket", "/transcript/{id}/access-link", "/transcript/tr-done/access-link"),
    ],
)
def test_a_bucket_without_api_access_gives_no_link(
    server: ServerThread, bucket: str, template: str, path: str
) -> None:
    api = Checked(server)  # each answer as the served OpenAPI document declares it
    assert api.call("GET", template, path).status_code == 200
    _set_bucket(server, {**BUCKET, "allow_api_access": False}, bucket)
    refused = api.call("GET", template, path)
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden-error"
    assert f"{bucket}.allow_api_access" in refused.json()["info"]
    _set_bucket(server, {**BUCKET, "allow_api_access": True}, bucket)
    assert api.call("GET", template, path).status_code == 200
