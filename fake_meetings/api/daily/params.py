"""Query string -> typed query, or a Daily-shaped 400 naming the parameter (contract §2, §4)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from multidict import MultiMapping

from ...domain.query import MAX_LIMIT, MeetingsQuery, ParticipantsQuery
from ...domain.recordings import RecordingsQuery
from ...domain.rooms import RoomsQuery
from ...domain.times import MAX_TIMESTAMP
from ...domain.transcripts import TranscriptsQuery
from ..errors import invalid

if TYPE_CHECKING:
    from ...domain.presence import PresenceQuery

MEETINGS_PARAMS = (
    "room",
    "timeframe_start",
    "timeframe_end",
    "ongoing",
    "no_participants",
    "limit",
    "starting_after",
    "ending_before",
)
PARTICIPANTS_PARAMS = ("limit", "joined_after", "joined_before")
ROOMS_PARAMS = ("limit", "starting_after", "ending_before")
PRESENCE_PARAMS = ("limit", "userId", "userName")
RECORDINGS_PARAMS = ("room_name", "limit", "starting_after", "ending_before", "in_progress")
LINK_PARAMS = ("valid_for_secs",)
TRANSCRIPTS_PARAMS = ("roomId", "mtgSessionId", "limit", "starting_after", "ending_before")
# GET /recordings/:id/access-link's valid_for_secs: Daily's docs give 3600 s by default, at most
# 12 h and at least 15 min; a value outside is brought within (contract §2.4 [?]: clamp)
VALID_FOR_DEFAULT, VALID_FOR_MIN, VALID_FOR_MAX = 3600, 900, 43200
_DIGITS = re.compile(r"[0-9]+")
_HUGE = 10**30  # stands for any longer number: still an integer, just out of every range


def meetings_query(query: MultiMapping[str], *, strict_limit: bool) -> tuple[MeetingsQuery, bool]:
    """The typed list query and whether participants are left out (``no_participants``)."""
    _once(query, MEETINGS_PARAMS)
    starting_after, ending_before = _cursors(query)
    q = MeetingsQuery(
        room=query.get("room"),
        timeframe_start=_timestamp(query, "timeframe_start"),
        timeframe_end=_timestamp(query, "timeframe_end"),
        ongoing=_boolean(query, "ongoing"),
        limit=_limit(query, strict_limit),
        starting_after=starting_after,
        ending_before=ending_before,
    )
    return q, bool(_boolean(query, "no_participants"))


def participants_query(query: MultiMapping[str], *, strict_limit: bool) -> ParticipantsQuery:
    _once(query, PARTICIPANTS_PARAMS)
    joined_after = query.get("joined_after")
    joined_before = query.get("joined_before")
    _not_both(joined_after, joined_before, "joined_after", "joined_before")
    return ParticipantsQuery(_limit(query, strict_limit), joined_after, joined_before)


def rooms_query(query: MultiMapping[str], *, strict_limit: bool) -> RoomsQuery:
    _once(query, ROOMS_PARAMS)
    starting_after, ending_before = _cursors(query)
    return RoomsQuery(_limit(query, strict_limit), starting_after, ending_before)


def recordings_query(query: MultiMapping[str], *, strict_limit: bool) -> RecordingsQuery:
    _once(query, RECORDINGS_PARAMS)
    starting_after, ending_before = _cursors(query)
    limit = _limit(query, strict_limit)
    in_progress = _boolean(query, "in_progress")
    return RecordingsQuery(
        query.get("room_name"), limit, starting_after, ending_before, in_progress
    )


def transcripts_query(query: MultiMapping[str], *, strict_limit: bool) -> TranscriptsQuery:
    _once(query, TRANSCRIPTS_PARAMS)
    starting_after, ending_before = _cursors(query)
    limit = _limit(query, strict_limit)
    return TranscriptsQuery(
        query.get("roomId"), query.get("mtgSessionId"), limit, starting_after, ending_before
    )


def valid_for_secs(query: MultiMapping[str]) -> int:
    """``valid_for_secs`` of an access link: a whole number of seconds, brought within
    ``VALID_FOR_MIN`` to ``VALID_FOR_MAX`` (3600 when absent)."""
    _once(query, LINK_PARAMS)
    value = _integer(query, "valid_for_secs", "a whole number of seconds")
    if value is None:
        return VALID_FOR_DEFAULT
    return max(VALID_FOR_MIN, min(VALID_FOR_MAX, value))


def presence_query(query: MultiMapping[str], *, strict_limit: bool) -> PresenceQuery:
    _once(query, PRESENCE_PARAMS)
    from ...domain.presence import PresenceQuery  # the presence engine, on its first query

    return PresenceQuery(_limit(query, strict_limit), query.get("userId"), query.get("userName"))


def _once(query: MultiMapping[str], known: Iterable[str]) -> None:
    for name in known:
        count = len(query.getall(name, ()))
        if count > 1:
            raise invalid(f"{name}: given {count} times; give it at most once")


def _cursors(query: MultiMapping[str]) -> tuple[str | None, str | None]:
    """``starting_after`` and ``ending_before`` (not both) of a list route."""
    starting_after = query.get("starting_after")
    ending_before = query.get("ending_before")
    _not_both(starting_after, ending_before, "starting_after", "ending_before")
    return starting_after, ending_before


def _not_both(a: str | None, b: str | None, name_a: str, name_b: str) -> None:
    if a is not None and b is not None:
        raise invalid(f"{name_a} and {name_b} cannot be used together; give one cursor")


def _integer(query: MultiMapping[str], name: str, what: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    if not _DIGITS.fullmatch(raw):
        raise invalid(f"{name}: must be {what}; got {raw!r}")
    return int(raw) if len(raw) < 30 else _HUGE


def _timestamp(query: MultiMapping[str], name: str) -> int | None:
    what = "an integer unix timestamp in seconds (0 or more)"
    value = _integer(query, name, what)
    if value is not None and value >= MAX_TIMESTAMP:
        raise invalid(f"{name}: must be {what}; {value} is out of range")
    return value


def _limit(query: MultiMapping[str], strict: bool) -> int:
    what = f"an integer between 1 and {MAX_LIMIT}"
    value = _integer(query, "limit", what)
    if value is None:
        return MAX_LIMIT
    if value < 1 or (strict and value > MAX_LIMIT):
        raise invalid(f"limit: must be {what}; got {value}")
    return min(value, MAX_LIMIT)


def _boolean(query: MultiMapping[str], name: str) -> bool | None:
    raw = query.get(name)
    if raw is None:
        return None
    lowered = raw.lower()
    if lowered not in ("true", "false"):
        raise invalid(f"{name}: must be true or false; got {raw!r}")
    return lowered == "true"
