"""A recordings snapshot changed one recording at a time (a start, a stop, a delete) is the
snapshot built from scratch from the same recordings; the recordings that can run at an instant
are found among the recent ones."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_meetings.domain.recordings import GeneratedRecording, Recording, Recordings

T = 1_700_000_000


def same(a: Recordings, b: Recordings) -> None:
    assert list(a.ordered) == list(b.ordered)
    assert dict(a.rank) == dict(b.rank)
    assert {room: list(of) for room, of in a.by["room"].items()} == {
        room: list(of) for room, of in b.by["room"].items()
    }
    assert a.generated == b.generated
    assert a.longest >= b.longest  # an upper bound: a stop may shorten the longest


OPS = st.lists(
    st.tuples(
        st.sampled_from(["join", "delete", "stop"]),
        st.integers(0, 50),  # start offset, or which recording
        st.sampled_from(["a", "b", "c"]),
        st.booleans(),  # generated
        st.integers(1, 20_000),  # max_duration
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(ops=OPS)
def test_changes_one_at_a_time_match_a_rebuild(ops: list[tuple[str, int, str, bool, int]]) -> None:
    snapshot, made = Recordings(), 0
    for op, n, room, generated, longest in ops:
        if op == "join":
            kind = GeneratedRecording if generated else Recording
            rec = kind(f"r{made:03d}", room, "s", T + n, max_duration=longest)
            made += 1
            snapshot = snapshot.joined([rec])
        elif op == "delete" and len(snapshot):
            snapshot = snapshot.without(snapshot.ordered[n % len(snapshot)].id)
        elif op == "stop" and len(snapshot):
            was = snapshot.ordered[n % len(snapshot)]
            snapshot = snapshot.replaced(replace(was, end=was.start_ts + n))
        same(snapshot, Recordings(snapshot.ordered))


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(
    recs=st.lists(
        st.tuples(st.integers(0, 100), st.sampled_from(["a", "b"]), st.integers(1, 60)),
        max_size=20,
    ),
    now=st.integers(-10, 200),
    room=st.sampled_from(["a", "b"]),
)
def test_the_running_ones_are_those_that_stop_now_or_later(
    recs: list[tuple[int, str, int]], now: int, room: str
) -> None:
    made = [
        Recording(f"r{i:02d}", r, "s", T + t, max_duration=d) for i, (t, r, d) in enumerate(recs)
    ]
    snapshot = Recordings(made)
    running = snapshot.running_in_room(room, T + now)
    want = [r for r in snapshot.ordered if r.room_name == room and r.start_ts <= T + now]
    assert running == [r for r in want if r in running]  # some of them, in their order
    assert {r.id for r in want if r.stop(None) >= T + now} <= {r.id for r in running}
