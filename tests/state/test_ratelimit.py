"""The rate limiter (``state/ratelimit.py``) with an injected clock: Daily's three documented
tiers, each with its own sliding windows per key, checked against a naive model that keeps
every accepted request and counts them again at each new one."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.ratelimits import (
    DELETES_AND_LISTS,
    GENERAL,
    RECORDING_START,
    TIERS,
    Tier,
    tier_of,
)
from fake_meetings.state.ratelimit import MAX_WINDOWS, RateLimiter

# Daily's documented numbers, written here (not read from the code under test):
# (per second, per window, window seconds)
DAILY = {"general": (20, 100, 5), "deletes and lists": (2, 50, 30), "recording start": (1, 5, 5)}
NAMES = {
    GENERAL: "general",
    DELETES_AND_LISTS: "deletes and lists",
    RECORDING_START: "recording start",
}


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def naive(requests: list[tuple[float, str | None, str]]) -> list[bool]:
    """Each request (time, key, tier name) is allowed when its tier's accepted requests of the
    same key number fewer than the tier's limits in the last second and the last window."""
    accepted: dict[tuple[str, str | None], list[float]] = defaultdict(list)
    answers = []
    for at, key, tier in requests:
        per_second, per_window, window = DAILY[tier]
        past = accepted[tier, key]
        in_second = len([t for t in past if t > at - 1])
        in_window = len([t for t in past if t > at - window])
        allowed = in_second < per_second and in_window < per_window
        if allowed:
            past.append(at)
        answers.append(allowed)
    return answers


STEPS = st.lists(
    st.tuples(
        st.sampled_from([0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 2.0, 4.75, 5.0, 25.0, 30.0]),
        st.sampled_from(["a", "b", None]),
        st.sampled_from(sorted(NAMES, key=NAMES.__getitem__)),
        st.integers(1, 25),  # a burst: the same request this many times at once
        st.integers(1, 35),  # rounds: the advance and the burst again (30 s of 2 a second)
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(steps=STEPS, max_windows=st.sampled_from([1, 2, 3, MAX_WINDOWS]))
def test_the_limiter_answers_as_the_naive_model(
    steps: list[tuple[float, str | None, Tier, int, int]], max_windows: int
) -> None:
    """Times are multiples of a quarter second (exact floats), so requests land exactly on the
    windows' edges too; a small ``max_windows`` makes the limiter forget idle windows often,
    which must never change an answer."""
    clock = Clock()
    limiter = RateLimiter(clock, max_windows=max_windows)
    requests: list[tuple[float, str | None, str]] = []
    answers = []
    for advance, key, tier, burst, rounds in steps:
        for _ in range(rounds):
            clock.now += advance
            for _ in range(burst):
                requests.append((clock.now, key, NAMES[tier]))
                answers.append(limiter.allow(key, tier))
    assert answers == naive(requests)


def test_each_tier_keeps_its_own_windows() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    assert [limiter.allow("k", DELETES_AND_LISTS) for _ in range(3)] == [True, True, False]
    assert [limiter.allow("k", RECORDING_START) for _ in range(2)] == [True, False]
    assert all(limiter.allow("k") for _ in range(20))  # the general tier is untouched
    assert not limiter.allow("k")
    assert limiter.allow("other", DELETES_AND_LISTS)  # per key
    for _ in range(24):  # 2 per second: 50 in the 30-second window after 25 seconds
        clock.now += 1.0
        assert [limiter.allow("k", DELETES_AND_LISTS) for _ in range(3)] == [True, True, False]
    clock.now += 1.0
    assert not limiter.allow("k", DELETES_AND_LISTS)  # 50 in the last 30 s
    clock.now += 5.0  # the first second's two leave the window only now, 30 s after them
    assert [limiter.allow("k", DELETES_AND_LISTS) for _ in range(3)] == [True, True, False]


def test_the_recording_start_tier_allows_5_in_5_seconds() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    answers = []
    for _ in range(10):
        answers.append(limiter.allow("k", RECORDING_START))
        clock.now += 0.5
    assert answers == [True, False] * 5  # one per second: every other half second
    assert limiter.allow("other", RECORDING_START)
    # one in any second means at most 5 in any 5 s: the second limit never binds here
    assert limiter.allow("k", RECORDING_START)  # at 5.0: 1, 2, 3 and 4 in the last 5 s


def test_the_routes_of_each_tier() -> None:
    assert tier_of("DELETE", "/rooms/{name}") is DELETES_AND_LISTS
    assert tier_of("GET", "/recordings") is DELETES_AND_LISTS
    assert tier_of("POST", "/rooms/{name}/recordings/start") is RECORDING_START
    for method, path in [
        ("GET", "/rooms/{name}"),
        ("POST", "/rooms/{name}"),
        ("GET", "/rooms"),
        ("GET", "/recordings/{id}"),
        ("GET", "/recordings/{id}/access-link"),
        ("DELETE", "/recordings/{id}"),
        ("POST", "/rooms/{name}/recordings/stop"),
        ("POST", "/rooms/{name}/transcription/start"),
        ("DELETE", "/rooms"),
        ("GET", "/meetings"),
    ]:
        assert tier_of(method, path) is GENERAL, (method, path)


def test_the_refusals_name_their_tier_s_numbers() -> None:
    assert "20 per second and 100 per 5 seconds" in GENERAL.info
    assert DELETES_AND_LISTS.info.endswith(
        "2 per second and 50 per 30 seconds per API key to DELETE /rooms/:name and GET /recordings"
    )
    assert RECORDING_START.info.endswith(
        "1 per second and 5 per 5 seconds per API key to POST /rooms/:name/recordings/start"
    )


def test_idle_windows_are_forgotten_beyond_the_bound() -> None:
    clock = Clock()
    limiter = RateLimiter(clock, max_windows=4)
    for key in "abc":
        assert limiter.allow(key)
    assert limiter.allow("d", DELETES_AND_LISTS)
    assert limiter.kept() == 4
    clock.now += 5.0  # the general windows are idle now; the 30-second one is not
    assert limiter.allow("e")
    assert limiter.kept() == 2  # d's and e's
    for key in "fgh":  # active ones are kept: the bound doubles past them (8 = 2 x 4 active)
        assert limiter.allow(key)
    assert limiter.kept() == 5
    clock.now += 30.0  # every window idle, kept until the bound is reached
    for key in "ijk":
        assert limiter.allow(key)
    assert limiter.kept() == 8
    assert limiter.allow("l")
    assert limiter.kept() == 4  # i's, j's and k's (active), and l's
    assert not [limiter.allow("d", DELETES_AND_LISTS) for _ in range(3)][-1]  # anew: 2 per s


def test_the_faults_page_states_the_declared_tiers() -> None:
    """The table of docs/how-to/faults.md: one row per tier, its routes and its numbers."""
    page = (Path(__file__).resolve().parents[2] / "docs/how-to/faults.md").read_text()
    rows = [line for line in page.splitlines() if " in any second and " in line]
    assert len(rows) == len(TIERS)
    for tier in TIERS:
        numbers = f"| {tier.per_second} in any second and {tier.per_window} in any "
        (row,) = [r for r in rows if numbers + f"{tier.window} seconds |" in r]
        for route in tier.routes:
            assert f"`{route.replace('{name}', ':name')}`" in row, (route, row)
        assert tier.routes or "every other route" in row
