"""The handle's failures (``fake_meetings.recordings.fail``, ``fake_meetings.transcripts.fail``),
in-process (LocalBackend) and against an external server (RemoteBackend over HTTP), with the
same answers, refusals and webhook deliveries (a real receiver)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from fake_meetings.client.control import ControlPlaneMissing, FakeMeetingsError
from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from fake_meetings.testing.handle import FakeMeetings
from fake_meetings.testing.remote import RemoteBackend
from tests.helpers.constants import NOW
from tests.helpers.receiver import Receiver


@pytest.fixture(params=["local", "remote"])
def handle(request: pytest.FixtureRequest) -> Iterator[FakeMeetings]:
    with ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0)) as s:
        if request.param == "local":
            yield s.handle()
        else:
            yield FakeMeetings(RemoteBackend(s.base_url, "k"), s.url, "k")


def test_fail_stops_it_now_and_delivers_the_error_event(
    handle: FakeMeetings, receiver: Receiver
) -> None:
    handle.webhooks.point_at(receiver.url, event_types=["recording.error", "transcript.error"])
    handle.join("standup", user_name="Alice")
    rec_id = handle.recordings.start("standup")
    tr_id = handle.transcripts.start("standup")
    handle.clock.advance(30)
    handle.recordings.fail(rec_id, error="cloud-recording-error: disk full")
    (error,) = [json.loads(r.body) for r in receiver.events()]  # delivered on return
    assert (error["type"], error["event_ts"]) == ("recording.error", NOW + 30)
    assert error["payload"]["error_msg"] == "cloud-recording-error: disk full"
    (rec,) = handle.recordings.list("standup")
    assert (rec["id"], rec["status"], rec["duration"]) == (rec_id, "canceled", 0)
    handle.transcripts.fail(tr_id)
    last = json.loads(receiver.events()[-1].body)
    assert (last["type"], last["payload"]["id"]) == ("transcript.error", tr_id)
    assert (last["payload"]["error"], last["payload"]["duration"]) == ("transcription failed", 30)
    (tr,) = handle.transcripts.list("standup")
    assert (tr["status"], tr["duration"], tr["error"]) == ("t_error", 30, "transcription failed")


def test_refusals_raise_with_the_server_s_message(handle: FakeMeetings) -> None:
    handle.join("standup")
    rec_id = handle.recordings.start("standup")
    tr_id = handle.transcripts.start("standup")
    with pytest.raises(FakeMeetingsError, match="error: must not be empty"):
        handle.recordings.fail(rec_id, error=" ")
    with pytest.raises(FakeMeetingsError, match="error: at most 1,000 characters"):
        handle.transcripts.fail(tr_id, error="x" * 1001)
    handle.recordings.fail(rec_id)
    with pytest.raises(FakeMeetingsError, match=f"recording {rec_id} is canceled, not in prog"):
        handle.recordings.fail(rec_id)
    handle.transcripts.stop("standup")
    with pytest.raises(FakeMeetingsError, match=f"transcript {tr_id} is t_finished, not in pr"):
        handle.transcripts.fail(tr_id)
    for fail in (handle.recordings.fail, handle.transcripts.fail):
        with pytest.raises(FakeMeetingsError, match="nope not found") as caught:
            fail("nope")
        assert not isinstance(caught.value, ControlPlaneMissing)  # the route is there


def test_a_server_without_the_route_is_named_as_such() -> None:
    with ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0, admin=False)) as s:
        remote = FakeMeetings(RemoteBackend(s.base_url, "k"), s.url, "k")
        with pytest.raises(ControlPlaneMissing, match="has no control plane"):
            remote.recordings.fail("r")
