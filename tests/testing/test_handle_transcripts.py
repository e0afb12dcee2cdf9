"""The handle's transcripts (``fake_meetings.transcripts``): start, stop and list, in-process
(LocalBackend) and against an external server (RemoteBackend over HTTP), with the same
answers, refusals and webhook deliveries (a real receiver)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from fake_meetings.client.control import FakeMeetingsError
from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from fake_meetings.testing.handle import FakeMeetings
from fake_meetings.testing.remote import RemoteBackend
from tests.helpers.constants import NOW
from tests.helpers.receiver import Receiver

OTHER = "0b6f1f36-3f2e-4b4e-9a55-2a5a2d1f0c11"


@pytest.fixture(params=["local", "remote"])
def handle(request: pytest.FixtureRequest) -> Iterator[FakeMeetings]:
    with ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0)) as s:
        if request.param == "local":
            yield s.handle()
        else:
            yield FakeMeetings(RemoteBackend(s.base_url, "k"), s.url, "k")


def _store_transcripts(handle: FakeMeetings) -> None:
    r = requests.post(
        handle.url + "/",
        json={"properties": {"enable_transcription_storage": True}},
        headers={"Authorization": f"Bearer {handle.api_key}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text


def test_start_stop_and_list_with_their_webhooks(handle: FakeMeetings, receiver: Receiver) -> None:
    _store_transcripts(handle)
    handle.webhooks.point_at(
        receiver.url, event_types=["transcript.started", "transcript.ready-to-download"]
    )
    handle.join("standup", user_name="Alice")
    tr_id = handle.transcripts.start("standup")
    (started,) = [json.loads(r.body) for r in receiver.events()]  # delivered on return
    assert started["payload"]["id"] == tr_id
    handle.clock.advance(60)
    (listed,) = handle.transcripts.list("standup")
    assert (listed["transcriptId"], listed["status"]) == (tr_id, "t_in_progress")
    handle.transcripts.stop("standup")
    ready = json.loads(receiver.events()[-1].body)
    assert (ready["type"], ready["payload"]["duration"]) == ("transcript.ready-to-download", 60)
    other = handle.transcripts.start("standup", instance_id=OTHER)
    handle.clock.advance(30)
    handle.transcripts.stop("standup", instance_id=OTHER)
    got = [(t["transcriptId"], t["status"], t["duration"]) for t in handle.transcripts.list()]
    assert got == [(other, "t_finished", 30), (tr_id, "t_finished", 60)]
    handle.room("elsewhere")
    assert handle.transcripts.list("elsewhere") == []


def test_refusals_raise_with_the_server_s_message(handle: FakeMeetings) -> None:
    handle.room("empty")
    with pytest.raises(FakeMeetingsError, match="not hosting a call"):
        handle.transcripts.start("empty")
    handle.join("empty", user_name="Bo")
    with pytest.raises(FakeMeetingsError, match="no transcription to stop"):
        handle.transcripts.stop("empty")
    handle.transcripts.start("empty")
    with pytest.raises(FakeMeetingsError, match="already"):
        handle.transcripts.start("empty")
