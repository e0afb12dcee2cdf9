"""HTTP benchmark of fake-meetings: each figure next to its baseline, in one run.

    python bench/http_bench.py              # the full run, about 6 minutes
    python bench/http_bench.py --quick      # smoke run: 1 repetition of 2 s, 100k instead of 1M
    python bench/http_bench.py --runs 3 --seconds 3 --big 1000000

It starts the real server (``python -m fake_meetings serve``, generated data, frozen clock) and
drives it with ``wrk`` (Debian/Ubuntu: ``apt-get install -y wrk``; macOS: ``brew install wrk``).

1. **Throughput** (``wrk -t1 -c32``, 10k sessions): each query against a bare aiohttp handler
   returning a constant body of the same size (``bench/constant_server.py``): each repetition
   runs the two back to back (in alternating order), and the ratio is the median of the
   repetitions' ratios, printed with their range; next to it, the same for the servers' CPU
   time per request (from ``/proc``, Linux). Also: a
   mix of varied cursors (the page-body cache cannot help), access logging on, the request
   journal patched out (against a server with it that, likewise, serves only the full page:
   the main server has its caches full by then, which costs it some 10%), the pre-cache
   rendering path (``bench/variant_server.py``), and the bundled default scenario with its
   real clock.
2. **Latency vs dataset size** (``wrk -t1 -c1 --latency``): p50 of the same query mix at 10k
   and at 1M sessions.
3. **Memory**: RSS of the 1M server after the load (caches full), minus the RSS of the same
   server with one generated session, per session.

The machine has other work on it at times: every figure is a median of ``--runs`` repetitions
and every ratio compares figures measured side by side in this run. Every server runs with
``PYTHONHASHSEED=0`` (``HASH_SEED``): the hash seed alone moves a process's CPU per request by
more than the machine's noise (five servers of the same code, seeds 0-4, served
``GET /meetings/:id`` at 0.62-0.68 of the constant body in one run; four with random seeds,
0.62-0.74; four with seed 0, 0.70-0.71), so a fixed seed lets runs and variants compare.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUTH = "Bearer bench"
NOW = "2024-06-03T15:00:00Z"  # a Monday afternoon: the newest page holds ongoing sessions
SEED = "1"
HASH_SEED = "0"  # every server's PYTHONHASHSEED: the same dict and set layouts in every run
DAY = 86_400
# the targets
TARGET_THROUGHPUT = 0.85  # full page / constant body
TARGET_SMALL = 0.80  # GET /meetings/:id, /rooms/:name, /presence / constant body
TARGET_CURSORS = 0.50  # 1,000 random cursors / constant body
TARGET_LATENCY = 1.2  # p50 of the query mix at 1M / at 10k
TARGET_BYTES = 1000  # RSS per session at 1M
TARGET_FIRST_200 = 15.0  # seconds from spawning `serve --generate 1000000` to its first 200
STATED_AT = 1_000_000  # the dataset size targets 2 and 4 are stated at


# --------------------------------------------------------------------------- processes


class Server:
    """A server process started from ``argv``; ready once it prints ``listening on URL``."""

    def __init__(self, name: str, argv: Sequence[str], *, timeout: float = 600, log: bool = True):
        self.name = name
        self.spawned = time.monotonic()
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the process)
        self.proc = subprocess.Popen(
            list(argv),
            stdout=subprocess.PIPE,
            stderr=self.errors if log else subprocess.DEVNULL,
            text=True,
            cwd=HERE.parent,
            env={**os.environ, "PYTHONHASHSEED": HASH_SEED},
        )
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.url = match.group(1)
                break
            if not line or time.monotonic() > deadline:
                self.stop()
                self.errors.seek(0)
                raise RuntimeError(f"{name} did not start: {self.errors.read().decode()[-2000:]}")
        parts = urllib.parse.urlsplit(self.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def first_200(self, path: str = "/v1/meetings?limit=1") -> float:
        """Seconds from spawning the process to a 200 for ``path`` (call it right away)."""
        Client(self).get(path)
        return time.monotonic() - self.spawned

    def cpu_seconds(self) -> float | None:
        """User and system CPU seconds the process has used (Linux; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def cpu_us_per_request(self, run: Callable[[], WrkResult]) -> tuple[WrkResult, float | None]:
        """``run()`` (a wrk run against this server) and the server's CPU microseconds per
        request meanwhile: unlike req/s, time the machine gave to other work does not count."""
        before = self.cpu_seconds()
        result = run()
        after = self.cpu_seconds()
        if before is None or after is None or not result.requests:
            return result, None
        return result, (after - before) / result.requests * 1e6

    def rss_bytes(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def fake_server(name: str, *args: str, variant: str | None = None, log: bool = True) -> Server:
    prefix = [sys.executable]
    prefix += [str(HERE / "variant_server.py"), variant] if variant else ["-m", "fake_meetings"]
    return Server(name, [*prefix, "serve", "--port", "0", *args], log=log)


RECORDED = "0.3"  # the share of the main server's generated sessions that are recorded


def generated(n: int) -> list[str]:
    return ["--generate", str(n), "--seed", SEED, "--now", NOW]


class Client:
    """A keep-alive HTTP client for preparing queries (not for measuring)."""

    def __init__(self, server: Server):
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=60)

    def get(self, path: str) -> bytes:
        self.conn.request("GET", path, headers={"Authorization": AUTH})
        response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
        return body

    def json(self, path: str) -> dict[str, object]:
        value = json.loads(self.get(path))
        assert isinstance(value, dict)
        return value


# --------------------------------------------------------------------------- wrk


@dataclass
class WrkResult:
    rps: float
    requests: int = 0
    p50_us: float | None = None
    p99_us: float | None = None


_UNITS = {"us": 1.0, "ms": 1e3, "s": 1e6}


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int = 32,
    script: Path | None = None,
    latency: bool = False,
) -> WrkResult:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-H", f"Authorization: {AUTH}"]
    if latency:
        argv.append("--latency")
    if script is not None:
        argv += ["-s", str(script)]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw errors against {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    result = WrkResult(rps, requests)
    if latency:
        for pct, attr in (("50", "p50_us"), ("99", "p99_us")):
            m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
            if m:
                setattr(result, attr, float(m.group(1)) * _UNITS[m.group(2)])
    return result


def mix_script(paths: Sequence[str], directory: Path, name: str, *, shuffle: bool) -> Path:
    """A wrk Lua script sending ``paths`` in turn (or at random with ``shuffle``)."""
    items = ",\n".join(json.dumps(p) for p in paths)
    pick = "paths[math.random(#paths)]" if shuffle else "paths[i % #paths + 1]"
    path = directory / f"{name}.lua"
    path.write_text(
        f"local paths = {{\n{items}\n}}\n"
        "local i = 0\n"
        "request = function()\n"
        f"  local p = {pick}\n"
        "  i = i + 1\n"
        '  return wrk.format("GET", p)\n'
        "end\n"
    )
    return path


# --------------------------------------------------------------------------- the queries


@dataclass
class Queries:
    """The benchmark's queries for one dataset, found through the API itself."""

    full: str
    no_participants: str
    room_timeframe: str
    deep: str
    one: str  # GET /meetings/:id of an ended session
    one_room: str  # GET /rooms/:name of the busiest room
    cursors: list[str] = field(default_factory=list)  # starting_after pages across the dataset
    ongoing_on_first_page: int = 0

    @property
    def mix(self) -> list[str]:
        return [self.full, self.no_participants, self.room_timeframe, self.deep]


def find_queries(server: Server, cursors: int) -> Queries:
    c = Client(server)
    base = "/v1/meetings"
    first = c.json(f"{base}?limit=100")
    data = first["data"]
    assert isinstance(data, list) and data
    newest = data[0]["start_time"]
    ongoing = sum(1 for s in data if s["ongoing"])
    oldest_page = c.json(f"{base}?ending_before=OLDEST&limit=100&no_participants=true")["data"]
    assert isinstance(oldest_page, list)
    older = c.json(f"{base}?ending_before={oldest_page[0]['id']}&limit=100&no_participants=true")
    deep_cursor = older["data"][0]["id"]  # type: ignore[index]
    oldest = oldest_page[-1]["start_time"]
    # the busiest room of the newest page, over one week in the middle of the data
    rooms = [s["room"] for s in data]
    room = max(set(rooms), key=rooms.count)
    middle = (newest + oldest) // 2
    room_q = urllib.parse.urlencode(
        {"room": room, "timeframe_start": middle - 7 * DAY, "timeframe_end": middle}
    )
    rng = random.Random(7)
    ids: list[str] = []
    for _ in range(cursors):  # ids spread over the dataset: the session just before a random time
        t = rng.randrange(oldest + 1, newest + 1)
        page = c.json(f"{base}?timeframe_end={t}&limit=1&no_participants=true")["data"]
        if page:
            ids.append(page[0]["id"])  # type: ignore[index]
    return Queries(
        full=f"{base}?limit=100",
        no_participants=f"{base}?limit=100&no_participants=true",
        room_timeframe=f"{base}?{room_q}&limit=100",
        deep=f"{base}?starting_after={deep_cursor}&limit=100",
        one=f"{base}/{deep_cursor}",
        one_room=f"/v1/rooms/{urllib.parse.quote(room)}",
        cursors=[f"{base}?starting_after={i}&limit=100" for i in ids],
        ongoing_on_first_page=ongoing,
    )


def mean_size(server: Server, paths: Sequence[str]) -> int:
    c = Client(server)
    return round(statistics.fmean(len(c.get(p)) for p in paths))


# --------------------------------------------------------------------------- report helpers


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], digits: int = 0) -> str:
    return f"{min(values):,.{digits}f}-{max(values):,.{digits}f}" if len(values) > 1 else ""


def verdict(ok: bool, big: int = STATED_AT) -> str:
    if big != STATED_AT:  # the 40 MiB of caches weigh ten times more per session at 100k
        return f"not judged: the target is stated at {STATED_AT:,} sessions"
    return "MET" if ok else "NOT MET"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import aiohttp
    import orjson

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return (
        f"{cpu}, {os.cpu_count()} vCPU, Linux {platform.release()}, "
        f"Python {platform.python_version()}, aiohttp {aiohttp.__version__}, "
        f"orjson {orjson.__version__}, wrk {wrk_version[1] if len(wrk_version) > 1 else '?'}"
    )


# --------------------------------------------------------------------------- sections


@dataclass
class Row:
    name: str
    server: Server
    paths: list[str]
    shuffle: bool = False
    size: int = 0
    fake: list[float] = field(default_factory=list)
    const: list[float] = field(default_factory=list)
    fake_cpu: list[float] = field(default_factory=list)  # server CPU us per request
    const_cpu: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        """fake / constant req/s of each repetition: the two runs of a pair are back to back, so a
        slow minute of the machine weighs on both sides of a pair, not on one side of a median."""
        return [f / c for f, c in zip(self.fake, self.const, strict=True)]

    @property
    def ratio(self) -> float:
        return median(self.ratios)

    @property
    def cpu_ratio(self) -> float | None:
        """Constant-body CPU per request / the fake's (read like ``ratio``: 1.0 is as cheap),
        the median of the repetitions' pairs."""
        if not self.fake_cpu or len(self.fake_cpu) != len(self.const_cpu):
            return None
        return median([c / f for f, c in zip(self.fake_cpu, self.const_cpu, strict=True)])

    def measure(self, const: Server, script: Path, seconds: int, *, fake_first: bool) -> None:
        """One wrk run against the constant body of this row's size and one against the fake,
        in the order given (repetitions alternate it, so neither side always runs second)."""
        const_run = (const, f"{const.url}/const/{self.size}", None, self.const, self.const_cpu)
        fake_run = (self.server, self.server.url + "/", script, self.fake, self.fake_cpu)
        for server, url, lua, rps, cpus in (
            (fake_run, const_run) if fake_first else (const_run, fake_run)
        ):
            result, cpu = server.cpu_us_per_request(
                lambda: wrk(url, seconds=seconds, script=lua)  # noqa: B023 (called at once)
            )
            rps.append(result.rps)
            if cpu is not None:
                cpus.append(cpu)


def throughput(args: argparse.Namespace, tmp: Path) -> None:
    n = 10_000
    print(f"\n== 1. Throughput: wrk -t1 -c32 -d{args.seconds}s, {n:,} generated sessions ==")
    servers = [
        fake_server("fake", *generated(n), "--recorded", RECORDED),
        fake_server("fake --access-log", *generated(n), "--access-log", log=False),
        fake_server("fake, journal off", *generated(n), variant="--no-journal"),
        fake_server("fake, full page only", *generated(n)),
        fake_server("fake, uncached", *generated(n), variant="--uncached"),
        fake_server("fake, default scenario", "--scenario", "default"),
    ]
    fake, logged, unjournaled, journaled, uncached, default = servers
    const: Server | None = None
    try:
        q = find_queries(fake, 1000)
        print(f"newest page: {q.ongoing_on_first_page} ongoing sessions of 100")
        recording = Client(fake).json("/v1/recordings?limit=1")["data"][0]["id"]  # type: ignore[index]
        full = Row("limit=100 (full page)", fake, [q.full])
        logged_row = Row("full page, --access-log on", logged, [q.full])
        journal_row = Row("full page, journal off (patched)", unjournaled, [q.full])
        # the journal's baseline: a server that, like the patched one, serves only this row (the
        # server of the rows above has its caches full and every participant drawn by then)
        journaled_row = Row("full page, journal on (same server kind)", journaled, [q.full])
        uncached_row = Row("full page, uncached (pre-cache path)", uncached, [q.full])
        one = Row("GET /meetings/:id (one session)", fake, [q.one])
        one_room = Row("GET /rooms/:name (one room)", fake, [q.one_room])
        presence = Row("GET /presence (everyone present now)", fake, ["/v1/presence"])
        cursors = Row("1000 varied cursors, random", fake, q.cursors, shuffle=True)
        rows = [
            full,
            Row("no_participants=true", fake, [q.no_participants]),
            Row("room + timeframe", fake, [q.room_timeframe]),
            Row("deep starting_after", fake, [q.deep]),
            one,
            Row("GET /rooms (the rooms the sessions imply)", fake, ["/v1/rooms"]),
            one_room,
            presence,
            Row("GET /webhooks (none configured: [])", fake, ["/v1/webhooks"]),
            Row("GET / (the domain object)", fake, ["/v1/"]),
            Row(
                f"GET /recordings (full page; {RECORDED} of sessions recorded)",
                fake,
                ["/v1/recordings"],
            ),
            Row("GET /recordings/:id (one recording)", fake, [f"/v1/recordings/{recording}"]),
            Row("GET /transcript (none transcribed: an empty page)", fake, ["/v1/transcript"]),
            cursors,
            logged_row,
            journal_row,
            journaled_row,
            uncached_row,
            Row("default scenario, real clock", default, ["/v1/meetings?limit=100"]),
        ]
        for row in rows:
            row.size = mean_size(row.server, row.paths)
        const = Server(
            "constant",
            [
                sys.executable,
                str(HERE / "constant_server.py"),
                *sorted({str(r.size) for r in rows}),
            ],
        )
        for rep in range(args.runs):
            for i, row in enumerate(rows):
                script = mix_script(row.paths, tmp, f"row{i}", shuffle=row.shuffle)
                row.measure(const, script, args.seconds, fake_first=rep % 2 == 1)
            print(f"  repetition {rep + 1}/{args.runs} done", file=sys.stderr, flush=True)
        print(
            f"\n{'query':<38} {'body B':>8} {'fake req/s':>11} {'constant req/s':>15} "
            f"{'ratio':>6} {'CPU ratio':>9}   (range of the repetitions' ratios)"
        )
        for row in rows:
            cpu = f"{row.cpu_ratio:.2f}" if row.cpu_ratio is not None else "-"
            print(
                f"{row.name:<38} {row.size:>8,} {median(row.fake):>11,.0f} "
                f"{median(row.const):>15,.0f} {row.ratio:>6.2f} {cpu:>9}   "
                f"({spread(row.ratios, 2)})"
            )
        log_ratio = logged_row.ratio / full.ratio
        journal_share = 1 - journaled_row.ratio / journal_row.ratio
        speedup = full.ratio / uncached_row.ratio
        print(f"\naccess log on / off (same query): {log_ratio:.2f}")
        print(
            f"request journal: {journal_share:.0%} of full-page throughput "
            "(two servers that serve only the full page, journal on and off)"
        )
        print(f"render cache: full page {speedup:.1f}x the pre-cache path")
        judged = [(full, TARGET_THROUGHPUT), (one, TARGET_SMALL), (one_room, TARGET_SMALL)]
        judged += [(presence, TARGET_SMALL), (cursors, TARGET_CURSORS)]
        for row, target in judged:
            cpu = f"; CPU per request {row.cpu_ratio:.2f}" if row.cpu_ratio is not None else ""
            print(
                f"TARGET  {row.name} = {row.ratio:.2f} x constant body (>= {target:.2f}): "
                f"{verdict(row.ratio >= target)}{cpu}; repetitions {spread(row.ratios, 2)}"
            )
    finally:
        for s in [*servers, *([const] if const else [])]:
            s.stop()


def latency_and_memory(args: argparse.Namespace, tmp: Path) -> None:
    small_n, big_n = 10_000, args.big
    print(
        f"\n== 2. Latency: wrk -t1 -c1 -d{args.seconds}s --latency, {small_n:,} vs "
        f"{big_n:,} sessions =="
    )
    baseline = fake_server("fake, 1 session", *generated(1))
    small = fake_server("fake 10k", *generated(small_n))
    print(
        f"starting the {big_n:,}-session server (generation takes a while)...",
        file=sys.stderr,
        flush=True,
    )
    t0 = time.monotonic()
    big = fake_server("fake big", *generated(big_n))
    first = big.first_200()
    print(f"  listening after {time.monotonic() - t0:.1f} s")
    print(
        f"TARGET  serve --generate {big_n:,} to its first 200 = {first:.1f} s "
        f"(<= {TARGET_FIRST_200:.0f} s): {verdict(first <= TARGET_FIRST_200, big_n)}"
    )
    try:
        big_rss_idle = big.rss_bytes()
        qs = {small_n: find_queries(small, 2000), big_n: find_queries(big, 2000)}
        servers = {small_n: small, big_n: big}
        mixes = {
            n: {
                "mix": mix_script(q.mix, tmp, f"mix{n}", shuffle=False),
                "cold": mix_script(q.cursors, tmp, f"cold{n}", shuffle=True),
            }
            for n, q in qs.items()
        }
        p50: dict[tuple[int, str], list[float]] = {}
        p99: dict[tuple[int, str], list[float]] = {}
        for n in (small_n, big_n):  # warm-up, untimed: first renders, first page bodies
            wrk(servers[n].url + "/", seconds=1, connections=1, script=mixes[n]["mix"])
        for _ in range(args.runs):
            for kind in ("mix", "cold"):
                for n in (small_n, big_n):
                    r = wrk(
                        servers[n].url + "/",
                        seconds=args.seconds,
                        connections=1,
                        script=mixes[n][kind],
                        latency=True,
                    )
                    p50.setdefault((n, kind), []).append(r.p50_us or 0)
                    p99.setdefault((n, kind), []).append(r.p99_us or 0)
        labels = {
            "mix": "query mix (full, no_participants, room+timeframe, deep cursor)",
            "cold": "2000 random starting_after pages (mostly never seen before)",
        }
        ratios = {}
        for kind in ("mix", "cold"):
            a, b = median(p50[(small_n, kind)]), median(p50[(big_n, kind)])
            ratios[kind] = b / a
            print(
                f"{labels[kind]}\n  p50 {a:,.0f} us at {small_n:,}, {b:,.0f} us at {big_n:,}: "
                f"ratio {b / a:.2f}   (p99 {median(p99[(small_n, kind)]):,.0f} / "
                f"{median(p99[(big_n, kind)]):,.0f} us)"
            )
        print(
            f"TARGET  p50 of the query mix at {big_n:,} = {ratios['mix']:.2f} x at {small_n:,} "
            f"(<= {TARGET_LATENCY}): {verdict(ratios['mix'] <= TARGET_LATENCY, big_n)}"
        )

        print(f"\n== 3. Memory at {big_n:,} sessions ==")
        for n in (big_n,):  # fill the caches to their budgets: many distinct pages
            wrk(servers[n].url + "/", seconds=args.seconds, connections=8, script=mixes[n]["cold"])
        wrk(baseline.url + "/v1/meetings?limit=100", seconds=1)
        base_rss, big_rss = baseline.rss_bytes(), big.rss_bytes()
        per_session = (big_rss - base_rss) / big_n
        print(
            f"RSS: {big_rss / 2**20:,.0f} MiB after the load ({big_rss_idle / 2**20:,.0f} MiB "
            f"before it), one-session server {base_rss / 2**20:,.0f} MiB"
        )
        print(
            f"per session: {per_session:,.0f} B, of which the load (render caches, buffers) "
            f"added {(big_rss - big_rss_idle) / big_n:,.0f} B"
        )
        print(
            f"TARGET  {per_session:,.0f} B/session at {big_n:,} (<= {TARGET_BYTES:,}): "
            f"{verdict(per_session <= TARGET_BYTES, big_n)}"
        )
    finally:
        for s in (baseline, small, big):
            s.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each measure")
    parser.add_argument(
        "--seconds", type=int, default=2, help="duration of each wrk run, whole seconds (as wrk)"
    )
    parser.add_argument("--big", type=int, default=1_000_000, help="the large dataset's size")
    parser.add_argument("--quick", action="store_true", help="1 run of 2 s, 100k sessions")
    parser.add_argument(
        "--only", choices=["throughput", "latency"], help="run one section (latency has memory)"
    )
    args = parser.parse_args()
    if args.quick:
        args.runs, args.seconds, args.big = 1, 2, 100_000
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), brew install wrk")
    print(f"machine: {machine()}")
    print(f"runs: {args.runs} x {args.seconds:g} s per figure; each ratio: the median of the pairs")
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "throughput"):
            throughput(args, Path(tmp))
        if args.only in (None, "latency"):
            latency_and_memory(args, Path(tmp))


if __name__ == "__main__":
    main()
