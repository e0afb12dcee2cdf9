"""The handle's recordings (``fake_meetings.recordings``): start and stop a recording of a
room's ongoing session as ``POST /rooms/:name/recordings/start | stop`` do, fail one as
``POST /_fake/recordings/:id/fail`` does, and list them as ``GET /recordings`` shows them at
the server clock's instant.

    alice = fake_meetings.join("standup", user_name="Alice")
    rec_id = fake_meetings.recordings.start("standup")     # recording.started is delivered
    fake_meetings.clock.advance(60)
    fake_meetings.recordings.stop("standup")               # ready-to-download, 60 s
    (rec,) = fake_meetings.recordings.list("standup")
    assert rec["duration"] == 60
    other = fake_meetings.recordings.start("standup")
    fake_meetings.recordings.fail(other, error="...")      # canceled, recording.error

A start, a stop or a failure returns after the webhook deliveries it caused have settled,
like every other change the handle makes; a refusal (nobody in the room, an active stream on
the instance, nothing to stop, nothing in progress to fail) raises FakeMeetingsError with the
server's message.
"""

from __future__ import annotations

import builtins
from typing import Any, Protocol

from .webhooks import WebhooksControl


class RecordingBackend(Protocol):
    def start_recording(self, room: str, body: dict[str, Any]) -> str: ...
    def stop_recording(self, room: str, body: dict[str, Any]) -> None: ...
    def recordings(self, room: str | None) -> list[dict[str, Any]]: ...
    def fail_recording(self, rec_id: str, error: str | None) -> None: ...


class RecordingsControl:
    def __init__(self, backend: RecordingBackend, webhooks: WebhooksControl):
        self._backend = backend
        self._webhooks = webhooks

    def start(
        self,
        room: str,
        *,
        type: str | None = None,
        instance_id: str | None = None,
        max_duration: int | None = None,
        layout: dict[str, Any] | None = None,
    ) -> str:
        """Start recording ``room``'s session now (Daily's body: ``type``, ``instanceId``,
        ``maxDuration``, ``layout``); returns the new recording's id."""
        body = _body(type=type, instanceId=instance_id, maxDuration=max_duration, layout=layout)
        rec_id = self._backend.start_recording(room, body)
        self._webhooks.settle()
        return rec_id

    def stop(self, room: str, *, type: str | None = None, instance_id: str | None = None) -> None:
        """Stop the recording in progress in ``room`` (on ``instance_id``: Daily's default
        instance when None) now."""
        self._backend.stop_recording(room, _body(type=type, instanceId=instance_id))
        self._webhooks.settle()

    def fail(self, recording_id: str, *, error: str | None = None) -> None:
        """The recording in progress ``recording_id`` fails now: it stops as ``canceled``
        (``duration`` 0) and ``recording.error`` carries ``error`` as its ``error_msg``
        (``"cloud-recording-error: recording failed"`` when None). A recording not in
        progress now raises FakeMeetingsError."""
        self._backend.fail_recording(recording_id, error)
        self._webhooks.settle()

    def list(self, room: str | None = None) -> builtins.list[dict[str, Any]]:
        """Every recording visible now (of ``room`` when given), newest first, as Daily's
        recording objects."""
        return self._backend.recordings(room)


def _body(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
