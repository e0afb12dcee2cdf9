"""The JSON of recordings that no longer change, kept.

A recording seen at an instant at or after its stop (finished or canceled) shows the same object
at every later instant: its status, duration, peak of participants and tracks are counted up to
its stop. Its bytes are kept under the recording and its session as objects (both are
immutable: a stop, an update or a live join makes new ones, which miss), with the domain name
and ``recordings_template`` that its key is made of. A recording in progress is kept only
for the instant it was rendered at (the same second of a running clock, or a frozen clock).

Whole list bodies are kept too, under the raw query string and the recordings snapshot, with
what else the page is made of (the sessions snapshot, the server's config, the domain's
properties, all as objects) and the instants ``[lo, hi)`` at which it stays the same: a page
whose recordings have all stopped is the same from its latest stop (and the latest start
visible) up to the next recording's start, whatever the clock does in between; any other page
(one holding a recording in progress, or filtered on ``in_progress``) is kept for its instant
only. A request for a kept page is one lookup, a few identity checks and one comparison of
instants. Both kinds live in one byte-budgeted map (``bounded.py``), bounded by :data:`BUDGET`
together, the oldest dropped first; an entry costs its bytes, the text of its key (a page's
query string is the client's) and the map's slot, so pages of many long query strings cannot
grow it past the budget.
"""

from __future__ import annotations

import weakref
from typing import Any

import orjson

from ...domain.model import Session
from ...domain.recordings import IN_PROGRESS, Recording, as_json, seen_at
from .bounded import ENTRY_OVERHEAD, Bounded

BUDGET = 8 * 1024 * 1024  # bytes of recording JSON kept for the whole process (~27,000 objects)
Key = tuple[object, ...]


def _cost(key: Key, entry: tuple[Any, ...]) -> int:
    """What an entry costs against the budget: its bytes (the entry's last item), the text in
    its key (a page's query string, which the client chooses) and the map's own slot."""
    return len(entry[-1]) + sum(len(k) for k in key if isinstance(k, str)) + ENTRY_OVERHEAD


class RecordingBytes:
    """``render(...)``: a recording's JSON object, from what is kept when it has stopped."""

    def __init__(self, budget: int = BUDGET):
        # a recording's: (recording, session, bytes); a page's: (refs to its two snapshots,
        # config, domain, lo, hi, bytes); the oldest dropped first
        self.kept: Bounded[Key, tuple[Any, ...]] = Bounded(budget, _cost)
        self._get = self.kept.data.get  # a lookup on every request: the map's own, bound once

    def render(
        self,
        recording: Recording,
        session: Session | None,
        now: int,
        domain: str,
        template: str | None,
    ) -> bytes:
        key = ("one", id(recording), id(session), domain, template)
        kept = self._get(key)
        if (
            kept is not None
            and kept[0] is recording
            and kept[1] is session
            and now >= recording.stop(session)
        ):
            found: bytes = kept[2]
            return found
        at_now = (*key, now)  # an object in progress: the same at this instant only
        kept = self._get(at_now)
        if kept is not None and kept[0] is recording and kept[1] is session:
            found = kept[2]
            return found
        seen = seen_at(recording, session, now)
        body = orjson.dumps(as_json(seen, domain, template))
        self.kept.put(key if seen.status != IN_PROGRESS else at_now, (recording, session, body))
        return body

    def page(
        self,
        query: str,
        recordings: object,
        store: object,
        config: object,
        domain: object,
        now: int,
    ) -> bytes | None:
        """The list body kept for ``query`` over these snapshots, ``config`` and ``domain``
        (each the same object as when it was kept), if ``now`` is inside its instants."""
        kept = self._get((query, id(recordings)))
        if kept is None:
            return None
        body: bytes
        refs, kept_config, kept_domain, lo, hi, body = kept
        if (
            lo <= now < hi
            and kept_config is config
            and kept_domain is domain
            and refs[0]() is recordings  # held weakly: a dead one (an id reused) is None
            and refs[1]() is store
        ):
            return body
        return None

    def keep_page(
        self,
        query: str,
        snapshots: tuple[object, object],
        made_of: tuple[object, object],
        instants: tuple[int, int],
        body: bytes,
    ) -> None:
        """Keep a list body for ``query`` over the recordings and sessions ``snapshots`` (held
        weakly: a kept page never keeps a replaced store alive), with the ``made_of`` config and
        domain, the same at the ``instants`` ``[lo, hi)``."""
        refs = (weakref.ref(snapshots[0]), weakref.ref(snapshots[1]))
        self.kept.put((query, id(snapshots[0])), (refs, *made_of, *instants, body))


RECORDING_BYTES = RecordingBytes()  # the process's one store of them (bounded: BUDGET)
