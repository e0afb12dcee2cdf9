"""The recording webhooks (contract part three, §4): what a namespace's recordings emit as the
clock passes their start and their stop, like ``events.py`` for the sessions.

- ``recording.started`` at a recording's ``start_ts``;
- at its stop (declared, stopped through the API, at ``max_duration`` or at its session's end),
  ``recording.ready-to-download`` when it finished with a duration above 0 [D], else
  ``recording.error`` (a canceled recording, or one that stopped at its own start) [F]; a
  recording failed on purpose (``failed.py``) sends its own ``error_msg``.

At one instant they come after the session events (a recording started at a join comes after
``participant.joined``; one stopped by its session's end after ``meeting.ended``), starts before
stops, then by ``(start_ts, id)`` [F]. A clock move looks at the recordings that started by its
end and may stop after its start: those that started within the longest a recording may run
before it (``Recordings.running_from``), a few of the hundreds of thousands a generated account
may hold. :class:`Merged` slots them, and the transcript events (``transcriptevents.py``),
among a :class:`events.Passing`'s events.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import transcriptevents as transcribed
from .domainconfig import DOMAIN_ID
from .events import Event, Passing, envelope
from .failed import FailedRecording
from .model import Session
from .recordings import (
    FINISHED,
    RAW_TRACKS,
    Recording,
    Recordings,
    s3_key,
    seen_at,
    share_token,
    tracks,
)
from .store import Store
from .transcriptevents import TranscriptEvent
from .transcripts import Place, Transcripts

REC_STARTED = "recording.started"
REC_READY = "recording.ready-to-download"
REC_ERROR = "recording.error"
RECORDING_EVENT_TYPES = (REC_STARTED, REC_READY, REC_ERROR)
VERSION = "1.0.0"  # the recording events' version [D]
ERROR_ACTION = "cloud-recording-error"  # the docs' example (its schema says clourd-recording-err)
_ORDER = {REC_STARTED: 5, REC_READY: 6, REC_ERROR: 6}  # after every session event at an instant
DEFAULT_DOMAIN = "fake-meetings"


@dataclass(frozen=True, slots=True)
class Shelf:
    """What recording and transcript events are read from: the namespace's recordings, the
    domain's name and its ``recordings_template`` (for ``s3_key``), its transcripts and where
    their files go."""

    recordings: Recordings = field(default_factory=Recordings)
    domain: str = DEFAULT_DOMAIN
    template: str | None = None
    transcripts: Transcripts = field(default_factory=Transcripts)
    place: Place = field(default_factory=lambda: Place(DEFAULT_DOMAIN))


@dataclass(frozen=True, slots=True)
class RecordingEvent:
    instant: int
    type: str
    recording: Recording
    session: Session | None  # the recorded session, as served when the event was built
    domain: str = DEFAULT_DOMAIN
    template: str | None = None

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        r = self.recording
        return (self.instant, _ORDER[self.type], r.start_ts, r.id)

    @property
    def id(self) -> str:
        """Daily's patterns: ``rec-sta|rec-rtd|rec-err-<instance id>-<event s>``."""
        prefix = {REC_STARTED: "rec-sta", REC_READY: "rec-rtd", REC_ERROR: "rec-err"}[self.type]
        return f"{prefix}-{self.recording.instance_id}-{self.instant}"

    def envelope(self) -> dict[str, Any]:
        return envelope(VERSION, self.type, self.id, self.payload(), self.instant)

    def payload(self) -> dict[str, Any]:
        r = self.recording
        if self.type == REC_STARTED:
            return {
                "action": f"start-{r.type}-recording",
                "recording_id": r.id,
                "layout": {"preset": r.layout},
                "started_by": started_by(self.session, r.start_ts),
                "instance_id": r.instance_id,
                "start_ts": r.start_ts,
                "room_name": r.room_name,  # not in Daily's docs; receivers read it [C]
            }
        if self.type == REC_ERROR:
            why = "canceled" if r.canceled else "stopped before anything was recorded"
            failure = r.error_msg if isinstance(r, FailedRecording) else None
            return {
                "action": ERROR_ACTION,
                "error_msg": failure or f"{ERROR_ACTION}: recording {r.id} {why}",
                "instance_id": r.instance_id,
                "room_name": r.room_name,
                "timestamp": self.instant,
            }
        seen = seen_at(r, self.session, self.instant)
        body: dict[str, Any] = {
            "type": r.type,
            "recording_id": r.id,
            "room_name": r.room_name,
            "start_ts": r.start_ts,
            "status": seen.status,
            "max_participants": seen.max_participants,
            "duration": seen.duration,
            "share_token": share_token(r.id),
            "s3_key": s3_key(r, self.domain, self.template),
        }
        if r.type == RAW_TRACKS:
            body["tracks"] = tracks(seen, body["s3_key"])
        return body


def started_by(session: Session | None, instant: int) -> str | None:
    """The participant present at ``instant`` who joined first (then by id): who "started" a
    recording [F] (None: nobody was there)."""
    if session is None:
        return None
    for p in session.participants:  # by join time, then id
        leave = p.leave
        if p.join_time <= instant and (leave is None or leave > instant):
            return p.participant_id
    return None


def _stopped(shelf: Shelf, r: Recording, session: Session | None, at: int) -> RecordingEvent:
    seen = seen_at(r, session, at)
    kind = REC_READY if seen.status == FINISHED else REC_ERROR
    return RecordingEvent(at, kind, r, session, shelf.domain, shelf.template)


def between(shelf: Shelf, store: Store, before: int, after: int) -> list[ShelfEvent]:
    """The recording and transcript events at instants in ``(before, after]``, in order."""
    out: list[ShelfEvent] = [
        *transcribed.between(shelf.transcripts, shelf.place, DOMAIN_ID, store, before, after)
    ]
    if after <= before:
        return out
    recordings = shelf.recordings
    # by start_ts, from the first that may stop after ``before`` (the others stopped by then)
    for r in recordings.from_rank(recordings.running_from(before)):
        if r.start_ts > after:
            break
        session = store.get(r.mtg_session_id)
        if before < r.start_ts:
            out.append(
                RecordingEvent(r.start_ts, REC_STARTED, r, session, shelf.domain, shelf.template)
            )
        stop = r.stop(session)
        if before < stop <= after:
            out.append(_stopped(shelf, r, session, stop))
    out.sort(key=lambda e: e.sort_key)
    return out


def started_now(shelf: Shelf, store: Store, recording: Recording) -> list[RecordingEvent]:
    """``recording.started`` of a recording started through the API, now (its ``start_ts``)."""
    session = store.get(recording.mtg_session_id)
    return [
        RecordingEvent(
            recording.start_ts, REC_STARTED, recording, session, shelf.domain, shelf.template
        )
    ]


def stopped_now(shelf: Shelf, store: Store, recording: Recording, now: int) -> list[RecordingEvent]:
    """The stop event of a recording stopped through the API at ``now``."""
    return [_stopped(shelf, recording, store.get(recording.mtg_session_id), now)]


def ended_now(shelf: Shelf, session: Session, now: int) -> list[ShelfEvent]:
    """The stop events of the recordings and transcripts that ``session``'s end at ``now`` (a
    live leave of the last one present) stops: those that would have run on without it."""
    if session.end != now:
        return []
    out: list[ShelfEvent] = [
        _stopped(shelf, r, session, now)
        for r in shelf.recordings.running_in_room(session.room, now)
        if r.mtg_session_id == session.id
        and r.start_ts <= now
        and r.stop(session) == now
        and r.stop(None) > now
    ]
    out += transcribed.ended_now(shelf.transcripts, shelf.place, DOMAIN_ID, session, now)
    out.sort(key=lambda e: e.sort_key)
    return out


def next_instant(shelf: Shelf, store: Store, now: int) -> int | None:
    """The first instant after ``now`` when a recording starts or stops (None: none does)."""
    found: list[int] = []
    recordings = shelf.recordings
    for r in recordings.from_rank(recordings.running_from(now)):  # the others stopped by now
        if r.start_ts > now:
            found.append(r.start_ts)
            break  # ordered by start: the later ones start later still
        stop = r.stop(store.get(r.mtg_session_id))
        if stop > now:
            found.append(stop)
    transcript = transcribed.next_instant(shelf.transcripts, store, now)
    if transcript is not None:
        found.append(transcript)
    return min(found, default=None)


ShelfEvent = RecordingEvent | TranscriptEvent
AnyEvent = Event | RecordingEvent | TranscriptEvent


class Merged:
    """A :class:`Passing` and recording events read as one, in order (the interface the
    webhook desk's line reads, ``webhooks/eventline.py``: :attr:`done`, :meth:`take`,
    :meth:`count_rest`)."""

    __slots__ = ("_buffer", "_extra", "_passing")

    def __init__(self, passing: Passing, extra: Sequence[ShelfEvent]):
        self._passing = passing
        self._extra: deque[ShelfEvent] = deque(extra)
        self._buffer: deque[Event] = deque()

    @property
    def done(self) -> bool:
        return not self._extra and not self._buffer and self._passing.done

    def take(self, n: int) -> list[AnyEvent]:
        out: list[AnyEvent] = []
        buffer, extra = self._buffer, self._extra
        while len(out) < n:
            if not buffer and not self._passing.done:
                buffer.extend(self._passing.take(n - len(out)))
            if buffer and (not extra or buffer[0].instant <= extra[0].instant):
                out.append(buffer.popleft())
            elif extra:
                out.append(extra.popleft())
            else:
                break
        return out

    def count_rest(self, types: frozenset[str], sessions: int) -> int:
        n = sum(1 for e in self._buffer if e.type in types)
        n += sum(1 for e in self._extra if e.type in types)
        self._buffer.clear()
        self._extra.clear()
        if not self._passing.done:
            n += self._passing.count_rest(types, sessions)
        return n
