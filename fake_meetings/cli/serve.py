"""``fake-meetings serve``: load the scenarios, then serve them over HTTP until a signal."""

from __future__ import annotations

import argparse
import asyncio
import errno
import gc
import logging
import signal
import socket
import sys
from dataclasses import replace

from aiohttp import web

from ..api.app import create_app
from ..api.runner import listen
from ..config import ServerConfig
from ..scenario.bundled import bundled_names
from ..scenario.loading import Loaded, load
from .control_options import CONTROL, add_control_options
from .declare import UsageError
from .generate_options import SHAPE, add_generate_options, generate_spec
from .options import (
    GENERATE,
    HOST,
    PORT,
    SERVING,
    add_serving_options,
    now_option,
    scenario_origin,
    scenario_specs,
    server_config,
)
from .webhook_options import WEBHOOK, add_webhook_options, shown_url, webhook_settings

# Every option of serve, in declare.py's form: the reference pages' tables of options are
# generated from these.
DECLARED = (*SERVING, *SHAPE, *CONTROL, *WEBHOOK)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "serve",
        help="serve scenarios over HTTP",
        description="Serve meeting sessions over HTTP, like https://api.daily.co/v1. Every option "
        f"can also be set by an environment variable ({HOST.variable}, ...); a flag wins.",
        epilog="bundled scenarios: " + ", ".join(bundled_names()),
    )
    add_serving_options(parser)
    add_generate_options(parser)
    add_control_options(parser)
    add_webhook_options(parser)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def run(args: argparse.Namespace) -> int:
    config = replace(server_config(args), webhooks=webhook_settings(args))
    now = now_option(args)
    count = GENERATE.text(args)
    if count is not None and not count.isdigit():
        raise UsageError(f"--generate {count!r}: expected a whole number of sessions")
    spec = generate_spec(args, int(count), now, GENERATE.source(args)) if count else None
    origin = scenario_origin(args)
    gc.collect()  # see gc.freeze() below
    loaded = load(scenario_specs(args), now=now, generate=spec, origin=origin, report=True)
    if config.webhooks.startup is None and loaded.webhook is not None:  # the flags win
        config = replace(config, webhooks=replace(config.webhooks, startup=loaded.webhook))
    if config.access_log:
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    app = create_app(loaded.world(), config)
    # The loaded sessions live as long as the process and hold no cycles: move them out of the
    # cyclic GC's sight, so a full collection never walks a million sessions mid-request. The
    # collection that keeps start-up garbage from being frozen too ran before loading, while
    # the heap was small: after a million sessions it would cost a second. Loading makes almost
    # no cyclic garbage (what it drops, reference counting frees at once).
    gc.freeze()
    try:
        asyncio.run(_serve(app, config, _summary(loaded, config)))
    except OSError as exc:
        raise UsageError(_listen_error(exc, args, config)) from None
    return 0


def _listen_error(exc: OSError, args: argparse.Namespace, config: ServerConfig) -> str:
    """Why the server cannot listen, naming the option to change (--host or --port)."""
    host_option = HOST.flag if args.host else HOST.variable
    port_option = PORT.source(args)
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
    startup = config.webhooks.startup
    if startup is not None:
        extra += f"; webhook to {shown_url(startup['url'])}"
    return (
        f"serving {len(loaded.sessions)} sessions in {rooms} room{'s' * (rooms != 1)} "
        f"from {', '.join(loaded.sources)} (clock: {clock}; auth: {auth}; "
        f"control plane /_fake/: {admin}{extra}); {route_families()}"
    )


def route_families() -> str:
    """The Daily route families served, from the one route table."""
    from ..api.openapi.document import ROUTES

    paths = [r.split()[1] for r in ROUTES if r.split()[1] != "/v1/"]  # the domain: /v1/ only
    families = dict.fromkeys("/" + "/".join(p.split("/")[1:3]) for p in paths)
    return f"routes: {', '.join(families)} (also without /v1), /v1/ (the domain)"


async def _serve(app: web.Application, config: ServerConfig, summary: str) -> None:
    """Listen, say so, serve until SIGINT or SIGTERM. The handlers are in place before the
    listening line is printed: a supervisor that stops the server as soon as it reads that line
    gets the graceful stop (exit 0), not Python's default (killed by SIGTERM)."""
    access = logging.getLogger("aiohttp.access") if config.access_log else None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stop_gracefully() -> None:  # requests still running get Runner's SHUTDOWN_TIMEOUT
        stop.set()
        for sig in STOP_SIGNALS:  # a second signal stops the process at once
            loop.remove_signal_handler(sig)
            signal.signal(sig, signal.SIG_DFL)

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop_gracefully)
    runner = await listen(app, access_log=access)
    try:
        port = runner.addresses[0][1]
        print(f"fake-meetings listening on http://{config.host}:{port}", flush=True)
        print(summary, flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()
