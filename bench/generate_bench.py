"""Generation benchmark: time to generate and index, peak RSS, bytes per session.

    python bench/generate_bench.py                 # 10k, 100k and 1M sessions
    python bench/generate_bench.py 10000 100000    # chosen sizes
    python bench/generate_bench.py --recorded 0.3 1000000   # and 30% of the sessions recorded

Each size runs in a fresh subprocess so its peak RSS is its own. "bytes/session" is the growth
of RSS from just before generating to after indexing, divided by the number of sessions. With
``--recorded``, the recordings are drawn and indexed after the sessions: their time, and the growth
of RSS they cause, per session ("rec B/session"), are columns of their own.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import gc, json, resource, sys, time
from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.genrecordings import generated_recordings
from fake_meetings.domain.recordings import Recordings
from fake_meetings.domain.store import Store
import faker  # imported before the baseline, as the server would have it

def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

n, share = int(sys.argv[1]), float(sys.argv[2])
now = 1717243200
gc.collect()
base = rss_kb()
t0 = time.perf_counter()
sessions = generate(GenerateSpec(sessions=n, seed=1), now)
t1 = time.perf_counter()
store = Store(sessions)
del sessions
t2 = time.perf_counter()
gc.collect()
after = rss_kb()
recordings = Recordings(generated_recordings(1, share, store.sessions))
t3 = time.perf_counter()
gc.collect()
recorded = rss_kb()
participants = sum(len(s.participants) for s in store.sessions)
print(json.dumps({
    "n": n, "generate_s": t1 - t0, "index_s": t2 - t1,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "bytes_per_session": (after - base) * 1024 / n,
    "participants_per_session": participants / n,
    "recordings": len(recordings), "recordings_s": t3 - t2,
    "recordings_bytes_per_session": (recorded - after) * 1024 / n,
}))
"""


def main(sizes: list[int], share: float) -> None:
    print(
        f"{'sessions':>10} {'generate s':>11} {'index s':>8} {'total s':>8} "
        f"{'peak RSS MB':>12} {'B/session':>10} {'ppl/session':>11}"
        + (f" {'recordings':>10} {'rec s':>6} {'rec B/session':>13}" if share else "")
    )
    for n in sizes:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(n), str(share)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        print(
            f"{n:>10,} {r['generate_s']:>11.2f} {r['index_s']:>8.2f} "
            f"{r['generate_s'] + r['index_s']:>8.2f} {r['peak_rss_mb']:>12.0f} "
            f"{r['bytes_per_session']:>10.0f} {r['participants_per_session']:>11.2f}"
            + (
                f" {r['recordings']:>10,} {r['recordings_s']:>6.2f} "
                f"{r['recordings_bytes_per_session']:>13.0f}"
                if share
                else ""
            )
        )


if __name__ == "__main__":
    args = sys.argv[1:]
    share = 0.0
    if args[:1] == ["--recorded"]:
        share, args = float(args[1]), args[2:]
    main([int(a) for a in args] or [10_000, 100_000, 1_000_000], share)
