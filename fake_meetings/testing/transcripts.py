"""The handle's transcripts (``fake_meetings.transcripts``): start and stop a transcription of
a room's ongoing session as ``POST /rooms/:name/transcription/start | stop`` do, fail one as
``POST /_fake/transcripts/:id/fail`` does, and list the transcripts as ``GET /transcript``
shows them at the server clock's instant.

    alice = fake_meetings.join("standup", user_name="Alice")
    tr_id = fake_meetings.transcripts.start("standup")   # transcript.started is delivered
    fake_meetings.clock.advance(60)
    fake_meetings.transcripts.stop("standup")            # ready-to-download, when stored
    (tr,) = fake_meetings.transcripts.list("standup")
    assert tr["duration"] == 60
    other = fake_meetings.transcripts.start("standup")
    fake_meetings.transcripts.fail(other, error="...")   # t_error, transcript.error

A start, a stop or a failure returns after the webhook deliveries it caused have settled,
like every other change the handle makes; a refusal (nobody in the room, already in progress
on the instance, nothing to stop, nothing in progress to fail) raises FakeMeetingsError with
the server's message. Whether the file is stored follows ``enable_transcription_storage``
(the room's, else the domain's).
"""

from __future__ import annotations

import builtins
from typing import Any, Protocol

from .webhooks import WebhooksControl


class TranscriptBackend(Protocol):
    def start_transcription(self, room: str, body: dict[str, Any]) -> None: ...
    def stop_transcription(self, room: str, body: dict[str, Any]) -> None: ...
    def transcripts(self, room: str | None) -> list[dict[str, Any]]: ...
    def fail_transcript(self, tr_id: str, error: str | None) -> None: ...


class TranscriptsControl:
    def __init__(self, backend: TranscriptBackend, webhooks: WebhooksControl):
        self._backend = backend
        self._webhooks = webhooks

    def start(self, room: str, *, instance_id: str | None = None) -> str:
        """Start transcribing ``room``'s session now (on ``instance_id``: Daily's default
        instance when None); returns the new transcript's id (Daily's answer names none: it
        is the room's newest transcript)."""
        self._backend.start_transcription(room, _body(instanceId=instance_id))
        self._webhooks.settle()
        return str(self._backend.transcripts(room)[0]["transcriptId"])

    def stop(self, room: str, *, instance_id: str | None = None) -> None:
        """Stop the transcription in progress in ``room`` (on ``instance_id``) now."""
        self._backend.stop_transcription(room, _body(instanceId=instance_id))
        self._webhooks.settle()

    def fail(self, transcript_id: str, *, error: str | None = None) -> None:
        """The transcript in progress ``transcript_id`` fails now: it stops as ``t_error``
        with ``error`` (``"transcription failed"`` when None), and ``transcript.error`` is
        sent. A transcript not in progress now raises FakeMeetingsError."""
        self._backend.fail_transcript(transcript_id, error)
        self._webhooks.settle()

    def list(self, room: str | None = None) -> builtins.list[dict[str, Any]]:
        """Every transcript visible now (of ``room`` when given), newest first, as Daily's
        transcript objects."""
        return self._backend.transcripts(room)


def _body(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
