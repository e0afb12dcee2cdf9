"""The command line: ``fake-meetings serve | validate | generate | capture | verify``, one module
per command (``serve.py``, ``validate.py``, ``generate.py``, ``capture.py``, ``verify.py``: its
sub-parser and what it does); the options of ``serve`` and of the generator, each declared
once with its environment variable and default (``declare.py``), in ``options.py``,
``control_options.py``, ``generate_options.py`` and ``webhook_options.py``."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Protocol

from .. import __version__
from ..scenario.scenario import ScenarioError
from . import capture, generate, serve, validate, verify
from .atomic import Terminated
from .options import UsageError


class Command(Protocol):
    """A command's module."""

    def add_parser(self, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...
    def run(self, args: argparse.Namespace) -> int: ...


COMMANDS: dict[str, Command] = {
    "serve": serve,
    "validate": validate,
    "generate": generate,
    "capture": capture,
    "verify": verify,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fake-meetings",
        description=(
            "A local, deterministic fake of Daily's REST API for integration tests: meetings, "
            "rooms, meeting tokens, presence, webhooks, recordings and transcripts, with a "
            "control plane (/_fake/) to drive it, a command that captures a real account as a "
            "scenario and one that verifies the fake against that account."
        ),
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS.values():
        command.add_parser(sub)
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """``parser.parse_args``, with a "did you mean" for an unknown option (exits 2)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = _subparsers(parser)
    for word in argv:  # before the command: only the top level's own options
        if word in commands or word == "--":
            break
        if word.startswith("-") and word.split("=", 1)[0] not in parser._option_string_actions:
            parser.error(_unrecognized([word], parser._option_string_actions))
    argv = _attach_negative_values(argv, commands)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        sub = commands.get(args.command, parser)
        sub.error(_unrecognized(unknown, sub._option_string_actions))
    return args


NEGATIVE = re.compile(r"-\d")  # a value such as -30d or -2h, never an option's name


def _attach_negative_values(
    argv: list[str], commands: dict[str, argparse.ArgumentParser]
) -> list[str]:
    """``--since -30d`` as ``--since=-30d``: argparse reads a word starting with ``-`` as an
    option (unless it is a plain negative number), so a relative time would be refused with
    "expected one argument"; an option taking one value gets it attached instead."""
    sub = next((commands[w] for w in argv if w in commands), None)
    if sub is None:
        return argv
    out: list[str] = []
    for word in argv:
        previous = out[-1] if out else ""
        action = sub._option_string_actions.get(previous)
        if action is not None and action.nargs is None and NEGATIVE.match(word):
            out[-1] = f"{previous}={word}"
            continue
        out.append(word)
    return out


def _unrecognized(words: list[str], options: Iterable[str]) -> str:
    message = f"unrecognized arguments: {' '.join(words)}"
    for word in words:
        flag = word.split("=", 1)[0]
        close = difflib.get_close_matches(flag, list(options), n=1, cutoff=0.75)
        if flag.startswith("-") and close:
            message += f"; {flag}: did you mean {close[0]}?"
    return message


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(build_parser(), argv)
    try:
        return COMMANDS[args.command].run(args)
    except UsageError as exc:
        print(f"fake-meetings: {exc}", file=sys.stderr)
        return 2
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:  # SIGTERM too, where a command handles it (atomic.py)
        return 143 if isinstance(exc, Terminated) else 130
    except BrokenPipeError:  # e.g. `fake-meetings generate 1000 | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
