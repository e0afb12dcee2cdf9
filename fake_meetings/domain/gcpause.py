"""Pause Python's cyclic garbage collector while building large acyclic structures.

Generating or indexing a million sessions creates millions of objects and no reference cycles;
the collector's full passes over that growing heap would otherwise cost a third of the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
