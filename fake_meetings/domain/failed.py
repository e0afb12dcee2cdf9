"""A recording or a transcript failed on purpose, so a test can exercise a client's
``recording.error`` / ``transcript.error`` handling (the handle's ``fail`` and ``POST
/_fake/recordings/:id/fail``, ``/_fake/transcripts/:id/fail``).

A failed recording stops at the failure's instant and shows as Daily shows a recording that
produced nothing: ``canceled`` with ``duration: 0`` (the closest documented shape: Daily's
recording statuses are only ``in-progress``, ``finished`` and ``canceled``), no file, and
``recording.error`` at its stop with the failure's text as ``error_msg``. A failed transcript
stops then too, ``t_error`` with its ``error`` (``transcripts.py``). Like a stop, a failure is a
change at an instant: moving the clock back before it shows the item in progress again.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..errors import invalid
from .bodies import kind_of
from .recordings import GeneratedRecording, Recording
from .transcripts import MAX_ERROR

RECORDING_ERROR = "cloud-recording-error: recording failed"  # error_msg when none is given
TRANSCRIPT_ERROR = "transcription failed"  # a transcript's error when none is given


@dataclass(frozen=True, slots=True)
class FailedRecording(Recording):
    """A :class:`Recording` that failed: canceled at its ``end``, with the ``error_msg`` its
    ``recording.error`` carries."""

    error_msg: str = RECORDING_ERROR


@dataclass(frozen=True, slots=True)
class FailedGeneratedRecording(FailedRecording, GeneratedRecording):
    """A generated recording that failed: failed in every way, and still generated, so that
    failing it does not change what counts against a namespace's bound of recordings."""


def failed_at(recording: Recording, instant: int, error: str) -> FailedRecording:
    """``recording`` failed at ``instant`` with ``error`` (its other fields kept; a generated
    one stays generated)."""
    kept = {f.name: getattr(recording, f.name) for f in fields(Recording)}
    kind = (
        FailedGeneratedRecording if isinstance(recording, GeneratedRecording) else FailedRecording
    )
    return kind(**{**kept, "end": instant, "canceled": True, "error_msg": error})


def error_text(value: object, default: str) -> str:
    """A failure's text: ``default`` when None, else a non-blank string of at most
    ``MAX_ERROR`` characters (a 400 naming the field otherwise)."""
    if value is None:
        return default
    if not isinstance(value, str):
        raise invalid(f"error: must be a string (the failure's text); got {kind_of(value)}")
    if not value.strip():
        raise invalid("error: must not be empty; leave it out for the default text")
    if len(value) > MAX_ERROR:
        raise invalid(f"error: at most {MAX_ERROR:,} characters; got {len(value):,}")
    return value
