"""The Daily reader used by ``fake-meetings capture``: ``GET`` requests to Daily's REST API (or
any fake-meetings server) with the user's key, paced under the rate limit and retried.

- Pacing: at most ``rate`` requests in any second and ``5 * rate`` in any 5 s (Daily's limit is
  20 and 100), with a small margin for the network's jitter; ``GET /recordings`` in the same
  share of its own tier's limits (at 20: 2 a second and 50 in 30 s; ``domain/ratelimits.py``).
- 429: wait ``Retry-After`` seconds when the answer gives it (at most ``MAX_WAIT``), else an
  exponential backoff; then retry. 5xx, a dropped connection or a timeout: the same backoff.
  After ``max_retries`` retries of one request it gives up with :class:`SourceError`.
- Other 4xx answers are not retried: a wrong key or a bad filter will not get better. Nor is
  a redirect followed (the key would go along): it is an error naming the status.
- ``timeout`` bounds a whole answer, from connecting to its last byte (a deadline across reads,
  not each read's: a source dripping a byte a second is cut off at the deadline, and the request
  counts as timed out); an answer holds at most ``MAX_ANSWER`` bytes.
- Paging with ``starting_after`` ends at an empty page; a cursor that comes back (a source
  paging in a cycle, however long) is an error.

The key is sent in the ``Authorization`` header only; no message ever contains it.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..domain.ratelimits import GENERAL, TIERS, Tier, tier_of

DAILY_API = "https://api.daily.co/v1"
PAGE = 100  # the largest page Daily serves
MAX_WAIT = 300.0  # seconds: the longest Retry-After or backoff honoured
MAX_ANSWER = 64 * 1024 * 1024  # bytes of one answer (a page of 100 sessions is far less)
MAX_ERROR = 64 * 1024  # bytes of an error answer read for its message
MARGIN = 0.1  # seconds added to the pacing windows (a request answered late counts late)
_LOCAL = ("127.0.0.1", "localhost", "::1")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: following it would send the key to wherever it points."""

    def redirect_request(self, *args: Any) -> None:
        return None


class _Deadline:
    """One request's deadline: when it passes, a timer shuts the request's socket down from a
    thread of its own, so a read blocked on a source that drips bytes (or stalls between them)
    returns at once; the request then counts as timed out. A socket timeout only bounds each
    read, and a source that sends a byte before each one runs out never trips it."""

    def __init__(self, seconds: float):
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, sock: socket.socket) -> None:
        """The request's connection is open on ``sock`` (from its ``connect``)."""
        with self._lock:
            self._sock = sock
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shut(self._sock)

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._sock = None  # closed next: never shut down after this


def _shut(sock: socket.socket) -> None:
    # the plain socket's shutdown, under TLS too: wakes a read blocked in another thread
    with contextlib.suppress(OSError):  # closed already
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_current = threading.local()  # .deadline: the _Deadline of the request this thread is making


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        deadline: _Deadline | None = getattr(_current, "deadline", None)
        if deadline is not None and self.sock is not None:
            deadline.attach(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        deadline: _Deadline | None = getattr(_current, "deadline", None)
        if deadline is not None and self.sock is not None:
            deadline.attach(self.sock)


_WATCHED: dict[type, type] = {
    http.client.HTTPConnection: _HTTPConnection,
    http.client.HTTPSConnection: _HTTPSConnection,
}


class _Watching:
    """urllib's handlers, opening connections whose socket the request's deadline can shut."""

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        watched = _WATCHED.get(http_class, http_class)
        return super().do_open(watched, req, **kwargs)  # type: ignore[misc]


class _HTTPHandler(_Watching, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_Watching, urllib.request.HTTPSHandler):
    pass


class SourceError(RuntimeError):
    """The source refused, or failed too often; the message is for the user."""


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class Pacer:
    """Waits before a request so that at most ``rate`` go out in any second and
    ``per_window`` (by default ``rate`` a second) in any ``window`` seconds."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        *,
        window: int = 5,
        per_window: int | None = None,
    ):
        self.per_second = max(1, int(rate))
        self.window = window
        self.per_window = max(1, int(window * rate) if per_window is None else per_window)
        self._clock, self._sleep = clock, sleep
        self._sent: deque[float] = deque()

    @classmethod
    def within(cls, tier: Tier, rate: float) -> Pacer:
        """A pacer for the routes of ``tier`` that keeps to the same share of the tier's
        limits as ``rate`` is of the general tier's (at Daily's 20 a second: the tier's)."""
        share = rate / GENERAL.per_second
        per_window = max(1, int(tier.per_window * share))
        return cls(tier.per_second * share, window=tier.window, per_window=per_window)

    def wait(self) -> None:
        while True:
            now = self._clock()
            while self._sent and self._sent[0] <= now - self.window - MARGIN:
                self._sent.popleft()
            recent = sum(1 for t in self._sent if t > now - 1 - MARGIN)
            waits = []
            if recent >= self.per_second:
                waits.append(self._sent[-self.per_second] + 1 + MARGIN - now)
            if len(self._sent) >= self.per_window:
                waits.append(self._sent[-self.per_window] + self.window + MARGIN - now)
            if not waits or max(waits) <= 0:
                self._sent.append(now)
                return
            self._sleep(max(waits))


class DailyReader:
    """``GET`` JSON from ``base_url`` (e.g. ``https://api.daily.co/v1``) with pacing and
    retries; counts its ``requests`` and ``retries``."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        rate: float = 20,
        max_retries: int = 6,
        backoff: float = 1.0,
        timeout: float = 30,
        on_retry: Callable[[str], None] = lambda message: None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.max_retries, self.backoff, self.timeout = max_retries, backoff, timeout
        self.on_retry, self._sleep = on_retry, sleep
        self.pacer = Pacer(rate)  # the general tier's routes
        # the routes of Daily's smaller tiers (GET /recordings): each tier paced on its own
        self._pacers = {tier: Pacer.within(tier, rate) for tier in TIERS if tier is not GENERAL}
        self.requests = self.retries = 0
        host = urllib.parse.urlsplit(self.base_url).hostname or ""
        proxies = urllib.request.ProxyHandler({} if host in _LOCAL else None)
        self._opener = urllib.request.build_opener(
            proxies, _NoRedirect(), _HTTPHandler(), _HTTPSHandler()
        )

    def pacer_for(self, path: str) -> Pacer:
        """The pacer of ``GET path``'s tier (``path`` without the base URL and query)."""
        return self._pacers.get(tier_of("GET", path), self.pacer)

    def _safe(self, text: str) -> str:
        """``text`` with the key blotted out, should an answer ever echo it."""
        return text.replace(self._key, "***") if self._key else text

    def get(self, path: str, query: Mapping[str, str | int] | None = None) -> Any:
        return self.answer(path, query)[1]

    def answer(
        self, path: str, query: Mapping[str, str | int] | None = None, *, refusals: bool = False
    ) -> tuple[int, Any]:
        """``(status, JSON body)`` of ``GET path?query``; with ``refusals``, a 4xx other than
        429 is an answer too (its JSON envelope, or None), not a :class:`SourceError`."""
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        shown = self._safe(url)
        headers = {"Authorization": f"Bearer {self._key}", "Accept": "application/json"}
        attempt = 0
        pacer = self.pacer_for(path)
        while True:
            pacer.wait()
            self.requests += 1
            wait: float | None = None
            deadline = _current.deadline = _Deadline(self.timeout)
            try:
                request = urllib.request.Request(url, headers=headers, method="GET")
                with self._opener.open(request, timeout=self.timeout) as response:
                    raw = response.read(MAX_ANSWER + 1)
                    status = response.status
                if deadline.expired:  # an answer without a length ends early, not in error
                    raise TimeoutError
                if len(raw) > MAX_ANSWER:
                    raise SourceError(
                        f"GET {shown} answered more than {MAX_ANSWER // 2**20} MiB; "
                        "is --base-url a Daily REST API?"
                    )
                break
            except urllib.error.HTTPError as exc:
                body = self._error_body(exc)
                if refusals and 400 <= exc.code < 500 and exc.code != 429:
                    return exc.code, _json_or_none(body)
                problem = f"{exc.code} {self._envelope(body)}"
                if exc.code == 429:
                    wait = retry_after(exc.headers.get("Retry-After"), time.time())
                elif exc.code < 500:
                    raise SourceError(f"GET {shown} answered {problem}{_hint(exc.code)}") from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                # refused, dropped, timed out, cut short
                problem = self._safe(str(getattr(exc, "reason", exc)) or type(exc).__name__)
            finally:
                deadline.stop()
                _current.deadline = None
            if deadline.expired:
                problem = f"no whole answer within {self.timeout:g} s"
            if attempt >= self.max_retries:
                raise SourceError(
                    f"gave up on GET {shown}: {problem} (after {attempt} retries)"
                ) from None
            attempt += 1
            self.retries += 1
            if wait is None:
                wait = self.backoff * 2 ** (attempt - 1) * random.uniform(0.75, 1.25)
            wait = min(wait, MAX_WAIT)
            self.on_retry(
                f"GET {shown}: {problem}; retry {attempt} of {self.max_retries} in {wait:.2f} s"
            )
            self._sleep(wait)
        try:
            return status, json.loads(raw)
        except ValueError:
            raise SourceError(f"GET {shown} answered something that is not JSON") from None

    @staticmethod
    def _error_body(exc: urllib.error.HTTPError) -> bytes:
        try:
            return exc.read(MAX_ERROR)
        except (OSError, http.client.HTTPException):  # cut short (the deadline, say)
            return b""

    def _envelope(self, raw: bytes) -> str:
        try:
            body = json.loads(raw)
            text = f"{body.get('error')}: {body.get('info')}"
        except (ValueError, AttributeError):
            text = raw[:200].decode("utf-8", "replace")
        return self._safe(text)

    def pages(
        self, path: str, query: Mapping[str, str | int], size: int = PAGE, key: str = "id"
    ) -> Iterator[tuple[int | None, list[Any]]]:
        """``(total_count, items)`` of each page of a Daily list route, newest first, walked
        with ``starting_after`` (an item's ``key``: ``transcriptId`` for transcripts) until a
        page comes back empty. A page that repeats items of the
        one before, or whose last id was a cursor already, is an error: the walk would cycle."""
        after: str | None = None
        previous: set[Any] = set()
        cursors: set[str] = set()  # every starting_after sent: one per page
        while True:
            params: dict[str, str | int] = {**query, "limit": size}
            if after is not None:
                params["starting_after"] = after
            body = self.get(path, params)
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise SourceError(f"GET {self._safe(self.base_url + path)} answered no data list")
            total = body.get("total_count")
            yield (total if type(total) is int else None), data
            if not data:
                return
            ids = {item.get(key) for item in data if isinstance(item, dict)}
            last = data[-1].get(key) if isinstance(data[-1], dict) else None
            if not isinstance(last, str) or ids & previous:
                raise SourceError(f"{path}: a page repeats items or has no id to page on")
            if last in cursors:
                raise SourceError(
                    f"{path}: page {len(cursors) + 1:,} ends where an earlier page ended (its "
                    "last id was a cursor already): the source pages in a cycle"
                )
            cursors.add(last)
            after, previous = last, ids


def _json_or_none(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _hint(status: int) -> str:
    if 300 <= status < 400:
        return " (a redirect, not followed so the key goes nowhere else: check --base-url)"
    if status == 401:
        return " (check the API key: --api-key or DAILY_API_KEY)"
    if status == 403:
        return " (the key cannot read this: is it the account's API key?)"
    if status == 404:
        return " (check --base-url: it should end in /v1, like https://api.daily.co/v1)"
    return ""
