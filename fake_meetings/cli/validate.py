"""``fake-meetings validate``: check scenario files, and that they merge as ``serve`` merges
them (sessions, `now:`, rooms, webhook, domain: ``merge.merge_all``), without serving."""

from __future__ import annotations

import argparse
import sys
import time

from ..scenario.loading import resolve
from ..scenario.merge import merge_all
from ..scenario.scenario import ScenarioError, load_file


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "validate",
        help="check scenario files without serving",
        description="Check scenario files (and that they merge); exit 1 on any problem. "
        "Stays /meetings will never show (shorter than min_stay: Daily's ten-second rule) are "
        "warnings, with file and line.",
    )
    parser.add_argument("scenarios", nargs="+", metavar="FILE|NAME")


def run(args: argparse.Namespace) -> int:
    failed, scenarios = False, []
    for spec in args.scenarios:
        try:
            scenario = load_file(resolve(spec), wall_now=int(time.time()))
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            failed = True
            continue
        scenarios.append(scenario)
        print(f"ok: {scenario.source} ({len(scenario.sessions)} sessions)")
        for note in scenario.notes:  # stays /meetings will never show: worth knowing, not wrong
            print(f"warning: {note}", file=sys.stderr)
    if not failed and len(scenarios) > 1:
        try:
            merged = merge_all(scenarios)
            print(f"ok: the {len(scenarios)} files merge ({len(merged.sessions)} sessions)")
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            failed = True
    return 1 if failed else 0
