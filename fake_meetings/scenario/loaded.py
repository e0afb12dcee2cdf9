"""What loading a scenario gives: the :class:`Scenario` of one file, and the
:class:`ScenarioError` that every problem with one raises.

They live apart from the reader (``scenario.py``) so that merging (``merge.py``) and the
blocks can name them without importing the reader back; ``scenario.py`` re-exports both, the
address callers have always used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..domain import domainconfig
from ..domain.model import Session
from ..domain.recordings import Recording
from ..domain.rooms import Room
from ..domain.transcripts import Transcript
from .validate import MAX_PROBLEMS, Problem

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
