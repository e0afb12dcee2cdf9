"""Writing a file so that it is whole or absent: the commands that write scenarios (``generate
-o``, ``capture``) write a temporary file beside the output, then rename it over the output.

The temporary file gets a unique name, created exclusively (``tempfile.mkstemp``: a file or a
symbolic link already there under any name is never opened, nor followed), in the output's own
directory, so the rename is atomic. Ctrl-C and SIGTERM end the writing like an error: the
temporary files are removed and the output is as it was (``interruptible``).
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TextIO

from .options import UsageError


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: nothing written (exit status 143 instead of 130)."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def interruptible() -> Iterator[None]:
    """Within: Ctrl-C and SIGTERM raise (``KeyboardInterrupt``, :class:`Terminated`), whatever
    the parent process set, so that clean-up runs. Only the main thread can set handlers; in
    another one this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def temp_beside(path: Path, suffix: str) -> tuple[int, Path]:
    """A new, empty temporary file in ``path``'s directory (named ``.<name>.<random><suffix>``),
    created exclusively: its descriptor (open for writing) and its path."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    return fd, Path(name)


def _mode() -> int:
    """The mode a new file gets here (0666 less the umask), as ``open`` would give it."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def publish(out: TextIO, temp: Path, path: Path) -> None:
    """Close ``out`` (the temporary file ``temp``) once on disk, give it a new file's mode
    (``mkstemp`` makes it private), and rename it over ``path``."""
    out.flush()
    os.fsync(out.fileno())
    out.close()
    os.chmod(temp, _mode())
    try:
        os.replace(temp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


@contextmanager
def replacing(path: Path) -> Iterator[TextIO]:
    """``with replacing(path) as out:`` text written to ``out`` is at ``path`` once the block
    ends without an error, all at once; after an error or a signal, ``path`` is as it was and
    no temporary file is left."""
    with interruptible():
        out: TextIO | None = None
        temp: Path | None = None
        try:
            with _signals_held():  # a signal now would leave a file nobody removes
                fd, temp = temp_beside(path, ".tmp")
                out = os.fdopen(fd, "w", encoding="utf-8")
            yield out
            publish(out, temp, path)
        finally:
            if out is not None:
                out.close()
            if temp is not None:
                temp.unlink(missing_ok=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait (pending) until the block ends: the temporary file and the names
    that let the clean-up find it come into being together."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
