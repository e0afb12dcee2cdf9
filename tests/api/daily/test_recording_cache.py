"""The kept JSON of stopped recordings (``api/daily/recording_cache.py``) is byte for byte what
rendering anew gives (``domain/recordings.as_json``, serialized), for recordings and sessions
drawn by hypothesis, seen at clock instants that go forward and back, with sessions replaced by
new ones (a live join makes a new object), two key templates, and budgets so small that entries
are dropped all the time."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.api.daily.recording_cache import RecordingBytes
from fake_meetings.config import ServerConfig
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.recordings import TYPES, Recording, as_json, seen_at
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread
from tests.helpers.models import naive_status

T = 1_000_000
KEY = {"Authorization": "Bearer k"}


@st.composite
def sessions(draw: st.DrawFn, sid: str) -> Session:
    stays = []
    for i in range(draw(st.integers(1, 4))):
        join = T + draw(st.integers(0, 600))
        duration = draw(st.none() | st.integers(0, 900))
        stays.append(Participant(f"{sid}-p{i}", None, None, join, duration))
    return Session.of(sid, "room", min(p.join_time for p in stays), stays)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Session], list[Session], list[Recording]]:
    first = [draw(sessions(f"s{i}")) for i in range(2)]
    # the same sessions, each with one stay more: what a live join leaves (new objects)
    later = [
        Session.of(
            s.id,
            s.room,
            s.start_time,
            [*s.participants, Participant("late", None, None, T + 700, 5)],
        )
        for s in first
    ]
    recordings = []
    for i in range(draw(st.integers(1, 5))):
        s = draw(st.sampled_from(first))
        start = s.start_time + draw(st.integers(0, 300))
        end = draw(st.none() | st.integers(start, start + 900))
        recordings.append(
            Recording(
                f"r{i}",
                s.room,
                s.id,
                start,
                end,
                draw(st.integers(1, 2000)),
                draw(st.booleans()),
                type=draw(st.sampled_from(TYPES)),
            )
        )
    return first, later, recordings


@settings(max_examples=150, deadline=None)
@given(
    worlds(),
    st.lists(st.tuples(st.integers(T - 10, T + 3000), st.booleans(), st.booleans()), max_size=25),
    st.sampled_from([64, 700, 1 << 20]),
)
def test_kept_bytes_are_the_rendered_bytes(
    world: tuple[list[Session], list[Session], list[Recording]],
    steps: list[tuple[int, bool, bool]],
    budget: int,
) -> None:
    first, later, recordings = world
    kept = RecordingBytes(budget)
    for now, joined, templated in steps:
        by_id = {s.id: s for s in (later if joined else first)}
        template = "{room_name}/{recording_id}/{epoch_time}" if templated else None
        for r in recordings:
            if r.start_ts > now:
                continue  # not visible yet: never rendered
            session = by_id[r.mtg_session_id]
            expected = orjson.dumps(as_json(seen_at(r, session, now), "dom", template))
            assert kept.render(r, session, now, "dom", template) == expected


def test_kept_pages_follow_the_clock_over_http() -> None:
    """A page kept once its recordings had stopped is not served when the clock goes back to
    where one is in progress again, and a page filtered on ``in_progress`` is never kept: the
    recordings it holds change with the clock while the count of visible ones does not."""
    from fake_meetings.domain.clock import Clock

    text = f"""\
now: {T}
sessions:
  - id: s
    room: r
    start_time: {T - 1000}
    participants: [{{participant_id: p, join_time: {T - 1000}}}]
recordings:
  - {{id: early, session: s, start_ts: {T - 900}, end: {T - 800}}}
  - {{id: late, session: s, start_ts: {T - 700}, end: {T - 100}}}
"""
    sc = load_text(text, "k.yaml")
    world = World(sc.sessions, Clock(T), sc.rooms, recordings=sc.recordings)
    headers = {"Authorization": "Bearer k"}
    with ServerThread(world, ServerConfig(port=0)) as s:

        def at(instant: int, query: str = "") -> dict[str, str]:
            clock = f"{s.base_url}/_fake/clock"
            moved = requests.post(clock, json={"freeze_at": instant}, timeout=10)
            assert moved.status_code == 200
            got = requests.get(f"{s.base_url}/v1/recordings{query}", headers=headers, timeout=10)
            return {r["id"]: r["status"] for r in got.json()["data"]}

        assert at(T) == {"late": "finished", "early": "finished"}  # kept from here on
        assert at(T - 300) == {"late": "in-progress", "early": "finished"}  # same count
        assert at(T) == {"late": "finished", "early": "finished"}
        assert at(T - 300, "?in_progress=false") == {"early": "finished"}
        assert at(T, "?in_progress=false") == {"late": "finished", "early": "finished"}


def test_a_kept_page_keeps_no_snapshot_alive() -> None:
    """A page is kept under its snapshots weakly: once a reload drops them, they are gone (a
    kept page could otherwise hold a replaced million-session store), and the page misses."""
    import gc
    import weakref

    from fake_meetings.domain.recordings import Recordings
    from fake_meetings.domain.store import Store

    kept = RecordingBytes()
    store, recordings, config, domain = Store([]), Recordings([]), object(), object()
    kept.keep_page("q", (recordings, store), (config, domain), (T, T + 1), b"{}")
    assert kept.page("q", recordings, store, config, domain, T) == b"{}"
    gone = weakref.ref(store)
    del store, recordings
    gc.collect()
    assert gone() is None
    assert kept.page("q", Recordings([]), Store([]), config, domain, T) is None


@pytest.fixture(scope="module")
def walked() -> Iterator[ServerThread]:
    with ServerThread(World(), ServerConfig(port=0)) as running:
        yield running


# a few query strings, asked again and again: each asked at one instant is kept, and served
# again at the others while the page's instants hold
WALK_QUERIES = ["", "?limit=2", "?limit=3&ending_before=OLDEST", "?room_name=r1", "?limit=1"]


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 60),
    walk=st.lists(
        st.tuples(st.integers(-6, 6), st.lists(st.integers(0, 4), min_size=1, max_size=3)),
        min_size=2,
        max_size=12,
    ),
)
def test_kept_pages_served_along_a_clock_walk_match_a_naive_model(
    walked: ServerThread, seed: int, count: int, walk: list[tuple[int, list[int]]]
) -> None:
    """One set of generated recordings, the clock frozen at instants that go back and forth
    over a few hours (each step a multiple of 20 minutes, so instants recur): the same few
    query strings asked at each are answered, kept pages or not, as a naive model of the
    recordings says (ids in order, ``total_count``, each one's status and duration)."""
    text = (
        f"now: {T}\ngenerate: {{sessions: {count}, rooms: 2, seed: {seed}, start: -4h, "
        f"ahead: 2h, recorded: 0.7}}\n"
    )
    local = load_text(text, "walk.yaml")
    recs, sessions = list(local.recordings), {s.id: s for s in local.sessions}
    rooms = sorted({r.room_name for r in recs})
    base = walked.base_url
    loaded = requests.post(base + "/_fake/scenario", data=text, timeout=30)
    assert loaded.status_code == 200, loaded.text
    now = T
    for step, asked in walk:
        now += step * 1200
        moved = requests.post(base + "/_fake/clock", json={"freeze_at": now}, timeout=10)
        assert moved.status_code == 200, moved.text
        for which in asked:
            query = WALK_QUERIES[which]
            room = rooms[0] if rooms and "room_name" in query else None
            if room is not None:
                query = f"?room_name={room}"
            limit = int(query.split("limit=")[1].split("&")[0]) if "limit=" in query else 100
            kept = [r for r in recs if r.start_ts <= now and room in (None, r.room_name)]
            newest = sorted(kept, key=lambda r: (r.start_ts, r.id), reverse=True)
            want = newest[-limit:] if "OLDEST" in query else newest[:limit]
            got = requests.get(base + "/v1/recordings" + query, headers=KEY, timeout=10)
            assert got.status_code == 200, got.text
            body = got.json()
            assert body["total_count"] == len(kept)
            assert [item["id"] for item in body["data"]] == [r.id for r in want]
            for item, r in zip(body["data"], want, strict=True):
                status = naive_status(r, sessions[r.mtg_session_id], now)
                assert (item["status"], item.get("duration")) == status


def test_pages_under_many_long_query_strings_stay_within_the_budget() -> None:
    """A client chooses the query string a page is kept under: 2,000 pages of a 27-byte body
    under distinct 4,000-character query strings cost their keys too, so the map holds no more
    than the budget allows (about 15 of them in 64 KiB), not 2,000 keys of 4 KB."""
    from fake_meetings.domain.recordings import Recordings
    from fake_meetings.domain.store import Store

    budget = 64 * 1024
    kept = RecordingBytes(budget)
    store, recordings, config, domain = Store([]), Recordings([]), object(), object()
    body = b'{"total_count":0,"data":[]}'
    for i in range(2000):
        query = f"room_name={i:04d}" + "x" * 3986
        kept.keep_page(query, (recordings, store), (config, domain), (T, T + 1), body)
    held = list(kept.kept.data)
    assert 0 < len(held) <= budget // 4000
    assert sum(len(q) for q, _ in held) <= budget  # type: ignore[misc]
    newest = f"room_name={1999:04d}" + "x" * 3986
    assert kept.page(newest, recordings, store, config, domain, T) == body
