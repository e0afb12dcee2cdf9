"""Recording changes at scale: a start, a stop, a failure, a delete and the pages that follow
them; and a transcription's start, stop and failure in a room with a long history.

    python bench/recordings_bench.py            # ~10,000 and ~300,000 recordings
    python bench/recordings_bench.py --quick    # ~10,000 and ~30,000

Sessions are generated as ``serve --generate N --recorded 0.3`` makes them (the clock frozen
at the end of their window, so about 1% are going on), 33,000 and 1,000,000 of them (100,000
with ``--quick``), and their recordings drawn. Everything runs in this process, on the code a
request runs (a namespace's commands, the query of ``GET /recordings``), without HTTP or
rendering (``bench/http_bench.py`` measures those). The changes are chained, each on the
snapshot the previous one made:

- a start (``POST /rooms/:name/recordings/start``) in a room someone is in now, on an instance
  of its own, then a full page of the newest (``GET /recordings``) and of the room's; its first
  step, finding the room's latest session with someone in it now (the sessions' presence
  engine, not the recordings'), is timed alone too;
- its stop (``.../recordings/stop``), then the same pages;
- a failure (``POST /_fake/recordings/:id/fail``, the control plane's) of another recording
  started in the room, on an instance of its own (that start is not timed);
- a delete (``DELETE /recordings/:id``) of a generated recording drawn at random (most lie
  far below the newest: the ranks above it move), then the same pages;
- a page after a cursor (``starting_after`` a random recording) on the last snapshot.

Transcripts are bounded per namespace (``MAX_TRANSCRIPTS``), so their scale is a room's history
rather than the generated sessions: one room with 100, then 9,800, past sessions of one
transcript each, and one session going on now. A transcription start
(``POST /rooms/:name/transcription/start``) there, on an instance of its own, and its stop
(``.../transcription/stop``) are timed: each first looks for the transcription in progress on
the instance, which only the transcripts of the sessions going on now can be. So is a failure
(``POST /_fake/transcripts/:id/fail``) of another transcription started there.

Each figure is the median of its samples, printed with the same at the small size, measured
in the same run, and their ratio (large / small): a change that copies its indexes grows with
the number of recordings, one that does not stays near 1.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable, Sequence

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.genrecordings import generated_recordings
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.presence import latest_hosting, present
from fake_meetings.domain.recordings import Recordings, RecordingsQuery, list_recordings
from fake_meetings.domain.recordstart import StartOptions, StopOptions
from fake_meetings.domain.transcripts import Transcript
from fake_meetings.domain.world import World
from fake_meetings.state.journal import Journal
from fake_meetings.state.namespaces import Namespace

NOW = 1_717_430_400  # 2024-06-03T16:00:00Z, a Monday afternoon: many meetings under way
SHARE = 0.3  # of the sessions recorded, as serve --recorded 0.3
SAMPLES = 60
HISTORIES = (100, 9_800)  # a room's past transcripts; with the samples' own, under 10,000
MEETING = 1_800  # seconds: each past session of the transcripts' room, one after the other


def build(sessions: int) -> Namespace:
    made = generate(GenerateSpec(sessions=sessions, seed=1), NOW)
    world = World(made, Clock(NOW))
    del made
    world.recordings = Recordings(generated_recordings(1, SHARE, world.store.sessions))
    gc.collect()
    gc.freeze()
    return Namespace(world, Journal())


def with_history(past: int) -> Namespace:
    """A room whose ``past`` sessions, one after the other, each had a transcript of its whole
    length, and one session going on now with someone in it."""
    room = "history"
    sessions, transcripts = [], []
    for i in range(past):
        start = NOW - (past - i + 1) * MEETING
        stay = Participant(f"p{i}", None, None, start, MEETING - 60)
        sessions.append(Session.of(f"s{i:05d}", room, start, [stay]))
        transcripts.append(Transcript(f"t{i:05d}", room, "", f"s{i:05d}", start))
    sessions.append(
        Session.of("now", room, NOW - 600, [Participant("p", None, None, NOW - 600, None)])
    )
    world = World(sessions, Clock(NOW), transcripts=transcripts)
    return Namespace(world, Journal())


def transcript_costs(space: Namespace) -> dict[str, float]:
    """Median seconds of a transcription's start, stop and failure in the room of
    :func:`with_history`."""
    out: dict[str, list[float]] = {}
    timed = timer(out)
    for i in range(SAMPLES):
        instance = f"bench-{i}"
        timed("transcription start", space.start_transcription, "history", instance)
        timed("transcription stop", space.stop_transcription, "history", instance)
        failing = space.start_transcription("history", f"failing-{i}")
        timed("transcript fail", space.fail_transcript, failing.id)
    return {label: statistics.median(times) for label, times in out.items()}


def timer(out: dict[str, list[float]]) -> Callable[..., None]:
    """A call that runs ``call(*args)`` and adds its seconds to ``out[label]``."""

    def timed(label: str, call: Callable[..., object], *args: object) -> None:
        t0 = time.perf_counter()
        call(*args)
        out.setdefault(label, []).append(time.perf_counter() - t0)

    return timed


def costs(space: Namespace) -> dict[str, float]:
    """Median seconds of each change and of the pages asked after it."""
    world = space.world
    rooms = sorted({p.session.room for p in present(world.store, NOW)})
    gone = random.Random(5).sample([r.id for r in world.recordings.ordered], SAMPLES)
    out: dict[str, list[float]] = {}
    timed = timer(out)

    def pages(after: str, room: str) -> None:
        newest, of_room = RecordingsQuery(), RecordingsQuery(room_name=room)
        timed(f"page after {after}", list_recordings, world.recordings, newest, NOW)
        timed(f"room page after {after}", list_recordings, world.recordings, of_room, NOW)

    for i in range(SAMPLES):
        room = rooms[i % len(rooms)]
        instance = f"bench-{i}"
        timed(
            "the room's session now (a start's first step)", latest_hosting, world.store, NOW, room
        )
        timed("start", space.start_recording, room, StartOptions(instance_id=instance))
        pages("a start", room)
        timed("stop", space.stop_recording, room, StopOptions(instance_id=instance))
        pages("a stop", room)
        failing = space.start_recording(room, StartOptions(instance_id=f"failing-{i}"))
        timed("fail", space.fail_recording, failing.id)
        timed("delete", space.delete_recording, gone[i])
        pages("a delete", room)
    rng = random.Random(9)
    ids = [r.id for r in world.recordings.ordered]
    for _ in range(SAMPLES):
        q = RecordingsQuery(starting_after=rng.choice(ids))
        timed("page after a cursor", list_recordings, world.recordings, q, NOW)
    return {label: statistics.median(times) for label, times in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 sessions, not 1,000,000")
    args = parser.parse_args()
    sizes = (33_000, 100_000 if args.quick else 1_000_000)
    results, counts = [], []
    for n in sizes:
        t0 = time.perf_counter()
        space = build(n)
        count = len(space.world.recordings)
        print(
            f"{n:>9,} sessions, {count:,} recordings: built in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        results.append(costs(space))
        counts.append(count)
        del space
        gc.unfreeze()
        gc.collect()
    t0 = time.perf_counter()
    spaces = [with_history(past) for past in HISTORIES]
    print(
        f"one room, {HISTORIES[0]:,} and {HISTORIES[1]:,} past transcripts, a session going on: "
        f"built in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )
    report(results, counts, "recordings")
    report([transcript_costs(space) for space in spaces], HISTORIES, "transcripts")


def report(results: Sequence[dict[str, float]], counts: Sequence[int], what: str) -> None:
    """One line per label: its median at the large size (``counts[1]`` ``what``), at the small
    one, and their ratio."""
    small, large = results
    for label in small:
        print(
            f"{label} at {counts[1]:,} {what}: {large[label] * 1e3:.3f} ms / "
            f"{small[label] * 1e3:.3f} ms at {counts[0]:,} = {large[label] / small[label]:.1f}"
        )


if __name__ == "__main__":
    main()
