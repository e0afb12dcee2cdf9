"""The file ``fake-meetings capture`` writes: sessions streamed to a side file as pages arrive,
then header, ``now:``, rooms, those sessions and the recordings assembled into a temporary file
renamed over the output. Until the rename nothing is at the output path; an interrupt or an
error removes both temporary files, so there is never a half-written scenario.

YAML (the default) carries a header of comments saying how the file was made; a ``.json``
output holds the same scenario as JSON, which has no place for comments.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TextIO

import orjson

from ..domain.model import Session
from ..domain.recordings import Recording
from ..domain.rooms import Room
from ..domain.transcripts import Transcript
from ..scenario.dump import (
    recording_data,
    room_data,
    session_data,
    transcript_data,
    write_head,
    write_recordings,
    write_session,
    write_transcripts,
)
from .atomic import publish, temp_beside


class ScenarioOutput:
    """``with ScenarioOutput(path) as out: out.session(...)...; out.finish(now, header, rooms)``"""

    def __init__(self, path: Path):
        self.path = path
        self.json = path.suffix.lower() == ".json"
        self.count = 0
        self._body: TextIO | None = None
        self._body_path: Path | None = None
        self._temps: list[Path] = []

    def _temp(self, suffix: str) -> tuple[int, Path]:
        fd, path = temp_beside(self.path, suffix)
        self._temps.append(path)
        return fd, path

    def __enter__(self) -> ScenarioOutput:
        fd, self._body_path = self._temp(".sessions")
        self._body = os.fdopen(fd, "w", encoding="utf-8")
        return self

    def session(self, s: Session, instant: int) -> None:
        """Append a session; its derived fields as at ``instant`` (the file's ``now:`` will be
        that or later, and they do not change in between: see ``scenario/capture.py``)."""
        assert self._body is not None
        if self.json:
            prefix = ",\n" if self.count else ""
            self._body.write(prefix + orjson.dumps(session_data(s, instant)).decode())
        else:
            write_session(s, self._body, instant)
        self.count += 1

    def finish(
        self,
        now: int,
        header: str,
        rooms: Iterable[Room],
        recordings: Iterable[Recording] = (),
        transcripts: Iterable[Transcript] = (),
    ) -> None:
        """Assemble the file and rename it over the output path."""
        assert self._body is not None and self._body_path is not None
        body_path = self._body_path
        self._body.close()
        fd, final = self._temp(".tmp")
        out = os.fdopen(fd, "w", encoding="utf-8")
        with out, body_path.open(encoding="utf-8") as body:
            if self.json:
                rooms_json = orjson.dumps([room_data(r) for r in rooms]).decode()
                out.write(f'{{"now": {now}, "rooms": {rooms_json}, "sessions": [\n')
                shutil.copyfileobj(body, out)
                recorded = orjson.dumps([recording_data(r) for r in recordings]).decode()
                transcribed = orjson.dumps([transcript_data(t) for t in transcripts]).decode()
                out.write(f'\n], "recordings": {recorded}, "transcripts": {transcribed}}}\n')
            else:
                write_head(out, header, now, rooms)
                shutil.copyfileobj(body, out)
                if not self.count:
                    out.write("  []\n")
                write_recordings(recordings, out)
                write_transcripts(transcripts, out)
            publish(out, final, self.path)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._body is not None:
            self._body.close()
        for temp in self._temps:
            temp.unlink(missing_ok=True)
