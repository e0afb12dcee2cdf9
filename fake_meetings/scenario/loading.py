"""From what a user names (a path or a bundled scenario name) to the sessions and clock to serve."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.clock import Clock
from ..domain.domainconfig import DomainConfig
from ..domain.model import Session
from ..domain.recordings import Recording
from ..domain.rooms import Room
from ..domain.transcripts import Transcript
from ..domain.world import World
from ..progress import LARGE, Progress
from .bundled import bundled_names, cached_sessions, fixtures_dir

if TYPE_CHECKING:
    from ..domain.generate import GenerateSpec
    from .loaded import Scenario

# The scenario reader (with PyYAML) and the generator (with zoneinfo) are imported where they are
# used: serving the bundled default alone, from its shipped sessions, needs neither.

DEFAULT_SCENARIO = "default"


def _path_like(spec: str) -> bool:
    """Whether ``spec`` names a file rather than a bundled scenario (``ties``)."""
    has_sep = "/" in spec or os.sep in spec or (os.altsep is not None and os.altsep in spec)
    return has_sep or spec.startswith((".", "~")) or spec.endswith((".yaml", ".yml", ".json"))


def resolve(spec: str, origin: str | None = None) -> Path:
    """A scenario given as a file path, or as the name of a bundled scenario (``ties``).

    ``origin`` names where ``spec`` came from (an environment variable) in the error."""
    path = Path(spec)
    if path.is_file():
        return path
    bundled = fixtures_dir() / f"{spec}.yaml"
    if not _path_like(spec) and bundled.is_file():
        return bundled
    from .loaded import ScenarioError
    from .validate import Problem

    where = f" (from {origin})" if origin else ""
    if not _path_like(spec):
        names = ", ".join(bundled_names()) or "(none found)"
        message = (
            f"no such file, and no bundled scenario of that name{where}; bundled scenarios: {names}"
        )
    elif path.is_dir():
        message = f"{path.absolute()} is a directory, not a scenario file{where}"
    else:
        message = f"the file {path.absolute()} does not exist{where}"
        stem = Path(spec).stem
        if "/" not in spec and os.sep not in spec and stem in bundled_names():
            message += f"; to use the bundled scenario, give its bare name: {stem}"
    raise ScenarioError([Problem(spec, None, (), message)])


@dataclass(frozen=True)
class Loaded:
    sessions: list[Session]
    now: int | None  # the instant the clock is frozen at, if any
    sources: list[str]
    report: bool = False  # progress of indexing on stderr (see fake_meetings.progress)
    rooms: tuple[Room, ...] = ()  # the rooms the scenarios declare (`rooms:` blocks)
    webhook: Mapping[str, Any] | None = None  # a scenario's `webhook:` block
    domain: DomainConfig | None = None  # a scenario's `domain:` block
    recordings: tuple[Recording, ...] = ()  # the scenarios' `recordings:` blocks
    min_stay: int | None = None  # a scenario's `min_stay:` (the ten-second rule's)
    transcripts: tuple[Transcript, ...] = ()  # the scenarios' `transcripts:` blocks

    def world(self) -> World:
        count = len(self.sessions)
        with Progress(f"indexing {count:,} sessions", enabled=self.report, loud=count >= LARGE):
            world = World(
                self.sessions,
                Clock(self.now),
                self.rooms,
                self.domain,
                self.recordings,
                transcripts=self.transcripts,
            )
        if self.min_stay is not None:
            world.start_with_min_stay(self.min_stay)
        return world


def load(
    specs: Sequence[str],
    *,
    now: int | None = None,
    generate: GenerateSpec | None = None,
    origin: str | None = None,
    report: bool = False,
) -> Loaded:
    """Load and merge scenarios (the bundled default when ``specs`` is empty and nothing is
    generated), plus ``generate``'s sessions.

    ``now`` (``--now``) freezes the clock and is the base of relative times; otherwise a file's
    ``now:`` does both, for every file (files without ``now:`` are read against it too);
    otherwise relative times count from the wall clock at load time and the clock runs in real
    time. Raises :class:`ScenarioError` with every problem found; nothing is half-loaded.

    ``origin`` names where ``specs`` came from (an environment variable), for the errors.
    ``report``: progress of long steps (reading files, generating, indexing) on stderr.
    """
    paths = [resolve(s, origin) for s in (specs or ([] if generate else [DEFAULT_SCENARIO]))]
    wall_now = int(time.time())
    if generate is None and len(paths) == 1 and paths[0].parent == fixtures_dir():
        # one bundled scenario: its shipped sessions (no `now:`, rooms or webhook) when current
        shipped = cached_sessions(paths[0], now if now is not None else wall_now)
        if shipped is not None:
            return Loaded(shipped, now, [str(paths[0])], report)
    from ..domain.generate import generate as generate_sessions
    from ..domain.genrecordings import generated_recordings
    from .loaded import Scenario
    from .merge import merge, merge_all

    scenarios = _load_files(paths, now, wall_now, report)
    _, file_now = merge(scenarios)
    if now is None and file_now is not None:
        # relative times of files without their own `now:` count from the frozen instant
        again = [i for i, sc in enumerate(scenarios) if sc.now is None]
        reloaded = _load_files([paths[i] for i in again], file_now, file_now, report)
        for i, sc in zip(again, reloaded, strict=True):
            scenarios[i] = sc
    base = now if now is not None else file_now
    sources = [str(p) for p in paths]
    if generate is not None:
        count = generate.sessions
        with Progress(
            "generating sessions", total=count, enabled=report, loud=count >= LARGE
        ) as progress:
            at = base if base is not None else int(time.time())
            sessions = generate_sessions(generate, at, progress.update)
        with Progress("drawing recordings", enabled=report and generate.recorded > 0):
            recorded = generated_recordings(generate.seed, generate.recorded, sessions)
        scenarios.append(Scenario(tuple(sessions), None, "--generate", recordings=tuple(recorded)))
        recorded_note = f", {len(recorded):,} recordings" if recorded else ""
        sources.append(f"{generate.sessions} generated (seed {generate.seed}{recorded_note})")
    with Progress("checking sessions", enabled=report):
        merged = merge_all(scenarios)
    return Loaded(
        merged.sessions,
        base,
        sources,
        report,
        tuple(merged.rooms),
        merged.webhook,
        merged.domain,
        tuple(merged.recordings),
        merged.min_stay,
        tuple(merged.transcripts),
    )


def _load_files(
    paths: Sequence[Path], now: int | None, wall_now: int, report: bool = False
) -> list[Scenario]:
    from .loaded import ScenarioError

    scenarios, problems = [], []
    for path in paths:
        try:
            with Progress(f"reading {path}", enabled=report):
                scenarios.append(load_scenario_file(path, now, wall_now))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def load_scenario_file(path: Path, now: int | None, wall_now: int) -> Scenario:
    """``scenario.load_file``; a bundled scenario from its shipped sessions when they match its YAML
    (:mod:`fake_meetings.scenario.bundled`: such a file has no ``now:``, so ``now`` or
    ``wall_now`` is the base of its times)."""
    from .loaded import Scenario
    from .scenario import load_file

    if path.parent == fixtures_dir():
        sessions = cached_sessions(path, now if now is not None else wall_now)
        if sessions is not None:
            return Scenario(tuple(sessions), None, str(path))
    return load_file(path, now=now, wall_now=wall_now)
