"""Sessions -> a scenario file in the core format, loadable again with identical responses.

Written by hand rather than with ``yaml.dump`` (which is far too slow for a million sessions):
strings are JSON-quoted, which is valid YAML, the few characters YAML does not hold as they
are (DEL, the C1 controls, U+2028, U+2029, U+FFFE, U+FFFF) escaped as ``\\uXXXX``, which both
read. Every stay is written whole (a stay that ends after ``now`` keeps its duration), and the
derived fields of each session visible at ``now`` are written out as they are at ``now`` (the
file's ``now:``), where loading checks them again.

The pieces (``write_session``, ``write_room``, ``write_recordings``; ``session_data``,
``room_data``, ``recording_data`` for JSON files) are also used one by one by
``fake-meetings capture``, which streams sessions as they arrive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TextIO

import orjson

from ..domain import timeline
from ..domain.failed import FailedRecording
from ..domain.model import Session
from ..domain.recordings import (
    CLOUD,
    DEFAULT_INSTANCE,
    DEFAULT_LAYOUT,
    DEFAULT_MAX_DURATION,
    Recording,
)
from ..domain.rooms import Room
from ..domain.transcripts import Transcript

# what YAML does not hold as it is (PyYAML refuses DEL, the C1 controls, U+FFFE and U+FFFF,
# and reads U+0085, U+2028 and U+2029 as line breaks, folding the spaces around them); orjson
# leaves them as they are, being JSON's
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def safe_json(value: Any) -> str:
    """``value`` as JSON that a scenario's reader (YAML's rules, which JSON files follow too)
    reads back the same."""
    text = orjson.dumps(value).decode()
    return text if text.isascii() and "\x7f" not in text else _UNSAFE.sub(_escaped, text)


def _q(value: str | None) -> str:
    return "null" if value is None else safe_json(value)


def dump_scenario(
    sessions: Iterable[Session],
    out: TextIO,
    *,
    now: int | None,
    header: str = "",
    rooms: Iterable[Room] = (),
    recordings: Iterable[Recording] = (),
    transcripts: Iterable[Transcript] = (),
) -> int:
    """Write the scenario (with a ``rooms:`` block when ``rooms`` are given, a ``recordings:``
    block when ``recordings`` are); returns the number of sessions written."""
    write_head(out, header, now, rooms)
    count = 0
    for s in sessions:
        count += 1
        write_session(s, out, now)
    if count == 0:
        out.write("  []\n")
    write_recordings(recordings, out)
    write_transcripts(transcripts, out)
    return count


def write_head(out: TextIO, header: str, now: int | None, rooms: Iterable[Room]) -> None:
    """What comes before a YAML scenario's sessions, the same for every file written: the
    header as comments (a blank line as a bare ``#``), ``now:``, the ``rooms:`` block when there
    are rooms, then ``sessions:`` (the caller writes them, or ``  []`` for none)."""
    for line in header.splitlines():
        out.write(f"# {line}\n" if line else "#\n")
    if now is not None:
        out.write(f"now: {now}\n")
    declared = list(rooms)
    if declared:
        out.write("rooms:\n")
    for r in declared:
        write_room(r, out)
    out.write("sessions:\n")


def write_room(r: Room, out: TextIO) -> None:
    """One item of a ``rooms:`` block (a YAML flow mapping on one line)."""
    config = orjson.dumps(dict(r.config)).decode()
    out.write(
        f"  - {{name: {_q(r.name)}, created_at: {r.created_at}, privacy: {_q(r.privacy)}, "
        f"api_created: {'true' if r.api_created else 'false'}, config: {config}}}\n"
    )


def write_session(s: Session, out: TextIO, now: int | None) -> None:
    """One item of a ``sessions:`` block, its derived fields as they are at ``now``."""
    out.write(f"  - id: {_q(s.id)}\n    room: {_q(s.room)}\n    start_time: {s.start_time}\n")
    if now is not None and timeline.visible(s, now):
        if timeline.ongoing(s, now):
            out.write("    ongoing: true\n")
        else:
            out.write(f"    duration: {timeline.duration(s, now)}\n")
        out.write(f"    max_participants: {timeline.max_participants(s, now)}\n")
    out.write("    participants:\n")
    for p in s.participants:
        stay = "" if p.duration is None else f", duration: {p.duration}"
        out.write(
            f"      - {{participant_id: {_q(p.participant_id)}, user_id: {_q(p.user_id)}, "
            f"user_name: {_q(p.user_name)}, join_time: {p.join_time}{stay}}}\n"
        )


def room_data(r: Room) -> dict[str, Any]:
    """A room as an item of a JSON scenario's ``rooms``."""
    return {
        "name": r.name,
        "created_at": r.created_at,
        "privacy": r.privacy,
        "api_created": r.api_created,
        "config": dict(r.config),
    }


def session_data(s: Session, now: int | None) -> dict[str, Any]:
    """A session as an item of a JSON scenario's ``sessions`` (what ``write_session`` writes)."""
    out: dict[str, Any] = {"id": s.id, "room": s.room, "start_time": s.start_time}
    if now is not None and timeline.visible(s, now):
        if timeline.ongoing(s, now):
            out["ongoing"] = True
        else:
            out["duration"] = timeline.duration(s, now)
        out["max_participants"] = timeline.max_participants(s, now)
    stays: list[dict[str, Any]] = []
    for p in s.participants:
        stay: dict[str, Any] = {
            "participant_id": p.participant_id,
            "user_id": p.user_id,
            "user_name": p.user_name,
            "join_time": p.join_time,
        }
        if p.duration is not None:
            stay["duration"] = p.duration
        stays.append(stay)
    out["participants"] = stays
    return out


def recording_data(r: Recording) -> dict[str, Any]:
    """A recording as an item of a ``recordings:`` block: the keys that differ from the block's
    defaults (``scenario/recordingblock.py``), its session by id; a failed one (``error:``)
    reads back failed, its ``end`` the failure's instant."""
    out: dict[str, Any] = {"id": r.id, "session": r.mtg_session_id, "start_ts": r.start_ts}
    if r.end is not None:
        out["end"] = r.end
    if r.max_duration != DEFAULT_MAX_DURATION:
        out["max_duration"] = r.max_duration
    if isinstance(r, FailedRecording):  # failed: canceled, which error: implies
        out["error"] = r.error_msg
    elif r.canceled:
        out["canceled"] = True
    if r.type != CLOUD:
        out["type"] = r.type
    if r.instance_id != DEFAULT_INSTANCE:
        out["instance_id"] = r.instance_id
    if r.layout != DEFAULT_LAYOUT:
        out["layout"] = r.layout
    return out


def write_recordings(recordings: Iterable[Recording], out: TextIO) -> None:
    """A YAML ``recordings:`` block (one flow mapping per recording), or nothing for none."""
    _write_block("recordings", (recording_data(r) for r in recordings), out)


def transcript_data(t: Transcript) -> dict[str, Any]:
    """A transcript as an item of a ``transcripts:`` block: the keys that differ from the
    block's defaults (``scenario/transcriptblock.py``), its session by id."""
    out: dict[str, Any] = {"id": t.id, "session": t.mtg_session_id, "start_ts": t.start_ts}
    if t.end is not None:
        out["end"] = t.end
    if not t.stored:
        out["stored"] = False
    if t.error is not None:
        out["error"] = t.error
    if t.instance_id != DEFAULT_INSTANCE:
        out["instance_id"] = t.instance_id
    return out


def write_transcripts(transcripts: Iterable[Transcript], out: TextIO) -> None:
    """A YAML ``transcripts:`` block (one flow mapping per transcript), or nothing for none."""
    _write_block("transcripts", (transcript_data(t) for t in transcripts), out)


def _write_block(key: str, items: Iterable[dict[str, Any]], out: TextIO) -> None:
    first = True
    for item in items:
        if first:
            out.write(f"{key}:\n")
            first = False
        pairs = ", ".join(f"{k}: {safe_json(v)}" for k, v in item.items())
        out.write(f"  - {{{pairs}}}\n")
