"""A namespace's failures on purpose (``POST /_fake/recordings/:id/fail``,
``/_fake/transcripts/:id/fail`` and the handle's ``recordings.fail``, ``transcripts.fail``):
a recording or a transcript in progress stops now as a failed one (``domain/failed.py``), so
a test can exercise a client's ``recording.error`` / ``transcript.error`` handling. The part
of :class:`namespaces.Namespace` they add, kept here so each file stays one subject; each is
synchronous on the server's loop, like a stop, so none takes the namespace's lock.

Only an item in progress now can fail: an id not visible now is a 404, one that has stopped
(finished, canceled, failed) a 400 saying so. A failure is a change at an instant, like a
stop: moving the clock back before it shows the item in progress again, and a reset brings
back the scenario's items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain import recordings as recordings_
from ..domain import transcripts as transcripts_
from ..domain.failed import RECORDING_ERROR, TRANSCRIPT_ERROR, error_text, failed_at
from .group import CommandGroup
from .lookups import failing, stopped

if TYPE_CHECKING:
    from ..domain.recordings import Recording
    from ..domain.transcripts import Transcript


class FailureCommands(CommandGroup):
    """The failure commands of a namespace (mixed into ``Namespace``)."""

    if TYPE_CHECKING:

        def fail_transcription(self, tr_id: str, error: str) -> Transcript: ...

    def fail_recording(self, rec_id: str, error: object = None) -> Recording:
        """The recording ``rec_id``, in progress now, stops now as failed: ``canceled`` with
        ``duration: 0``, and ``recording.error`` with ``error`` (a non-blank text, else
        ``RECORDING_ERROR``) as its ``error_msg``."""
        text = error_text(error, RECORDING_ERROR)
        world = self.world
        now = world.clock.now()
        recording = failing(
            world.recordings, rec_id, world.store, now, "recording", recordings_.seen_at
        )
        failed = failed_at(recording, now, text)
        world.recordings = world.recordings.replaced(failed)
        self._tell("recording-failed", now, recording=failed)
        return failed

    def fail_transcript(self, tr_id: str, error: object = None) -> Transcript:
        """The transcript ``tr_id``, in progress now, stops now as failed: ``t_error`` with
        ``error`` (a non-blank text, else ``TRANSCRIPT_ERROR``), and ``transcript.error``.
        (``fail_transcription`` only marks a transcript: it fails when it stops.)"""
        text = error_text(error, TRANSCRIPT_ERROR)
        world = self.world
        now = world.clock.now()
        failing(world.transcripts, tr_id, world.store, now, "transcript", transcripts_.seen_at)
        marked = self.fail_transcription(tr_id, text)  # in progress: nothing is sent yet
        done, world.transcripts = stopped(world.transcripts, marked, now)
        self._tell("transcript-stopped", now, transcript=done)
        return done
