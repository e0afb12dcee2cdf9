"""One recording (contract part three, §2): its fields, when it stops, how it is seen at an
instant, and its REST object (``recordings.py`` holds a namespace's recordings and their list).

A recording belongs to one meeting session (``mtgSessionId``) of one room. It is visible from
its ``start_ts`` on and ``in-progress`` until it stops, then ``finished`` with its ``duration``
(or ``canceled``). It stops at the first of: its declared ``end``, ``start_ts + max_duration``,
and the end of its session (everyone left). Like every other object it is seen at the server
clock's instant: moving the clock back makes a finished recording ``in-progress`` again, or
invisible before its start.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .ids import epoch_ms, seeded_uuid
from .model import Participant, Session, peak_overlap

# docs.daily.co (start recording): maxDuration defaults to 10800 s in the prose (15000 in the
# parameter table); we take the prose's
DEFAULT_LAYOUT = "default"  # the layout preset of a recording started without one
DEFAULT_MAX_DURATION = 10800
MAX_MAX_DURATION = 366 * 24 * 3600  # a bound of our own: a recording of at most a year
DEFAULT_INSTANCE = "c3df927c-f738-4471-a2b7-066fa7e95a6b"  # Daily's reserved default instance
IN_PROGRESS, FINISHED, CANCELED = "in-progress", "finished", "canceled"
CLOUD, RAW_TRACKS, CLOUD_AUDIO_ONLY = "cloud", "raw-tracks", "cloud-audio-only"
TYPES = (CLOUD, RAW_TRACKS, CLOUD_AUDIO_ONLY)
_SHARE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def recording_id(seed: str) -> str:
    """The id of a recording a scenario names no id for: a UUID seeded from ``seed`` (stable
    for the same file, place and start), as ``ids.seeded_uuid`` draws every other id."""
    return seeded_uuid(random.Random(f"recording|{seed}"))


def share_token(rec_id: str) -> str:
    """A 12-character share token derived from the id (deprecated by Daily, still sent)."""
    digest = hashlib.sha256(f"share|{rec_id}".encode("utf-8", "surrogatepass")).digest()
    return "".join(_SHARE_ALPHABET[b % len(_SHARE_ALPHABET)] for b in digest[:12])


@dataclass(frozen=True, slots=True)
class Recording:
    id: str
    room_name: str
    mtg_session_id: str
    start_ts: int  # unix seconds: when the recording began (not the session)
    end: int | None = None  # the declared stop; None: at max_duration or the session's end
    max_duration: int = DEFAULT_MAX_DURATION
    canceled: bool = False  # stops as canceled (duration 0) instead of finished
    instance_id: str = DEFAULT_INSTANCE  # the streaming instance (``instanceId``) it runs on
    type: str = CLOUD  # never in the REST object; in recording.ready-to-download
    layout: str = DEFAULT_LAYOUT  # its layout's preset, for recording.started

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.start_ts, self.id)

    def stop(self, session: Session | None) -> int:
        """When it stops, given its session as served now (None: no session bounds it)."""
        stop = self.start_ts + self.max_duration
        if self.end is not None:
            stop = min(stop, self.end)
        if session is not None and session.end is not None:
            stop = min(stop, session.end)
        return max(self.start_ts, stop)

    def in_progress(self, session: Session | None, now: int) -> bool:
        """Whether it is visible and not stopped yet at ``now``."""
        return self.start_ts <= now < self.stop(session)


@dataclass(frozen=True, slots=True)
class GeneratedRecording(Recording):
    """A recording the generator drew (``genrecordings.py``): a :class:`Recording` in every
    way, except that a namespace does not count it against its bound of recordings, which
    bounds what clients start and files declare."""


@dataclass(frozen=True, slots=True)
class Seen:
    """A recording as seen at an instant: its status, duration (None while in progress) and
    peak number of participants so far (counted when asked: the access link and the file need
    only the status, and the count reads every stay of the session)."""

    recording: Recording
    status: str
    duration: int | None
    session: Session | None
    upto: int  # the instant the peak is counted to: now, or the stop

    @property
    def max_participants(self) -> int:
        if self.session is None:
            return 0
        return peak_during(self.session.participants, self.recording.start_ts, self.upto)


def seen_at(recording: Recording, session: Session | None, now: int) -> Seen:
    """``recording`` at ``now`` (it must be visible: ``start_ts <= now``)."""
    stop = recording.stop(session)
    if now < stop:
        status, duration, upto = IN_PROGRESS, None, now
    elif recording.canceled or stop == recording.start_ts:
        status, duration, upto = CANCELED, 0, stop
    else:
        status, duration, upto = FINISHED, stop - recording.start_ts, stop
    return Seen(recording, status, duration, session, upto)


def peak_during(stays: Sequence[Participant], start: int, upto: int) -> int:
    """The peak number of stays present together between ``start`` and ``upto`` (at least 1
    when anybody was there; a recording of an empty room shows 0)."""
    clipped = []
    for p in stays:
        leave = p.leave
        join = max(p.join_time, start)
        if join > upto or (leave is not None and leave <= start):
            continue
        if leave is None or leave > upto:
            leave = upto + 1  # present at upto
        clipped.append(Participant(p.participant_id, None, None, join, leave - join))
    return peak_overlap(clipped)


class Stored(Protocol):
    """What a stored file's key reads of its recording or transcript."""

    @property
    def id(self) -> str: ...
    @property
    def room_name(self) -> str: ...
    @property
    def start_ts(self) -> int: ...
    @property
    def mtg_session_id(self) -> str: ...
    @property
    def instance_id(self) -> str: ...


def s3_key(recording: Recording, domain_name: str, template: str | None = None) -> str:
    """The recording's key: the domain's ``recordings_template`` (Daily's default
    ``{domain_name}/{room_name}/{epoch_time}``; one trailing ``.`` is no extension, as Daily's
    own example ends so), :func:`file_key`'s placeholders and ``{recording_id}``."""
    key = template or "{domain_name}/{room_name}/{epoch_time}"
    if key.endswith(".") and not key.endswith(".."):
        key = key[:-1]
    return file_key(key, recording, domain_name, recording_id=recording.id)


def file_key(template: str, item: Stored, domain_name: str, **own: str) -> str:
    """``template`` with the placeholders a recording's or transcript's stored file fills in:
    ``{domain_name}``, ``{room_name}``, ``{epoch_time}`` (in milliseconds: ``ids.epoch_ms``),
    ``{mtg_session_id}``, ``{instance_id}``, and the family's ``own`` (its id's name)."""
    values = {
        "domain_name": domain_name,
        "room_name": item.room_name,
        "epoch_time": str(epoch_ms(item.start_ts, item.id)),
        "mtg_session_id": item.mtg_session_id,
        "instance_id": item.instance_id,
        **own,
    }
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


def as_json(seen: Seen, domain_name: str, template: str | None = None) -> dict[str, Any]:
    """The REST object (contract §2.1), in the field order of Daily's example: ``duration``
    left out while in progress; ``tracks`` (:func:`tracks`); no ``type``."""
    r = seen.recording
    body: dict[str, Any] = {
        "id": r.id,
        "room_name": r.room_name,
        "start_ts": r.start_ts,
        "status": seen.status,
        "max_participants": seen.max_participants,
    }
    if seen.duration is not None:
        body["duration"] = seen.duration
    body["share_token"] = share_token(r.id)
    body["s3key"] = s3_key(r, domain_name, template)
    body["mtgSessionId"] = r.mtg_session_id
    body["tracks"] = tracks(seen, body["s3key"])
    return body


AUDIO_ONLY = "raw-tracks-audio-only"  # the layout preset of a raw-tracks recording without video
BYTES_PER_SECOND = {"audio": 8_000, "video": 125_000}  # a track's size: 64 kbit/s, 1 Mbit/s


def tracks(seen: Seen, key: str) -> list[dict[str, Any]]:
    """The ``tracks`` of a raw-tracks recording once finished (contract §2.6): for every stay
    of its session that overlaps it, an audio and a video track (audio only with the
    ``raw-tracks-audio-only`` layout), ``{"size", "type", "s3Key"}``, the key Daily's
    ``{start ms}-{participant id}-cam-{audio|video}-{track start ms}`` in the directory of the
    recording's own ``key``, the size a steady bitrate's over the recorded part of the stay.
    An empty list while in progress, and for the other types."""
    r = seen.recording
    if r.type != RAW_TRACKS or seen.status != FINISHED or seen.session is None:
        return []
    kinds = ("audio",) if r.layout == AUDIO_ONLY else ("audio", "video")
    folder = key.rsplit("/", 1)[0]
    out = []
    for p in seen.session.participants:
        join = max(p.join_time, r.start_ts)
        leave = seen.upto if p.leave is None else min(p.leave, seen.upto)
        for kind in kinds if leave > join else ():
            name = f"{epoch_ms(r.start_ts, r.id)}-{p.participant_id}-cam-{kind}-{join * 1000}"
            size = (leave - join) * BYTES_PER_SECOND[kind]
            out.append({"size": size, "type": kind, "s3Key": f"{folder}/{name}"})
    return out
