"""``fake-meetings verify``: capture an account (or take a capture of it), serve the capture
in this process frozen at its instant, ask both the same read-only questions, and report every
difference in their answers, classified (``verify_run.py``, ``fake_meetings/verify/``)."""

from __future__ import annotations

import argparse

from .verify_options import add_options


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "verify",
        help="ask a Daily account and the fake serving its capture the same questions, and "
        "show every difference",
        description="Capture a Daily account (or take --scenario, a capture of it), serve the "
        "capture in this process frozen at its instant, send both the same read-only GETs "
        "(every /meetings filter, limits, cursors, sessions, participants, rooms, presence, "
        "the domain, error answers) and classify each difference in the answers: fake (the "
        "fake answers otherwise than the account), drift (the account's data changed since "
        "the capture), time (ongoing durations) or ignored (--ignore). Exit status 0 without "
        "a fake difference, 1 with one, 2 on a usage or connection error.",
        epilog="Example: DAILY_API_KEY=... fake-meetings verify --report verify.json",
    )
    add_options(parser)


def run(args: argparse.Namespace) -> int:
    from .verify_run import run as run_verify  # the server and the comparison: on first use

    return run_verify(args)
