"""The OpenAPI operations and schemas of meetings.ROUTES: meeting sessions and their
participant records."""

from __future__ import annotations

from ...domain.query import MAX_LIMIT
from ...domain.times import MAX_TIMESTAMP
from .parts import Context, Operations, Schema, answer, page, path_param, query, ref, responses

_TIME = {"type": "integer", "minimum": 0, "maximum": MAX_TIMESTAMP - 1}  # unix seconds
_MEETING = path_param("meeting", "A meeting session id.")


def _list(c: Context) -> Schema:
    return {
        "summary": "List meeting sessions, newest first",
        "parameters": [
            query("room", "Only sessions of this room (exact).", {"type": "string"}),
            query("timeframe_start", "start_time >= this (unix s).", _TIME),
            query("timeframe_end", "start_time < this (unix s).", _TIME),
            query(
                "ongoing",
                "true: only ongoing sessions; false: only ended ones.",
                {"type": "boolean"},
            ),
            query(
                "no_participants",
                "true: leave out each session's participants.",
                {"type": "boolean"},
            ),
            c.limit_param(),
            *c.cursors("Session"),
        ],
        "responses": responses(
            answer("A page of sessions; the count of all matches.", ref("MeetingsPage")),
            c.errors,
        ),
    }


def _one(c: Context) -> Schema:
    return {
        "summary": "One meeting session",
        "parameters": [_MEETING],
        "responses": responses(answer("The session.", ref("Session")), c.one),
    }


def _participants(c: Context) -> Schema:
    return {
        "summary": "Participant records of a session, by join_time",
        "parameters": [
            _MEETING,
            c.limit_param(),
            query(
                "joined_after",
                f"Participant id cursor: records after it; {c.cursor_doc}.",
                {"type": "string"},
            ),
            query(
                "joined_before",
                f"Participant id cursor: records before it; {c.cursor_doc}.",
                {"type": "string"},
            ),
        ],
        "responses": responses(
            answer("A page of participant records.", ref("ParticipantsPage")), c.one
        ),
    }


OPERATIONS: Operations = {
    "listMeetings": _list,
    "getMeeting": _one,
    "getMeetingParticipants": _participants,
}


def schemas() -> dict[str, Schema]:
    nullable_string = {"type": ["string", "null"]}
    return {
        "Participant": {
            "type": "object",
            "required": ["user_id", "participant_id", "user_name", "join_time", "duration"],
            "additionalProperties": False,
            "properties": {
                "user_id": nullable_string,
                "participant_id": {"type": "string", "minLength": 1},
                "user_name": nullable_string,
                "join_time": _TIME,
                "duration": {"type": "integer", "minimum": 0},
            },
        },
        "Session": {
            "type": "object",
            "required": ["id", "room", "start_time", "duration", "ongoing", "max_participants"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "room": {"type": "string", "minLength": 1},
                "start_time": _TIME,
                "duration": {"type": "integer", "minimum": 0},
                "ongoing": {"type": "boolean"},
                "max_participants": {"type": "integer", "minimum": 1},
                "participants": {
                    "type": "array",
                    "minItems": 1,
                    "items": ref("Participant"),
                    "description": "Left out when no_participants=true.",
                },
            },
        },
        "MeetingsPage": page(ref("Session")),
        "ParticipantsPage": {
            "type": "object",
            "required": ["data"],
            "additionalProperties": False,
            "properties": {
                "data": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_LIMIT,
                    "items": ref("Participant"),
                }
            },
        },
    }
