"""Recordings of generated sessions: a seeded share of the sessions (``GenerateSpec.recorded``)
is recorded, once, sometimes twice one after the other.

A recording is drawn from what the store indexes (the session's id, room, start and end), never
from its stays, so generating recordings leaves every session undrawn (``drawn.py``). Each
recording starts inside its session, mostly in its first minutes; most run until everyone left
(or until ``max_duration``), the others stop at a declared end before that. The server clock
does the rest: a recording of a session going on now is ``in-progress``, and one that starts
after now is not listed yet. A small share is canceled; most are ``cloud`` recordings.

The draws come from a generator of their own, seeded by the spec's seed, so the sessions are
the same whatever the share, and a share of 0 draws nothing at all. The same spec and sessions
give the same recordings, ids included.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from .gcpause import gc_paused
from .ids import seeded_uuid
from .model import Session
from .recordings import (
    CLOUD,
    CLOUD_AUDIO_ONLY,
    DEFAULT_INSTANCE,
    DEFAULT_LAYOUT,
    DEFAULT_MAX_DURATION,
    RAW_TRACKS,
    GeneratedRecording,
    Recording,
)

MIN_LENGTH = 10  # a drawn recording lasts this long or more before its session ends
SECOND_SHARE = 0.1  # of the recorded sessions, this share is recorded again after a stop
CANCELED_SHARE = 0.03  # canceled recordings (they show duration 0)
UNTIL_END_SHARE = 0.6  # recordings that run until their session ends (no declared end)
EARLY_SHARE = 0.75  # recordings started within the first minutes of their session
EARLY_WITHIN = 120  # seconds: "the first minutes"
# The type of a first recording: a draw below the first is raw-tracks, below the second
# cloud-audio-only, else cloud. A second recording in a session is cloud.
RAW_BELOW, AUDIO_BELOW = 0.07, 0.1


def generated_recordings(seed: int, share: float, sessions: Iterable[Session]) -> list[Recording]:
    """The recordings of ``share`` (0 to 1) of ``sessions`` (each with an end), drawn from a
    generator seeded by ``seed``, in the sessions' order. The cyclic garbage collector is
    paused meanwhile, as for the sessions (``gcpause.py``)."""
    if share <= 0:
        return []
    with gc_paused():
        return _drawn(seed, share, sessions)


def _drawn(seed: int, share: float, sessions: Iterable[Session]) -> list[Recording]:
    out: list[Recording] = []
    rng = random.Random(f"recordings|{seed}")
    draw, add = rng.random, out.append
    for s in sessions:
        if draw() >= share or s.end is None or s.end - s.start_time < 4 * MIN_LENGTH:
            continue
        start, end = s.start_time, s.end
        length = end - start
        within = min(EARLY_WITHIN, length // 4) if draw() < EARLY_SHARE else length // 2
        rec_start = start + int(draw() * within)
        rec_end: int | None = None
        if draw() >= UNTIL_END_SHARE:
            rec_end = rec_start + MIN_LENGTH + int(draw() * (end - rec_start - MIN_LENGTH))
        u = draw()
        kind = RAW_TRACKS if u < RAW_BELOW else CLOUD_AUDIO_ONLY if u < AUDIO_BELOW else CLOUD
        add(_made(seeded_uuid(rng), s, rec_start, rec_end, draw(), kind))
        if rec_end is not None and end - rec_end > 4 * MIN_LENGTH and draw() < SECOND_SHARE:
            again = rec_end + MIN_LENGTH + int(draw() * (end - rec_end - 3 * MIN_LENGTH))
            add(_made(seeded_uuid(rng), s, again, None, draw(), CLOUD))
    return out


def _made(rec_id: str, s: Session, start: int, end: int | None, u: float, kind: str) -> Recording:
    """The recording; canceled when ``u`` falls in the canceled share. Every field is passed
    by position: a frozen dataclass's quickest way in (keywords took twice as long)."""
    canceled = u < CANCELED_SHARE
    return GeneratedRecording(
        rec_id, s.room, s.id, start, end, DEFAULT_MAX_DURATION, canceled, DEFAULT_INSTANCE,
        kind, DEFAULT_LAYOUT,
    )  # fmt: skip
