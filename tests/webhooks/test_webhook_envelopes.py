"""The events' envelopes and payloads (``Event.envelope()``, contract §13) on hand-written
sessions, against literal dicts: the keys and their order, the id patterns, ``duration`` of
``participant.left``, and the fallbacks of ``domain/events.py`` (a stay without ``user_id`` is
sent with its participant id, one without ``user_name`` with ``null``, as ``/meetings`` shows it).

Dicts are compared as nested lists of ``(key, value)`` pairs, so the key order counts.
"""

from __future__ import annotations

from typing import Any

from fake_meetings.domain.events import LEFT, Event, between
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.store import Store
from fake_meetings.webhooks.jsjson import stringify

T = 1_700_000_000
MEETING = "5c2f7a7e-0000-4000-8000-000000000001"
PERMISSIONS = {
    "hasPresence": True,
    "canSend": True,
    "canReceive": {"base": True},
    "canAdmin": False,
}


def ordered(value: Any) -> Any:
    """``value`` with every dict as the list of its items, in order."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


ANN = Participant("p-ann", "u-1", "Ann", T + 5, 60, owner=True)
ANON = Participant("p-anon", None, None, T + 10, 30)
SESSION = Session.of(MEETING, "room-a", T, [ANON, ANN])  # ends at T + 65


def events(delay: int = 0) -> dict[tuple[str, str | None], Event]:
    found = between(Store([SESSION]), T - 1, T + 1000, delay)
    return {(e.type, e.participant.participant_id if e.participant else None): e for e in found}


def test_meeting_started() -> None:
    expected = {
        "version": "1.0.0",
        "type": "meeting.started",
        "id": f"met-sta-{MEETING}-1700000000",
        "payload": {"start_ts": 1700000000, "meeting_id": MEETING, "room": "room-a"},
        "event_ts": 1700000000,
    }
    assert ordered(events()["meeting.started", None].envelope()) == ordered(expected)


def test_meeting_ended_names_the_end_and_is_sent_after_the_delay() -> None:
    expected = {
        "version": "1.0.0",
        "type": "meeting.ended",
        "id": f"met-end-{MEETING}-1700000065",
        "payload": {
            "start_ts": 1700000000,
            "end_ts": 1700000065,
            "meeting_id": MEETING,
            "room": "room-a",
        },
        "event_ts": 1700000065,
    }
    assert ordered(events()["meeting.ended", None].envelope()) == ordered(expected)
    delayed = {**expected, "event_ts": 1700000085}  # same id and end_ts, 20 s later
    assert ordered(events(20)["meeting.ended", None].envelope()) == ordered(delayed)


def test_participant_joined_with_user_id_and_name() -> None:
    expected = {
        "version": "1.0.0",
        "type": "participant.joined",
        "id": "ptcpt-join-p-ann-1700000005000",
        "payload": {
            "room": "room-a",
            "user_id": "u-1",
            "user_name": "Ann",
            "session_id": "p-ann",
            "joined_at": 1700000005,
            "will_eject_at": 0,
            "owner": True,
            "permissions": PERMISSIONS,
        },
        "event_ts": 1700000005,
    }
    assert ordered(events()["participant.joined", "p-ann"].envelope()) == ordered(expected)


def test_participant_left_adds_the_duration() -> None:
    expected = {
        "version": "1.0.0",
        "type": "participant.left",
        "id": "ptcpt-left-p-ann-1700000065000",
        "payload": {
            "room": "room-a",
            "user_id": "u-1",
            "user_name": "Ann",
            "session_id": "p-ann",
            "joined_at": 1700000005,
            "will_eject_at": 0,
            "owner": True,
            "permissions": PERMISSIONS,
            "duration": 60,
        },
        "event_ts": 1700000065,
    }
    assert ordered(events()["participant.left", "p-ann"].envelope()) == ordered(expected)


def test_a_stay_without_user_id_or_name_falls_back_to_its_id_and_a_null_name() -> None:
    joined = {
        "room": "room-a",
        "user_id": "p-anon",
        "user_name": None,
        "session_id": "p-anon",
        "joined_at": 1700000010,
        "will_eject_at": 0,
        "owner": False,
        "permissions": PERMISSIONS,
    }
    found = events()
    assert ordered(found["participant.joined", "p-anon"].envelope()) == ordered(
        {
            "version": "1.0.0",
            "type": "participant.joined",
            "id": "ptcpt-join-p-anon-1700000010000",
            "payload": joined,
            "event_ts": 1700000010,
        }
    )
    assert ordered(found["participant.left", "p-anon"].envelope()) == ordered(
        {
            "version": "1.0.0",
            "type": "participant.left",
            "id": "ptcpt-left-p-anon-1700000040000",
            "payload": {**joined, "duration": 30},
            "event_ts": 1700000040,
        }
    )


def test_an_empty_user_name_is_kept_empty_and_a_given_one_is_not_replaced() -> None:
    stay = Participant("p-x", "", "", T, 0)
    session = Session.of("m-x", "r", T, [stay])
    payload = Event(T, "participant.joined", session, stay).payload()
    assert (payload["user_id"], payload["user_name"]) == ("", "")


def test_left_of_a_stay_still_open_counts_up_to_the_event() -> None:
    """A leave happening live: the stay given may still be open; the duration runs to the
    event's instant."""
    stay = Participant("p-live", None, "Bo", T + 3, None)
    session = Session.of("m-live", "r", T, [stay])
    envelope = Event(T + 50, LEFT, session, stay).envelope()
    assert envelope["id"] == "ptcpt-left-p-live-1700000050000"
    assert envelope["payload"]["duration"] == 47
    assert envelope["event_ts"] == 1700000050


def test_meeting_ended_of_a_session_still_open_ends_at_the_event() -> None:
    session = Session.of("m-open", "r", T, [Participant("p", None, None, T, None)])
    envelope = Event(T + 9, "meeting.ended", session).envelope()
    assert envelope["id"] == "met-end-m-open-1700000009"
    assert envelope["payload"]["end_ts"] == 1700000009


def test_the_body_sent_is_compact_json_in_daily_key_order() -> None:
    """The bytes of one envelope as the desk writes them (``jsjson.stringify``), with a
    non-ASCII name written as is."""
    stay = Participant("p-z", None, "Zoë", T + 1, 2)
    session = Session.of("m-z", "café", T, [stay])
    body = stringify(Event(T + 3, LEFT, session, stay).envelope())
    assert (
        body
        == (
            '{"version":"1.0.0","type":"participant.left","id":"ptcpt-left-p-z-1700000003000",'
            '"payload":{"room":"café","user_id":"p-z","user_name":"Zoë","session_id":"p-z",'
            '"joined_at":1700000001,"will_eject_at":0,"owner":false,"permissions":{"hasPresence":'
            'true,"canSend":true,"canReceive":{"base":true},"canAdmin":false},"duration":2},'
            '"event_ts":1700000003}'
        ).encode()
    )
