"""Scenario load benchmark: sessions per second for a generated file, YAML and JSON.

    python bench/load_bench.py                  # 100,000 sessions, 3 runs each, best of
    python bench/load_bench.py --sessions 10000 --runs 5

The YAML file is what ``fake-meetings generate`` writes (``scenario/dump.py``); the JSON file holds
the same data (``now``, and each session with its derived fields and participants), written with
orjson. Each figure is ``load_file`` (read, parse, validate, build the sessions) in this process,
best of the runs, against its targets (YAML >= 20,000 sessions/s, JSON >= 100,000);
the same with CPU seconds of this process (the figure a busy, shared machine disturbs least).
Also timed: a file with one mistake in its last session (the error path re-reads the file to
name the line), which is allowed to be slower.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from fake_meetings.domain.generate import GenerateSpec, generate
from fake_meetings.domain.model import Session
from fake_meetings.scenario.dump import dump_scenario, session_data
from fake_meetings.scenario.scenario import ScenarioError, load_file

NOW = 1717243200
TARGETS = {"yaml": 20_000.0, "json": 100_000.0}


def as_data(sessions: list[Session], now: int) -> dict[str, Any]:
    """The scenario as JSON data, the fields ``dump_scenario`` writes."""
    return {"now": now, "sessions": [session_data(s, now) for s in sessions]}


def write_files(n: int, folder: Path) -> tuple[Path, Path]:
    sessions = generate(GenerateSpec(sessions=n, seed=1), NOW)
    yaml_path, json_path = folder / "scenario.yaml", folder / "scenario.json"
    with yaml_path.open("w", encoding="utf-8") as out:
        dump_scenario(sessions, out, now=NOW)
    json_path.write_bytes(orjson.dumps(as_data(sessions, NOW), option=orjson.OPT_INDENT_2))
    return yaml_path, json_path


def best_seconds(path: Path, runs: int, *, broken: bool = False) -> tuple[float, float]:
    """The best wall-clock and the best CPU seconds of ``runs`` loads of ``path``."""
    best = cpu = float("inf")
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            load_file(path)
        except ScenarioError:
            if not broken:
                raise
        else:
            if broken:
                raise AssertionError(f"{path} should not load")
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return best, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    n = args.sessions
    with tempfile.TemporaryDirectory() as tmp:
        yaml_path, json_path = write_files(n, Path(tmp))
        broken = Path(tmp) / "broken.yaml"
        text = yaml_path.read_text(encoding="utf-8")
        cut = text.rindex("    start_time: ")
        broken.write_text(text[:cut] + "    start_time: nonsense" + text[text.index("\n", cut) :])
        print(f"{n:,} sessions: YAML {yaml_path.stat().st_size / 1e6:.1f} MB, "
              f"JSON {json_path.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        print(
            f"{'file':>6} {'seconds':>8} {'sessions/s':>11} {'target':>8} {'ratio':>6} "
            f"{'CPU s':>6} {'CPU ratio':>10}"
        )
        for kind, path in (("yaml", yaml_path), ("json", json_path)):
            seconds, cpu = best_seconds(path, args.runs)
            rate, target = n / seconds, TARGETS[kind]
            print(
                f"{kind:>6} {seconds:8.2f} {rate:11,.0f} {target:8,.0f} {rate / target:6.2f} "
                f"{cpu:6.2f} {n / cpu / target:10.2f}"
            )
        seconds, cpu = best_seconds(broken, 1, broken=True)
        print(f"{'error':>6} {seconds:8.2f} {n / seconds:11,.0f}   (one mistake, last session)")


if __name__ == "__main__":
    main()
