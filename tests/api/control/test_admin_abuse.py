"""What a hostile or careless client can send, on a real server over a real socket: header
bytes that are not UTF-8, credentials that are not UTF-8, many keys under ``--namespaces``,
huge headers, and the requests a web page can make to a developer's local fake.

Each test here failed on the code before the fix it guards (journal poisoned with a 500,
credentials answered 500, one namespace per key forever, a journal counted in entries only,
cross-site calls obeyed).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW, TIMEOUT
from tests.helpers.scenarios import small_scenario

Serve = Callable[..., ServerThread]
TOTAL = len(small_scenario().sessions)


def raw_request(port: int, head: bytes) -> bytes:
    """Send one request head as given (any bytes) and return the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(head)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_and_body(answer: bytes) -> tuple[int, Any]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


# ----------------------------------------------------------------- header bytes in the journal


def test_journal_returns_header_bytes_that_are_not_utf8(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world())
    c = plain.at(server.base_url)
    # requests encodes a non-ASCII header value as Latin-1: b"Jos\xe9" is not UTF-8
    r = requests.get(
        server.url + "/meetings",
        headers={"Authorization": "Bearer k", "X-User-Name": "José"},
        timeout=TIMEOUT,
    )
    assert r.status_code == 200
    raw = (
        b"GET /v1/meetings?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer k\r\n"
        b"X-Utf8: Zo\xc3\xab\r\nX-Bytes: \x80\xff\xfe end\r\nConnection: close\r\n\r\n"
    )
    assert status_and_body(raw_request(server.port, raw))[0] == 200
    entries = ok(c.get("/_fake/requests"))["data"]  # was: 500 "surrogates not allowed"
    assert len(entries) == 2
    assert entries[0]["headers"]["X-User-Name"] == "José"
    assert entries[1]["headers"]["X-Utf8"] == "Zoë"  # valid UTF-8 is read as UTF-8
    sent = entries[1]["headers"]["X-Bytes"]
    assert sent.encode("latin-1") == b"\x80\xff\xfe end"  # anything else: Latin-1, lossless
    # the in-process handle reads the same journal without failing
    handle = server.handle()
    assert [r.header("x-user-name") for r in handle.requests][:1] == ["José"]


# ----------------------------------------------------------------- credentials


def raw_get(port: int, path: str, header: bytes, value: bytes) -> tuple[int, Any]:
    """A GET whose one header carries ``value`` as raw bytes."""
    raw = b"GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s: %s\r\nConnection: close\r\n\r\n"
    return status_and_body(raw_request(port, raw % (path.encode(), header, value)))


def test_credentials_that_are_not_utf8_are_wrong_credentials(serve: Serve) -> None:
    server = serve(small_scenario().world(), api_key="right-key", admin_token="s3cret")
    for key in (b"\xff", b"\x80\x81 \xfe", b"right-key\xff"):
        status, body = raw_get(server.port, "/v1/meetings", b"Authorization", b"Bearer " + key)
        assert (status, body["error"]) == (401, "authentication-error")
    for token in (b"\x80\xff", b"s3cret\xe9", bytes(range(0x80, 0x100))):
        status, body = raw_get(server.port, "/_fake/clock", b"X-Fake-Admin-Token", token)
        assert (status, body["error"]) == (401, "authentication-error")
    # the right ones still work
    r = requests.get(
        server.base_url + "/_fake/clock", headers={"X-Fake-Admin-Token": "s3cret"}, timeout=10
    )
    assert r.status_code == 200


# ----------------------------------------------------------------- namespaces


def live_keys(c: Http) -> list[str]:
    return [n["key"] for n in ok(c.get("/_fake/namespaces"))["data"]]


def test_no_namespace_for_refused_or_unrouted_requests(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world(), api_key="right", namespaces=True)
    c = plain.at(server.base_url)
    for i in range(30):
        error(c.api("/v1/meetings", key=f"wrong-{i}"), 401, "authentication-error", "not valid")
        bearer = {"Authorization": f"Bearer probe-{i}"}
        assert ok(c.get("/_fake/health", headers=bearer))["sessions"] == TOTAL
        error(c.api("/v1/no-such-route", key="right"), 404, "not-found", "no-such-route")
    assert live_keys(c) == []
    assert ok(c.api("/v1/meetings", key="right"))["total_count"] == TOTAL
    assert live_keys(c) == ["right"]
    # the refused requests are still journaled, in the default namespace
    assert len(ok(c.get("/_fake/requests"))["data"]) == 60


def test_namespaces_are_capped_least_recently_used_first(serve: Serve, plain: Http) -> None:
    cap = 3
    server = serve(small_scenario().world(), namespaces=True, max_namespaces=cap)
    c = plain.at(server.base_url)
    # an independent model: the keys in order of last use, newest last, at most `cap`
    model: list[str] = []
    for key in ["a", "b", "c", "a", "d", "b", "e", "e", "c"]:
        ok(c.api("/v1/meetings", key=key))
        model = [k for k in model if k != key] + [key]
        model = model[-cap:]
        assert live_keys(c) == model
    listing = ok(c.get("/_fake/namespaces"))
    assert (listing["cap"], listing["enabled"]) == (cap, True)
    assert listing["evicted"] == 4  # a, c, b, ... each created once more than the cap allows
    # an evicted namespace starts again from the start-up data
    bearer = {"Authorization": "Bearer e"}
    ok(c.post("/_fake/scenario", {"sessions": []}, headers=bearer))
    assert ok(c.api("/v1/meetings", key="e"))["total_count"] == 0
    for key in ["x", "y", "z"]:
        ok(c.api("/v1/meetings", key=key))
    assert "e" not in live_keys(c)
    assert ok(c.api("/v1/meetings", key="e"))["total_count"] == TOTAL


def test_namespaces_can_be_listed_and_deleted(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world(), namespaces=True)
    c = plain.at(server.base_url)
    for key in ("w1", "w2", "w3"):
        ok(c.post("/_fake/reset", headers={"Authorization": f"Bearer {key}"}))
    ok(c.post("/_fake/sessions", {"sessions": []}, headers={"Authorization": "Bearer w2"}), 201)
    ok(c.api("/v1/meetings", key="w2"))
    by_key = {n["key"]: n for n in ok(c.get("/_fake/namespaces"))["data"]}
    assert set(by_key) == {"w1", "w2", "w3"}
    assert by_key["w2"]["requests"] == 1 and by_key["w1"]["requests"] == 0
    assert by_key["w1"]["sessions"] == TOTAL
    assert ok(c.delete("/_fake/namespaces/w2")) == {"deleted": 1}
    error(c.delete("/_fake/namespaces/w2"), 404, "not-found", "w2")
    assert live_keys(c) == ["w1", "w3"]
    assert ok(c.delete("/_fake/namespaces")) == {"deleted": 2}
    assert live_keys(c) == []


def test_a_key_that_is_not_utf8_names_no_namespace(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world(), namespaces=True)
    c = plain.at(server.base_url)
    for path in (b"/v1/meetings", b"/_fake/clock"):
        raw = (
            b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer \xff\xfe\r\nConnection: close\r\n\r\n"
        )
        status, body = status_and_body(raw_request(server.port, raw))
        assert (status, body["error"]) == (401, "authentication-error"), body
    assert live_keys(c) == []  # was: a namespace, then 500 on every listing
    [entry] = ok(c.get("/_fake/requests"))["data"]  # journaled in the default namespace
    assert entry["headers"]["Authorization"].encode("latin-1") == b"Bearer \xff\xfe"


def delayed_get(server: ServerThread, key: str) -> tuple[threading.Thread, list[int]]:
    """A GET /v1/meetings with ``key``, waiting on a 30 s delay fault of the key's namespace."""
    c = requests.Session()
    c.trust_env = False
    bearer = {"Authorization": f"Bearer {key}"}
    fault = {"delay_ms": 30_000, "probability": 1}
    assert c.post(server.base_url + "/_fake/faults", json=fault, headers=bearer).status_code == 201
    statuses: list[int] = []
    thread = threading.Thread(
        target=lambda: statuses.append(
            c.get(server.url + "/meetings", headers=bearer, timeout=TIMEOUT).status_code
        )
    )
    thread.start()
    deadline = time.monotonic() + TIMEOUT
    while not c.get(server.base_url + "/_fake/faults", headers=bearer).json()["data"][0]["fired"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return thread, statuses


@pytest.mark.parametrize("how", ["deleted", "evicted"])
def test_a_dropped_namespace_releases_its_delayed_requests_for_good(
    serve: Serve, plain: Http, how: str
) -> None:
    server = serve(small_scenario().world(), namespaces=True, max_namespaces=1)
    c = plain.at(server.base_url)
    thread, statuses = delayed_get(server, "k")
    started = time.monotonic()
    if how == "deleted":
        assert ok(c.delete("/_fake/namespaces/k")) == {"deleted": 1}
    else:
        ok(c.api("/v1/meetings", key="other"))  # one more than the cap: k goes
    thread.join(TIMEOUT)
    assert statuses == [200] and time.monotonic() - started < 5  # released, not waiting 30 s
    assert live_keys(c) == ([] if how == "deleted" else ["other"])  # k is not brought back


def test_refused_requests_are_journaled_in_the_default_namespace(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world(), namespaces=True)
    c = plain.at(server.base_url)
    bearer = {"Authorization": "Bearer k"}
    error(c.api("/v1/nope", key="k"), 404, "not-found")  # before k's namespace exists
    ok(c.api("/v1/meetings", key="k"))  # creates it
    error(c.api("/v1/nope", key="k"), 404, "not-found")  # after
    ok(c.post("/_fake/faults", {"status": 503, "path": "/v1/meetings"}, headers=bearer), 201)
    error(c.api("/v1/meetings", key="k"), 503, "server-error")  # answered by k's fault

    def journaled(headers: dict[str, str] | None = None) -> list[tuple[str, int]]:
        entries = ok(c.get("/_fake/requests", headers=headers))["data"]
        return [(e["path"], e["status"]) for e in entries]

    assert journaled() == [("/v1/nope", 404), ("/v1/nope", 404)]
    assert journaled(bearer) == [("/v1/meetings", 200), ("/v1/meetings", 503)]


# ----------------------------------------------------------------- the journal in bytes


@pytest.mark.slow
def test_journal_is_bounded_in_bytes_and_says_what_it_cut(serve: Serve, plain: Http) -> None:
    budget = 256 * 1024
    server = serve(small_scenario().world(), journal_bytes=budget)
    c = plain.at(server.base_url)
    big = {f"X-Big-{i}": f"{i:04d}" + "v" * 8000 for i in range(60)}  # 480 KB of headers
    with requests.Session() as s:
        for n in range(40):
            headers = {"Authorization": "Bearer k", "X-Seq": str(n), **big}
            assert s.get(server.url + "/meetings", headers=headers, timeout=10).status_code == 200
    r = c.get("/_fake/requests")
    entries = ok(r)["data"]
    assert len(r.body) < 2 * budget  # the answer is bounded by the budget, not by what was sent
    assert 0 < server.journal.bytes <= budget  # and so is what the server counts it holds
    assert entries and entries[-1]["headers"]["X-Seq"] == "39"  # the newest is kept
    assert [int(e["headers"]["X-Seq"]) for e in entries] == list(range(40 - len(entries), 40))
    for e in entries:
        cut = e["truncated"]
        assert cut is not None and cut["dropped_headers"] > 0
        assert set(cut["values"]) <= set(big)
        kept = [v for k, v in e["headers"].items() if k.startswith("X-Big-")]
        assert kept and all(len(v) == cut["max_value_bytes"] for v in kept)
    newest_two = ok(c.get("/_fake/requests", params={"limit": "2"}))["data"]
    assert [e["headers"]["X-Seq"] for e in newest_two] == ["38", "39"]
    error(c.get("/_fake/requests", params={"limit": "-1"}), 400, "invalid-request-error", "limit")
    # an ordinary request is not marked
    ok(c.delete("/_fake/requests"))
    ok(c.api("/v1/meetings"))
    assert ok(c.get("/_fake/requests"))["data"][0]["truncated"] is None


def test_the_journal_limit_takes_only_a_short_run_of_ascii_digits(
    serve: Serve, plain: Http
) -> None:
    server = serve(small_scenario().world())
    c = plain.at(server.base_url)
    for _ in range(3):
        ok(c.api("/v1/meetings"))
    for bad in ("%C2%B2", "9" * 5000, "1000000000", "-1", "1.5"):  # "²" was a 500
        error(c.get("/_fake/requests?limit=" + bad), 400, "invalid-request-error", "limit")
    assert len(ok(c.get("/_fake/requests?limit=2"))["data"]) == 2
    assert len(ok(c.get("/_fake/requests?limit=999999999"))["data"]) == 3


# ----------------------------------------------------------------- browsers


def test_cross_site_requests_cannot_change_the_control_plane(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world())
    c = plain.at(server.base_url)
    ok(c.post("/_fake/clock", {"freeze_at": NOW}))
    own = f"http://127.0.0.1:{server.port}"
    attacks = [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:3000"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": own},
    ]
    for headers in attacks:
        for path, body in [
            ("/_fake/reset", None),
            ("/_fake/clock", {"real": True}),
            ("/_fake/faults", {"status": 500}),
            ("/_fake/scenario", {"sessions": []}),
        ]:
            r = c.call("POST", path, body, headers={**headers, "Content-Type": "text/plain"})
            error(r, 403, "forbidden-error", "cross-site")
        error(c.delete("/_fake/requests", headers=headers), 403, "forbidden-error", "cross-site")
    assert ok(c.get("/_fake/clock")) == {"now": NOW, "frozen": True}
    assert ok(c.get("/_fake/faults"))["data"] == []
    assert ok(c.get("/_fake/sessions"))["total_count"] == TOTAL
    # reads carry no risk (no CORS headers: a page cannot read the answer) and are served
    assert ok(c.get("/_fake/clock", headers={"Origin": "https://evil.example"}))["frozen"]
    # the server's own origin, and clients that send no Origin, keep working
    ok(c.post("/_fake/clock", {"advance": 5}, headers={"Origin": own}))
    ok(c.post("/_fake/clock", {"advance": 5}, headers={"Sec-Fetch-Site": "same-origin"}))
    assert ok(c.get("/_fake/clock"))["now"] == NOW + 10


def test_dns_rebinding_is_refused_when_bound_to_loopback(serve: Serve) -> None:
    server = serve(small_scenario().world())
    for host, status in [
        (b"evil.example", 403),
        (b"evil.example:%d" % server.port, 403),
        (b"192.0.2.7", 403),
        (b"localhost:%d" % server.port, 200),
        (b"127.0.0.1", 200),
        (b"127.5.5.5:80", 200),
        (b"[::1]:%d" % server.port, 200),
        (b"app.localhost", 200),
        (b"[::1]evil.example", 403),  # malformed bracket forms are not loopback
        (b"[::1", 403),
        (b"[::1]:", 403),
        (b"[127.0.0.1]x:80", 403),
    ]:
        for method in (b"GET /_fake/requests", b"POST /_fake/reset"):
            raw = method + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n"
            raw += b"Content-Length: 0\r\n\r\n"
            got, body = status_and_body(raw_request(server.port, raw))
            assert got == status, (host, method, body)
            if status == 403:
                assert body["error"] == "forbidden-error" and "DNS rebinding" in body["info"]
    # the Daily routes and health are not the control plane's business
    raw = b"GET /_fake/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    assert status_and_body(raw_request(server.port, raw))[0] == 200


def test_a_request_without_host_is_no_browser_and_echoes_are_short(serve: Serve) -> None:
    server = serve(small_scenario().world())
    for head in (b"GET /_fake/clock HTTP/1.0\r\n\r\n", b"POST /_fake/reset HTTP/1.0\r\n\r\n"):
        status, body = status_and_body(raw_request(server.port, head))  # HTTP/1.0, no Host
        assert status == 200, body
    raw = (
        b"POST /_fake/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: "
        + b"x" * 5000
        + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    status, body = status_and_body(raw_request(server.port, raw))
    assert (status, body["error"]) == (403, "forbidden-error")
    assert len(body["info"]) < 400


def test_a_service_container_is_reached_by_its_service_name(serve: Serve) -> None:
    server = serve(small_scenario().world(), host="0.0.0.0")
    raw = (
        b"POST /_fake/reset HTTP/1.1\r\nHost: fake-meetings:8080\r\nContent-Length: 0\r\n"
        b"Connection: close\r\n\r\n"
    )
    status, body = status_and_body(raw_request(server.port, raw))
    assert status == 200 and body["sessions"] == TOTAL


# ----------------------------------------------------------------- parsing amplification


def one_mib_of_wrong_sessions() -> bytes:
    body = "sessions: [" + ", ".join(["1"] * 349_000) + "]"
    assert 1_000_000 < len(body) <= 1024 * 1024  # within the default --max-body
    return body.encode()


@pytest.mark.slow
def test_a_structurally_wrong_body_is_refused_with_bounded_work(serve: Serve, plain: Http) -> None:
    server = serve(small_scenario().world())
    c = plain.at(server.base_url)
    r = c.post("/_fake/scenario", one_mib_of_wrong_sessions())
    info = error(r, 400, "invalid-request-error", "sessions[0]: expected a mapping")
    assert "checking stopped there" in info  # was: one problem per item, 349,000 of them
    assert len(r.body) < 20_000
    assert ok(c.get("/_fake/sessions"))["total_count"] == TOTAL  # nothing changed


@pytest.mark.slow
def test_reading_a_wrong_body_needs_memory_proportional_to_its_size() -> None:
    import tracemalloc

    from fake_meetings.scenario.scenario import ScenarioError, load_text

    body = one_mib_of_wrong_sessions().decode()
    tracemalloc.start()
    try:
        with pytest.raises(ScenarioError):
            load_text(body, "<request body>")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 120 * len(body)  # was about 175 MB (167 bytes per byte of body)
