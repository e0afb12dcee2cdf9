"""A namespace's changes waiting in line for the webhook: their events read into the sender's
outbox while it has room, the rest counted as dropped.

A change's events are read lazily, in order (``events.Passing``), never all at once: each
change waits in line, and its events go into the sender's outbox while it has room. The room a
change gets is the outbox's bound less what waited in it when the change happened (counting
the events of earlier changes that went in since), as if every event had been put in at once;
its events beyond that room are dropped: counted, by type, never built. The first slice is read
at once (a small move's events are all in the outbox when the move returns); the rest by a task
that reads for at most ``SLICE`` seconds between two turns of the event loop, so a clock jump
of any size keeps the API answering. A webhook deleted, FAILED or reset meanwhile ends the
reading: the events not read yet are neither sent nor counted.

The desk (``desk.py``) decides which events a change causes and when; this module only reads
them, within those two bounds: the time a slice takes and the room the outbox has.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable

from ..domain.events import EVENT_TYPES
from ..domain.recordingevents import RECORDING_EVENT_TYPES, AnyEvent, Merged
from ..domain.transcriptevents import TRANSCRIPT_EVENT_TYPES
from ..domain.webhook import ACTIVE, Webhook
from .delivery import Delivery, Sender

SLICE = 0.004  # seconds of reading a change's events between two turns of the event loop
TAKE = 64  # events taken from a change at a time
COUNT = 8  # sessions looked at a time, counting what is dropped
ALL_TYPES = (*EVENT_TYPES, *RECORDING_EVENT_TYPES, *TRANSCRIPT_EVENT_TYPES)


class Given:
    """Events built already (a live join's or leave's, a recording started or stopped), read
    like an ``events.Passing``."""

    __slots__ = ("_events",)

    def __init__(self, events: list[AnyEvent]):
        self._events = events

    @property
    def done(self) -> bool:
        return not self._events

    def take(self, n: int) -> list[AnyEvent]:
        out, self._events = self._events[:n], self._events[n:]
        return out

    def count_rest(self, types: frozenset[str], sessions: int) -> int:
        n = sum(1 for e in self._events if e.type in types)
        self._events = []
        return n


class _Change:
    """One change's events, waiting in line: ``removed`` is how many events had left the
    outbox when it happened; ``room``, how many more it may put in the outbox (set when it
    comes first in line)."""

    __slots__ = ("events", "removed", "room")

    def __init__(self, events: Merged | Given, removed: int):
        self.events, self.removed = events, removed
        self.room: int | None = None


class EventLine:
    """The changes whose events are being read for one namespace's webhook (``hook()``, the
    desk's current one), in order, into ``sender``'s outbox."""

    def __init__(self, sender: Sender, hook: Callable[[], Webhook | None]):
        self.sender, self._hook = sender, hook
        self.emitted = 0  # events emitted to the webhook since start-up or reset
        self.built = 0  # events built (an event dropped is counted, never built)
        self.accepted = 0  # events put in the outbox, ever
        self._line: deque[_Change] = deque()  # changes whose events are being read, in order
        self._counting: deque[_Change] = deque()  # changes out of room: the rest is counted
        self.reader: asyncio.Task[None] | None = None

    def put(self, events: Merged | Given) -> None:
        """Put a change's events in line (nothing when the webhook takes none now); the first
        slice is read at once when nothing is ahead of it."""
        hook = self._hook()
        if hook is None or hook.state != ACTIVE or events.done:
            return
        self._line.append(_Change(events, self.sender.removed))
        if len(self._line) > 1 or self.read(SLICE):
            self.keep_reading()

    def forget(self) -> None:
        """What waits is not sent, and the changes not read yet are not read."""
        self.clear()
        self.sender.skip_waiting()

    def clear(self) -> None:
        """The changes not read yet are not read (what waits in the outbox stays)."""
        self._line.clear()
        self._counting.clear()

    @property
    def reading(self) -> int:
        """How many changes' events are still being read (put in the outbox or counted)."""
        return len(self._line) + len(self._counting)

    def read(self, budget: float) -> bool:
        """Read the changes in line for about ``budget`` seconds: their events go into the
        outbox while they have room, the rest are counted as dropped. Whether some are left."""
        hook = self._hook()
        if hook is None or hook.state != ACTIVE:
            self.forget()
            return False
        types = frozenset(t for t in ALL_TYPES if hook.wants(t))
        sender, bound = self.sender, self.sender.timing.outbox
        end = time.perf_counter() + budget
        line, counting = self._line, self._counting
        while line:
            change = line[0]
            if change.room is None:  # the room it had, had every event gone in at once
                change.room = bound - (self.accepted - change.removed)
            if change.room > 0:
                taken = change.events.take(min(TAKE, change.room))
                self.built += len(taken)
                wanted = [event for event in taken if event.type in types]
                for event in wanted:
                    sender.put(Delivery(event))
                self.emitted += len(wanted)
                change.room -= len(wanted)
                self.accepted += len(wanted)
            if change.events.done or change.room <= 0:
                line.popleft()
                if not change.events.done:
                    counting.append(change)
            if time.perf_counter() >= end:
                return bool(line or counting)
        while counting:
            change = counting[0]
            dropped = change.events.count_rest(types, COUNT)
            self.emitted += dropped
            sender.dropped += dropped
            if change.events.done:
                counting.popleft()
            if time.perf_counter() >= end:
                return bool(counting)
        return False

    def keep_reading(self) -> None:
        """Read what is left in a task of its own (when a loop runs), a slice at a time."""
        if self.reader is None or self.reader.done():
            with contextlib.suppress(RuntimeError):  # no running loop: read when one runs
                self.reader = asyncio.get_running_loop().create_task(self._reading())

    async def _reading(self) -> None:
        while self.read(SLICE):
            await asyncio.sleep(0)  # the API's requests are served between two slices
