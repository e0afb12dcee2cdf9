"""A namespace's recording commands (``DELETE /recordings/:id``, ``POST
/rooms/:name/recordings/start | update | stop``, and the test handle's): the part of
:class:`namespaces.Namespace` that recordings add, kept here so each file stays one subject.
Each checks what it is asked against the recordings visible now, swaps the world's
recordings whole and tells the listeners (the webhooks). Each is synchronous on the server's
loop, so none takes the namespace's lock."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from ..domain.recordings import RAW_TRACKS, Recording
from ..domain.recordstart import StartOptions, StopOptions, same_kind
from ..errors import invalid
from .group import CommandGroup
from .lookups import hosted_session, on_instance, removed, stopped

if TYPE_CHECKING:
    from ..domain.rooms import Room

RECORDINGS_SEED = 3  # ids of recordings started through the API: the same, for recordings


class RecordingCommands(CommandGroup):
    """The recording commands of a namespace (mixed into ``Namespace``)."""

    if TYPE_CHECKING:
        _recording_ids: random.Random

        def _visible_room(self, name: str) -> Room: ...

    def delete_recording(self, rec_id: str) -> Recording:
        """``DELETE /recordings/:id``: the recording visible now, gone from here on (a 404
        when there is none)."""
        world = self.world
        recording, world.recordings = removed(
            world.recordings, rec_id, world.clock.now(), "recording"
        )
        return recording

    def start_recording(self, room: str, options: StartOptions) -> Recording:
        """``POST /rooms/:name/recordings/start``: a recording of the session going on in
        ``room`` now, from now until it is stopped, its ``maxDuration`` or the session's end.
        A room not visible now is a 404; a room nobody is in now is a 404 "not hosting a
        call" [?]; an instance already recording here is a 400 "has an active stream" [C]."""
        world = self.world
        now = world.clock.now()
        self._visible_room(room)
        session = hosted_session(world.store, room, now, "a recording starts")
        active = self._recording_on(room, options.instance_id, now)
        if active is not None:
            raise invalid(
                f"room {room} has an active stream on instance {active.instance_id} (recording "
                f"{active.id}); stop it first, or start with another instanceId"
            )
        self.bounds.check_recordings(world.recordings.counted + 1)
        recording = Recording(
            world.recordings.new_id(self._recording_ids),
            room,
            session.id,
            now,
            max_duration=options.max_duration,
            instance_id=options.instance_id,
            type=options.type,
            layout=options.layout["preset"] if options.layout is not None else "default",
        )
        world.recordings = world.recordings.joined([recording])
        self._tell("recording-started", now, recording=recording)
        return recording

    def update_recording(self, room: str, options: StartOptions) -> Recording:
        """``POST /rooms/:name/recordings/update``: the recording in progress on the instance,
        unchanged (the fake keeps no layout); none is a 400, a raw-tracks one too [D]."""
        now = self.world.clock.now()
        self._visible_room(room)
        if options.type == RAW_TRACKS:
            raise invalid("a raw-tracks recording cannot be updated")
        active = self._recording_on(room, options.instance_id, now)
        if active is None:
            raise invalid(
                f"room {room} has no recording in progress on instance {options.instance_id} "
                "to update"
            )
        if active.type == RAW_TRACKS:
            raise invalid(f"recording {active.id} is raw-tracks: it cannot be updated")
        return active

    def stop_recording(self, room: str, options: StopOptions) -> Recording:
        """``POST /rooms/:name/recordings/stop``: the recording in progress on the instance
        (of the body's type: raw-tracks stops only raw-tracks) stops now; none is a 400 [D]."""
        world = self.world
        now = world.clock.now()
        self._visible_room(room)
        active = self._recording_on(room, options.instance_id, now)
        if active is None or not same_kind(options.type, active.type):
            raise invalid(
                f"room {room} has no {options.type} recording in progress on instance "
                f"{options.instance_id} to stop"
            )
        done, world.recordings = stopped(world.recordings, active, now)
        self._tell("recording-stopped", now, recording=done)
        return done

    def _recording_on(self, room: str, instance: str, now: int) -> Recording | None:
        """The recording of ``room`` in progress at ``now`` on ``instance``, if any."""
        running = self.world.recordings.running_in_room(room, now)  # not the room's history
        return on_instance(running, instance, self.world.store, now)
