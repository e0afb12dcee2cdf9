"""The rules that turn Daily's JSON back into stays (``scenario/capture.py``) and the pseudonyms
(``scenario/pseudonyms.py``). The property: whatever timeline a session has, the JSON the API
shows of it at an instant, captured and shown again at that instant, is the same JSON, except
in the two cases the capture counts (``approximated``, or a ``max_participants`` the stays
cannot give); and the scenario written from it loads back."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.api.daily.render import session_dict
from fake_meetings.domain import timeline
from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.rooms import NAME_RE
from fake_meetings.scenario.capture import (
    Unusable,
    capture_instant,
    room_from_json,
    session_from_json,
)
from fake_meetings.scenario.dump import dump_scenario
from fake_meetings.scenario.pseudonyms import Pseudonyms
from fake_meetings.scenario.scenario import load_text

T0 = 1_717_200_000


@st.composite
def sessions(draw: st.DrawFn) -> tuple[Session, int]:
    count = draw(st.integers(1, 6))
    stays = [
        Participant(
            f"p{i}",
            draw(st.sampled_from([None, "u1", "u2"])),
            draw(st.sampled_from([None, "Ann", "Bo"])),
            T0 + draw(st.integers(0, 100)),
            draw(st.one_of(st.none(), st.integers(0, 100))),
        )
        for i in range(count)
    ]
    start = min(p.join_time for p in stays)
    return Session.of("s1", "room", start, stays), start + draw(st.integers(0, 250))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(sessions())
def test_a_captured_session_shows_the_same_json_at_the_instant_it_was_read(
    case: tuple[Session, int],
) -> None:
    session, t = case
    shown = session_dict(session, t)
    c = session_from_json(shown)
    again = session_dict(c.session, max(t, c.instant))
    exact = not c.approximated and "max_participants" not in c.differs
    if exact:
        assert again == shown
    else:
        assert shown["ongoing"] and again["duration"] == shown["duration"]
    assert c.differs == () or not exact
    reached = any(p["join_time"] + p["duration"] >= t for p in shown["participants"])
    joins_at_t = any(p["join_time"] == t for p in shown["participants"])
    if not shown["ongoing"] or (reached and not joins_at_t):
        assert again == shown
    if shown["ongoing"]:
        assert c.instant == t
        assert timeline.ongoing(c.session, t + 10**6)  # still ongoing at any later clock
    else:
        assert c.instant <= t and c.session.end is not None
    out = io.StringIO()
    dump_scenario([c.session], out, now=c.instant)  # what the capture writes, checked on load
    assert load_text(out.getvalue(), "c.yaml").sessions == (c.session,)


def _json(ongoing: bool, start: int, duration: int, stays: list[tuple[int, int]]) -> Any:
    return {
        "id": "s",
        "room": "r",
        "start_time": start,
        "duration": duration,
        "ongoing": ongoing,
        "max_participants": 1,
        "participants": [
            {
                "participant_id": f"p{i}",
                "user_id": None,
                "user_name": None,
                "join_time": j,
                "duration": d,
            }
            for i, (j, d) in enumerate(stays)
        ],
    }


def test_who_is_still_present() -> None:
    # answered at 100: p0 reaches it (present), p1 left at 60
    c = session_from_json(_json(True, 0, 100, [(0, 100), (10, 50)]))
    assert [p.duration for p in c.session.participants] == [None, 50]
    assert c.instant == 100 and not c.approximated
    # nobody reaches 100: the stay that ends last is taken as present, and counted
    c = session_from_json(_json(True, 0, 100, [(0, 90), (10, 50)]))
    assert [p.duration for p in c.session.participants] == [None, 50]
    assert c.approximated
    # finished: every stay closed, whatever its end
    c = session_from_json(_json(False, 0, 100, [(0, 100), (10, 50)]))
    assert [p.duration for p in c.session.participants] == [100, 50]
    assert c.instant == 100 and c.differs == ("max_participants",)  # 2 overlap, Daily said 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"participants": []}, "no participant records"),
        ({"participants": None}, "no participants list"),
        ({"id": "has space"}, "not an id"),
        ({"start_time": 1.5}, "not a whole number"),
        ({"ongoing": "yes"}, "not true or false"),
        ({"room": None}, "room is None, not text"),
        ({"start_time": 500}, "after every participant has left"),
    ],
)
def test_sessions_a_scenario_cannot_hold(change: dict[str, Any], message: str) -> None:
    data = {**_json(False, 0, 100, [(0, 100)]), **change}
    with pytest.raises(Unusable, match=message):
        session_from_json(data)


def test_a_participant_twice_is_unusable() -> None:
    data = _json(False, 0, 100, [(0, 100), (0, 10)])
    data["participants"][1]["participant_id"] = "p0"
    with pytest.raises(Unusable, match="appears twice"):
        session_from_json(data)


def test_rooms() -> None:
    data = {
        "id": "5e3cf703-5547-47d6-a371-37b1f0b4427f",
        "name": "standup",
        "api_created": True,
        "privacy": "private",
        "url": "https://x.daily.co/standup",
        "created_at": "2019-01-26T09:01:22.000Z",
        "config": {"max_participants": 4},
    }
    room, lost = room_from_json(data)
    assert (room.name, room.created_at, room.privacy, room.api_created) == (
        "standup",
        1548493282,
        "private",
        True,
    )
    assert dict(room.config) == {"max_participants": 4} and lost == ("id",)
    assert room_from_json({**data, "id": room.id})[1] == ()
    for change, message in [
        ({"privacy": "org"}, "privacy"),
        ({"name": "a b"}, "invalid"),
        ({"created_at": "yesterday"}, "created_at"),
    ]:
        with pytest.raises(Unusable, match=message):
            room_from_json({**data, **change})


def test_the_capture_instant() -> None:
    assert capture_instant(100, True, 5000) == 100  # the source's clock, from ongoing sessions
    assert capture_instant(100, False, 5000) == 5000  # nothing depends on it: this clock
    assert capture_instant(9000, False, 5000) == 9000  # never before what the data shows


def test_pseudonyms_are_consistent_reproducible_and_keep_null() -> None:
    a, b, c = Pseudonyms(b"salt"), Pseudonyms(b"salt"), Pseudonyms(b"other")
    assert a.user_name("Ann") == a.user_name("Ann") == b.user_name("Ann") != c.user_name("Ann")
    assert a.user_name("Ann") != a.user_name("Bo")
    assert a.user_name(None) is None and a.user_id(None) is None
    assert re.fullmatch(r"Person [0-9a-f]{8}", a.user_name("") or "")
    assert a.user_id("Ann") != a.user_name("Ann")
    assert re.fullmatch(r"user-[0-9a-f]{16}", a.user_id("u-1") or "")
    original = "5e3cf703-5547-47d6-a371-37b1f0b4427f"
    stand_in = a.user_id(original)
    assert stand_in != original and uuid.UUID(stand_in or "").version == 4  # the shape kept
    assert a.room("standup") == "standup"  # rooms only when asked
    rooms = Pseudonyms(b"salt", rooms=True)
    assert NAME_RE.fullmatch(rooms.room("café standup")) and rooms.room("x") == rooms.room("x")
    assert a.people == 6  # values replaced: 3 names ("" is one), 3 ids


def test_two_values_never_share_a_stand_in() -> None:
    names = Pseudonyms(b"s")
    short = [names._stand_in("name", v, lambda d, x: "P" + "0" * x) for v in ("a", "b", "c")]
    assert short == ["P", "P00", "P0000"]
    assert names._stand_in("name", "b", lambda d, x: "?") == "P00"  # already known
