"""Instructions per request, counted by valgrind: figures a busy machine cannot move.

    python bench/instructions_bench.py                  # 500 requests per route
    python bench/instructions_bench.py --requests 200

The throughput figures of ``http_bench.py`` (wrk, req/s) are the measure of record, but on a
shared machine one run can move a ratio by 0.1. This counts instead what the server's CPU
executes: the fake (10,000 generated sessions, frozen clock) and its baseline, the bare aiohttp
handler of ``constant_server.py``, each run under ``valgrind --tool=callgrind`` with
``PYTHONHASHSEED=0`` (as every server of ``http_bench.py``). For each route: warm-up requests
(first renders, caches, and a full request journal), the counters zeroed
(``callgrind_control -z``), N requests over one keep-alive connection, the counters dumped
(``callgrind_control -d``). The constant body of the same size is measured the same way; the
ratio is constant / fake instructions, read like a throughput ratio (1.0: as cheap as answering
prebuilt bytes). Random cursors get no warm-up beyond the one request each that measures their
size, as in ``http_bench.py``. Not counted: the client, and the time the CPU waits on memory
(the cost of a large heap). Needs valgrind (``apt-get install -y valgrind``).
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from http_bench import HERE, RECORDED, Client, Server, find_queries, generated, machine, mean_size

from fake_meetings.config import DEFAULT_JOURNAL_CAP

TARGETS = {"full page": 0.85, "one session": 0.80, "one room": 0.80, "presence": 0.80}
TARGETS["1000 random cursors"] = 0.50
TARGETS["recordings page"] = 0.80
TARGETS["one recording"] = 0.80
# warm-up requests per route: past the journal's cap, so each counted request also drops the
# oldest entry, as under load (with fewer, the journal's steady-state cost went uncounted)
JOURNAL_FULL = DEFAULT_JOURNAL_CAP + 1


class Counted:
    """A server under callgrind whose counters can be zeroed and read between batches."""

    def __init__(self, name: str, argv: list[str], folder: Path):
        self.out = folder / f"{name}.out"
        valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.out}"]
        self.server = Server(name, [*valgrind, *argv], timeout=900)
        self.dumps = 0

    def instructions(self, paths: list[str], requests: int, *, warm: bool = True) -> float:
        """Instructions per request of ``requests`` requests cycling through ``paths``."""
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=120)

        def get(path: str) -> None:
            conn.request("GET", path, headers={"Authorization": "Bearer bench"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status}")

        warmup = [paths[i % len(paths)] for i in range(JOURNAL_FULL)] if warm else paths[:1]
        for path in warmup:
            get(path)
        self._control("-z")
        for i in range(requests):
            get(paths[i % len(paths)])
        self._control("-d")
        self.dumps += 1
        text = Path(f"{self.out}.{self.dumps}").read_text()
        match = re.search(r"^summary: (\d+)", text, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"no summary in {self.out}.{self.dumps}")
        conn.close()
        return int(match.group(1)) / requests

    def _control(self, flag: str) -> None:
        pid = str(self.server.proc.pid)
        subprocess.run(["callgrind_control", flag, pid], check=True, capture_output=True)

    def stop(self) -> None:
        self.server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per route")
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed: apt-get install -y valgrind")
    with tempfile.TemporaryDirectory() as tmp:
        fake = Counted(
            "fake",
            [
                *(sys.executable, "-m", "fake_meetings", "serve", "--port", "0"),
                *(*generated(10_000), "--recorded", RECORDED),
            ],
            Path(tmp),
        )
        const: Counted | None = None
        try:
            q = find_queries(fake.server, 1000)
            newest = Client(fake.server).json("/v1/recordings?limit=1")
            recording = newest["data"][0]["id"]  # type: ignore[index]
            rows = {
                "full page": [q.full],
                "one session": [q.one],
                "one room": [q.one_room],
                "presence": ["/v1/presence"],
                "1000 random cursors": q.cursors,
                "recordings page": ["/v1/recordings"],
                "one recording": [f"/v1/recordings/{recording}"],
            }
            sizes = {name: mean_size(fake.server, paths) for name, paths in rows.items()}
            argv = [sys.executable, str(HERE / "constant_server.py")]
            argv += sorted({str(s) for s in sizes.values()})
            const = Counted("constant", argv, Path(tmp))
            print(f"instructions per request, {args.requests} requests per route (valgrind)")
            # counts compare on one CPU model only: libc picks its string and copy routines by CPU
            print(f"machine: {machine()}")
            print(f"{'route':<22} {'body B':>8} {'fake':>10} {'constant':>10} {'ratio':>6}  target")
            for name, paths in rows.items():
                cold = name == "1000 random cursors"
                n = min(args.requests, len(paths)) if cold else args.requests
                ours = fake.instructions(paths, n, warm=not cold)
                base = const.instructions([f"/const/{sizes[name]}"], args.requests)
                print(
                    f"{name:<22} {sizes[name]:>8,} {ours:>10,.0f} {base:>10,.0f} "
                    f"{base / ours:>6.2f}  (throughput target {TARGETS[name]:.2f})"
                )
        finally:
            fake.stop()
            if const is not None:
                const.stop()


if __name__ == "__main__":
    main()
