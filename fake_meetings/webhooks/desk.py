"""A namespace's webhook: its configuration (at most one, as a Daily domain), the events its
timeline emits, and their delivery.

The desk listens to the namespace's changes (``Moved``). Events are emitted for the instants
the clock passes going forward *after* the webhook exists [F]: the desk keeps a mark, the
clock's instant it has emitted up to, which follows the clock; a clock set back emits nothing,
and moving forward again passes (and emits) those instants again, with the same event ids. A
live join or leave emits its events at once.
With the clock running in real time, a task wakes at the next instant with an event.

A change's events are read lazily, in line (``eventline.py``): into the sender's outbox while
it has room, the rest counted as dropped, a slice at a time between two turns of the event loop.

A reset returns to the start-up webhook (``serve --webhook-url``), or none, with an empty log,
and to the start-up ``X-Webhook-Timestamp`` mode.

``X-Webhook-Timestamp`` (and the signed string) is the wall-clock time of each try by default,
as Daily stamps the time it sends [?]; with the mode ``clock`` it is the server clock's instant
instead, for a receiver whose own clock is frozen to the fake's. ``event_ts`` and the payload's
times are on the server clock in both.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from ..domain import events as events_
from ..domain import recordingevents as recorded
from ..domain import webhook as config
from ..domain.clock import Clock
from ..domain.domainconfig import DOMAIN_ID
from ..domain.events import Moved, Passing
from ..domain.ids import seeded_uuid
from ..domain.recordingevents import AnyEvent, Merged, Shelf
from ..domain.store import Store
from ..domain.transcriptevents import changed_now
from ..domain.webhook import CLOCK, FAILED, WALL, Webhook
from ..errors import invalid, not_found
from .delivery import Sender
from .eventline import EventLine, Given
from .settings import ALLOW_OPTION, Settings, host_of

HOOKS_SEED = 2  # webhook uuids come from a generator seeded with this at every reset
MAX_WAIT = 60.0  # seconds the real-time task sleeps at most before looking again


class WebhookDesk:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        store: Callable[[], Store],
        shelf: Callable[[], Shelf] | None = None,
    ):
        self.settings = settings
        self._clock, self._store = clock, store
        self._shelf = shelf or Shelf  # the recordings' events are read from it
        self.hook: Webhook | None = None
        self.mark = clock.now()
        self.timestamp = WALL  # X-Webhook-Timestamp: WALL or CLOCK (set by _startup)
        self.sender = Sender(
            settings.timing, lambda: self.hook, self._record, self._stamp, settings.allow
        )
        self.line = EventLine(self.sender, lambda: self.hook)  # changes whose events are read
        self._ids = random.Random(HOOKS_SEED)
        self._ticker: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._startup()

    def _startup(self) -> None:
        self._ids = random.Random(HOOKS_SEED)
        body = self.settings.startup
        now = self._clock.now()
        given = body.get("timestamp") if body is not None else None  # a start-up scenario's
        self.timestamp = self.settings.timestamp or given or WALL  # a flag beats the file
        self.hook = None if body is None else config.created(body, self._uuid(), DOMAIN_ID, now)
        self.mark = now
        self.start()

    def _uuid(self) -> str:
        return seeded_uuid(self._ids)

    def _stamp(self) -> int:
        """``X-Webhook-Timestamp`` of a try starting now (unix seconds)."""
        return self._clock.now() if self.timestamp == CLOCK else int(time.time())

    # -- configuration (the routes /webhooks)

    def get(self, uuid: str) -> Webhook:
        if self.hook is None or self.hook.uuid != uuid:
            raise not_found(f"webhook {uuid} not found")
        return self.hook

    async def create(self, body: Mapping[str, Any]) -> Webhook:
        if self.hook is not None:
            raise invalid(
                f"this domain has a webhook already ({self.hook.uuid}); a domain has one: "
                "update it with POST /webhooks/:uuid or delete it first"
            )
        hook = config.created(body, self._uuid(), DOMAIN_ID, self._clock.now())
        await self._probe(hook)
        if self.hook is not None:  # another create won while this one was probing
            raise invalid(f"this domain has a webhook already ({self.hook.uuid})")
        self.hook, self.mark = hook, self._clock.now()
        self.start()
        return hook

    def configure(self, body: Mapping[str, Any]) -> Webhook:
        """A scenario's `webhook:` (already checked): it replaces the webhook, without the
        test request (the file is trusted like the start-up options); its ``timestamp``, when
        given, becomes the namespace's mode."""
        self.line.forget()
        if body.get("timestamp") is not None:
            self.timestamp = config.timestamp_mode(body["timestamp"])
        self.hook = config.created(body, self._uuid(), DOMAIN_ID, self._clock.now())
        self.mark = self._clock.now()
        self.start()
        return self.hook

    async def update(self, uuid: str, body: Mapping[str, Any]) -> Webhook:
        hook = config.updated(self.get(uuid), body, self._clock.now())
        await self._probe(hook)
        if self.hook is None or self.hook.uuid != uuid:
            raise not_found(f"webhook {uuid} not found")
        if self.hook.state == FAILED:  # re-activated: events from now on
            self.mark = self._clock.now()
        self.hook = hook
        self.start()
        return hook

    def delete(self, uuid: str) -> Webhook:
        hook = self.get(uuid)
        self.hook = None
        self.line.forget()
        return hook

    async def _probe(self, hook: Webhook) -> None:
        allow = self.settings.allow
        if allow is not None and not self.settings.allows(hook.url):  # refused, never dialled
            raise invalid(
                f"url: the host {host_of(hook.url)!r} is not one this server sends webhooks "
                f"to: {ALLOW_OPTION} (env FAKE_MEETINGS_WEBHOOK_ALLOW) allows "
                f"{', '.join(sorted(allow))}"
            )
        attempt = await self.sender.probe(hook.url, hook.key, hook.basic_auth)
        if not attempt.ok:
            why = (
                f"answered HTTP status {attempt.status}"
                if attempt.status is not None
                else f"failed ({attempt.error})"
            )
            raise invalid(
                f'url: the test request to {hook.url} (a signed POST of {{"test":"test"}}) '
                f"{why}; the receiver must answer 200 before the webhook is saved"
            )

    def _record(self, ok: bool) -> None:
        hook = self.hook
        if hook is None:
            return
        if ok:
            self.hook = replace(hook, failed_count=0, last_moment_pushed=self._clock.now())
            return
        failed = hook.failed_count + 1
        broken = hook.retry_type == config.CIRCUIT_BREAKER and failed >= self.sender.timing.breaker
        self.hook = replace(hook, failed_count=failed, state=FAILED if broken else hook.state)

    # -- events

    def listen(self, moved: Moved) -> None:
        """A namespace's change (on the server's loop)."""
        if moved.kind == "reset":
            self.line.forget()
            self.sender.clear()
            self.line.emitted = self.line.built = 0
            self._startup()
            return
        self._changed.set()
        if self.hook is None:
            self.mark = moved.after
            return
        delay = self.settings.ended_delay
        if moved.session is not None and moved.stay is not None:
            found: list[AnyEvent] = [
                *events_.at_change(
                    moved.session,
                    moved.stay,
                    moved.after,
                    joined=moved.kind == "join",
                    ended_delay=delay,
                )
            ]
            if moved.kind == "leave":  # the session's end stops its recordings
                found += recorded.ended_now(self._shelf(), moved.session, moved.after)
            self.line.put(Given(found))
        elif moved.recording is not None:
            shelf, r = self._shelf(), moved.recording
            if moved.kind == "recording-started":
                self.line.put(Given([*recorded.started_now(shelf, moved.store, r)]))
            else:
                self.line.put(Given([*recorded.stopped_now(shelf, moved.store, r, moved.after)]))
        elif moved.transcript is not None:
            shelf, t = self._shelf(), moved.transcript
            made = changed_now(moved.kind, t, moved.store, moved.after, shelf.place, DOMAIN_ID)
            self.line.put(Given([*made]))
        else:
            self.line.put(self._passing(moved.store, self.mark, moved.after))
        self.mark = moved.after
        self.start()

    def _passing(self, store: Store, before: int, after: int) -> Merged:
        """The session and recording events a clock going from ``before`` to ``after`` passes."""
        shelf = self._shelf()
        sessions = Passing(store, before, after, self.settings.ended_delay)
        return Merged(sessions, recorded.between(shelf, store, before, after))

    # -- the clock running in real time

    def start(self) -> None:
        """Run the real-time task if there is a webhook, a running clock and a loop."""
        if self.hook is None or self._clock.frozen:
            return
        if self._ticker is not None and not self._ticker.done():
            return
        with contextlib.suppress(RuntimeError):  # no running loop: started by the app later
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        delay = self.settings.ended_delay
        while self.hook is not None and not self._clock.frozen:
            now = self._clock.now()
            if now > self.mark:
                self.line.put(self._passing(self._store(), self.mark, now))
                self.mark = now
            store = self._store()
            upcoming = events_.next_instant(store, self.mark, delay)
            recording = recorded.next_instant(self._shelf(), store, self.mark)
            if recording is not None and (upcoming is None or recording < upcoming):
                upcoming = recording
            wait = MAX_WAIT if upcoming is None else self._clock.seconds_until(upcoming)
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(MAX_WAIT, max(0.01, wait)))

    @property
    def idle(self) -> bool:
        """Every change's events are read, and nothing waits to be sent."""
        return not self.line.reading and self.sender.idle

    async def settle(self, timeout: float) -> bool:
        """Wait until :attr:`idle`, at most ``timeout`` seconds; whether it is."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.idle:
            left = deadline - loop.time()
            if left <= 0:
                return False
            reader = self.line.reader
            if self.line.reading and reader is not None and not reader.done():
                await asyncio.wait({reader}, timeout=left)
            elif not await self.sender.settle(left):
                return False
            elif self.line.reading:  # read by nobody (no loop ran when it came): read now
                self.line.keep_reading()
                await asyncio.sleep(0)
        return True

    def drop(self) -> None:
        """The namespace is gone: stop the tasks; what waits is not sent."""
        if self._ticker is not None:
            self._ticker.cancel()
        if self.line.reader is not None:
            self.line.reader.cancel()
        self.line.clear()
        self.hook = None
        with contextlib.suppress(RuntimeError):  # kept: a task nobody holds may be collected
            self._closing = asyncio.get_running_loop().create_task(self.sender.close())

    async def close(self) -> None:
        for task in (self._ticker, self.line.reader):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self.line.clear()
        await self.sender.close()

    def summary(self, limit: int) -> dict[str, Any]:
        """What ``GET /_fake/webhooks/deliveries`` shows."""
        log = list(self.sender.log)[-limit:] if limit else []
        return {
            "webhook": None if self.hook is None else _public(self.hook),
            "timestamp": self.timestamp,
            "emitted": self.line.emitted,
            "built": self.line.built,
            "reading": self.line.reading,
            "pending": len(self.sender.outbox),
            "delivered": self.sender.delivered,
            "failed": self.sender.failed,
            "dropped": self.sender.dropped,
            "deliveries": [d.as_json() for d in log],
        }


def _public(hook: Webhook) -> dict[str, Any]:
    """The webhook without its secrets (hmac, basicAuth), for the control plane."""
    shown = hook.as_json()
    del shown["hmac"], shown["basicAuth"]
    return shown
