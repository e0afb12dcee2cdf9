"""``fake-meetings serve`` as a real subprocess: started, its start-up lines read with a bound."""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from collections.abc import Sequence


def read_lines(proc: subprocess.Popen[bytes], count: int, timeout: float) -> list[str]:
    """Up to ``count`` stdout lines, waiting at most ``timeout`` s (less if the process exits)."""
    assert proc.stdout is not None
    buf = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while buf.count(b"\n") < count:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if not sel.select(timeout=min(left, 0.5)):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
    return buf.decode().splitlines()


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without FAKE_MEETINGS_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKE_MEETINGS_")}
    env.pop("PYTHONSTARTUP", None)
    env.update(extra)
    return env


def start_serve(
    args: Sequence[str], cwd: str | os.PathLike[str], env: dict[str, str], timeout: float = 20
) -> tuple[subprocess.Popen[bytes], list[str]]:
    """Start ``fake-meetings serve`` as a subprocess and read its two start-up lines; a server
    that does not start fails the test with its stderr (and is killed)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "fake_meetings", "serve", *args],
        cwd=cwd,
        env=clean_env(**env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines = read_lines(proc, 2, timeout)
    if len(lines) < 2:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        raise AssertionError(
            f"server did not start: stdout={lines!r} stderr={err.decode(errors='replace')}"
        )
    return proc, lines
