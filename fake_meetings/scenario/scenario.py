"""Scenario files (YAML) -> sessions, with validation errors that name file, path and line.

The format (keys exactly these)::

    now: 1717243200            # optional: freezes the server clock (unix int or ISO 8601)
    sessions:
      - id: 3f0c...            # optional; generated (stable for the same file) when absent
        room: standup          # required
        start_time: -2h        # required: unix int | ISO 8601 | relative to now
        ongoing: false         # optional: derived; if given, must agree at the file's instant
        duration: 1800         # optional: derived; if given, must agree (omitted when ongoing)
        max_participants: 3    # optional: derived as the peak overlap of the visible stays
        participants:          # required, at least one
          - participant_id: .. # optional; generated when absent
            user_id: null      # optional
            user_name: Alice   # optional
            join_time: -2h     # required; may be in the future (+15m)
            duration: 1800     # optional: without it the stay is open (present until ended)
    rooms:                     # optional: rooms (GET /rooms); sessions' other rooms are implied
      - name: standup          # required: A-Z, a-z, 0-9, '-', '_' (at most 128)
        created_at: -30d       # optional: time forms as above; default 1 s before the room's
                               # first session in this file, else the file's instant
        privacy: private       # optional: public (the default) or private
        api_created: false     # optional, default false
        config: {max_participants: 4}  # optional: the room's non-default properties
    webhook:                   # optional: where Daily's events go (a POST /webhooks body),
      url: http://127.0.0.1:9000/daily   # in place as soon as the file is loaded (no test
      hmac: c2VjcmV0           # request first); hmac, eventTypes, basicAuth, retryType optional
      timestamp: clock         # optional: X-Webhook-Timestamp, wall (default) or clock
    domain:                    # optional: the domain's configuration (a POST / body): the
      properties:              # properties set over Daily's defaults (GET /v1/ shows them)
        enable_prejoin_ui: false
    min_stay: 10               # optional: seconds a stay lasts before /meetings shows it
                               # (Daily's ten-second rule; serve --min-stay beats it; 0: off)
    recordings:                # optional: Daily's recordings (GET /recordings): see
      - session: 3f0c...       # recordingblock.py (session: or room: + start_ts; start_ts,
        end: -20m              # end or duration, max_duration, canceled, id)
    transcripts:               # optional: Daily's transcripts (GET /transcript): see
      - session: 3f0c...       # transcriptblock.py (as recordings; stored, error)

A session is one timeline of stays (``domain/timeline.py``): it appears at its ``start_time``,
is ongoing until its latest leave, and every derived field follows the server clock. The file's
instant (its ``now:``, else ``--now``, else the time of loading) is where given derived fields
are checked.

Loading is all or nothing: every problem is collected, and any problem raises
:class:`ScenarioError` before a single session is handed out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Protocol, TypeVar

from ..domain import domainconfig, webhook
from ..domain.gcpause import gc_paused
from ..domain.generate import generate
from ..domain.genrecordings import generated_recordings
from ..domain.model import Session
from ..domain.nesting import depth_info, too_deep
from ..domain.recorded import DEFAULT_MIN_STAY
from ..domain.recordings import Recording
from ..domain.rooms import (
    IMPLIED_LEAD,
    PRIVACY,
    Room,
    derived_id,
    invalid_name_info,
    properties_problem,
)
from ..domain.transcripts import Transcript
from ..errors import ApiError
from .fastread import UNREAD, read_fast
from .genblock import generate_spec
from .recordingblock import recordings_block
from .sessionbuild import ID_NAMESPACE as ID_NAMESPACE
from .sessionbuild import PARTICIPANT_KEYS as PARTICIPANT_KEYS
from .sessionbuild import SESSION_KEYS as SESSION_KEYS
from .sessionbuild import checked_session, quick_session
from .shortstays import short_stays
from .transcriptblock import transcripts_block
from .validate import MAX_PROBLEMS, Checker, Problem, TooManyProblems
from .yamldoc import Document, YamlSyntaxError, read_yaml

TOP_KEYS = (
    "now", "sessions", "generate", "rooms", "webhook", "domain", "recordings", "transcripts",
    "min_stay",
)  # fmt: skip
ROOM_KEYS = ("name", "created_at", "privacy", "api_created", "config")


SHOWN = 50  # problems an error lists (its message; the control plane's ``problems``)


class ScenarioError(ValueError):
    """One or more problems in scenario input; ``str()`` lists them one per line."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:SHOWN]]
        if len(self.problems) > SHOWN:
            stopped = " (checking stopped there)" if len(self.problems) >= MAX_PROBLEMS else ""
            shown.append(f"... and {len(self.problems) - SHOWN} more problems{stopped}")
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class Scenario:
    sessions: tuple[Session, ...]
    now: int | None  # the file's `now:`, which freezes the clock
    source: str
    rooms: tuple[Room, ...] = ()  # the rooms the file declares (`rooms:`)
    webhook: Mapping[str, Any] | None = None  # the file's `webhook:` (a POST /webhooks body)
    domain: domainconfig.DomainConfig | None = None  # the file's `domain:` (a POST / body)
    recordings: tuple[Recording, ...] = ()  # the file's `recordings:`
    min_stay: int | None = None  # the file's `min_stay:` (the ten-second rule's)
    transcripts: tuple[Transcript, ...] = ()  # the file's `transcripts:` (room ids not known)
    # what /meetings will never show of the file's stays (validate's warnings, not problems)
    notes: tuple[Problem, ...] = ()


def load_file(path: str | FsPath, *, now: int | None = None, wall_now: int = 0) -> Scenario:
    """Load one scenario file. ``now`` (e.g. from ``--now``) beats the file's own ``now:`` as
    the base of relative times; ``wall_now`` is the base when neither is given."""
    source = str(path)
    try:
        text = FsPath(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(source, None, (), f"cannot read file: {exc}")]) from None
    return load_text(text, source, now=now, wall_now=wall_now)


def load_text(text: str, source: str, *, now: int | None = None, wall_now: int = 0) -> Scenario:
    """The scenario in ``text`` (YAML, or JSON). The common forms are read fast, without line
    numbers (``fastread``); a text they do not cover, or one with a problem or a warning, is
    read (again) with the line-tracking reader, which reports every problem with its line."""
    with gc_paused():  # reading builds no reference cycles; see gcpause.py
        data = read_fast(text)
        if data is not UNREAD:
            try:
                scenario = build(Document(data), source, now=now, wall_now=wall_now)
                if not scenario.notes:
                    return scenario
            except ScenarioError:
                pass  # read again below, for the lines (of the problems, or of the warnings)
        try:
            doc = read_yaml(text)
        except YamlSyntaxError as exc:
            raise ScenarioError([Problem(source, exc.line, (), str(exc))]) from None
        return build(doc, source, now=now, wall_now=wall_now)


def load_data(
    data: Any, source: str = "<data>", *, now: int | None = None, wall_now: int = 0
) -> Scenario:
    """Load a scenario already parsed into Python values (no line numbers then)."""
    return build(Document(data), source, now=now, wall_now=wall_now)


def merge(scenarios: Sequence[Scenario]) -> tuple[list[Session], int | None]:
    """All sessions of several scenarios, and the one `now:` they agree on (None if none)."""
    problems: list[Problem] = []
    sessions: list[Session] = []
    owner: dict[str, str] = {}
    now: int | None = None
    now_source = ""
    several = sum(1 for sc in scenarios if sc.sessions) > 1
    for sc in scenarios:
        if sc.now is not None:
            if now is not None and sc.now != now:
                problems.append(
                    Problem(
                        sc.source,
                        None,
                        ("now",),
                        f"{sc.now} disagrees with now: {now} of {now_source}; "
                        "keep one `now:` or override both with --now",
                    )
                )
            now, now_source = sc.now, sc.source
        sessions.extend(sc.sessions)
        if not several:
            continue  # ids are unique within one scenario (checked as it is read)
        for s in sc.sessions:
            if s.id in owner:
                problems.append(
                    Problem(
                        sc.source,
                        None,
                        ("sessions",),
                        f"session id {s.id!r} is also defined in {owner[s.id]}",
                    )
                )
            owner.setdefault(s.id, sc.source)
    if problems:
        raise ScenarioError(problems)
    return sessions, now


@dataclass(frozen=True)
class Merged:
    """What several scenarios declare, merged: the sessions and the one `now:` (``merge``),
    the rooms, the one webhook, the one domain configuration, the recordings and transcripts."""

    sessions: list[Session]
    now: int | None
    rooms: list[Room]
    webhook: Mapping[str, Any] | None
    domain: domainconfig.DomainConfig | None
    recordings: list[Recording]
    min_stay: int | None = None
    transcripts: list[Transcript] = field(default_factory=list)


def merge_all(scenarios: Sequence[Scenario]) -> Merged:
    """Merge every part of ``scenarios`` as serve does (``validate`` checks the same): a
    :class:`ScenarioError` with the problems of every part that does not merge."""
    problems: list[Problem] = []

    def part(merging: Callable[[Sequence[Scenario]], Any]) -> Any:
        try:
            return merging(scenarios)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            return None

    merged = part(merge)
    rooms, hook, domain = part(merge_rooms), part(merge_webhook), part(merge_domain)
    recordings, min_stay = part(merge_recordings), part(merge_min_stay)
    transcripts = part(merge_transcripts)
    if problems:
        raise ScenarioError(problems)
    sessions, now = merged
    return Merged(sessions, now, rooms, hook, domain, recordings, min_stay, transcripts)


def merge_recordings(scenarios: Iterable[Scenario]) -> list[Recording]:
    """The recordings several scenarios declare; an id declared twice is a problem."""
    return _merged_by_id(((sc, sc.recordings) for sc in scenarios), "recording", "recordings")


def merge_transcripts(scenarios: Iterable[Scenario]) -> list[Transcript]:
    """The transcripts several scenarios declare; an id declared twice is a problem."""
    return _merged_by_id(((sc, sc.transcripts) for sc in scenarios), "transcript", "transcripts")


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_HasId)


def _merged_by_id(
    declared: Iterable[tuple[Scenario, Sequence[_Item]]], kind: str, block: str
) -> list[_Item]:
    problems: list[Problem] = []
    out: list[_Item] = []
    owner: dict[str, str] = {}
    for sc, items in declared:
        for item in items:
            if item.id in owner:
                problem = f"{kind} id {item.id!r} is also declared in {owner[item.id]}"
                problems.append(Problem(sc.source, None, (block,), problem))
            else:
                owner[item.id] = sc.source
                out.append(item)
    if problems:
        raise ScenarioError(problems)
    return out


def merge_webhook(scenarios: Iterable[Scenario]) -> Mapping[str, Any] | None:
    """The one `webhook:` several scenarios declare (two are a problem), or None."""
    return _the_one(scenarios, lambda sc: sc.webhook, "webhook", "a webhook")


def merge_min_stay(scenarios: Iterable[Scenario]) -> int | None:
    """The one `min_stay:` several scenarios declare (two are a problem), or None."""
    return _the_one(scenarios, lambda sc: sc.min_stay, "min_stay", "a min_stay")


def merge_domain(scenarios: Iterable[Scenario]) -> domainconfig.DomainConfig | None:
    """The one `domain:` several scenarios declare (two are a problem), or None."""
    return _the_one(scenarios, lambda sc: sc.domain, "domain", "a domain configuration")


T = TypeVar("T")


def _the_one(
    scenarios: Iterable[Scenario], get: Callable[[Scenario], T | None], key: str, what: str
) -> T | None:
    """What at most one of ``scenarios`` declares under ``key``; a second is a problem."""
    found: T | None = None
    owner = ""
    for sc in scenarios:
        value = get(sc)
        if value is not None:
            if found is not None:
                problem = f"{what} is also declared in {owner}"
                raise ScenarioError([Problem(sc.source, None, (key,), problem)])
            found, owner = value, sc.source
    return found


def merge_rooms(scenarios: Iterable[Scenario]) -> list[Room]:
    """The rooms several scenarios declare; a name declared twice is a problem."""
    problems: list[Problem] = []
    rooms: list[Room] = []
    owner: dict[str, str] = {}
    for sc in scenarios:
        for room in sc.rooms:
            if room.name in owner:
                problems.append(
                    Problem(
                        sc.source,
                        None,
                        ("rooms",),
                        f"room {room.name!r} is also declared in {owner[room.name]}",
                    )
                )
            else:
                owner[room.name] = sc.source
                rooms.append(room)
    if problems:
        raise ScenarioError(problems)
    return rooms


def build(
    doc: Document,
    source: str,
    *,
    now: int | None,
    wall_now: int,
    progress: Callable[[int], None] | None = None,
) -> Scenario:
    """The scenario of ``doc``; ``progress`` is generation's (``generate.generate``): it may
    raise to abandon the work."""
    c = Checker(doc, source)
    try:
        return _build(c, source, now=now, wall_now=wall_now, progress=progress)
    except TooManyProblems:
        c.raise_if_any(ScenarioError)
        raise


def _build(
    c: Checker,
    source: str,
    *,
    now: int | None,
    wall_now: int,
    progress: Callable[[int], None] | None,
) -> Scenario:
    top = c.mapping((), TOP_KEYS)
    if top is not None and not {"sessions", "generate", "rooms"} & set(top):
        c.problem((), "missing required key 'sessions' (or a 'generate' or 'rooms' block)")
    file_now = None
    if top is not None and top.get("now") is not None:
        file_now = c.instant(("now",), None)
    base = now if now is not None else file_now if file_now is not None else wall_now
    sessions: list[Session] = []
    raw_sessions = c.sequence(("sessions",), required=False) if top is not None else []
    seen: dict[str, str] = {}
    label = FsPath(source).name
    for i, raw in enumerate(raw_sessions):
        seed = f"{label}#{i}"
        session = quick_session(raw, base, seed)  # the common case, cheap; else every problem
        if session is None:
            session = checked_session(c, ("sessions", i), base, seed)
        session_id = session.id if session is not None else c.get(("sessions", i, "id"))
        if isinstance(session_id, str) and session_id in seen:
            c.problem(
                ("sessions", i, "id"),
                f"duplicate session id {session_id!r} (first at {seen[session_id]})",
            )
        elif isinstance(session_id, str):
            seen[session_id] = f"sessions[{i}]"
        if session is not None:
            sessions.append(session)
    spec = generate_spec(c, base) if top is not None and "generate" in top else None
    rooms = _rooms(c, base, sessions) if top is not None and "rooms" in top else []
    hook = _webhook(c) if top is not None and "webhook" in top else None
    domain = _domain(c) if top is not None and "domain" in top else None
    has_recordings = top is not None and "recordings" in top
    recordings = recordings_block(c, base, source, sessions) if has_recordings else []
    has_transcripts = top is not None and "transcripts" in top
    transcripts = transcripts_block(c, base, source, sessions) if has_transcripts else []
    min_stay = c.non_negative(("min_stay",)) if top is not None and "min_stay" in top else None
    c.raise_if_any(ScenarioError)
    notes = short_stays(c, sessions, DEFAULT_MIN_STAY if min_stay is None else min_stay)
    if spec is not None:
        made = generate(spec, base, progress)
        sessions.extend(made)
        recordings.extend(generated_recordings(spec.seed, spec.recorded, made))
    return Scenario(
        tuple(sessions),
        file_now,
        source,
        tuple(rooms),
        hook,
        domain,
        tuple(recordings),
        min_stay,
        tuple(transcripts),
        tuple(notes),
    )


def _webhook(c: Checker) -> dict[str, Any] | None:
    """The `webhook:` block, checked like a POST /webhooks body (and its `timestamp`)."""
    fields = webhook.SCENARIO_FIELDS
    raw = c.mapping(("webhook",), fields, required=("url",))
    if raw is None or any(key not in fields for key in raw) or "url" not in raw:
        return None
    try:
        webhook.created(raw, "-", "-", 0)
        if "timestamp" in raw:
            webhook.timestamp_mode(raw["timestamp"])
    except ApiError as exc:
        field = exc.info.split(":", 1)[0]
        c.problem(("webhook", field) if field in raw else ("webhook",), exc.info)
        return None
    return dict(raw)


def _domain(c: Checker) -> domainconfig.DomainConfig | None:
    """The `domain:` block, checked like a POST / body: each property where it is written."""
    raw = c.mapping(("domain",), domainconfig.BODY_FIELDS)
    if raw is None or "properties" not in raw:
        return None if raw is None else domainconfig.DomainConfig()
    properties = raw["properties"]
    if properties is None:
        return domainconfig.DomainConfig()
    if not isinstance(properties, dict):
        c.problem(
            ("domain", "properties"),
            "expected a mapping of Daily's domain properties to values, like "
            f"{{enable_prejoin_ui: false}}; got {type(properties).__name__}",
        )
        return None
    deep = too_deep(properties)  # aliases can nest it deeper than the document
    if deep is not None:
        c.problem(("domain", "properties"), depth_info("properties", deep, named=False))
        return None
    errors_before = c.count
    for key, value in properties.items():
        problem = domainconfig.property_problem(str(key), value)
        if problem is not None:
            c.problem(("domain", "properties", key), problem)
    if c.count > errors_before:
        return None
    too_big = properties_problem(properties, "the domain's")
    if too_big is not None:
        c.problem(("domain", "properties"), too_big)
        return None
    return domainconfig.DomainConfig(dict(properties))


def _rooms(c: Checker, now: int, sessions: Sequence[Session]) -> list[Room]:
    """The `rooms:` block: each room's name, when it was created, privacy and config."""
    first: dict[str, int] = {}
    for s in sessions:
        first[s.room] = min(s.start_time, first.get(s.room, s.start_time))
    out: list[Room] = []
    seen: dict[str, int] = {}
    for i in range(len(c.sequence(("rooms",), required=False))):
        path: tuple[str | int, ...] = ("rooms", i)
        raw = c.mapping(path, ROOM_KEYS, required=("name",))
        if raw is None:
            continue
        errors_before = c.count
        name = c.string((*path, "name"))
        if name is not None:
            complaint = invalid_name_info(name)
            if complaint is not None:
                c.problem((*path, "name"), complaint)
            elif name in seen:
                c.problem(
                    (*path, "name"), f"duplicate room {name!r} (first at rooms[{seen[name]}])"
                )
            else:
                seen[name] = i
        created = c.instant((*path, "created_at"), now) if "created_at" in raw else None
        privacy = raw.get("privacy", PRIVACY[0])
        if privacy not in PRIVACY:
            c.problem((*path, "privacy"), f"expected public or private; got {privacy!r:.60}")
        api_created = c.boolean((*path, "api_created"), default=False)
        config = raw.get("config", {})
        if config is None:
            config = {}
        if not isinstance(config, dict) or not all(isinstance(k, str) for k in config):
            c.problem(
                (*path, "config"),
                "expected a mapping of property names to values (the room's non-default "
                "properties, like {max_participants: 4}); got "
                + (type(config).__name__ if not isinstance(config, dict) else "a non-text key"),
            )
        deep = too_deep(config)  # aliases can nest a config deeper than the document
        if deep is not None:
            c.problem((*path, "config"), depth_info("config", deep, named=False))
        elif isinstance(config, dict) and c.count == errors_before:
            too_big = properties_problem(config)
            if too_big is not None:
                c.problem((*path, "config"), too_big)
        if c.count > errors_before or name is None:
            continue
        if created is None:
            created = max(0, first[name] - IMPLIED_LEAD) if name in first else now
        out.append(
            Room(derived_id(name, created), name, bool(api_created), privacy, created, config)
        )
    return out
