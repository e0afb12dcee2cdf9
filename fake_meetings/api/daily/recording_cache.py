"""The JSON of recordings that no longer change, kept.

A recording seen at an instant at or after its stop (finished or canceled) shows the same object
at every later instant: its status, duration, peak of participants and tracks are counted up to
its stop. Its bytes are kept under the recording and its session as objects (both are
immutable: a stop, an update or a live join makes new ones, which miss), with the domain name
and ``recordings_template`` that its key is made of. A recording in progress is rendered
every time. The kept bytes are bounded by :data:`BUDGET`, the oldest dropped first.
"""

from __future__ import annotations

from collections import OrderedDict

import orjson

from ...domain.model import Session
from ...domain.recordings import IN_PROGRESS, Recording, as_json, seen_at

BUDGET = 8 * 1024 * 1024  # bytes of recording JSON kept for the whole process (~27,000 objects)
Key = tuple[int, int, str, str | None]


class RecordingBytes:
    """``render(...)``: a recording's JSON object, from what is kept when it has stopped."""

    def __init__(self, budget: int = BUDGET):
        self.budget = budget
        self._kept: OrderedDict[Key, tuple[Recording, Session | None, bytes]] = OrderedDict()
        self._size = 0

    def render(
        self,
        recording: Recording,
        session: Session | None,
        now: int,
        domain: str,
        template: str | None,
    ) -> bytes:
        key = (id(recording), id(session), domain, template)
        kept = self._kept.get(key)
        if (
            kept is not None
            and kept[0] is recording
            and kept[1] is session
            and now >= recording.stop(session)
        ):
            return kept[2]
        seen = seen_at(recording, session, now)
        body = orjson.dumps(as_json(seen, domain, template))
        if seen.status != IN_PROGRESS:
            self._keep(key, (recording, session, body))
        return body

    def _keep(self, key: Key, entry: tuple[Recording, Session | None, bytes]) -> None:
        old = self._kept.pop(key, None)
        if old is not None:
            self._size -= len(old[2])
        self._kept[key] = entry
        self._size += len(entry[2])
        while self._size > self.budget and self._kept:
            _, dropped = self._kept.popitem(last=False)
            self._size -= len(dropped[2])

    def clear(self) -> None:
        self._kept.clear()
        self._size = 0


RECORDING_BYTES = RecordingBytes()  # the process's one store of them (bounded: BUDGET)
