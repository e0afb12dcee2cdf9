"""What a capture keeps beside the sessions: the account's recordings and transcripts, each
listed before the sessions (the newest :data:`MAX_RECORDINGS` at most, as many recordings as a
namespace holds), then kept for the sessions the capture holds (``scenario/capture.py`` says
how each object is read)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from ..client.daily import DailyReader, SourceError
from ..domain.model import Session
from ..domain.recordings import Recording
from ..domain.transcripts import Transcript
from ..scenario.capture import Unusable, recording_from_json, transcript_from_json
from ..state.namespaces import MAX_RECORDINGS

T = TypeVar("T")
Reader = Callable[[object, Mapping[str, Session]], tuple[T, bool]]


class Attached(Generic[T]):
    """One kind: ``read()`` before the sessions; ``keep(session)`` for each captured session
    (the ones ``wants``); ``build()`` once they are all read; ``notes()`` for the header."""

    def __init__(
        self, reader: DailyReader, path: str, key: str, kind: str, read: Reader[T]
    ) -> None:
        self._reader, self._path, self._key, self.kind, self._read = reader, path, key, kind, read
        self._listed: list[Any] = []
        self._sessions: set[str] = set()  # the sessions the listed objects belong to
        self._kept: dict[str, Session] = {}
        self.unavailable: str | None = None  # why the source's were not read
        self.more = False  # the source listed more than MAX_RECORDINGS
        self.left_out = self.moved = 0

    def read(self) -> None:
        try:
            for _, data in self._reader.pages(self._path, {}, key=self._key):
                room = MAX_RECORDINGS - len(self._listed)
                self._listed.extend(data[:room])
                if len(data) > room:
                    self.more = True
                    break
        except SourceError as exc:  # a key without access to them, an older source
            self.unavailable, self._listed = str(exc), []
        self._sessions = {
            str(item.get("mtgSessionId")) for item in self._listed if isinstance(item, dict)
        }

    def wants(self, session_id: str) -> bool:
        return session_id in self._sessions

    def keep(self, session: Session) -> None:
        self._kept[session.id] = session

    def build(self) -> list[T]:
        out: list[T] = []
        for item in self._listed:
            try:
                built, moved = self._read(item, self._kept)
            except Unusable:
                self.left_out += 1
                continue
            self.moved += moved
            out.append(built)
        return out

    def notes(self) -> list[str]:
        kind, notes = self.kind, []
        if self.unavailable is not None:
            notes.append(f"{kind} not captured: {self.unavailable}")
        if self.more:
            notes.append(
                f"the source lists more than {MAX_RECORDINGS:,} {kind}: the newest "
                f"{MAX_RECORDINGS:,} were read (a namespace holds at most that many recordings)"
            )
        if self.left_out:
            notes.append(
                f"{self.left_out:,} {kind} left out (their session is not in the capture, or "
                "their object is not Daily's)"
            )
        if self.moved:
            notes.append(
                f"{self.moved:,} {kind} start before their session's start_time (both are "
                "approximate): they start with it"
            )
        return notes


def recordings(reader: DailyReader) -> Attached[Recording]:
    return Attached(reader, "/recordings", "id", "recordings", recording_from_json)


def transcripts(reader: DailyReader) -> Attached[Transcript]:
    return Attached(reader, "/transcript", "transcriptId", "transcripts", transcript_from_json)
