"""What ``fake-meetings verify`` does once its options are parsed: the capture (``capture.py``'s
own run) or ``--scenario``, the account's domain and rooms, the fake started in this process
on the capture frozen at its instant, the questions, then the summary, the report and the
regression tests."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..client.daily import DailyReader, SourceError
from ..config import DEFAULT_DOMAIN, ServerConfig
from ..domain.clock import Clock
from ..domain.domainconfig import DEFAULTS, DomainConfig, property_problem
from ..domain.world import World
from ..progress import PREFIX, Progress
from ..scenario.loading import Loaded, load
from ..scenario.pseudonyms import Pseudonyms
from ..scenario.scenario import ScenarioError
from ..testing.runners import ServerThread
from ..verify.fixtures import regression_tests
from ..verify.ignores import IgnoreFileError, Ignores, load_ignores
from ..verify.mix import build_mix
from ..verify.report import Results, report_data, summary
from ..verify.run import FAKE_KEY, verify
from ..verify.sides import AccountNames
from ..verify.view import CaptureView
from . import capture
from .atomic import replacing
from .declare import UsageError
from .verify_options import VerifyOptions, pseudonymised, verify_options


def _say(text: str) -> None:
    print(PREFIX + "verify: " + text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="fake-meetings-verify-") as temp:
        try:
            o = verify_options(args, Path(temp) / "capture.yaml")
            ignores = load_ignores(o.ignore, dt.datetime.now(dt.UTC).date())
        except IgnoreFileError as exc:
            raise UsageError(str(exc)) from None
        if o.scenario is None:
            _say(f"capturing {o.base_url} first")
            if capture.run(o.capture) != 0:
                return 2
        return _verify(o, ignores)


def _loaded(o: VerifyOptions) -> tuple[Path, Loaded, Pseudonyms | None]:
    path = o.scenario if o.scenario is not None else Path(o.capture.output)
    users, rooms = pseudonymised(path)
    if o.scenario is not None and users and o.salt is None:
        raise UsageError(f"{path} is pseudonymised: give --salt, the salt it was captured with")
    try:
        loaded = load([str(path)])
    except ScenarioError as exc:
        raise UsageError(f"--scenario: {exc}") from None
    if loaded.now is None:
        raise UsageError(f"{path} has no `now:`: is it a file fake-meetings capture wrote?")
    names = Pseudonyms(o.salt, rooms=o.rooms_too or rooms) if o.salt is not None else None
    return path, loaded, names


def _domain(answer: Any) -> tuple[str | None, DomainConfig]:
    """The account's domain name, and its configuration as fake-meetings can hold it (the
    properties it knows, where they differ from Daily's defaults)."""
    if not isinstance(answer, dict):
        return None, DomainConfig()
    config = answer.get("config")
    props = {
        k: v
        for k, v in (config.items() if isinstance(config, dict) else ())
        if property_problem(k, v) is None and (k not in DEFAULTS or DEFAULTS[k] != v)
    }
    name = answer.get("domain_name")
    return (name if isinstance(name, str) and name else None), DomainConfig(props)


def _rooms(account: DailyReader, most: int) -> list[Any]:
    """The account's rooms (their names and ids), at most ``most`` read."""
    rooms: list[Any] = []
    for _, page in account.pages("/rooms", {}):
        rooms += page
        if len(rooms) > most:
            raise SourceError(f"GET /rooms: more than {most:,} rooms (capture's bound, too)")
    return rooms


def _verify(o: VerifyOptions, ignores: Ignores) -> int:
    path, loaded, names = _loaded(o)
    assert loaded.now is not None
    c = o.capture
    account = DailyReader(
        o.base_url,
        o.api_key,
        rate=c.rate,
        max_retries=c.max_retries,
        backoff=c.backoff,
        timeout=c.timeout,
        on_retry=_say,
    )
    try:
        domain_name, domain = _domain(account.get("/"))
        rooms = _rooms(account, c.max_rooms)
        world = World(loaded.sessions, Clock(loaded.now), loaded.rooms, domain)
        config = ServerConfig(port=0, host="127.0.0.1", domain=domain_name or DEFAULT_DOMAIN)
        view = CaptureView(loaded.sessions, world, loaded.now, o.since)
        mix = build_mix(view)[: o.max_requests]
        results = Results(o.base_url, path.name, loaded.now)
        with ServerThread(world, config) as server:
            fake = DailyReader(server.url, FAKE_KEY, rate=1000, max_retries=0, timeout=c.timeout)
            with Progress("verifying", total=len(mix)) as progress:
                verify(
                    view,
                    mix,
                    account,
                    fake,
                    AccountNames(rooms, names),
                    ignores,
                    results,
                    progress.update,
                )
    except SourceError as exc:
        _say(f"{exc}")
        return 2
    print(summary(results))
    if o.report is not None:
        with replacing(o.report) as out:
            json.dump(report_data(results), out, indent=2, ensure_ascii=False)
            out.write("\n")
        _say(f"wrote the report to {o.report}")
    if o.fixtures is not None:
        tests = regression_tests(view, results.fakes, domain.properties)
        written = _write_fixtures(o.fixtures, tests)
        _say(f"wrote {written} regression tests to {o.fixtures}")
    return 1 if results.fakes else 0


def _write_fixtures(directory: Path, files: list[tuple[str, str]]) -> int:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--fixtures {directory}: {exc.strerror or exc}") from None
    for name, text in files:
        with replacing(directory / name) as out:
            out.write(text)
    return sum(name.endswith(".py") for name, _ in files)
