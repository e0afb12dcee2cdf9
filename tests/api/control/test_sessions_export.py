"""``GET /_fake/sessions`` streamed, on a real server: the body is the one
the whole-body answer gave (every visible session newest first, participants included, the
version header), written in parts while other requests are served; a client that stops reading
holds the export back instead of making the server render everything; a generated session's
stays are drawn for the export and not kept."""

from __future__ import annotations

import socket
import time

import orjson
import pytest

from fake_meetings.api.control import plane as admin
from fake_meetings.api.daily import render
from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.drawn import DrawnSession
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.model import Session
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import VERSION_HEADER, Http
from tests.helpers.constants import NOW


def world(count: int) -> World:
    spec = GenerateSpec(count, rooms=20, seed=5, start=NOW - 5 * 86400, ahead=3600)
    return World(generate(spec, NOW), Clock(NOW))


def drawn(w: World) -> int:
    """How many generated sessions hold their drawn stays."""
    held = Session.__dict__["participants"]
    count = 0
    for s in w.store.sessions:
        if isinstance(s, DrawnSession):
            try:
                held.__get__(s, Session)
                count += 1
            except AttributeError:
                pass
    return count


def test_the_export_is_the_whole_body_in_parts(
    monkeypatch: pytest.MonkeyPatch, http_client: Http
) -> None:
    w = world(700)
    monkeypatch.setattr(admin, "EXPORT_BATCH", 16)
    monkeypatch.setattr(admin, "EXPORT_BYTES", 4096)  # many parts
    with ServerThread(w, ServerConfig(port=0)) as server:
        r = http_client.at(server.base_url).get("/_fake/sessions")
        assert r.status == 200 and r.content_type == "application/json"
        assert r.headers.get(VERSION_HEADER)
        assert drawn(w) == 0  # every stay was drawn for the export, none kept
        store = w.store
        visible = store.sessions[: store.visible_count(NOW)]
        assert 0 < len(visible) < len(store)  # some start after now: not exported
        expected = render.meetings_page(len(visible), reversed(visible), NOW, participants=True)
        assert orjson.loads(r.body) == orjson.loads(expected)
        empty = World((), Clock(NOW))
    with ServerThread(empty, ServerConfig(port=0)) as server:
        r = http_client.at(server.base_url).get("/_fake/sessions")
        assert orjson.loads(r.body) == {"total_count": 0, "data": []}


@pytest.mark.slow
def test_a_client_that_stops_reading_holds_the_export_back(
    monkeypatch: pytest.MonkeyPatch, plain: Http
) -> None:
    w = world(20_000)
    rendered: list[int] = []
    original = render.session_dict
    monkeypatch.setattr(
        render, "session_dict", lambda *a, **k: rendered.append(1) or original(*a, **k)
    )
    with ServerThread(w, ServerConfig(port=0)) as server:
        total = w.store.visible_count(NOW)
        host, port = server.base_url.split("//")[1].split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            sock.sendall(b"GET /_fake/sessions HTTP/1.1\r\nHost: localhost\r\n\r\n")
            first = sock.recv(65536)
            assert first.startswith(b"HTTP/1.1 200")
            # the client reads nothing more: the server is served meanwhile, and stops rendering
            c = plain.at(server.base_url)
            assert c.get("/_fake/health").status == 200
            time.sleep(0.3)
            held = len(rendered)
            assert c.get("/_fake/health").status == 200
            assert held < total, (held, total)
            body = bytearray(first)
            sock.settimeout(30)
            while not body.endswith(b"0\r\n\r\n"):  # chunked: the last chunk is empty
                chunk = sock.recv(1 << 20)
                assert chunk
                body += chunk
        assert len(rendered) >= total
