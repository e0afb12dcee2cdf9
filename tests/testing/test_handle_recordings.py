"""The handle's recordings (``fake_meetings.recordings``): start, stop and list, in-process
(LocalBackend) and against an external server (RemoteBackend over HTTP), with the same
answers, refusals and webhook deliveries (a real receiver)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

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


def test_start_stop_and_list_with_their_webhooks(handle: FakeMeetings, receiver: Receiver) -> None:
    handle.webhooks.point_at(
        receiver.url, event_types=["recording.started", "recording.ready-to-download"]
    )
    handle.join("standup", user_name="Alice")
    rec_id = handle.recordings.start("standup", layout={"preset": "single-participant"})
    (started,) = [json.loads(r.body) for r in receiver.events()]  # delivered on return
    assert started["payload"]["recording_id"] == rec_id
    assert started["payload"]["layout"] == {"preset": "single-participant"}
    handle.clock.advance(60)
    (listed,) = handle.recordings.list("standup")
    assert (listed["id"], listed["status"]) == (rec_id, "in-progress")
    handle.recordings.stop("standup")
    ready = json.loads(receiver.events()[-1].body)
    assert (ready["type"], ready["payload"]["duration"]) == ("recording.ready-to-download", 60)
    other = handle.recordings.start("standup", instance_id=OTHER, max_duration=30)
    handle.clock.advance(100)
    assert [(r["id"], r["status"], r.get("duration")) for r in handle.recordings.list()] == [
        (other, "finished", 30),
        (rec_id, "finished", 60),
    ]
    assert handle.recordings.list("elsewhere") == []


def test_refusals_raise_with_the_server_s_message(handle: FakeMeetings) -> None:
    handle.room("empty")
    with pytest.raises(FakeMeetingsError, match="not hosting a call"):
        handle.recordings.start("empty")
    handle.join("standup")
    handle.recordings.start("standup")
    with pytest.raises(FakeMeetingsError, match="has an active stream"):
        handle.recordings.start("standup")
    with pytest.raises(FakeMeetingsError, match="maxDuration"):
        handle.recordings.start("standup", instance_id=OTHER, max_duration=0)
    with pytest.raises(FakeMeetingsError, match="no cloud recording in progress"):
        handle.recordings.stop("standup", instance_id=OTHER)
