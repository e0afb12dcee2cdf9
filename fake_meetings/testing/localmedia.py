"""The in-process backend's recordings and transcripts (part of
:class:`~fake_meetings.testing.local.LocalBackend`): the Daily routes' own checks and
changes of ``POST /rooms/:name/recordings | transcription/start | stop``, the failures of
``POST /_fake/recordings | transcripts/:id/fail``, and the lists as ``GET /recordings`` and
``GET /transcript`` show them, each run on the server's loop."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..domain.world import World
    from ..state.namespaces import Namespace
    from .local import OnLoop

T = TypeVar("T")


class LocalMedia:
    """The recording and transcript calls of :class:`LocalBackend` (mixed into it)."""

    if TYPE_CHECKING:
        space: Namespace
        domain: str
        _run: OnLoop

        @property
        def world(self) -> World: ...

        def _refused(self, what: str, change: Callable[[], T]) -> T: ...

    def start_recording(self, room: str, body: dict[str, Any]) -> str:
        from ..domain.bodies import checked_fields
        from ..domain.recordstart import START_FIELDS, start_options

        def change() -> str:
            options = start_options(checked_fields(dict(body), START_FIELDS))
            return self.space.start_recording(room, options).id

        return self._refused("recording start", change)

    def stop_recording(self, room: str, body: dict[str, Any]) -> None:
        from ..domain.bodies import checked_fields
        from ..domain.recordstart import STOP_FIELDS, stop_options

        def change() -> None:
            self.space.stop_recording(room, stop_options(checked_fields(dict(body), STOP_FIELDS)))

        self._refused("recording stop", change)

    def recordings(self, room: str | None) -> list[dict[str, Any]]:
        from ..domain.recordings import as_json, seen_at

        def read() -> list[dict[str, Any]]:
            world = self.world
            now = world.clock.now()
            template = world.domain.recordings_template
            listed = world.recordings.of("room", room)  # the room's only, when given
            return [
                as_json(seen_at(r, world.store.get(r.mtg_session_id), now), self.domain, template)
                for r in reversed(listed[: world.recordings.visible_in(listed, now)])
            ]

        return self._run(read)

    def start_transcription(self, room: str, body: dict[str, Any]) -> None:
        from ..domain.bodies import checked_fields
        from ..domain.transcribestart import START_FIELDS, checked_instance

        def change() -> None:
            instance = checked_instance(checked_fields(dict(body), START_FIELDS))
            self.space.start_transcription(room, instance)

        self._refused("transcription start", change)

    def stop_transcription(self, room: str, body: dict[str, Any]) -> None:
        from ..domain.bodies import checked_fields
        from ..domain.transcribestart import STOP_FIELDS, checked_instance

        def change() -> None:
            instance = checked_instance(checked_fields(dict(body), STOP_FIELDS))
            self.space.stop_transcription(room, instance)

        self._refused("transcription stop", change)

    def transcripts(self, room: str | None) -> list[dict[str, Any]]:
        from ..domain.world import transcript_json

        def read() -> list[dict[str, Any]]:
            world = self.world
            now = world.clock.now()
            found = world.rooms.get(room) if room is not None else None
            return [
                transcript_json(world, t, now, self.domain)
                for t in reversed(world.transcripts.ordered)
                if t.start_ts <= now and (room is None or (found and t.room_id == found.id))
            ]

        return self._run(read)

    def fail_recording(self, rec_id: str, error: str | None) -> None:
        self._refused("recording fail", lambda: self.space.fail_recording(rec_id, error))

    def fail_transcript(self, tr_id: str, error: str | None) -> None:
        self._refused("transcript fail", lambda: self.space.fail_transcript(tr_id, error))
