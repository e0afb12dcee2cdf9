"""``make bench``: run every benchmark step and write its figures into docs/performance.md.

    python bench/report.py                       # every step (about 10 minutes); writes the page
    python bench/report.py --quick               # smoke run (about 2 minutes); writes nothing
    python bench/report.py --quick --write       # a smoke run whose figures replace the page's
    python bench/report.py --only startup load   # those steps (the other blocks stay as they are)
    python bench/report.py --list                # the steps, in order

Each step is one benchmark script, with the arguments ``make bench`` always gave it. What it
prints is echoed as it comes (its progress lines go to stderr: to the terminal, never to the
page); once the step has exited 0, the page's block between ``<!-- bench: NAME -->`` and
``<!-- /bench: NAME -->`` becomes a line naming the command, the date, the machine (CPU model,
cores) and the Python version, then the step's output in a fenced block. The page is written
after each step, through a new temporary file beside it renamed over it, so it is always either
the old page or the new one, and the figures of the steps that finished are kept if a later
one fails or the run is interrupted.

A step that fails leaves its block as it was, and the run says so; the exit status is then 1.
Without wrk (``apt-get install -y wrk``, ``brew install wrk``) the steps that need it do not
start; without valgrind, ``instructions`` is skipped (its block kept). Only the latest figures
are kept: a block is replaced, never appended to.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fake_meetings.cli.atomic import replacing
from fake_meetings.cli.options import UsageError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAGE = ROOT / "docs" / "performance.md"
MARKER = re.compile(r"<!-- (?P<end>/?)bench: (?P<name>[\w-]+) -->")


@dataclass(frozen=True)
class Step:
    name: str
    script: str  # in bench/
    quick: tuple[str, ...] = ()  # the script's arguments in a --quick run
    needs: tuple[str, ...] = ()  # programs it runs: missing, the run does not start
    optional: tuple[str, ...] = ()  # programs it runs: missing, the step is skipped

    def argv(self, quick: bool) -> list[str]:
        return [self.script, *(self.quick if quick else ())]


# The steps of `make bench`, in the order they run.
STEPS = (
    Step("startup", "startup_bench.py"),
    Step("http", "http_bench.py", ("--quick",), ("wrk",)),
    Step("namespaces", "namespace_memory.py", ("--quick",)),
    Step("timeline", "timeline_bench.py", ("--quick",)),
    Step("webhooks", "webhooks_bench.py", ("--quick",), ("wrk",)),
    Step("routes-scale", "routes_scale_bench.py", ("--quick",)),
    Step("rooms-scale", "scale_bench.py", ("--quick",)),
    Step("recordings", "recordings_bench.py", ("--quick",)),
    Step("capture", "capture_bench.py"),
    Step("load", "load_bench.py", ("--sessions", "20000", "--runs", "1")),
    Step("instructions", "instructions_bench.py", ("--requests", "100"), ("wrk",), ("valgrind",)),
)


class BlockError(ValueError):
    """The page has no block of that name, more than one, or a broken one."""


def block_names(text: str) -> list[str]:
    """The names of the page's blocks, in order (each checked to open once and close once)."""
    names = [m["name"] for m in MARKER.finditer(text) if not m["end"]]
    for name in names:
        _span(text, name)
    return names


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with what lies between the markers of block ``name`` replaced by ``body``; the
    markers, and everything outside them, are kept as they are."""
    if MARKER.search(body):
        raise BlockError(f"the new content of block {name!r} holds a bench marker")
    start, end = _span(text, name)
    content = body.strip("\n")
    return f"{text[:start]}\n\n{content}\n\n{text[end:]}"


def _span(text: str, name: str) -> tuple[int, int]:
    """Where block ``name``'s content starts (after its opening marker) and ends (at its closing
    marker)."""
    opening = [m for m in MARKER.finditer(text) if m["name"] == name and not m["end"]]
    closing = [m for m in MARKER.finditer(text) if m["name"] == name and m["end"]]
    if len(opening) != 1 or len(closing) != 1:
        raise BlockError(
            f"block {name!r}: {len(opening)} opening and {len(closing)} closing markers "
            "(expected one of each)"
        )
    start, end = opening[0].end(), closing[0].start()
    if end < start:
        raise BlockError(f"block {name!r} closes before it opens")
    inner = [m.group() for m in MARKER.finditer(text, start, end)]
    if inner:
        raise BlockError(f"block {name!r} holds other markers: {', '.join(inner)}")
    return start, end


def block_body(command: str, output: str, run: str) -> str:
    """A block's new content: the command and ``run`` (its date, machine and Python), then the
    command's output, fenced."""
    lines = output.strip("\n")
    fence = "```"
    while fence in lines:  # never closed early by the output itself
        fence += "`"
    return f"`{command}`, {run}:\n\n{fence}text\n{lines}\n{fence}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if sys.platform == "darwin":
        ran = subprocess.run(
            ["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True
        )
        if ran.returncode == 0 and ran.stdout.strip():
            return ran.stdout.strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def stamp(now: datetime.datetime | None = None) -> str:
    """The date, the machine and the Python version of this run."""
    now = now or datetime.datetime.now(datetime.UTC)
    return (
        f"{now:%Y-%m-%d %H:%M} UTC, {cpu_model()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def write_page(page: Path, name: str, body: str) -> None:
    """Replace block ``name`` of ``page``, read afresh, through a temporary file and a rename."""
    text = replace_block(page.read_text(encoding="utf-8"), name, body)
    with replacing(page) as out:
        out.write(text)


def writes(quick: bool, write: bool | None) -> bool:
    """Whether a run writes the page: as ``--write`` / ``--no-write`` say, else unless quick."""
    return (not quick) if write is None else write


def run_step(step: Step, quick: bool) -> tuple[int, str]:
    """Run the step's script, echoing its output as it comes; its exit status and stdout."""
    argv = [sys.executable, "-u", str(HERE / step.script), *step.argv(quick)[1:]]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdout is not None
    lines = []
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
        return proc.wait(), "".join(lines)
    except BaseException:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the smoke run (writes nothing)")
    parser.add_argument(
        "--write",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write the figures into the page (default: yes, but no with --quick)",
    )
    names = [s.name for s in STEPS]
    parser.add_argument("--only", nargs="+", choices=names, metavar="STEP", help="these steps")
    parser.add_argument("--page", type=Path, default=PAGE, help="the page to write (%(default)s)")
    parser.add_argument("--list", action="store_true", help="list the steps and exit")
    args = parser.parse_args(argv)
    if args.list:
        for step in STEPS:
            print(f"{step.name:<13} bench/{step.script}")
        return 0
    write = writes(args.quick, args.write)
    steps = [s for s in STEPS if args.only is None or s.name in args.only]
    absent = sorted({tool for s in steps for tool in s.needs if shutil.which(tool) is None})
    if absent:
        parser.error(
            f"{', '.join(absent)} not installed: apt-get install -y {' '.join(absent)} "
            f"(Debian/Ubuntu) or brew install {' '.join(absent)} (macOS)"
        )
    if write:
        try:
            present = block_names(args.page.read_text(encoding="utf-8"))
            missing = [s.name for s in steps if s.name not in present]
        except (OSError, BlockError) as exc:
            parser.error(f"cannot use {args.page}: {exc}")
        if missing:
            parser.error(f"{args.page} has no block for {', '.join(missing)}")
        print(f"the figures of each step go into {args.page} as it finishes")
    else:
        print("this run writes nothing (--quick without --write, or --no-write)")
    written: list[str] = []
    kept: list[str] = []
    failed: list[str] = []
    started = time.monotonic()
    for i, step in enumerate(steps, 1):
        command = " ".join(["python", f"bench/{step.script}", *step.argv(args.quick)[1:]])
        print(f"\n[{i}/{len(steps)}] {step.name}: {command}", flush=True)
        absent = [tool for tool in step.optional if shutil.which(tool) is None]
        if absent:
            print(
                f"{step.name}: skipped, {' and '.join(absent)} not installed "
                f"(apt-get install -y {' '.join(absent)}); its block keeps its previous figures",
                flush=True,
            )
            kept.append(step.name)
            continue
        t0 = time.monotonic()
        status, output = run_step(step, args.quick)
        took = time.monotonic() - t0
        if status != 0:
            print(
                f"{step.name}: FAILED (exit status {status}) after {took:.0f} s; its block "
                "keeps its previous figures",
                flush=True,
            )
            failed.append(step.name)
            continue
        print(f"{step.name}: done in {took:.0f} s", flush=True)
        if write:
            try:
                write_page(args.page, step.name, block_body(command, output, stamp()))
            except (OSError, BlockError, UsageError) as exc:
                print(f"{step.name}: not written to {args.page}: {exc}", flush=True)
                failed.append(step.name)
                continue
            written.append(step.name)
    minutes = (time.monotonic() - started) / 60
    print(f"\nbench: {len(steps)} step{'s' if len(steps) != 1 else ''} in {minutes:.1f} minutes")
    if write:
        print(f"  written to {args.page}: {', '.join(written) or 'none'}")
    if kept:
        print(f"  skipped (blocks unchanged): {', '.join(kept)}")
    if failed:
        print(f"  FAILED (blocks unchanged): {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nbench: interrupted (the steps that finished are written)", file=sys.stderr)
        sys.exit(130)
