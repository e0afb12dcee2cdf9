"""``fake-meetings capture`` ends against a source that would keep it going forever:
pages that cycle (any cursor seen before is an error, on ``/meetings`` and ``/rooms``), a source
that invents new sessions or rooms on every page (``--max-sessions``, ``--max-rooms``), and a
source that drips its answer a byte at a time (``--timeout`` bounds a whole answer, not each
read). Each ends with a message, "nothing written" and exit status 1, nothing left on disk.

The sources are real HTTP servers on 127.0.0.1 (the standard library's), answering by the
``starting_after`` they are sent. Each stops on its own after ``GIVE_UP`` requests (a 400), so
a reader without the bound under test fails instead of running forever."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from fake_meetings.cli import main
from fake_meetings.client.daily import DailyReader, SourceError
from tests.helpers.constants import NOW

KEY = "sk-bounds-SECRET-77"
GIVE_UP = 150  # requests a source answers before it refuses (400): a walk that never ends
EMPTY: dict[str, Any] = {"total_count": 0, "data": []}
Pages = Callable[[str, str | None], dict[str, Any]]  # (path, starting_after) -> body


def session(n: int) -> dict[str, Any]:
    return {
        "id": f"s-{n:09d}",
        "room": "r",
        "start_time": NOW - 60 * n,
        "duration": 60,
        "ongoing": False,
        "max_participants": 1,
        "participants": [
            {"participant_id": f"p-{n}", "user_id": None, "user_name": None,
             "join_time": NOW - 60 * n, "duration": 60}
        ],
    }  # fmt: skip


def room(n: int) -> dict[str, Any]:
    return {
        "id": f"room-id-{n}",
        "name": f"room-{n}",
        "api_created": True,
        "privacy": "public",
        "created_at": "2024-01-01T00:00:00.000Z",
        "config": {},
    }


def cycling(path: str, after: str | None) -> dict[str, Any]:
    """Two pages that point at each other: A (ends at 3) -> B (ends at 1) -> A -> ..."""
    make = session if path == "/v1/meetings" else room
    ids = {"/v1/meetings": ("s-000000003", "s-000000001"), "/v1/rooms": ("room-id-3", "room-id-1")}
    first = after != ids[path][0]  # A unless the cursor is A's last
    data = [make(4), make(3)] if first else [make(2), make(1)]
    return {"total_count": 4, "data": data}


def inventing(path: str, after: str | None) -> dict[str, Any]:
    """Pages of 100 new items after any cursor, forever."""
    make = session if path == "/v1/meetings" else room
    start = 0 if after is None else int(after.rsplit("-", 1)[1]) + 1
    return {"total_count": 10**9, "data": [make(n) for n in range(start, start + 100)]}


class Source(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: Pages, drip: str | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages, self.drip = pages, drip
        self.requests = 0
        self.url = f"http://127.0.0.1:{self.server_address[1]}/v1"
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        server: Any = self.server
        server.requests += 1
        url = urllib.parse.urlsplit(self.path)
        after = urllib.parse.parse_qs(url.query).get("starting_after", [None])[0]
        status, body = 200, server.pages(url.path, after)
        if server.requests > GIVE_UP:
            status, body = 400, {"error": "invalid-request-error", "info": "the test gave up"}
        raw = json.dumps(body).encode()
        head = (
            f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(raw)}\r\nConnection: close\r\n\r\n"
        ).encode()
        if server.drip is None:
            self.wfile.write(head + raw)
            return
        # a byte every 0.05 s (the head too, or only the body), for 3 s at most: then it closes
        dripped = head + raw if server.drip == "all" else raw
        if server.drip == "body":
            self.wfile.write(head)
        ends = time.monotonic() + 3
        self.close_connection = True
        with contextlib.suppress(OSError):  # the reader cut the answer off: it may
            for i in range(len(dripped)):
                if time.monotonic() > ends:
                    break
                self.wfile.write(dripped[i : i + 1])
                self.wfile.flush()
                time.sleep(0.05)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def source() -> Iterator[Callable[..., Source]]:
    started: list[Source] = []

    def start(pages: Pages, drip: str | None = None) -> Source:
        started.append(Source(pages, drip))
        return started[-1]

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def capture(
    capsys: pytest.CaptureFixture[str], url: str, out: Path, *extra: str
) -> tuple[int, str]:
    argv = ["capture", "--base-url", url, "--api-key", KEY, "-o", str(out), "--rate", "1000"]
    status = main([*argv, "--backoff", "0.01", *extra])
    return status, capsys.readouterr().err


def nothing_written(status: int, err: str, tmp_path: Path) -> str:
    assert status == 1, err
    last = err.strip().splitlines()[-1]
    assert last.endswith("nothing written"), err
    assert KEY not in err
    assert list(tmp_path.iterdir()) == []  # neither the file nor a temporary one
    return last


@pytest.mark.parametrize("path", ["/v1/meetings", "/v1/rooms"])
def test_pages_that_cycle_are_an_error_at_the_first_repeated_cursor(
    path: str,
    source: Callable[..., Source],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def pages(asked: str, after: str | None) -> dict[str, Any]:
        return cycling(asked, after) if asked == path else EMPTY

    upstream = source(pages)
    last = nothing_written(*capture(capsys, upstream.url, tmp_path / "x.yaml"), tmp_path)
    assert "the source pages in a cycle" in last and path.removeprefix("/v1") in last
    # A, B, then A again: its last id was a cursor already (and /rooms, /recordings and
    # /transcript first, if not cycling)
    assert upstream.requests == 3 + 3 * (path == "/v1/meetings")


def test_the_reader_refuses_a_cursor_seen_pages_ago(source: Callable[..., Source]) -> None:
    order = [
        "c",
        "b",
        "a",
    ]  # three pages that cycle: the last page repeats no item of the one before

    def pages(path: str, after: str | None) -> dict[str, Any]:
        n = 0 if after is None else (order.index(after) + 1) % 3
        return {"total_count": 3, "data": [{"id": order[n]}]}

    upstream = source(pages)
    with pytest.raises(SourceError, match="cycle"):
        list(DailyReader(upstream.url, "k", rate=1000).pages("/meetings", {}))
    assert upstream.requests == 4


@pytest.mark.parametrize(
    ("path", "flag", "bound"),
    [("/v1/meetings", "--max-sessions", 250), ("/v1/rooms", "--max-rooms", 150)],
)
def test_a_source_that_invents_items_forever_stops_at_the_bound(
    path: str,
    flag: str,
    bound: int,
    source: Callable[..., Source],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def pages(asked: str, after: str | None) -> dict[str, Any]:
        return inventing(asked, after) if asked == path else EMPTY

    upstream = source(pages)
    status, err = capture(capsys, upstream.url, tmp_path / "x.yaml", flag, str(bound))
    last = nothing_written(status, err, tmp_path)
    assert f"more than {bound}" in last and flag in last
    pages_read = -(-bound // 100) + (bound % 100 == 0)  # the page that goes past the bound
    before = 3 * (path == "/v1/meetings")  # /rooms, /recordings, /transcript
    assert upstream.requests == pages_read + before


def test_the_bounds_default_to_a_million_sessions_and_100_000_rooms() -> None:
    from fake_meetings.cli import build_parser
    from fake_meetings.cli.capture_options import capture_options

    args = build_parser().parse_args(["capture", "--api-key", "k", "-o", "x.yaml"])
    o = capture_options(args)
    assert (o.max_sessions, o.max_rooms) == (1_000_000, 100_000)


@pytest.mark.parametrize("drip", ["body", "all"])
def test_timeout_bounds_a_whole_answer_not_each_read(
    drip: str,
    source: Callable[..., Source],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # every read gets a byte within 0.05 s, far inside --timeout; the answer takes seconds
    upstream = source(lambda path, after: EMPTY, drip=drip)
    argv = ("--timeout", "0.4", "--max-retries", "1")
    last = nothing_written(*capture(capsys, upstream.url, tmp_path / "x.yaml", *argv), tmp_path)
    assert "gave up on GET" in last and "no whole answer within 0.4 s" in last
    assert upstream.requests == 2  # the first try and its one retry, each cut at 0.4 s


def _recording(n: int) -> dict[str, Any]:
    return {
        "id": f"rec-{n:09d}",
        "mtgSessionId": "s-000000001",
        "status": "finished",
        "start_ts": NOW - 60 * n,
        "duration": 30,
        "room_name": "r",
    }


@pytest.mark.parametrize("kind", ["cycling", "inventing"])
def test_recordings_that_never_end_do_not_stop_the_capture(
    kind: str, source: Callable[..., Source], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """/recordings paging in a cycle gives a capture without recordings, saying why; a source
    inventing recordings forever is read up to what a namespace holds (10,000), then stops."""

    def pages(asked: str, after: str | None) -> dict[str, Any]:
        if asked != "/v1/recordings":
            return EMPTY
        if kind == "cycling":
            first = after != "rec-000000002"
            return {
                "total_count": 4,
                "data": [_recording(1), _recording(2)] if first else [_recording(3), _recording(4)],
            }
        start = 0 if after is None else int(after.rsplit("-", 1)[1]) + 1
        return {"total_count": 10**9, "data": [_recording(n) for n in range(start, start + 100)]}

    upstream = source(pages)
    out = tmp_path / "x.yaml"
    status, err = capture(capsys, upstream.url, out)
    assert status == 0, err
    head = out.read_text()
    if kind == "cycling":
        assert "recordings not captured:" in err and "cycle" in err
        assert upstream.requests == 3 + 3  # /rooms, /transcript, /meetings; A, B, A again
    else:
        assert "more than 10,000 recordings" in err
        assert "10,000 recordings left out" in head  # their session is not in the capture
        assert upstream.requests == 3 + 101  # the 101st page says that there are more
