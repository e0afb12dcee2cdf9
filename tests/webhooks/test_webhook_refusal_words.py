"""The words of a refused body field are Daily's, on a real server: ``"scope" is not allowed``
for a field a route does not take, ``"hmac" must be a valid base64 string`` for a bad secret.
Daily's docs give no refusal text, but clients match these words to drop the field and send
again; ScholarHub's DailyClient (backend/app/services/daily.py) registers its webhook so:
``event_types`` with ``scope`` and ``hmac`` first, dropping what Daily refuses, then
``eventTypes``. Against the old wording ("unknown field 'scope' ...") it gave up at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.constants import AUTH, NOW, TIMEOUT
from tests.helpers.receiver import Receiver


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(World(clock=Clock(NOW))) as s:
        yield s


def post(s: ServerThread, path: str, body: Any) -> requests.Response:
    return requests.post(s.base_url + path, json=body, headers=AUTH, timeout=TIMEOUT)


def refused(r: requests.Response) -> str:
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "invalid-request-error"
    return str(r.json()["info"])


def test_a_client_drops_what_daily_s_words_refuse_and_its_webhook_is_made(
    server: ServerThread, receiver: Receiver
) -> None:
    events = ["meeting.started", "meeting.ended"]
    body = {"url": receiver.url, "scope": "room", "hmac": "not base64!", "event_types": events}
    assert '"scope" is not allowed' in refused(post(server, "/v1/webhooks", body))
    del body["scope"]
    assert '"event_types" is not allowed' in refused(post(server, "/v1/webhooks", body))
    body["eventTypes"] = body.pop("event_types")
    assert '"hmac" must be a valid base64 string' in refused(post(server, "/v1/webhooks", body))
    del body["hmac"]
    r = post(server, "/v1/webhooks", body)
    assert r.status_code == 200, r.text
    assert r.json()["eventTypes"] == events
    update = post(server, f"/v1/webhooks/{r.json()['uuid']}", {"url": receiver.url, "scope": 1})
    assert '"scope" is not allowed' in refused(update)


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/v1/rooms", {"nmae": "x"}, '"nmae" is not allowed'),
        ("/v1/meeting-tokens", {"room_name": "x"}, '"room_name" is not allowed'),
        ("/v1/", {"config": {}}, '"config" is not allowed'),
    ],
)
def test_every_daily_route_refuses_an_unknown_field_in_those_words(
    server: ServerThread, path: str, body: dict[str, Any], words: str
) -> None:
    info = refused(post(server, path, body))
    assert info.startswith(words), info
