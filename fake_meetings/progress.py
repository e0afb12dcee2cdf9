"""Progress of long start-up work (generating, reading files, indexing, writing) on stderr.

Plain lines, never a ``\\r`` bar, so they read the same in a terminal and in a CI log. Small runs
stay quiet: a step prints nothing unless it is large (``loud``, e.g. 100,000 sessions or more)
or still running after ``QUIET`` seconds. Then it prints a line at each tenth of a known total
(or every ``EVERY`` seconds while the total is unknown, or between two tenths), and a closing
line with its duration.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

QUIET = 2.0  # seconds of silence before a small step reports
EVERY = 2.0  # seconds between two lines of a step that is slow between tenths
LARGE = 100_000  # sessions from which a step reports whatever its speed
PREFIX = "fake-meetings: "


class Progress:
    """``with Progress("generating", total=n) as p: ... p.update(done)``; with ``enabled=False``
    it does nothing (for callers that report only when asked)."""

    def __init__(
        self,
        what: str,
        *,
        total: int | None = None,
        loud: bool = False,
        enabled: bool = True,
        stream: TextIO | None = None,
    ) -> None:
        self.enabled = enabled
        self.what = what
        self.total = total
        self.loud = loud
        self.stream = stream
        self.done = 0
        self._tenth = 0
        self._printed = False
        self._started = self._last = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> Progress:
        self._started = self._last = time.monotonic()
        if not self.enabled:
            return self
        if self.loud:
            size = f" ({self.total:,})" if self.total is not None else ""
            self._line(f"{self.what}{size}...")
        self._ticker = threading.Thread(target=self._tick, name="fake-meetings-progress")
        self._ticker.daemon = True
        self._ticker.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._printed and kind is None:
            self._line(f"{self.what}: done in {time.monotonic() - self._started:.1f} s")

    def update(self, done: int) -> None:
        """``done`` units of ``total`` are done (cheap: call it as often as convenient)."""
        self.done = done
        if not self.total or not self.enabled:
            return
        tenth = min(10, 10 * done // self.total)
        if tenth > self._tenth:
            self._tenth = tenth
            if self.loud or time.monotonic() - self._started >= QUIET:
                self._line(self._status())

    def _status(self) -> str:
        elapsed = time.monotonic() - self._started
        if self.total:
            share = 100 * self.done // self.total
            return f"{self.what}: {self.done:,}/{self.total:,} ({share}%) after {elapsed:.1f} s"
        return f"{self.what}: still working after {elapsed:.0f} s"

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            now = time.monotonic()
            if now - self._started >= QUIET and now - self._last >= EVERY:
                self._line(self._status())

    def _line(self, text: str) -> None:
        with self._lock:
            stream = self.stream if self.stream is not None else sys.stderr
            print(PREFIX + text, file=stream, flush=True)
            self._printed = True
            self._last = time.monotonic()
