"""Sending events to a webhook's URL, off the request path (contract part two, §13).

One :class:`Sender` per namespace: events wait in a bounded outbox and one task sends them in
order, each signed at the moment it is sent. Success is HTTP 200 only; redirects are not
followed. The policies:

- ``circuit-breaker`` (Daily's default): one try per event; each failure counts, a success
  resets the count, and at 3 failures in a row the webhook turns FAILED: nothing more is sent
  (what is waiting is marked ``skipped``) until it is updated;
- ``exponential``: up to 5 tries per event, waiting ``retry_delays`` between them (Daily: up to
  15 minutes; the fake's delays are options so tests stay fast [F]).

Bounds [F]: every try ends within ``timeout`` seconds (connect to status line); the outbox holds
``outbox`` events (no more is put in it: see ``eventline.py`` for what happens to the rest);
the log of recent deliveries keeps ``log``. A waiting event's body is written when it is sent
(or shown), so the outbox holds events, not their JSON.

A URL whose host ``--webhook-allow`` does not name is never dialled. A failed try says what
kind of failure it was (refused, timed out, not HTTP, ...) in words of its own: nothing a peer
sent is quoted, so a webhook URL tells no more about a port than whether an HTTP server
answering 200 is there (a port scanner learns little from it).
"""

from __future__ import annotations

import asyncio
import errno
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from ..domain.recordingevents import AnyEvent
from ..domain.webhook import CIRCUIT_BREAKER, FAILED, Webhook
from . import jsjson, signing
from .settings import ALLOW_OPTION, Timing, host_allowed

PROBE_BODY = b'{"test":"test"}'


@dataclass(slots=True)
class Attempt:
    at: float  # wall-clock unix time the try started
    status: int | None  # the receiver's HTTP status, None when there was none
    error: str | None  # why there was no answer (timeout, refused, ...), or None
    elapsed_ms: float

    @property
    def ok(self) -> bool:
        return self.status == 200

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "status": self.status,
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


@dataclass(slots=True)
class Delivery:
    """One event on its way: ``pending``, then ``delivered``, ``failed`` or ``skipped``. Its
    body is written the first time it is read (by the try that sends it, or the log shown), so
    an event waiting in the outbox holds its :class:`Event` and this record, not its JSON."""

    event: AnyEvent
    state: str = "pending"
    attempts: list[Attempt] = field(default_factory=list)
    written: bytes | None = None

    @property
    def body(self) -> bytes:
        """Exactly the bytes sent (JavaScript's ``JSON.stringify`` of the envelope)."""
        if self.written is None:
            self.written = jsjson.stringify(self.event.envelope())
        return self.written

    def as_json(self) -> dict[str, Any]:
        event = self.event
        return {
            "id": event.id,
            "type": event.type,
            "instant": event.instant,
            "state": self.state,
            "attempts": [a.as_json() for a in self.attempts],
            "body": self.body.decode("utf-8"),  # exactly the bytes sent (UTF-8 JSON)
        }


class Sender:
    """The outbox and the task that empties it. ``hook`` reads the current webhook (None: none
    configured); ``record(ok)`` tells the owner how a try went (it keeps ``failedCount`` and
    ``state``); ``stamp`` gives ``X-Webhook-Timestamp`` for a try starting now."""

    def __init__(
        self,
        timing: Timing,
        hook: Callable[[], Webhook | None],
        record: Callable[[bool], None],
        stamp: Callable[[], int],
        allow: frozenset[str] | None = None,
    ):
        self.timing = timing
        self.allow = allow  # the hosts a try may dial (None: any)
        self._hook, self._record, self._stamp = hook, record, stamp
        self.outbox: deque[Delivery] = deque()
        self.log: deque[Delivery] = deque(maxlen=timing.log)
        self.dropped = 0  # events the full outbox could not take
        self.removed = 0  # events that left the outbox (sent, failed or skipped), ever
        self.delivered = 0  # events answered 200, since start-up or the last clear
        self.failed = 0  # events that ran out of tries
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def idle(self) -> bool:
        """Nothing waits or is being sent."""
        return self._idle.is_set()

    @property
    def full(self) -> bool:
        return len(self.outbox) >= self.timing.outbox

    def put(self, delivery: Delivery) -> None:
        """Queue an event (from the server's loop); a full outbox drops it and counts it."""
        if self.full:
            self.dropped += 1
            return
        self.outbox.append(delivery)
        self.log.append(delivery)
        self._idle.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def clear(self) -> None:
        """Forget the log and the dropped count (what waits is still sent)."""
        self.log.clear()
        self.log.extend(self.outbox)
        self.dropped = self.delivered = self.failed = 0

    def skip_waiting(self) -> None:
        """The webhook is gone or FAILED: what waits is not sent."""
        self.removed += len(self.outbox)
        while self.outbox:
            self.outbox.popleft().state = "skipped"
        if self._task is None or self._task.done():
            self._idle.set()

    async def settle(self, timeout: float) -> bool:
        """Wait until nothing waits or is being sent, at most ``timeout`` seconds; whether it
        settled."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def probe(self, url: str, key: bytes, basic_auth: str | None) -> Attempt:
        """Daily's check before a webhook is created or updated: ``{"test":"test"}``, signed."""
        return await self._try(url, key, basic_auth, PROBE_BODY)

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        self.skip_waiting()
        self._idle.set()

    async def _run(self) -> None:
        try:
            while self.outbox:
                hook = self._hook()
                if hook is None or hook.state == FAILED:
                    self.skip_waiting()
                    break
                delivery = self.outbox[0]
                await self._deliver(delivery, hook)
                if self.outbox and self.outbox[0] is delivery:
                    self.outbox.popleft()
                    self.removed += 1
        finally:
            if not self.outbox:
                self._idle.set()

    async def _deliver(self, delivery: Delivery, hook: Webhook) -> None:
        tries = 1 if hook.retry_type == CIRCUIT_BREAKER else 1 + len(self.timing.retry_delays)
        for n in range(tries):
            if n:
                await asyncio.sleep(self.timing.retry_delays[n - 1])
                current = self._hook()
                if current is None or current.uuid != hook.uuid or current.state == FAILED:
                    delivery.state = "skipped"
                    return
                hook = current
            attempt = await self._try(hook.url, hook.key, hook.basic_auth, delivery.body)
            delivery.attempts.append(attempt)
            self._record(attempt.ok)
            if attempt.ok:
                delivery.state = "delivered"
                self.delivered += 1
                return
            current = self._hook()
            if current is None or current.state == FAILED:
                break
        delivery.state = "failed"
        self.failed += 1

    def allows(self, url: str) -> bool:
        """Whether a try may dial ``url`` (``--webhook-allow`` names its host, or is not set)."""
        return host_allowed(self.allow, url)

    async def _try(self, url: str, key: bytes, basic_auth: str | None, body: bytes) -> Attempt:
        started, t0 = time.time(), time.perf_counter()
        if not self.allows(url):  # e.g. a scenario's webhook: block: refused, never dialled
            return Attempt(started, None, f"host not allowed by {ALLOW_OPTION}", 0.0)
        headers = signing.headers(key, self._stamp(), body, basic_auth)
        status: int | None = None
        error: str | None = None
        try:
            session = self._client()
            async with session.post(url, data=body, headers=headers, allow_redirects=False) as r:
                status = r.status
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            error = failure(exc, self.timing.timeout)
        return Attempt(started, status, error, (time.perf_counter() - t0) * 1e3)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timing.timeout),
                skip_auto_headers=("User-Agent",),
                headers={"User-Agent": "fake-meetings-webhooks"},
            )
        return self._session


def failure(exc: BaseException, timeout: float) -> str:
    """What kind of failure a try met, in the fake's words: never the exception's text, which
    can quote what the peer sent (a non-HTTP server's banner) or the address dialled."""
    if isinstance(exc, TimeoutError):  # aiohttp's timeouts are TimeoutErrors too
        return f"timed out: no answer within {timeout:g} s"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "could not connect: the host name did not resolve"
    if isinstance(exc, aiohttp.ClientSSLError):  # certificate errors included
        return "could not connect: the TLS handshake failed"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"could not connect: {_os_failure(exc.os_error)}"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the connection closed without an HTTP answer"
    if isinstance(exc, aiohttp.ClientResponseError):  # a status line or headers not HTTP's
        return "answered something that is not HTTP"
    if isinstance(exc, aiohttp.InvalidURL):
        return "the URL cannot be dialled"
    if isinstance(exc, OSError):  # aiohttp.ClientOSError included (a reset connection, ...)
        return f"the connection failed: {_os_failure(exc)}"
    return f"the request failed ({type(exc).__name__})"


def _os_failure(exc: OSError) -> str:
    if exc.errno == errno.ECONNREFUSED:
        return "connection refused"
    name = errno.errorcode.get(exc.errno or 0)
    return f"{name} ({exc.strerror})" if name and exc.strerror else name or type(exc).__name__
