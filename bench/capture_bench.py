"""Memory of ``fake-meetings capture`` against the number of sessions it captures.

    python bench/capture_bench.py                          # 3,000 and 12,000 sessions
    python bench/capture_bench.py --sizes 3000 30000 --rate 20

For each size, a real ``fake-meetings serve --generate N`` runs as a subprocess (so its memory
is not counted) and the capture runs in this process under ``tracemalloc``. The figure is the
peak of Python allocations during the capture. Sessions are written to the file as pages
arrive, so the peak should not grow with the number of sessions: the last line prints the
ratio of the largest size's peak to the smallest's (1.0 is flat; proportional growth would be
the ratio of the sizes).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from fake_meetings.cli import main as cli

NOW = 1_717_243_200
ROOT = Path(__file__).resolve().parents[1]


def serve(count: int) -> tuple[subprocess.Popen[bytes], str]:
    args = ["serve", "--generate", str(count), "--seed", "1", "--now", str(NOW), "--port", "0"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKE_MEETINGS_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fake_meetings", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()  # "fake-meetings listening on URL"
    if not line.startswith("fake-meetings listening on "):
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    proc.stdout.readline()
    return proc, line.rsplit(" ", 1)[1] + "/v1"


def measure(count: int, rate: str) -> tuple[int, float]:
    """(peak bytes allocated while capturing ``count`` sessions, seconds)."""
    proc, url = serve(count)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            args = ["capture", "--base-url", url, "--api-key", "bench", "--rate", rate]
            args += ["-o", str(Path(tmp) / "capture.yaml")]
            err = io.StringIO()
            tracemalloc.start()
            started = time.monotonic()
            with contextlib.redirect_stderr(err):
                status = cli(args)
            elapsed = time.monotonic() - started
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            if status != 0:
                raise SystemExit(f"capture failed: {err.getvalue()}")
            if f"wrote {count:,} sessions" not in err.getvalue():
                raise SystemExit(f"not every session was captured: {err.getvalue()}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return peak, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 12000])
    parser.add_argument("--rate", default="1000", help="requests/s (default 1000: local)")
    args = parser.parse_args()
    peaks = []
    for count in sorted(args.sizes):
        peak, elapsed = measure(count, args.rate)
        peaks.append(peak)
        print(f"{count:>9,} sessions: peak {peak / 2**20:6.2f} MiB in {elapsed:5.1f} s")
    sizes = sorted(args.sizes)
    print(
        f"sessions ratio {sizes[-1] / sizes[0]:.1f}, peak memory ratio {peaks[-1] / peaks[0]:.2f}"
    )


if __name__ == "__main__":
    main()
