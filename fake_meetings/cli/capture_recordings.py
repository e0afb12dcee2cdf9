"""The account's recordings in a capture: listed before its sessions (the newest
:data:`MAX_RECORDINGS` at most, as many as a namespace holds), then kept for the sessions the
capture holds (``scenario/capture.py``, :func:`recording_from_json`, says how each is read)."""

from __future__ import annotations

from typing import Any

from ..client.daily import DailyReader, SourceError
from ..domain.model import Session
from ..domain.recordings import Recording
from ..scenario.capture import Unusable, recording_from_json
from ..state.namespaces import MAX_RECORDINGS


class RecordingsCapture:
    """``read()`` before the sessions; ``keep(session)`` for each captured session that
    ``wants``; ``build()`` once they are all read; ``notes()`` for the file's header."""

    def __init__(self, reader: DailyReader):
        self._reader = reader
        self._listed: list[Any] = []
        self._sessions: set[str] = set()  # the sessions the listed recordings record
        self._kept: dict[str, Session] = {}
        self.unavailable: str | None = None  # why the source's recordings were not read
        self.more = False  # the source listed more than MAX_RECORDINGS
        self.left_out = self.moved = 0

    def read(self) -> None:
        try:
            for _, data in self._reader.pages("/recordings", {}):
                room = MAX_RECORDINGS - len(self._listed)
                self._listed.extend(data[:room])
                if len(data) > room:
                    self.more = True
                    break
        except SourceError as exc:  # a key without access to recordings, an older source
            self.unavailable, self._listed = str(exc), []
        self._sessions = {
            str(item.get("mtgSessionId")) for item in self._listed if isinstance(item, dict)
        }

    def wants(self, session_id: str) -> bool:
        return session_id in self._sessions

    def keep(self, session: Session) -> None:
        self._kept[session.id] = session

    def build(self) -> list[Recording]:
        out: list[Recording] = []
        for item in self._listed:
            try:
                recording, moved = recording_from_json(item, self._kept)
            except Unusable:
                self.left_out += 1
                continue
            self.moved += moved
            out.append(recording)
        return out

    def notes(self) -> list[str]:
        notes = []
        if self.unavailable is not None:
            notes.append(f"recordings not captured: {self.unavailable}")
        if self.more:
            notes.append(
                f"the source lists more than {MAX_RECORDINGS:,} recordings: the newest "
                f"{MAX_RECORDINGS:,} were read (a namespace holds at most that many)"
            )
        if self.left_out:
            notes.append(
                f"{self.left_out:,} recordings left out (their session is not in the capture, "
                "or their object is not Daily's)"
            )
        if self.moved:
            notes.append(
                f"{self.moved:,} recordings start before their session's start_time (both are "
                "approximate): they start with it"
            )
        return notes
