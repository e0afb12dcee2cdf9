"""The timeline at scale: queries at any clock position, clock moves, live joins and leaves.

    python bench/timeline_bench.py            # 10,000 and 1,000,000 generated sessions
    python bench/timeline_bench.py --quick    # 10,000 and 100,000

Sessions are generated over ten days ending at a frozen ``now`` with two hours ahead, so about
1% of them are ongoing at ``now`` and some start later. Everything runs in this process, on the
code the server runs for a request (the query engine and the render cache), without HTTP: the
HTTP costs are ``bench/http_bench.py``'s. Each figure is printed with its baseline from the
same run:

- query mix p50 at the large size against the same mix at 10,000 sessions (target <= 1.5);
- a clock move that crosses about 10,000 starts and ends at the large size, against finding
  the ongoing sessions at the new instant from nothing (target: well under 100 ms);
- a live join into an ongoing session and a leave at the large size, against the same at
  10,000 sessions (target: well under 1 ms); each also with the ``list_meetings`` (a full page
  of the newest) that follows it on the new snapshot, and a join that starts a new session
  (in a room with none ongoing, at an instant no session starts after);
- a leave of an id nobody has (a 404): only who is present now is looked at, never every
  session (it used to scan them all, drawing every generated session's stays: 22 s at 300,000).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import random
import statistics
import time
from collections.abc import Callable

from fake_meetings.api.daily.render_cache import RenderCache
from fake_meetings.domain import live
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.instant import Instants
from fake_meetings.domain.query import OLDEST, MeetingsQuery, list_meetings
from fake_meetings.domain.store import Store

NOW = 1_717_430_400  # 2024-06-03T16:00:00Z, a Monday afternoon: many meetings under way
DAYS = 10
AHEAD = 2 * 3600


def build(count: int) -> Store:
    start = NOW - DAYS * 86400
    sessions = generate(GenerateSpec(sessions=count, seed=1, start=start, ahead=AHEAD), NOW)
    store = Store(sessions)
    gc.collect()
    gc.freeze()
    return store


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def query_mix(store: Store, rng: random.Random, count: int) -> list[MeetingsQuery]:
    """Queries whose pages are full at every size (so sizes compare the engine, not how many
    sessions a page holds): newest, ongoing, ended, a room's ended, cursors, OLDEST."""
    visible = store.sessions[: store.visible_count(NOW)]
    rooms = store.rooms
    mix = []
    for i in range(count):
        kind = i % 6
        if kind == 0:
            mix.append(MeetingsQuery())
        elif kind == 1:
            mix.append(MeetingsQuery(ongoing=True, limit=50))
        elif kind == 2:
            mix.append(MeetingsQuery(ongoing=False, limit=50))
        elif kind == 3:
            mix.append(MeetingsQuery(room=rng.choice(rooms), ongoing=False, limit=20))
        elif kind == 4:
            mix.append(MeetingsQuery(starting_after=rng.choice(visible).id))
        else:
            mix.append(MeetingsQuery(ending_before=OLDEST, room=rng.choice(rooms)))
    return mix


def query_p50(store: Store) -> tuple[float, float]:
    """p50 seconds of the query engine alone, and of a query with its first rendering (a new
    render cache per query: nothing cached)."""
    rng = random.Random(7)
    engine, whole = [], []
    for q in query_mix(store, rng, 600):
        cache = RenderCache(10**9, 10**9)
        t0 = time.perf_counter()
        page = list_meetings(store, q, NOW)
        t1 = time.perf_counter()
        cache.meetings_page(page.total_count, page.sessions, NOW, participants=True).at(NOW)
        engine.append(t1 - t0)
        whole.append(time.perf_counter() - t0)
    return statistics.median(engine), statistics.median(whole)


def clock_move(store: Store) -> tuple[float, float, float, int]:
    """Seconds to move the instant across about 10,000 starts and ends, to list them (what
    the event engine will be told), and to find the new instant from nothing; how many."""
    first = store.visible_count(NOW)
    after = store.starts[min(len(store) - 1, first + 5_000)]  # about as many ends on the way
    store.at(NOW)  # the instant the server stands at
    t0 = time.perf_counter()
    store.at(after)  # derived from the instant at NOW
    moved = time.perf_counter() - t0
    t0 = time.perf_counter()
    crossed = len(store.crossed(NOW, after))
    listed = time.perf_counter() - t0
    t0 = time.perf_counter()
    Instants(store).at(after)  # the same instant, with none known
    scratch = time.perf_counter() - t0
    return moved, listed, scratch, crossed


def live_costs(store: Store) -> dict[str, float]:
    """p50 seconds of a join into an ongoing session, of that participant leaving, of each with
    the newest page that follows on the new snapshot, and of a join starting a new session.
    The joins and leaves are chained (each on the snapshot the previous one made)."""
    rng = random.Random(3)
    ongoing = store.at(NOW).ongoing
    rooms = sorted({s.room for s in store.sessions.pick(ongoing)})
    out: dict[str, list[float]] = {"join": [], "leave": [], "join+query": [], "leave+query": []}
    newest = MeetingsQuery()
    for i in range(200):
        room = rooms[i % len(rooms)]
        t0 = time.perf_counter()
        change = live.join(store, room, NOW, rng, user_name="bench")
        t1 = time.perf_counter()
        list_meetings(change.store, newest, NOW)
        t2 = time.perf_counter()
        store = live.leave(change.store, change.participant.participant_id, NOW).store
        t3 = time.perf_counter()
        list_meetings(store, newest, NOW)
        t4 = time.perf_counter()
        out["join"].append(t1 - t0)
        out["join+query"].append(t2 - t0)
        out["leave"].append(t3 - t2)
        out["leave+query"].append(t4 - t2)
    later = store.starts[-1] + 1  # no session starts after: the new one comes last
    store.at(later)
    out["unknown leave"] = []
    for i in range(200):
        t0 = time.perf_counter()
        with contextlib.suppress(live.UnknownParticipant):
            live.leave(store, f"nobody-{i}", NOW)
        out["unknown leave"].append(time.perf_counter() - t0)
    out["new session"] = []
    for i in range(40):  # each on the same snapshot: two in one second may rebuild (Store.added)
        t0 = time.perf_counter()
        change = live.join(store, f"bench-new-{i}", later, rng, user_name="bench")
        list_meetings(change.store, newest, later)
        out["new session"].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 instead of 1,000,000")
    args = parser.parse_args()
    small_n, large_n = 10_000, 100_000 if args.quick else 1_000_000
    results = {}
    for n in (small_n, large_n):
        t0 = time.perf_counter()
        store = build(n)
        built = time.perf_counter() - t0
        ongoing = len(store.at(NOW).ongoing)
        visible = store.visible_count(NOW)
        print(
            f"{n:>9,} sessions: built in {built:.1f} s; {visible:,} visible at now, "
            f"{ongoing:,} ongoing ({ongoing / max(1, visible):.1%})",
            flush=True,
        )
        results[n] = (query_p50(store), clock_move(store), live_costs(store))
        del store
        gc.unfreeze()
        gc.collect()
    (q_small, _, live_small) = results[small_n]
    (q_large, (moved, listed, scratch, crossed), live_large) = results[large_n]
    for label, large, small in (
        ("query engine", q_large[0], q_small[0]),
        ("query and first rendering", q_large[1], q_small[1]),
    ):
        print(
            f"{label}, mix p50: {large * 1e6:,.0f} us at {large_n:,} / {small * 1e6:,.0f} us "
            f"at {small_n:,} = {large / small:.2f} (target <= 1.5)"
        )
    print(
        f"clock move across {crossed:,} starts and ends at {large_n:,}: new instant "
        f"{moved * 1e3:.1f} ms (from nothing: {scratch * 1e3:.1f} ms, ratio "
        f"{moved / scratch:.2f}); listing what was crossed {listed * 1e3:.1f} ms; "
        f"together {(moved + listed) * 1e3:.1f} ms (target: well under 100 ms)"
    )
    for label, what in (
        ("live join", "join"),
        ("live leave", "leave"),
        ("live join + next query", "join+query"),
        ("live leave + next query", "leave+query"),
        ("live join starting a session + next query", "new session"),
        ("live leave of an unknown id (404)", "unknown leave"),
    ):
        large, small = live_large[what], live_small[what]
        print(
            f"{label} at {large_n:,}: {large * 1e3:.3f} ms / {small * 1e3:.3f} ms at "
            f"{small_n:,} = {large / small:.1f} (target: well under 1 ms)"
        )


if __name__ == "__main__":
    main()
