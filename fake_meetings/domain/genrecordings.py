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

from .ids import seeded_uuid
from .model import Session
from .recordings import CLOUD, CLOUD_AUDIO_ONLY, RAW_TRACKS, GeneratedRecording, Recording

MIN_LENGTH = 10  # a drawn recording lasts this long or more before its session ends
SECOND_SHARE = 0.1  # of the recorded sessions, this share is recorded again after a stop
CANCELED_SHARE = 0.03  # canceled recordings (they show duration 0)
UNTIL_END_SHARE = 0.6  # recordings that run until their session ends (no declared end)
EARLY_SHARE = 0.75  # recordings started within the first minutes of their session
EARLY_WITHIN = 120  # seconds: "the first minutes"
# recording types and their cumulative shares; cloud otherwise
_TYPE_SHARES = ((0.07, RAW_TRACKS), (0.1, CLOUD_AUDIO_ONLY))


def generated_recordings(seed: int, share: float, sessions: Iterable[Session]) -> list[Recording]:
    """The recordings of ``share`` (0 to 1) of ``sessions`` (each with an end), drawn from a
    generator seeded by ``seed``, in the sessions' order."""
    out: list[Recording] = []
    if share <= 0:
        return out
    rng = random.Random(f"recordings|{seed}")
    draw = rng.random
    for s in sessions:
        if draw() >= share or s.end is None or s.end - s.start_time < 4 * MIN_LENGTH:
            continue
        start, end = s.start_time, s.end
        length = end - start
        early = draw() < EARLY_SHARE
        within = min(EARLY_WITHIN, length // 4) if early else length // 2
        rec_start = start + int(draw() * within)
        rec_end: int | None = None
        if draw() >= UNTIL_END_SHARE:
            rec_end = rec_start + MIN_LENGTH + int(draw() * (end - rec_start - MIN_LENGTH))
        out.append(_drawn(rng, s, rec_start, rec_end))
        if rec_end is not None and end - rec_end > 4 * MIN_LENGTH and draw() < SECOND_SHARE:
            again = rec_end + MIN_LENGTH + int(draw() * (end - rec_end - 3 * MIN_LENGTH))
            out.append(_drawn(rng, s, again, None))
    return out


def _drawn(rng: random.Random, s: Session, start: int, end: int | None) -> Recording:
    u = rng.random()
    kind = next((t for share, t in _TYPE_SHARES if u < share), CLOUD)
    canceled = rng.random() < CANCELED_SHARE
    return GeneratedRecording(
        seeded_uuid(rng), s.room, s.id, start, end, canceled=canceled, type=kind
    )
