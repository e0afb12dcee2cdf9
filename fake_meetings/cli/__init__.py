"""The command line: ``fake-meetings serve | validate | generate``."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterable, Sequence

from .. import __version__
from ..domain.scenario import ScenarioError
from ..loading import bundled_names
from .commands import cmd_generate, cmd_serve, cmd_validate
from .options import ENV_PREFIX, UsageError, add_control_options, add_generate_options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fake-meetings",
        description="A local fake of Daily's meeting-analytics REST API (/v1/meetings).",
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser(
        "serve",
        help="serve scenarios over HTTP",
        description="Serve meeting sessions over HTTP, like https://api.daily.co/v1. Every option "
        f"can also be set by an environment variable ({ENV_PREFIX}HOST, ...); a flag wins.",
        epilog="bundled scenarios: " + ", ".join(bundled_names()),
    )
    p = serve.add_argument
    p(
        "--scenario",
        action="append",
        metavar="FILE|NAME",
        help="a scenario file, or a bundled scenario's name; repeat to merge several (default: "
        f"the bundled 'default'). Env {ENV_PREFIX}SCENARIO, several separated by ':'",
    )
    p("--host", help=f"address to bind (default 127.0.0.1; env {ENV_PREFIX}HOST)")
    p("--port", help=f"port, 0 for any free one (default 8080; env {ENV_PREFIX}PORT)")
    auth = serve.add_mutually_exclusive_group()
    auth.add_argument(
        "--api-key",
        metavar="KEY",
        help="accept only this Bearer key; others get "
        f"401 (default: any non-empty key; env {ENV_PREFIX}API_KEY)",
    )
    auth.add_argument(
        "--no-auth",
        action="store_true",
        default=None,
        help=f"no Authorization header needed (env {ENV_PREFIX}NO_AUTH=1)",
    )
    p(
        "--now",
        metavar="T",
        help="freeze the clock at T (unix seconds or ISO 8601); beats a "
        f"scenario's now: (env {ENV_PREFIX}NOW)",
    )
    p(
        "--strict-limit",
        action="store_true",
        default=None,
        help="answer limit > 100 with a 400 "
        f"instead of clamping it to 100 (env {ENV_PREFIX}STRICT_LIMIT=1)",
    )
    p(
        "--unknown-cursor",
        choices=("error", "empty"),
        help="a cursor naming no record: 400 "
        f"(error, the default) or an empty page (env {ENV_PREFIX}UNKNOWN_CURSOR)",
    )
    p(
        "--access-log",
        action="store_true",
        default=None,
        help=f"log every request to stderr (env {ENV_PREFIX}ACCESS_LOG=1)",
    )
    p(
        "--generate",
        metavar="N",
        help="also serve N generated sessions (alone: instead of the "
        f"default scenario; env {ENV_PREFIX}GENERATE)",
    )
    add_generate_options(serve)
    add_control_options(serve)

    validate = sub.add_parser(
        "validate",
        help="check scenario files without serving",
        description="Check scenario files (and that they merge); exit 1 on any problem.",
    )
    validate.add_argument("scenarios", nargs="+", metavar="FILE|NAME")

    generate = sub.add_parser(
        "generate",
        help="write generated sessions as a scenario file",
        description="Generate realistic sessions and write them as a scenario file (loadable "
        "again with identical responses: the file freezes the clock at the generation instant).",
    )
    generate.add_argument("count", type=int, metavar="N", help="how many sessions")
    generate.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    generate.add_argument("--now", metavar="T", help="generate as of T (default: now)")
    add_generate_options(generate)
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
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        sub = commands.get(args.command, parser)
        sub.error(_unrecognized(unknown, sub._option_string_actions))
    return args


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
    commands = {"serve": cmd_serve, "validate": cmd_validate, "generate": cmd_generate}
    try:
        return commands[args.command](args)
    except UsageError as exc:
        print(f"fake-meetings: {exc}", file=sys.stderr)
        return 2
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `fake-meetings generate 1000 | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
