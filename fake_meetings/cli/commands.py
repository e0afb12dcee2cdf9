"""What each sub-command does."""

from __future__ import annotations

import argparse
import asyncio
import errno
import gc
import logging
import signal
import socket
import sys
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

from aiohttp import web

from ..api.app import create_app
from ..api.runner import listen
from ..config import ServerConfig
from ..domain.dump import dump_scenario
from ..domain.generate import GenerateSpec, generate
from ..domain.model import Session
from ..domain.scenario import ScenarioError, load_file, merge
from ..loading import Loaded, load, resolve
from ..progress import LARGE, Progress
from .options import (
    ENV_PREFIX,
    UsageError,
    env,
    generate_spec,
    now_option,
    scenario_origin,
    scenario_specs,
    server_config,
)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def cmd_serve(args: argparse.Namespace) -> int:
    config = server_config(args)
    now = now_option(args)
    count = args.generate if args.generate is not None else env("GENERATE")
    if count is not None and not str(count).isdigit():
        raise UsageError(f"--generate {count!r}: expected a whole number of sessions")
    spec = generate_spec(args, int(count), now) if count else None
    origin = scenario_origin(args)
    loaded = load(scenario_specs(args), now=now, generate=spec, origin=origin, report=True)
    if config.access_log:
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    app = create_app(loaded.world(), config)
    # The loaded sessions live as long as the process and hold no cycles: move them out of the
    # cyclic GC's sight, so a full collection never walks a million sessions mid-request.
    with Progress("freezing the sessions for the garbage collector", enabled=True):
        gc.collect()
        gc.freeze()
    try:
        asyncio.run(_serve(app, config, _summary(loaded, config)))
    except OSError as exc:
        raise UsageError(_listen_error(exc, args, config)) from None
    return 0


def _listen_error(exc: OSError, args: argparse.Namespace, config: ServerConfig) -> str:
    """Why the server cannot listen, naming the option to change (--host or --port)."""
    host_option = "--host" if args.host else f"{ENV_PREFIX}HOST"
    port_option = "--port" if args.port is not None else f"{ENV_PREFIX}PORT"
    where = f"cannot listen on {config.host}:{config.port}"
    reason = exc.strerror or str(exc)
    if isinstance(exc, socket.gaierror):
        return (
            f"{where}: {host_option} {config.host!r} is not an address or a host name that "
            f"resolves ({reason}); change {host_option}: 127.0.0.1 (this machine only), 0.0.0.0 "
            "(every interface) or one of this machine's addresses"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"{where}: {config.host} is not an address of this machine; change {host_option}: "
            "127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its addresses"
        )
    if exc.errno == errno.EADDRINUSE:
        return (
            f"{where}: port {config.port} is already in use; pick another {port_option} "
            "(0 picks a free one)"
        )
    if exc.errno == errno.EACCES:
        return (
            f"{where}: permission denied (ports below 1024 need privileges); pick another "
            f"{port_option} (0 picks a free one)"
        )
    return f"{where}: {reason}; check {host_option} and {port_option}"


def _summary(loaded: Loaded, config: ServerConfig) -> str:
    rooms = len({s.room for s in loaded.sessions})
    clock = f"frozen at {loaded.now}" if loaded.now is not None else "real time"
    auth = "off" if not config.auth else ("exact key" if config.api_key else "any Bearer key")
    admin = "off" if not config.admin else ("token" if config.admin_token else "on")
    extra = "; namespaces per key" * config.namespaces + "; rate limit" * config.rate_limit
    return (
        f"serving {len(loaded.sessions)} sessions in {rooms} room{'s' * (rooms != 1)} "
        f"from {', '.join(loaded.sources)} (clock: {clock}; auth: {auth}; "
        f"control plane /_fake/: {admin}{extra})"
    )


async def _serve(app: web.Application, config: ServerConfig, summary: str) -> None:
    access = logging.getLogger("aiohttp.access") if config.access_log else None
    runner = await listen(app, access_log=access)
    try:
        port = runner.addresses[0][1]
        print(f"fake-meetings listening on http://{config.host}:{port}", flush=True)
        print(summary, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def stop_gracefully() -> None:  # requests still running get Runner's SHUTDOWN_TIMEOUT
            stop.set()
            for sig in STOP_SIGNALS:  # a second signal stops the process at once
                loop.remove_signal_handler(sig)
                signal.signal(sig, signal.SIG_DFL)

        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, stop_gracefully)
        await stop.wait()
    finally:
        await runner.cleanup()


def cmd_validate(args: argparse.Namespace) -> int:
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
    if not failed and len(scenarios) > 1:
        try:
            sessions, _ = merge(scenarios)
            print(f"ok: the {len(scenarios)} files merge ({len(sessions)} sessions)")
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            failed = True
    return 1 if failed else 0


def cmd_generate(args: argparse.Namespace) -> int:
    now = now_option(args)
    now = now if now is not None else int(time.time())
    spec = generate_spec(args, args.count, now)
    loud = spec.sessions >= LARGE
    with Progress("generating sessions", total=spec.sessions, loud=loud) as progress:
        sessions = generate(spec, now, progress.update)
    header = _generate_header(spec, now)
    if args.output is None:
        with Progress("writing to stdout", total=len(sessions), loud=loud) as progress:
            dump_scenario(_counted(sessions, progress), sys.stdout, now=now, header=header)
        return 0
    path = Path(args.output)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with (
            tmp.open("w", encoding="utf-8") as out,
            Progress(f"writing {path}", total=len(sessions), loud=loud) as progress,
        ):
            dump_scenario(_counted(sessions, progress), out, now=now, header=header)
        tmp.replace(path)  # never leave a half-written scenario behind
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {len(sessions):,} sessions to {path}", file=sys.stderr)
    return 0


def _generate_header(spec: GenerateSpec, now: int) -> str:
    """The scenario file's header: the command that writes these very bytes again."""
    assert spec.start is not None
    days = (now - spec.start) // 86400
    ahead = f" --ahead {spec.ahead}" * (spec.ahead > 0)
    command = (
        f"fake-meetings generate {spec.sessions} --seed {spec.seed} --rooms {spec.rooms} "
        f"--days {days}{ahead} --locale {spec.locale} --tz {spec.tz} --now {now}"
    )
    return (
        f"Generated by `{command}`\n"
        f"(names from Faker {version('faker')}): that command, with the same Faker, writes this "
        "file again byte for byte.\n"
        "`now:` freezes the clock at that instant; delete it to let ongoing sessions grow."
    )


def _counted(sessions: list[Session], progress: Progress) -> Iterator[Session]:
    for i, session in enumerate(sessions, 1):
        if i % 10_000 == 0:
            progress.update(i)
        yield session
