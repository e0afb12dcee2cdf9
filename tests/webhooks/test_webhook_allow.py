"""A webhook URL is not a port scanner: ``--webhook-allow`` limits the hosts a
webhook may name (another is a 400 naming the option, and nothing is dialled), and a failed
test request says what kind of failure it met without quoting what the peer sent. Against a
real server (even with ``--no-admin``: ``POST /webhooks`` is a Daily route) and real sockets
on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from fake_meetings.webhooks.settings import Settings, Timing
from tests.helpers.constants import AUTH, NOW, TIMEOUT
from tests.helpers.receiver import Receiver

TIMING = Timing(timeout=1.0, retry_delays=(0.05, 0.05, 0.05, 0.05))
BANNER = b"SSH-2.0-OpenSSH_9.6\r\n"


def serving(allow: frozenset[str] | None = None, **settings: Any) -> ServerThread:
    if allow is not None:
        settings["allow"] = allow
    hooks = Settings(timing=TIMING, **settings)
    return ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0, admin=False, webhooks=hooks))


def create(s: ServerThread, url: str) -> requests.Response:
    return requests.post(s.url + "/webhooks", json={"url": url}, headers=AUTH, timeout=TIMEOUT)


class Peer:
    """A TCP listener on 127.0.0.1 that counts connections and does ``act`` with each."""

    def __init__(self, act: Callable[[socket.socket], None]) -> None:
        self.accepted = 0
        self._act = act
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn, contextlib.suppress(OSError):
                self._act(conn)

    def close(self) -> None:
        self._sock.close()


@pytest.fixture
def peers() -> Iterator[Callable[[Callable[[socket.socket], None]], Peer]]:
    made: list[Peer] = []

    def make(act: Callable[[socket.socket], None]) -> Peer:
        made.append(Peer(act))
        return made[-1]

    yield make
    for peer in made:
        peer.close()


def _banner(conn: socket.socket) -> None:
    conn.sendall(BANNER)
    conn.settimeout(2)
    conn.recv(65536)


def _close(conn: socket.socket) -> None:
    conn.settimeout(2)
    conn.recv(65536)


def test_a_host_not_allowed_is_a_400_naming_the_option_and_is_never_dialled(
    peers: Callable[[Callable[[socket.socket], None]], Peer], receiver: Receiver
) -> None:
    peer = peers(_banner)
    with serving(frozenset({"receiver.example", "::1"})) as s:
        for url in (
            f"http://127.0.0.1:{peer.port}/",
            f"http://user:pw@127.0.0.1:{peer.port}/x",
            receiver.url,
        ):
            r = create(s, url)
            assert r.status_code == 400, r.text
            info = r.json()["info"]
            assert "--webhook-allow" in info and "'127.0.0.1'" in info, info
            assert "receiver.example" in info
    assert peer.accepted == 0 and receiver.received == []
    with serving(frozenset({"127.0.0.1"})) as s:  # the same URL, allowed
        assert create(s, receiver.url).status_code == 200
    assert [r.body for r in receiver.received] == [b'{"test":"test"}']


def test_a_start_up_webhook_to_a_host_not_allowed_is_never_dialled(receiver: Receiver) -> None:
    # --webhook-url is checked by the CLI; a scenario's webhook: block is trusted like it, so
    # its deliveries are what refuses: failed, with the reason, and nothing dialled
    with serving(frozenset({"receiver.example"}), startup={"url": receiver.url}) as s:
        handle = s.handle()
        handle.join("standup")
        assert handle.webhooks.settle(5)
        deliveries = handle.webhooks.deliveries()
        assert deliveries and all(d["state"] == "failed" for d in deliveries)
        errors = {a["error"] for d in deliveries for a in d["attempts"]}
        assert errors == {"host not allowed by --webhook-allow"}
    assert receiver.received == []


def test_a_failed_test_request_names_the_kind_of_failure_without_quoting_the_peer(
    peers: Callable[[Callable[[socket.socket], None]], Peer], receiver: Receiver
) -> None:
    banner, closer = peers(_banner), peers(_close)
    spare = socket.create_server(("127.0.0.1", 0))
    refused = spare.getsockname()[1]
    spare.close()  # nothing listens there now
    receiver.statuses = [404]
    with serving() as s:
        cases = {
            f"http://127.0.0.1:{banner.port}/hooks": "answered something that is not HTTP",
            f"http://127.0.0.1:{closer.port}/hooks": "closed without an HTTP answer",
            f"http://127.0.0.1:{refused}/hooks": "could not connect: connection refused",
            receiver.url: "answered HTTP status 404",
        }
        for url, kind in cases.items():
            r = create(s, url)
            assert r.status_code == 400, r.text
            info = r.json()["info"]
            assert kind in info, info
            assert "SSH" not in info and "OpenSSH" not in info, info
            assert "Connect call failed" not in info and "Error" not in info, info
    assert banner.accepted == 1 and closer.accepted == 1
