"""A namespace's transcript changes (``POST /rooms/:name/transcription/start | update | stop``,
``DELETE /transcript/:id``): the part of :class:`namespaces.Namespace` that transcripts add,
kept here so each file stays one subject. Like every change of a namespace, each swaps the
world's transcripts whole and tells the listeners (the webhooks).
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING

from ..domain.chunked import BY_START
from ..domain.transcripts import STORAGE_PROPERTY, Transcript
from ..errors import invalid, not_found
from .group import CommandGroup
from .lookups import hosted_session, on_instance, removed, stopped, visible

if TYPE_CHECKING:
    from ..domain.rooms import Room
    from ..domain.world import World

TRANSCRIPTS_SEED = 4  # ids of transcripts started through the API: the same, for transcripts
# Transcripts per namespace: each change copies their indexes (a few thousand cost a fraction of
# a millisecond), and a client starting transcriptions in a loop is stopped.
MAX_TRANSCRIPTS = 10_000


def check_transcripts(count: int) -> None:
    most = MAX_TRANSCRIPTS
    if count > most:
        raise invalid(
            f"transcripts: a namespace holds at most {most:,} transcripts; this would make "
            f"{count:,}. Delete transcripts or reset"
        )


class TranscriptChanges(CommandGroup):
    """The transcript changes of a namespace (mixed into ``Namespace``)."""

    world: World
    _transcript_ids: random.Random | None = None

    if TYPE_CHECKING:

        def _visible_room(self, name: str) -> Room: ...

    def _next_transcript_id(self) -> str:
        if self._transcript_ids is None:
            self._transcript_ids = random.Random(TRANSCRIPTS_SEED)
        return self.world.transcripts.new_id(self._transcript_ids)

    def restart_transcript_ids(self) -> None:
        """Ids from the start of their sequence again (a reset)."""
        self._transcript_ids = None

    def delete_transcript(self, tr_id: str) -> Transcript:
        """``DELETE /transcript/:id``: the transcript visible now, gone from here on (a 404
        when there is none)."""
        world = self.world
        transcript, world.transcripts = removed(
            world.transcripts, tr_id, world.clock.now(), "transcript"
        )
        return transcript

    def start_transcription(self, room: str, instance: str) -> Transcript:
        """``POST /rooms/:name/transcription/start``: a transcript of the session going on in
        ``room`` now, from now until it is stopped or the session ends. A room not visible now
        is a 404; a room nobody is in now is a 404 "not hosting a call" [D]; a transcription
        already in progress on the instance is a 400 [D]."""
        world = self.world
        now = world.clock.now()
        found = self._visible_room(room)
        session = hosted_session(world.store, room, now, "transcription starts")
        active = self._transcript_on(found, instance, now)
        if active is not None:
            raise invalid(
                f"room {room} already has a transcription in progress (stream in progress on "
                f"instance {instance}, transcript {active.id}); stop it first, or start with "
                "another instanceId"
            )
        check_transcripts(len(world.transcripts) + 1)
        stored = found.config.get(STORAGE_PROPERTY, world.domain.config().get(STORAGE_PROPERTY))
        transcript = Transcript(
            self._next_transcript_id(),
            room,
            found.id,
            session.id,
            now,
            instance_id=instance,
            stored=stored is True,
        )
        world.transcripts = world.transcripts.joined([transcript])
        self._tell("transcript-started", now, transcript=transcript)
        return transcript

    def update_transcription(self, room: str, instance: str) -> Transcript:
        """``POST /rooms/:name/transcription/update``: the transcription in progress on the
        instance, unchanged (the fake keeps no participants list); none is a 404 [D]."""
        found = self._visible_room(room)
        active = self._transcript_on(found, instance, self.world.clock.now())
        if active is None:
            raise not_found(f"room {room} has no transcription to update on instance {instance}")
        return active

    def stop_transcription(self, room: str, instance: str) -> Transcript:
        """``POST /rooms/:name/transcription/stop``: the transcription in progress on the
        instance stops now; none is a 404 "no transcription to stop" [D]."""
        world = self.world
        now = world.clock.now()
        found = self._visible_room(room)
        active = self._transcript_on(found, instance, now)
        if active is None:
            raise not_found(f"room {room} has no transcription to stop on instance {instance}")
        done, world.transcripts = stopped(world.transcripts, active, now)
        self._tell("transcript-stopped", now, transcript=done)
        return done

    def fail_transcription(self, tr_id: str, error: str) -> Transcript:
        """The transcript ``tr_id`` (visible now) ends in ``t_error`` with ``error`` once it
        stops (the handle's way to test a client's error path)."""
        world = self.world
        now = world.clock.now()
        transcript = visible(world.transcripts, tr_id, now, "transcript")
        failed = replace(transcript, error=error)
        world.transcripts = world.transcripts.replaced(failed)
        self._tell("transcript-failed", now, transcript=failed)
        return failed

    def _transcript_on(self, room: Room, instance: str, now: int) -> Transcript | None:
        """The transcript of ``room`` in progress at ``now`` on ``instance``, if any (the first
        by ``(start_ts, id)``). A transcript starts no earlier than its session and stops at the
        latest when its session ends, so only the transcripts of the room's sessions going on
        now can be in progress: those are read, through the per-session index, and not the
        room's history; unless the room has had fewer transcripts than it has sessions going on
        (a generated room holds hundreds at once), when reading them all costs less. Sessions
        name their room and transcripts its id: a room created under a deleted one's name does
        not own the transcripts made before it."""
        store, transcripts = self.world.store, self.world.transcripts
        ongoing = store.at(now).ongoing_in(room.name)
        history = transcripts.of("room", room.id)
        if len(history) <= len(ongoing):
            return on_instance(history, instance, store, now)
        found = []
        for session in store.sessions.pick(ongoing):
            own = (t for t in transcripts.of("session", session.id) if t.room_id == room.id)
            active = on_instance(own, instance, store, now)
            if active is not None:
                found.append(active)
        return min(found, key=BY_START, default=None)
