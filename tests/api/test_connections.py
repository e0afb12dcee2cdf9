"""Connections held by slow, idle or too many clients (``--header-timeout``,
``--keepalive-timeout``, ``--max-connections``), stopping a server with requests pending, and
clients leaving mid-request, seen from raw sockets and ``requests`` against a real server on
127.0.0.1 (in-process, or the CLI as a subprocess). Waits are bounded; the bounds under test are
small (0.5 s) and each assertion allows several times more, so a slow machine cannot fail them.
"""

from __future__ import annotations

import contextlib
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from fake_meetings.api.runner import SHUTDOWN_TIMEOUT
from fake_meetings.testing import ServerThread
from tests.helpers.processes import clean_env, read_lines, start_serve
from tests.helpers.scenarios import small_scenario

pytestmark = pytest.mark.slow  # servers started as processes, signals and timeouts

Serve = Callable[..., ServerThread]
Connect = Callable[[int], socket.socket]  # a socket connected to 127.0.0.1:PORT
BOUND = 0.5  # seconds: the timeouts configured in these tests
WITHIN = 5.0  # seconds: how long a test waits for the server to close a connection
GET = b"GET /v1/meetings?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n"


@pytest.fixture
def sockets() -> Iterator[Connect]:
    opened: list[socket.socket] = []

    def connect(port: int) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", port), timeout=WITHIN)
        opened.append(sock)
        return sock

    yield connect
    for sock in opened:
        sock.close()


def closed_by_server(sock: socket.socket, within: float, trickle: bytes = b"") -> bool:
    """Whether the server closes ``sock`` within ``within`` s (reading and dropping anything it
    sends), while this client sends ``trickle`` one byte every 0.1 s."""
    deadline = time.monotonic() + within
    for i in range(int(within * 10) + 1):
        if i < len(trickle):
            try:
                sock.sendall(trickle[i : i + 1])
            except OSError:  # reset or broken pipe: closed
                return True
        if select.select([sock], [], [], 0.1)[0]:
            try:
                if not sock.recv(65536):
                    return True
            except OSError:
                return True
        if time.monotonic() > deadline:
            break
    return False


def exchange(sock: socket.socket, request: bytes = GET) -> tuple[int, bytes]:
    """Send one request on ``sock`` and read its whole answer (status, body)."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "closed in the middle of a body"
        body += chunk
    return int(lines[0].split()[1]), body


def test_a_slow_loris_is_closed_after_the_header_timeout(serve: Serve, sockets: Connect) -> None:
    server = serve(small_scenario().world(), header_timeout=BOUND, keepalive_timeout=60)
    sock = sockets(server.port)
    assert closed_by_server(
        sock, WITHIN, trickle=b"GET /v1/meetings HTTP/1.1\r\nX-Slow: " + b"a" * 60
    )


def test_a_silent_connection_is_closed_after_the_header_timeout(
    serve: Serve, sockets: Connect
) -> None:
    server = serve(small_scenario().world(), header_timeout=BOUND, keepalive_timeout=60)
    assert closed_by_server(sockets(server.port), WITHIN)


def test_the_header_timeout_spares_idle_time_and_bodies(serve: Serve, sockets: Connect) -> None:
    server = serve(small_scenario().world(), header_timeout=BOUND, keepalive_timeout=60)
    sock = sockets(server.port)
    assert exchange(sock)[0] == 200
    time.sleep(3 * BOUND)  # idle between requests longer than the header timeout: kept
    assert exchange(sock)[0] == 200
    body = b"sessions: []\n" + b"#" * 20
    sock.sendall(
        b"POST /_fake/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    for i in range(len(body) - 1):  # a body slower than the header timeout: still read
        sock.sendall(body[i : i + 1])
        time.sleep(0.1)
    status, answer = exchange(sock, body[-1:])
    assert status == 200, answer


def test_stalled_bodies_are_closed_and_free_their_places(serve: Serve, sockets: Connect) -> None:
    server = serve(
        small_scenario().world(), header_timeout=BOUND, keepalive_timeout=60, max_connections=3
    )
    stalled = [sockets(server.port) for _ in range(3)]
    for sock in stalled:  # every place taken by a body that stops after its first byte
        sock.sendall(
            b"POST /_fake/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
    for sock in stalled:
        assert closed_by_server(sock, WITHIN)
    assert exchange(sockets(server.port))[0] == 200


def test_an_idle_keepalive_connection_is_closed_after_the_keepalive_timeout(
    serve: Serve,
    sockets: Connect,
) -> None:
    server = serve(small_scenario().world(), header_timeout=60, keepalive_timeout=BOUND)
    sock = sockets(server.port)
    assert exchange(sock)[0] == 200
    assert exchange(sock)[0] == 200  # kept alive and reused
    assert closed_by_server(sock, WITHIN)


def test_connections_over_the_cap_are_closed_while_earlier_ones_hold(
    serve: Serve,
    sockets: Connect,
) -> None:
    server = serve(small_scenario().world(), max_connections=3)
    held = [sockets(server.port) for _ in range(3)]
    for sock in held:
        assert exchange(sock)[0] == 200  # served, and kept open
    refused = sockets(server.port)
    assert closed_by_server(refused, WITHIN)
    with requests.Session() as s:
        s.trust_env = False
        with pytest.raises(requests.ConnectionError):
            s.get(server.url + "/meetings", headers={"Authorization": "Bearer k"}, timeout=WITHIN)
        for sock in held:
            assert exchange(sock)[0] == 200  # the earlier ones still work
        held[0].close()
        deadline = time.monotonic() + WITHIN
        status = 0
        while status != 200 and time.monotonic() < deadline:  # a place is free again
            with contextlib.suppress(requests.ConnectionError):
                status = s.get(
                    server.url + "/meetings", headers={"Authorization": "Bearer k"}, timeout=WITHIN
                ).status_code
            time.sleep(0.05)
        assert status == 200


# ----------------------------------------------------------------- the command line


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """``cli(*args, **env)`` starts ``fake-meetings serve --port 0 --scenario single``."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str, **env: str) -> Served:
        proc, lines = start_serve(["--port", "0", "--scenario", "single", *args], tmp_path, env)
        procs.append(proc)
        return Served(proc, int(lines[0].rsplit(":", 1)[1]))

    yield start
    for proc in procs:
        proc.kill()
        proc.communicate(timeout=10)


def test_the_cli_takes_the_bounds_from_flags(cli: Callable[..., Served], sockets: Connect) -> None:
    port = cli(
        "--header-timeout", str(BOUND), "--keepalive-timeout", "60", "--max-connections", "1"
    ).port
    held = sockets(port)
    assert exchange(held)[0] == 200
    assert closed_by_server(sockets(port), WITHIN)  # over the cap
    assert exchange(held)[0] == 200
    assert closed_by_server(held, WITHIN, trickle=b"G")  # a head begun, never finished


def test_the_cli_takes_the_bounds_from_the_environment(
    cli: Callable[..., Served], sockets: Connect
) -> None:
    port = cli(
        FAKE_MEETINGS_HEADER_TIMEOUT="60",
        FAKE_MEETINGS_KEEPALIVE_TIMEOUT=str(BOUND),
        FAKE_MEETINGS_MAX_CONNECTIONS="1",
    ).port
    held = sockets(port)
    assert exchange(held)[0] == 200
    assert closed_by_server(sockets(port), WITHIN)  # over the cap
    assert closed_by_server(held, WITHIN)  # idle


# ----------------------------------------------------------------- stopping


def delay_a_request(served: Served, sockets: Connect) -> socket.socket:
    """A connection whose request waits on a 30 s injected delay."""
    with requests.Session() as s:
        s.trust_env = False
        fault = {"delay_ms": 30_000, "probability": 1}
        assert s.post(served.base_url + "/_fake/faults", json=fault, timeout=WITHIN).ok
        sock = sockets(served.port)
        sock.sendall(GET)
        deadline = time.monotonic() + WITHIN
        while (
            s.get(served.base_url + "/_fake/faults", timeout=WITHIN).json()["data"][0]["fired"] < 1
        ):
            assert time.monotonic() < deadline
            time.sleep(0.02)
    return sock


def test_sigterm_stops_the_server_whatever_is_pending(
    cli: Callable[..., Served], sockets: Connect
) -> None:
    served = cli()
    delayed = delay_a_request(served, sockets)
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(timeout=WITHIN) == 0
    assert closed_by_server(delayed, WITHIN)


def test_a_second_sigint_stops_the_server_at_once(
    cli: Callable[..., Served], sockets: Connect
) -> None:
    served = cli()
    delay_a_request(served, sockets)  # the first stop waits SHUTDOWN_TIMEOUT for it
    first = time.monotonic()
    served.proc.send_signal(signal.SIGINT)
    deadline = first + WITHIN
    while True:  # the first SIGINT is handled once the server stops listening
        try:
            socket.create_connection(("127.0.0.1", served.port), timeout=WITHIN).close()
        except ConnectionRefusedError:
            break
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = time.monotonic()
    served.proc.send_signal(signal.SIGINT)
    code = served.proc.wait(timeout=WITHIN)
    if second - first >= SHUTDOWN_TIMEOUT and code == 0:
        # this test ran too slowly: the graceful stop may have ended before the second signal
        pytest.skip("the second SIGINT came after the graceful stop could end")
    assert code == -signal.SIGINT  # sent within the stop's wait: killed by it, no clean-up


# ----------------------------------------------------------------- client disconnects


def test_clients_leaving_in_the_middle_of_a_body_are_not_logged_as_failures(
    cli: Callable[..., Served], sockets: Connect
) -> None:
    served = cli()
    disconnects = 50
    for _ in range(disconnects):
        sock = sockets(served.port)
        sock.sendall(
            b"POST /_fake/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Length: 100000\r\n\r\nsessions: "
        )
        sock.close()
    with requests.Session() as s:  # the server still answers
        s.trust_env = False
        assert s.get(served.base_url + "/_fake/health", timeout=WITHIN).ok
    served.proc.send_signal(signal.SIGTERM)
    out, err = served.proc.communicate(timeout=2 * WITHIN)
    assert served.proc.returncode == 0
    # nothing beyond the start-up banner (read by ``cli``) on either stream
    assert (out, err) == (b"", b""), (out[:3000], err[:3000])


def test_sigterm_as_soon_as_the_listening_line_is_printed_is_a_graceful_stop(
    tmp_path: Path,
) -> None:
    """A supervisor may stop the server the moment it reads the listening line: the handlers
    are in place by then, so that is a clean stop (0), never Python's default death by SIGTERM.
    Before, they were set after both start-up lines, and such a stop was killed (-15)."""
    for _ in range(5):  # the window was microseconds wide: a few tries make it likely
        proc = subprocess.Popen(
            [sys.executable, "-m", "fake_meetings", "serve", "--port", "0", "--scenario", "empty"],
            cwd=tmp_path, env=clean_env(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            assert read_lines(proc, 1, 20), proc.stderr
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=WITHIN) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=10)
