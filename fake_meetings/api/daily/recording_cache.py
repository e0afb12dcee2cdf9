"""The JSON of recordings that no longer change, kept.

A recording seen at an instant at or after its stop (finished or canceled) shows the same object
at every later instant: its status, duration, peak of participants and tracks are counted up to
its stop. Its bytes are kept under the recording and its session as objects (both are
immutable: a stop, an update or a live join makes new ones, which miss), with the domain name
and ``recordings_template`` that its key is made of. A recording in progress is kept only
for the instant it was rendered at (the same second of a running clock, or a frozen clock).

Whole list bodies are kept too, under the raw query string, the recordings and sessions
snapshots (as objects), the domain name, the key template and the count of recordings visible at
the instant: once every recording on a page has stopped, the page is the same at every later
instant with that count; any other page (one holding a recording in progress, or filtered on
``in_progress``) is kept for its instant only. The kept bytes of both kinds are bounded by
:data:`BUDGET` together, the oldest dropped first.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict

import orjson

from ...domain.model import Session
from ...domain.recordings import IN_PROGRESS, Recording, as_json, seen_at

BUDGET = 8 * 1024 * 1024  # bytes of recording JSON kept for the whole process (~27,000 objects)
Key = tuple[object, ...]


class RecordingBytes:
    """``render(...)``: a recording's JSON object, from what is kept when it has stopped."""

    def __init__(self, budget: int = BUDGET):
        self.budget = budget
        # a recording's: (recording, session, bytes); a page's: (refs to snapshots, stop, bytes)
        self._kept: OrderedDict[Key, tuple[object, object, bytes]] = OrderedDict()
        self._size = 0

    def render(
        self,
        recording: Recording,
        session: Session | None,
        now: int,
        domain: str,
        template: str | None,
    ) -> bytes:
        key = ("one", id(recording), id(session), domain, template)
        kept = self._kept.get(key)
        if (
            kept is not None
            and kept[0] is recording
            and kept[1] is session
            and now >= recording.stop(session)
        ):
            return kept[2]
        at_now = (*key, now)  # an object in progress: the same at this instant only
        kept = self._kept.get(at_now)
        if kept is not None and kept[0] is recording and kept[1] is session:
            return kept[2]
        seen = seen_at(recording, session, now)
        body = orjson.dumps(as_json(seen, domain, template))
        self._keep(key if seen.status != IN_PROGRESS else at_now, (recording, session, body))
        return body

    def page(self, key: Key, snapshots: tuple[object, ...], now: int) -> bytes | None:
        """A list body kept under ``key`` (made of the snapshots' ids and what else shapes the
        page), if its ``snapshots`` are these objects and ``now`` is at or after every stop."""
        kept = self._kept.get(key)
        if kept is None or now < kept[1]:  # type: ignore[operator]
            return None
        refs: tuple[weakref.ref[object], ...] = kept[0]  # type: ignore[assignment]
        for ref, snapshot in zip(refs, snapshots, strict=True):  # a loop: no generator to make
            if ref() is not snapshot:
                return None
        return kept[2]

    def keep_page(self, key: Key, snapshots: tuple[object, ...], stop: int, body: bytes) -> None:
        """Keep a list body whose recordings have all stopped by ``stop`` (their latest). The
        snapshots are held weakly: a kept page never keeps a replaced store alive."""
        self._keep(key, (tuple(weakref.ref(s) for s in snapshots), stop, body))

    def _keep(self, key: Key, entry: tuple[object, object, bytes]) -> None:
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
