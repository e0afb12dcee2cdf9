"""Daily's JSON -> the timeline, for ``fake-meetings capture`` (contract part two, §14).

A session of ``GET /meetings`` is a view at the instant it was answered; the scenario needs the
stays behind it. The rules (also in the README, "Capture"):

- A finished session (``ongoing: false``): every stay is closed, with its ``duration``.
- An ongoing session was answered at ``t = start_time + duration`` (its duration is ``t -
  start_time``). A stay with ``join_time + duration >= t`` is still present: it becomes an *open*
  stay (no duration), so the session stays ongoing at the capture instant and later. The others
  left before ``t`` and keep their duration. Someone who left in the very second ``t`` cannot be
  told from someone present (the API counts in whole seconds): they are recorded as present.
  When no stay reaches ``t`` (a source whose durations disagree), the stays that end last are
  taken as present, and the session is counted as approximated.
- A recording (``GET /recordings``) is kept when its session (``mtgSessionId``) is captured: a
  ``finished`` one stops at ``start_ts + duration``, an ``in-progress`` one runs on (until its
  session ends), a ``canceled`` one is canceled. Daily's ``start_ts`` may fall a few seconds
  before the session's ``start_time`` (both are approximate): it is then moved to that start.
  Daily's REST object does not say the type, instance or layout: the defaults stand.
- A transcript (``GET /transcript``) likewise, by its ``mtgSessionId``: it starts at its
  ``created_at`` (else its session's start), a ``t_finished`` or ``t_error`` one stops
  ``duration`` later (the latter with its ``error``), a ``t_in_progress`` one runs on; its file
  is stored when ``isVttAvailable`` says so. A ``t_deleted`` one is left out.
- Daily's derived fields are not written as given: the scenario derives ``duration``, ``ongoing``
  and ``max_participants`` from the stays (and checks them on loading). Where Daily's differ,
  the session is counted as differing; the command reports the count.

Pure functions: no I/O. Malformed input raises :class:`Unusable` naming what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..domain import timeline
from ..domain.model import Participant, Session
from ..domain.recordings import Recording
from ..domain.rooms import PRIVACY, Room, derived_id, invalid_name_info, name_problem
from ..domain.times import parse_instant
from ..domain.transcripts import ERROR, FINISHED, IN_PROGRESS, MAX_ERROR, Transcript

_ID_RE = re.compile(r"[A-Za-z0-9._~-]{1,128}")  # as scenario files accept ids


class Unusable(ValueError):
    """A session or room the scenario format cannot hold; the message says why."""


@dataclass(frozen=True, slots=True)
class Captured:
    session: Session
    instant: int  # the latest instant this session's JSON shows (its answer came at or after it)
    ongoing: bool
    approximated: bool  # ongoing, but no stay reached the instant of the answer
    differs: tuple[str, ...]  # Daily's fields that differ from those the stays derive


def _int(data: Mapping[str, Any], key: str, what: str) -> int:
    value = data.get(key)
    if type(value) is not int or value < 0:
        raise Unusable(f"{what}: {key} is {value!r:.40}, not a whole number")
    return value


def _text(data: Mapping[str, Any], key: str, what: str, *, null: bool = False) -> str | None:
    value = data.get(key)
    if value is None and null:
        return None
    if not isinstance(value, str):
        raise Unusable(f"{what}: {key} is {value!r:.40}, not text")
    return value


def _identifier(data: Mapping[str, Any], key: str, what: str) -> str:
    value = _text(data, key, what)
    assert value is not None
    if not _ID_RE.fullmatch(value):
        raise Unusable(f"{what}: {key} {value!r:.60} is not an id a scenario accepts")
    return value


def session_from_json(
    data: Any,
    rename_user: Callable[[str | None], str | None] = lambda v: v,
    rename_person: Callable[[str | None], str | None] = lambda v: v,
    rename_room: Callable[[str], str] = lambda v: v,
) -> Captured:
    """One session of a ``/meetings`` page -> its stays (see the module's rules), with user ids,
    user names and the room passed through the ``rename_*`` functions (pseudonyms)."""
    if not isinstance(data, Mapping):
        raise Unusable(f"a session is {type(data).__name__}, not an object")
    sid = _identifier(data, "id", "a session")
    what = f"session {sid}"
    room = _text(data, "room", what)
    assert room is not None
    complaint = name_problem(room)  # a scenario holds rooms Daily can name only
    if complaint is not None:
        raise Unusable(f"{what}: {complaint}")
    start = _int(data, "start_time", what)
    duration = _int(data, "duration", what)
    ongoing = data.get("ongoing")
    if not isinstance(ongoing, bool):
        raise Unusable(f"{what}: ongoing is {ongoing!r:.40}, not true or false")
    raw = data.get("participants")
    if not isinstance(raw, list):
        raise Unusable(f"{what}: no participants list (the scenario needs the stays)")
    if not raw:
        raise Unusable(f"{what}: no participant records (a scenario session needs one)")
    answered = start + duration
    stays: list[tuple[str, str | None, str | None, int, int]] = []
    seen: set[str] = set()
    for item in raw:
        if not isinstance(item, Mapping):
            raise Unusable(f"{what}: a participant is {type(item).__name__}, not an object")
        pid = _identifier(item, "participant_id", what)
        if pid in seen:
            raise Unusable(f"{what}: participant {pid} appears twice")
        seen.add(pid)
        user_id = _text(item, "user_id", f"{what}, participant {pid}", null=True)
        user_name = _text(item, "user_name", f"{what}, participant {pid}", null=True)
        join = _int(item, "join_time", f"{what}, participant {pid}")
        stay = _int(item, "duration", f"{what}, participant {pid}")
        stays.append((pid, user_id, user_name, join, stay))
    latest = max(join + stay for _, _, _, join, stay in stays)
    present = answered if any(j + d >= answered for *_, j, d in stays) else latest
    participants = [
        Participant(
            pid,
            rename_user(user_id),
            rename_person(user_name),
            join,
            None if ongoing and join + stay >= present else stay,
        )
        for pid, user_id, user_name, join, stay in stays
    ]
    session = Session.of(sid, rename_room(room), start, participants)
    if session.end is not None and session.end < start:
        raise Unusable(f"{what}: its start_time is after every participant has left")
    instant = max(start, answered if ongoing else latest, *(p.join_time for p in participants))
    differs = []
    if timeline.duration(session, instant) != duration:
        differs.append("duration")
    if timeline.max_participants(session, instant) != data.get("max_participants"):
        differs.append("max_participants")
    return Captured(session, instant, ongoing, ongoing and present != answered, tuple(differs))


def room_from_json(
    data: Any, rename_room: Callable[[str], str] = lambda v: v
) -> tuple[Room, tuple[str, ...]]:
    """One room of a ``/rooms`` page -> a room to declare, and what of it the scenario cannot
    keep (its ``id``: a declared room's id is derived from its name and ``created_at``)."""
    if not isinstance(data, Mapping):
        raise Unusable(f"a room is {type(data).__name__}, not an object")
    name = _text(data, "name", "a room")
    assert name is not None
    complaint = invalid_name_info(name)
    if complaint is not None:
        raise Unusable(f"room {name[:60]!r}: {complaint}")
    what = f"room {name}"
    try:
        created = parse_instant(_text(data, "created_at", what))
    except ValueError as exc:
        raise Unusable(f"{what}: created_at: {exc}") from None
    privacy = data.get("privacy")
    if privacy not in PRIVACY:
        raise Unusable(f"{what}: privacy {privacy!r:.40} is not public or private")
    api_created = data.get("api_created", False)
    if not isinstance(api_created, bool):
        raise Unusable(f"{what}: api_created is {api_created!r:.40}, not true or false")
    config = data.get("config") or {}
    if not isinstance(config, Mapping) or not all(isinstance(k, str) for k in config):
        raise Unusable(f"{what}: config is not an object")
    new_name = rename_room(name)
    room = Room(derived_id(new_name, created), new_name, api_created, privacy, created, config)
    lost = ("id",) if data.get("id") not in (None, room.id) else ()
    return room, lost


def capture_instant(latest_seen: int, any_ongoing: bool, wall_clock: int) -> int:
    """The file's ``now:``. With an ongoing session, the latest instant the answers show (an
    ongoing session's ``start_time + duration`` is the source's clock when it answered: the
    captured durations are those at that instant); without one, nothing depends on the exact
    instant but visibility, so the local clock, unless the data shows a later one."""
    return latest_seen if any_ongoing else max(latest_seen, wall_clock)


RECORDING_STATUSES = ("finished", "in-progress", "canceled")


def recording_from_json(item: object, sessions: Mapping[str, Session]) -> tuple[Recording, bool]:
    """A recording of ``GET /recordings`` whose session is among ``sessions`` (captured, by id),
    and whether its ``start_ts`` was moved to its session's start."""
    if not isinstance(item, dict):
        raise Unusable(f"a recording is {item!r:.40}, not an object")
    rec_id = _identifier(item, "id", "a recording")
    what = f"recording {rec_id}"
    session = sessions.get(str(item.get("mtgSessionId")))
    if session is None:
        raise Unusable(f"{what}: its session {item.get('mtgSessionId')!r:.60} is not captured")
    status = item.get("status")
    if status not in RECORDING_STATUSES:
        raise Unusable(f"{what}: status is {status!r:.40}, not one of {RECORDING_STATUSES}")
    start = _int(item, "start_ts", what)
    moved = start < session.start_time
    start = max(start, session.start_time)
    end = None
    if status == "finished":
        end = start + _int(item, "duration", what)
    return Recording(
        rec_id, session.room, session.id, start, end, canceled=status == "canceled"
    ), moved


TRANSCRIPT_STATUSES = (IN_PROGRESS, FINISHED, ERROR)


def transcript_from_json(item: object, sessions: Mapping[str, Session]) -> tuple[Transcript, bool]:
    """A transcript of ``GET /transcript`` whose session is among ``sessions``, and whether its
    start was moved to its session's start."""
    if not isinstance(item, dict):
        raise Unusable(f"a transcript is {item!r:.40}, not an object")
    tr_id = _identifier(item, "transcriptId", "a transcript")
    what = f"transcript {tr_id}"
    session = sessions.get(str(item.get("mtgSessionId")))
    if session is None:
        raise Unusable(f"{what}: its session {item.get('mtgSessionId')!r:.60} is not captured")
    status = item.get("status")
    if status not in TRANSCRIPT_STATUSES:
        raise Unusable(f"{what}: status is {status!r:.40}, not one of {TRANSCRIPT_STATUSES}")
    start = session.start_time
    if item.get("created_at") is not None:
        try:
            start = parse_instant(item["created_at"])
        except ValueError:
            raise Unusable(f"{what}: created_at is {item['created_at']!r:.40}") from None
    moved = start < session.start_time
    start = max(start, session.start_time)
    end = None if status == IN_PROGRESS else start + _int(item, "duration", what)
    error = _text(item, "error", what, null=True) if status == ERROR else None
    if error is not None and len(error) > MAX_ERROR:
        error = error[:MAX_ERROR]
    stored = item.get("isVttAvailable") is True
    room_id = ""  # the served room's, filled in when the file is loaded
    return Transcript(
        tr_id, session.room, room_id, session.id, start, end, stored=stored, error=error
    ), moved
