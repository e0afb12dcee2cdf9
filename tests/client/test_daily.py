"""The Daily reader (``client/daily.py``): its pacing on a fake clock, ``Retry-After``, and its
retries against real HTTP servers on 127.0.0.1 (a fake-meetings server with faults, and a tiny
stub where an answer fake-meetings never gives is needed)."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.client.daily import MARGIN, DailyReader, Pacer, SourceError, retry_after
from fake_meetings.testing import ServerThread
from tests.helpers.capture import UPSTREAM, world_from_text


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@settings(max_examples=60, deadline=None)
@given(
    rate=st.sampled_from([1, 5, 20, 50]),
    gaps=st.lists(st.floats(min_value=0, max_value=0.3), min_size=1, max_size=300),
)
def test_the_pacer_never_exceeds_rate_per_second_nor_5_rate_per_5_seconds(
    rate: int, gaps: list[float]
) -> None:
    t = FakeTime()
    pacer = Pacer(rate, clock=t.clock, sleep=t.sleep)
    sent = []
    for gap in gaps:
        t.now += gap  # the time the request itself took
        pacer.wait()
        sent.append(t.now)
    for i, at in enumerate(sent):
        assert sum(1 for s in sent[i:] if s < at + 1 + MARGIN) <= rate
        assert sum(1 for s in sent[i:] if s < at + 5 + MARGIN) <= 5 * rate


def test_the_pacer_lets_a_burst_through_then_keeps_the_rate() -> None:
    t = FakeTime()
    pacer = Pacer(20, clock=t.clock, sleep=t.sleep)
    for _ in range(20):
        pacer.wait()
    assert t.slept == []
    for _ in range(200):
        pacer.wait()
    assert 220 / (t.now - 1000) == pytest.approx(100 / (5 + MARGIN), rel=0.05)


def test_retry_after_takes_seconds_or_an_http_date() -> None:
    assert retry_after("3", 0) == 3.0
    assert retry_after(" 0.5 ", 0) == 0.5
    assert retry_after("-4", 0) == 0.0
    assert retry_after(formatdate(1_000_010, usegmt=True), 1_000_000) == pytest.approx(10)
    assert retry_after("soon", 0) is None
    assert retry_after(None, 0) is None


def test_a_429_waits_what_retry_after_asks(stub: Any) -> None:
    page = {"total_count": 0, "data": []}
    server = stub(
        [
            (429, {"Retry-After": "7"}, {"error": "rate-limit-error", "info": "slow"}),
            (200, {}, page),
        ]
    )
    t = FakeTime()
    messages: list[str] = []
    reader = DailyReader(server.url, "k", backoff=0.01, on_retry=messages.append, sleep=t.sleep)
    assert reader.get("/meetings") == page
    assert t.slept == [7.0] and reader.retries == 1 and reader.requests == 2
    assert messages == [
        f"GET {server.url}/meetings: 429 rate-limit-error: slow; retry 1 of 6 in 7.00 s"
    ]
    assert server.seen == [("/v1/meetings", "Bearer k")] * 2


def test_backoff_doubles_without_retry_after(stub: Any) -> None:
    server = stub([(503, {}, {"error": "server-error", "info": "down"})])
    t = FakeTime()
    reader = DailyReader(server.url, "k", backoff=1.0, max_retries=4, sleep=t.sleep)
    with pytest.raises(SourceError, match=r"gave up on GET .*503 server-error: down .*4 retries"):
        reader.get("/rooms")
    for slept, doubled in zip(t.slept, [1, 2, 4, 8], strict=True):
        assert 0.75 * doubled <= slept <= 1.25 * doubled  # the doubling, with a jitter


def test_an_answer_that_echoes_the_key_is_blotted_out(stub: Any) -> None:
    server = stub([(401, {}, {"error": "authentication-error", "info": "bad key s3cr3t-key"})])
    reader = DailyReader(server.url, "s3cr3t-key")
    with pytest.raises(SourceError) as info:
        reader.get("/meetings", {"room": "a"})
    assert "s3cr3t-key" not in str(info.value)
    assert "401 authentication-error: bad key ***" in str(info.value)
    assert "check the API key" in str(info.value)


def test_pages_stop_at_the_empty_page_and_refuse_a_loop(stub: Any) -> None:
    one = {"total_count": 2, "data": [{"id": "b"}, {"id": "a"}]}
    server = stub([(200, {}, one), (200, {}, {"total_count": 2, "data": []})])
    reader = DailyReader(server.url, "k", rate=1000)
    assert list(reader.pages("/meetings", {"room": "x"}, 2)) == [(2, one["data"]), (2, [])]
    assert [path for path, _ in server.seen] == [
        "/v1/meetings?room=x&limit=2",
        "/v1/meetings?room=x&limit=2&starting_after=a",
    ]
    looping = stub([(200, {}, one)])  # a source that ignores starting_after
    with pytest.raises(SourceError, match="repeats items"):
        list(DailyReader(looping.url, "k", rate=1000).pages("/meetings", {}))


def test_a_closed_port_is_retried_then_given_up(serve: Callable[..., ServerThread]) -> None:
    server = serve(world_from_text(UPSTREAM))
    url = server.url
    server.stop()
    t = FakeTime()
    reader = DailyReader(url, "k", max_retries=2, sleep=t.sleep, timeout=2)
    with pytest.raises(SourceError, match=r"gave up on GET .*(refused|Errno).*after 2 retries"):
        reader.get("/meetings")
    assert reader.requests == 3


def test_a_redirect_is_not_followed(stub: Any) -> None:
    elsewhere = stub([(200, {}, {"total_count": 0, "data": []})])
    server = stub([(301, {"Location": elsewhere.url + "/meetings"}, {})])
    with pytest.raises(SourceError, match=r"answered 301 .*a redirect, not followed"):
        DailyReader(server.url, "k").get("/meetings")
    assert len(server.seen) == 1 and elsewhere.seen == []


def test_an_answer_over_the_size_bound_is_refused_not_held(
    stub: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fake_meetings.client import daily

    monkeypatch.setattr(daily, "MAX_ANSWER", 2 * 1024 * 1024)
    big = {"total_count": 1, "data": [{"filler": "x" * (3 * 1024 * 1024)}]}
    server = stub([(200, {}, big)])
    with pytest.raises(SourceError, match="more than 2 MiB"):
        DailyReader(server.url, "k").get("/meetings")


@settings(max_examples=40, deadline=None)
@given(gaps=st.lists(st.floats(min_value=0, max_value=0.2), min_size=1, max_size=200))
def test_get_recordings_is_paced_to_its_own_tier(gaps: list[float]) -> None:
    """Daily documents about 2 a second and 50 in 30 s for GET /recordings (written here, not
    read from the code); a reader at Daily's general 20 a second keeps to them on that route
    only."""
    reader = DailyReader("http://127.0.0.1:9/v1", "k", rate=20)
    assert reader.pacer_for("/recordings/some-id") is reader.pacer
    assert reader.pacer_for("/meetings") is reader.pacer
    listed = reader.pacer_for("/recordings")
    assert listed is not reader.pacer
    t = FakeTime()
    pacer = Pacer(listed.per_second, t.clock, t.sleep, window=30, per_window=listed.per_window)
    assert (pacer.per_second, pacer.per_window, listed.window) == (2, 50, 30)
    sent = []
    for gap in gaps:
        t.now += gap
        pacer.wait()
        sent.append(t.now)
    for i, at in enumerate(sent):
        assert sum(1 for s in sent[i:] if s < at + 1 + MARGIN) <= 2
        assert sum(1 for s in sent[i:] if s < at + 30 + MARGIN) <= 50


def test_a_faster_reader_paces_the_recordings_list_in_the_same_share() -> None:
    # verify reads its own fake at 1,000 a second: 50 times Daily's 20, so 100 a second and
    # 2,500 in 30 s on the recordings list
    listed = DailyReader("http://127.0.0.1:9/v1", "k", rate=1000).pacer_for("/recordings")
    assert (listed.per_second, listed.per_window, listed.window) == (100, 2500, 30)
