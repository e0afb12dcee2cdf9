"""The transcript webhooks (contract part three, §4): what a namespace's transcripts emit as
the clock passes their start and their stop, slotted among the session and recording events by
``recordingevents.py`` like the recording ones.

- ``transcript.started`` at a transcript's ``start_ts``;
- at its stop (through the API, or at its session's end), ``transcript.ready-to-download``
  when it finished with its file stored [D], ``transcript.error`` when it failed; a transcript
  finished without storage emits nothing more [?] (there is no file to announce).

Their version is ``1.1.0`` and their ids ``3431-tra-sta|tra-rtd|tra-err-<transcript id>``, as
in Daily's examples [D]. The webhook spells what REST spells otherwise: ``id`` (REST
``transcriptId``), ``room_id``, ``mtg_session_id``, ``out_params.s3.{key,bucket,region}``.
At one instant they come after the recording events, starts before stops, then by
``(start_ts, id)`` [F].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .events import envelope
from .model import Participant, Session
from .recording import peak_during
from .store import Store
from .transcripts import ERROR, FINISHED, Place, Transcript, Transcripts, seen_at, vtt_key

TR_STARTED = "transcript.started"
TR_READY = "transcript.ready-to-download"
TR_ERROR = "transcript.error"
TRANSCRIPT_EVENT_TYPES = (TR_STARTED, TR_READY, TR_ERROR)
VERSION = "1.1.0"  # the transcript events' version [D]
ID_PREFIX = "3431"  # the examples' prefix of transcript event ids [D] (its meaning is [?])
_ORDER = {TR_STARTED: 7, TR_READY: 8, TR_ERROR: 8}  # after the recording events at an instant
_PREFIX = {TR_STARTED: "tra-sta", TR_READY: "tra-rtd", TR_ERROR: "tra-err"}


def participant_minutes(stays: tuple[Participant, ...], start: int, stop: int) -> float:
    """The minutes the stays spent in the transcription's span, together (2 decimals) [?]."""
    seconds = 0
    for p in stays:
        leave = p.leave if p.leave is not None else stop
        seconds += max(0, min(leave, stop) - max(p.join_time, start))
    return round(seconds / 60, 2)


@dataclass(frozen=True, slots=True)
class TranscriptEvent:
    instant: int
    type: str
    transcript: Transcript
    session: Session | None  # the transcribed session, as served when the event was built
    place: Place
    domain_id: str

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        t = self.transcript
        return (self.instant, _ORDER[self.type], t.start_ts, t.id)

    @property
    def id(self) -> str:
        return f"{ID_PREFIX}-{_PREFIX[self.type]}-{self.transcript.id}"

    def envelope(self) -> dict[str, Any]:
        return envelope(VERSION, self.type, self.id, self.payload(), self.instant)

    def payload(self) -> dict[str, Any]:
        t, session = self.transcript, self.session
        stays = session.participants if session is not None else ()
        stop = self.instant if self.type != TR_STARTED else t.start_ts
        s3 = {
            "key": vtt_key(t, self.place.domain, self.place.template),
            "bucket": self.place.bucket,
            "region": self.place.region,
        }
        common = {
            "room_id": t.room_id,
            "room_name": t.room_name,
            "mtg_session_id": t.mtg_session_id,
        }
        duration = stop - t.start_ts
        peak = peak_during(stays, t.start_ts, stop) if session is not None else 0
        minutes = participant_minutes(stays, t.start_ts, stop)
        if self.type == TR_STARTED:
            return {
                "id": t.id,
                "info": {"instanceId": t.instance_id},
                **common,
                "max_participants": peak,
                "duration": 0,
                "participant_minutes": 0,
                "status": "t_in_progress",
                "out_params": {"s3": s3},
            }
        if self.type == TR_ERROR:
            return {
                "id": t.id,
                "info": {"instanceId": t.instance_id, "startTs": t.start_ts, "endTs": stop},
                **common,
                "max_participants": peak,
                "duration": duration,
                "participant_minutes": minutes,
                "status": ERROR,
                "out_params": {"s3": s3},
                "error": t.error,
            }
        return {
            "id": t.id,
            "out_params": {"s3": s3},
            **common,
            "duration": float(duration),
            "participant_minutes": minutes,
            "status": FINISHED,
            "domain_id": self.domain_id,
        }


def _stopped(
    t: Transcript, session: Session | None, at: int, place: Place, domain_id: str
) -> list[TranscriptEvent]:
    seen = seen_at(t, session, at)
    if seen.status == ERROR:
        return [TranscriptEvent(at, TR_ERROR, t, session, place, domain_id)]
    if seen.vtt_available:
        return [TranscriptEvent(at, TR_READY, t, session, place, domain_id)]
    return []


def between(
    transcripts: Transcripts, place: Place, domain_id: str, store: Store, before: int, after: int
) -> list[TranscriptEvent]:
    """The transcript events at instants in ``(before, after]`` (not sorted)."""
    out: list[TranscriptEvent] = []
    if after <= before:
        return out
    for t in transcripts.ordered:  # by start_ts
        if t.start_ts > after:
            break
        session = store.get(t.mtg_session_id)
        if before < t.start_ts:
            out.append(TranscriptEvent(t.start_ts, TR_STARTED, t, session, place, domain_id))
        stop = t.stop(session)
        if stop is not None and before < stop <= after:
            out += _stopped(t, session, stop, place, domain_id)
    return out


def changed_now(
    kind: str, t: Transcript, store: Store, now: int, place: Place, domain_id: str
) -> list[TranscriptEvent]:
    """The event of a transcript started (``kind`` ``transcript-started``) or stopped
    through the API at ``now``."""
    session = store.get(t.mtg_session_id)
    if kind == "transcript-started":
        return [TranscriptEvent(t.start_ts, TR_STARTED, t, session, place, domain_id)]
    return _stopped(t, session, now, place, domain_id)


def ended_now(
    transcripts: Transcripts, place: Place, domain_id: str, session: Session, now: int
) -> list[TranscriptEvent]:
    """The stop events of the transcripts that ``session``'s end at ``now`` stops."""
    if session.end != now:
        return []
    out: list[TranscriptEvent] = []
    for t in transcripts.ordered:
        mine = t.mtg_session_id == session.id and t.start_ts <= now
        # stopped by this end: not stopped through the API already
        if mine and t.stop(session) == now and (t.end is None or t.end > now):
            out += _stopped(t, session, now, place, domain_id)
    return out


def next_instant(transcripts: Transcripts, store: Store, now: int) -> int | None:
    """The first instant after ``now`` when a transcript starts or stops (None: none does)."""
    found: list[int] = []
    for t in transcripts.ordered:
        if t.start_ts > now:
            found.append(t.start_ts)
            break
        stop = t.stop(store.get(t.mtg_session_id))
        if stop is not None and stop > now:
            found.append(stop)
    return min(found, default=None)
