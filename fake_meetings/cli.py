"""The command line: ``fake-meetings serve | validate``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence

from aiohttp import web

from . import __version__
from .api.app import create_app
from .config import ServerConfig
from .domain.scenario import ScenarioError, load_file, merge
from .domain.times import parse_instant
from .loading import bundled_names, load, resolve

ENV_PREFIX = "FAKE_MEETINGS_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class UsageError(Exception):
    pass


def _env(name: str) -> str | None:
    return os.environ.get(ENV_PREFIX + name)


def _env_flag(name: str) -> bool:
    raw = _env(name)
    if raw is None or raw.strip().lower() in _FALSE:
        return False
    if raw.strip().lower() in _TRUE:
        return True
    raise UsageError(f"{ENV_PREFIX}{name}={raw!r}: expected one of 1/true/yes/on or 0/false/no/off")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fake-meetings",
        description="A local fake of Daily's meeting-analytics REST API (/v1/meetings).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser(
        "serve",
        help="serve scenarios over HTTP",
        description="Serve meeting sessions over HTTP, like https://api.daily.co/v1. Every option "
        f"can also be set by an environment variable ({ENV_PREFIX}HOST, ...); a flag wins.",
        epilog="bundled scenarios: " + ", ".join(bundled_names()),
    )
    serve.add_argument(
        "--scenario",
        action="append",
        metavar="FILE|NAME",
        help="a scenario file, or a bundled scenario's name; repeat to merge several "
        f"(default: the bundled 'default'). Env {ENV_PREFIX}SCENARIO, separated by "
        f"'{os.pathsep}'",
    )
    serve.add_argument("--host", help=f"address to bind (default 127.0.0.1; env {ENV_PREFIX}HOST)")
    serve.add_argument(
        "--port",
        type=int,
        help=f"port to listen on, 0 for any free one (default 8080; env {ENV_PREFIX}PORT)",
    )
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
        help=f"do not require an Authorization header (env {ENV_PREFIX}NO_AUTH=1)",
    )
    serve.add_argument(
        "--now",
        metavar="T",
        help="freeze the clock at T (unix seconds or ISO "
        f"8601); beats a scenario's now: (env {ENV_PREFIX}NOW)",
    )
    serve.add_argument(
        "--strict-limit",
        action="store_true",
        default=None,
        help="answer limit > 100 with a 400 instead of clamping it to 100 "
        f"(env {ENV_PREFIX}STRICT_LIMIT=1)",
    )
    serve.add_argument(
        "--unknown-cursor",
        choices=("error", "empty"),
        help="a cursor naming no record: 400 (error, default) or an empty page "
        f"(env {ENV_PREFIX}UNKNOWN_CURSOR)",
    )
    serve.add_argument(
        "--access-log",
        action="store_true",
        default=None,
        help=f"log every request to stderr (env {ENV_PREFIX}ACCESS_LOG=1)",
    )

    validate = sub.add_parser(
        "validate",
        help="check scenario files without serving",
        description="Check scenario files (and that they merge) and exit non-zero on any problem.",
    )
    validate.add_argument("scenarios", nargs="+", metavar="FILE|NAME")
    return parser


def server_config(args: argparse.Namespace) -> tuple[ServerConfig, list[str], int | None]:
    """Options from flags, else from FAKE_MEETINGS_* variables, else the defaults."""
    host = args.host or _env("HOST") or "127.0.0.1"
    port_text = str(args.port) if args.port is not None else (_env("PORT") or "8080")
    if not port_text.isdigit() or int(port_text) > 65535:
        raise UsageError(f"port {port_text!r}: expected a number from 0 to 65535")
    if args.api_key is not None or args.no_auth:
        api_key, no_auth = args.api_key, bool(args.no_auth)
    else:
        api_key, no_auth = _env("API_KEY") or None, _env_flag("NO_AUTH")
        if api_key and no_auth:
            raise UsageError(
                f"{ENV_PREFIX}API_KEY and {ENV_PREFIX}NO_AUTH contradict each other; unset one"
            )
    unknown_cursor = args.unknown_cursor or _env("UNKNOWN_CURSOR") or "error"
    if unknown_cursor not in ("error", "empty"):
        raise UsageError(f"{ENV_PREFIX}UNKNOWN_CURSOR={unknown_cursor!r}: expected error or empty")
    now_text = args.now if args.now is not None else _env("NOW")
    try:
        now = parse_instant(now_text) if now_text else None
    except ValueError as exc:
        raise UsageError(f"--now: {exc}") from None
    scenarios = args.scenario or [s for s in (_env("SCENARIO") or "").split(os.pathsep) if s]
    config = ServerConfig(
        host=host,
        port=int(port_text),
        auth=not no_auth,
        api_key=api_key,
        strict_limit=bool(args.strict_limit) or _env_flag("STRICT_LIMIT"),
        unknown_cursor="empty" if unknown_cursor == "empty" else "error",
        access_log=bool(args.access_log) or _env_flag("ACCESS_LOG"),
    )
    return config, scenarios, now


async def _serve(app: web.Application, config: ServerConfig, summary: str) -> None:
    runner = web.AppRunner(
        app, access_log=logging.getLogger("aiohttp.access") if config.access_log else None
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, config.host, config.port)
        await site.start()
        port = runner.addresses[0][1]
        print(f"fake-meetings listening on http://{config.host}:{port}", flush=True)
        print(summary, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()


def cmd_serve(args: argparse.Namespace) -> int:
    config, scenarios, now = server_config(args)
    loaded = load(scenarios, now=now)
    world = loaded.world()
    clock = f"frozen at {loaded.now}" if loaded.now is not None else "real time"
    auth = "off" if not config.auth else ("exact key" if config.api_key else "any Bearer key")
    rooms = len(world.store.rooms)
    summary = (
        f"serving {len(world.store)} sessions in {rooms} room{'s' * (rooms != 1)} from "
        f"{', '.join(str(p) for p in loaded.sources)} (clock: {clock}; auth: {auth})"
    )
    if config.access_log:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        asyncio.run(_serve(create_app(world, config), config, summary))
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}; "
            "pick another --port (0 picks a free one)"
        ) from None
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    failed, scenarios = False, []
    for spec in args.scenarios:
        try:
            scenario = load_file(resolve(spec), wall_now=0)
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            failed = True
            continue
        scenarios.append(scenario)
        print(f"ok: {scenario.source} ({len(scenario.sessions)} sessions)")
    if not failed and len(scenarios) > 1:
        try:
            sessions, _ = merge(scenarios)
            print(f"ok: the {len(scenarios)} files merge ({len(sessions)} sessions)")
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            failed = True
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "serve":
            return cmd_serve(args)
        return cmd_validate(args)
    except (UsageError, ScenarioError) as exc:
        print(f"fake-meetings: {exc}" if isinstance(exc, UsageError) else exc, file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
