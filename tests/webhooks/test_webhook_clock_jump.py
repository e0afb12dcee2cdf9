"""A long clock jump with a webhook, on a real server with a real receiver.

Thousands of future sessions, a small outbox, one move past all of them: the server builds
the outbox's bound of events and no more (the rest are counted, never built), answers the
API while the move's events are read and sent, delivers the first events of the model's
sequence (``test_webhook_events_between.py``'s) in order, and counts every other event as
dropped. Before, the move built every event it passed on the event loop (273,070 events, 8 s
for 100,000 sessions) and dropped all but the outbox's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from fake_meetings.webhooks.settings import Settings, Timing
from tests.helpers.constants import AUTH, NOW, TIMEOUT
from tests.helpers.receiver import Receiver
from tests.webhooks.test_webhook_events_between import Raw, Row, model_between

SESSIONS = 20_000  # 6 events each: 120,000 events passed by one move
OUTBOX = 40
SPACING = 30  # seconds between two starts: instants tie across sessions (a leave, a start)
JUMP = SESSIONS * SPACING + 86_400  # past every event


def raws() -> list[Raw]:
    """Sessions after NOW: Alice for 600 s, Bob from 10 s for 45 s; 50 rooms in turn."""
    out = []
    for i in range(SESSIONS):
        start = NOW + 100 + SPACING * i
        stays = ((f"alice-{i}", start, 600), (f"bob-{i}", start + 10, 45))
        out.append(Raw(f"m-{i:05d}", f"room-{i % 50}", start, stays))
    return out


@pytest.fixture
def jump_server() -> Iterator[tuple[ServerThread, list[Raw]]]:
    sessions = raws()
    timing = Timing(timeout=2.0, outbox=OUTBOX)
    world = World((r.session() for r in sessions), clock=Clock(NOW))
    with ServerThread(world, ServerConfig(port=0, webhooks=Settings(timing=timing))) as s:
        yield s, sessions


def row(body: bytes) -> Row:
    """An event received, as the model's row (instant, type, session id, participant id)."""
    event = json.loads(body)
    payload = event["payload"]
    if event["type"].startswith("meeting."):
        return (event["event_ts"], event["type"], payload["meeting_id"], None)
    session = payload["session_id"].rsplit("-", 1)[1]  # alice-<i> is in m-<i>
    return (event["event_ts"], event["type"], f"m-{int(session):05d}", payload["session_id"])


def test_a_long_jump_builds_the_outbox_s_bound_and_counts_the_rest(
    jump_server: tuple[ServerThread, list[Raw]], receiver: Receiver
) -> None:
    server, sessions = jump_server
    base = server.base_url
    with requests.Session() as http:
        http.headers.update(AUTH)
        made = http.post(server.url + "/webhooks", json={"url": receiver.url}, timeout=TIMEOUT)
        assert made.status_code == 200, made.text
        receiver.hang = 0.02  # the outbox's 40 deliveries take 0.8 s at least
        moved = http.post(base + "/_fake/clock", json={"advance": JUMP}, timeout=TIMEOUT)
        assert moved.status_code == 200, moved.text

        # the API answers while the move's events are on their way
        during = http.get(base + "/_fake/webhooks?limit=0", timeout=TIMEOUT).json()
        page = http.get(server.url + "/meetings?limit=5", timeout=TIMEOUT)
        assert page.status_code == 200 and len(page.json()["data"]) == 5
        assert during["pending"] + during["reading"] > 0  # not over yet: the receiver is slow
        assert during["built"] <= OUTBOX and during["pending"] <= OUTBOX

        settled = http.post(base + "/_fake/webhooks/settle", json={"timeout": 30}, timeout=60)
        summary = settled.json()
    expected = model_between(sessions, NOW, NOW + JUMP, 0)
    assert len(expected) == 6 * SESSIONS
    assert summary["settled"] and summary["reading"] == 0 and summary["pending"] == 0
    assert summary["built"] == OUTBOX  # the events delivered; none of those dropped was built
    assert summary["delivered"] == OUTBOX
    assert summary["emitted"] == len(expected)
    assert summary["dropped"] == len(expected) - OUTBOX
    assert [row(r.body) for r in receiver.events()] == expected[:OUTBOX]
