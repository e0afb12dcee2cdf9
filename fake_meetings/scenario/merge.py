"""Several scenarios served together: their parts merged into one account, and what does not
merge (two `now:` that disagree, a session id, room name, recording or transcript id declared
twice, two webhooks, two domain configurations, two `min_stay:`) as problems.

Each file is checked alone as it is read (``scenario.py``); what only shows when files meet is
checked here, by both ``serve`` (``loading.py``) and ``validate``, so that the two agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ..domain import domainconfig
from ..domain.model import Session
from ..domain.recordings import Recording
from ..domain.rooms import Room
from ..domain.transcripts import Transcript
from .loaded import Scenario, ScenarioError
from .validate import Problem


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
