"""Transcripts (contract part three, §3): the transcript object as seen at an instant, an
immutable snapshot of a namespace's transcripts, and the keyset query of ``GET /transcript``.

A transcript belongs to one meeting session (``mtgSessionId``) of one room (``roomId``, the
room's id). It is visible from its ``start_ts`` on and ``t_in_progress`` until it stops, then
``t_finished`` with its ``duration``. It stops at the first of: its declared ``end`` (stopped
through the API) and the end of its session (everyone left) [F]. A transcript that failed shows
``t_error`` with its ``error`` text once it stopped. Like every other object it is seen at the
server clock's instant: moving the clock back makes it in progress again, or invisible.

Whether its WebVTT file is stored is fixed when it starts: the room's
``enable_transcription_storage`` property, else the domain's (Daily's default: off) [?].
Turning storage on later does not store an earlier transcript's file, as with Daily [C].

Transcripts are kept in ascending ``(start_ts, id)`` order (``ranklist.py``, as recordings
are); the API lists them newest first. A snapshot is never mutated: a change builds a
new one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar

from .ids import seeded_uuid
from .model import Session
from .query import MAX_LIMIT, UnknownCursorMode
from .ranklist import Keys, RankList
from .recording import DEFAULT_INSTANCE, file_key
from .rooms import created_at_text

if TYPE_CHECKING:
    from .rooms import Rooms

IN_PROGRESS, FINISHED, ERROR, DELETED = "t_in_progress", "t_finished", "t_error", "t_deleted"
STORAGE_PROPERTY = "enable_transcription_storage"
DEFAULT_TEMPLATE = "{domain_name}/{room_name}/{epoch_time}.vtt"  # Daily's transcription_template
DEFAULT_BUCKET = "daily-meeting-transcripts"  # Daily's own bucket, as its links name it [?]
DEFAULT_REGION = "us-west-2"
MAX_ERROR = 1_000  # characters of a transcript's error text


@dataclass(frozen=True, slots=True)
class Transcript:
    id: str
    room_name: str
    room_id: str  # the room's id (``roomId``), not its name
    mtg_session_id: str
    start_ts: int  # unix seconds: when transcription began
    end: int | None = None  # the declared stop; None: at its session's end
    instance_id: str = DEFAULT_INSTANCE
    stored: bool = False  # its WebVTT file is stored (storage was on when it started)
    error: str | None = None  # it fails: t_error with this text once it stopped

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.start_ts, self.id)

    def stop(self, session: Session | None) -> int | None:
        """When it stops, given its session as served now (None: not stopped yet at any
        instant known now: no declared end and the session is still going)."""
        stops = [t for t in (self.end, session.end if session else None) if t is not None]
        return max(self.start_ts, min(stops)) if stops else None

    def in_progress(self, session: Session | None, now: int) -> bool:
        stop = self.stop(session)
        return self.start_ts <= now and (stop is None or now < stop)


def transcript_id(seed: str) -> str:
    """The id of a transcript a scenario names no id for: a UUID seeded from ``seed`` (stable
    for the same file, place and start), like ``recordings.recording_id``."""
    return seeded_uuid(random.Random(f"transcript|{seed}"))


def with_room_ids(transcripts: Iterable[Transcript], rooms: Rooms) -> list[Transcript]:
    """``transcripts`` (a scenario's, which names rooms only) with their rooms' ids: a room's
    id exists once the rooms the sessions imply are known."""
    out = []
    for t in transcripts:
        room = rooms.get(t.room_name)
        out.append(replace(t, room_id=room.id) if room is not None else t)
    return out


@dataclass(frozen=True, slots=True)
class Seen:
    """A transcript as seen at an instant: its status, duration (0 while in progress) and its
    stop (None while in progress)."""

    transcript: Transcript
    status: str
    duration: int
    stop: int | None

    @property
    def vtt_available(self) -> bool:
        return self.status == FINISHED and self.transcript.stored


def seen_at(transcript: Transcript, session: Session | None, now: int) -> Seen:
    """``transcript`` at ``now`` (it must be visible: ``start_ts <= now``)."""
    stop = transcript.stop(session)
    if stop is None or now < stop:
        return Seen(transcript, IN_PROGRESS, 0, None)
    status = ERROR if transcript.error is not None else FINISHED
    return Seen(transcript, status, stop - transcript.start_ts, stop)


def vtt_key(transcript: Transcript, domain_name: str, template: str | None = None) -> str:
    """The file's key: the domain's ``transcription_template`` (Daily's default
    ``{domain_name}/{room_name}/{epoch_time}.vtt``), ``recording.file_key``'s placeholders and
    ``{transcript_id}``."""
    key = template or DEFAULT_TEMPLATE
    return file_key(key, transcript, domain_name, transcript_id=transcript.id)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a namespace's transcript files go: the domain's name, its
    ``transcription_template`` and ``transcription_bucket`` (name and region, when set)."""

    domain: str
    template: str | None = None
    bucket: str = DEFAULT_BUCKET
    region: str = DEFAULT_REGION


def place_of(properties: Mapping[str, Any], domain: str) -> Place:
    """The ``Place`` of a domain with ``properties`` set (``DomainConfig.properties``)."""
    template = properties.get("transcription_template")
    bucket = properties.get("transcription_bucket")
    name = region = None
    if isinstance(bucket, Mapping):
        name, region = bucket.get("bucket_name"), bucket.get("bucket_region")
    return Place(
        domain,
        template if isinstance(template, str) else None,
        name if isinstance(name, str) else DEFAULT_BUCKET,
        region if isinstance(region, str) else DEFAULT_REGION,
    )


def out_params(transcript: Transcript, place: Place) -> dict[str, Any]:
    """The REST ``outParams``: the key under both names Daily has used (``key`` in the current
    docs, ``s3key`` in the older ones and its OpenAPI file) [?], the bucket, the region."""
    key = vtt_key(transcript, place.domain, place.template)
    return {"key": key, "s3key": key, "bucket": place.bucket, "region": place.region}


def as_json(seen: Seen, domain_id: str, place: Place, status: str | None = None) -> dict[str, Any]:
    """The REST object (contract §3.1, the docs' field order); ``status`` overrides the one
    seen (a delete answers ``t_deleted``)."""
    t = seen.transcript
    return {
        "transcriptId": t.id,
        "domainId": domain_id,
        "roomId": t.room_id,
        "mtgSessionId": t.mtg_session_id,
        "status": status or seen.status,
        "duration": seen.duration,
        "isVttAvailable": seen.vtt_available,
        "outParams": out_params(t, place),
        "error": t.error if seen.status == ERROR else None,
        "created_at": created_at_text(t.start_ts),
        "updated_at": created_at_text(seen.stop if seen.stop is not None else t.start_ts),
    }


class Transcripts(RankList[Transcript]):
    """An immutable snapshot of transcripts, in ascending ``(start_ts, id)`` order, by room id
    and by session."""

    __slots__ = ()
    KEYS: ClassVar[Keys] = {
        "room": attrgetter("room_id"),
        "session": attrgetter("mtg_session_id"),
    }
    WHAT = "transcript"


@dataclass(frozen=True, slots=True)
class TranscriptsQuery:
    room_id: str | None = None
    mtg_session_id: str | None = None
    limit: int = MAX_LIMIT
    starting_after: str | None = None
    ending_before: str | None = None  # a transcript id, or OLDEST


@dataclass(frozen=True, slots=True)
class TranscriptsPage:
    total_count: int  # the transcripts visible at the instant that the filters keep
    transcripts: list[Transcript]  # newest first


def list_transcripts(
    transcripts: Transcripts,
    q: TranscriptsQuery,
    now: int,
    unknown_cursor: UnknownCursorMode = "error",
) -> TranscriptsPage:
    """The keyset rules of ``/meetings``, ``/rooms`` and ``/recordings``
    (``query.keyset_window``) over the transcripts visible at ``now``, of the room
    ``q.room_id`` and the session ``q.mtg_session_id`` when given; ``total_count`` is the
    filtered count [?]."""
    index: Sequence[Transcript]
    if q.mtg_session_id is None:
        index = transcripts.of("room", q.room_id)
    else:
        index = transcripts.of("session", q.mtg_session_id)
        if q.room_id is not None:
            index = [t for t in index if t.room_id == q.room_id]
    hi = transcripts.visible_in(index, now)
    return TranscriptsPage(hi, transcripts.page(index, hi, q, unknown_cursor))
