"""Presence is computed from the sessions ongoing at ``now`` (contract §12): with the
instant known, ``domain.presence`` reads only those sessions, never the ended ones, however many
there are. The model here is independent: which sessions the test made ongoing."""

from __future__ import annotations

from typing import Any

from fake_meetings.domain.model import Participant, Session
from fake_meetings.domain.presence import PresenceQuery, by_room, present, room_presence
from fake_meetings.domain.ranked import Ranked
from fake_meetings.domain.store import Store
from tests.helpers.constants import NOW

ENDED = 20_000


class Counting(Ranked):
    """The store's sessions, recording which ranks are read."""

    read: set[int]

    def __getitem__(self, i: Any) -> Any:
        self.read.add(i)
        return super().__getitem__(i)

    def pick(self, ranks: Any) -> list[Any]:
        return [self[r] for r in ranks]


def store() -> tuple[Store, set[str]]:
    sessions = [
        Session.of(
            f"e{i:05d}",
            f"room-{i % 50}",
            NOW - 10 * ENDED + 10 * i,
            [Participant(f"ep{i:05d}", None, None, NOW - 10 * ENDED + 10 * i, 5)],
        )
        for i in range(ENDED)
    ]
    live = {"o1", "o2", "o3"}
    for k, sid in enumerate(sorted(live)):
        sessions.append(
            Session.of(
                sid,
                f"room-{k}",
                NOW - 100 * (k + 1),
                [
                    Participant(f"{sid}-a", None, None, NOW - 100 * (k + 1), None),
                    Participant(f"{sid}-b", None, None, NOW - 50, 20),
                ],
            )  # left by now
        )
    return Store(sessions), live


def test_presence_reads_only_the_ongoing_sessions() -> None:
    s, live = store()
    s.at(NOW)  # the instant, as any earlier request at this clock position leaves it
    counting = Counting(s.sessions, {x.id: r for r, x in enumerate(s.sessions)})
    counting.read = set()
    s.sessions = counting
    found = present(s, NOW)
    assert {x.session.id for x in found} == live
    assert [x.participant.participant_id for x in found] == ["o3-a", "o2-a", "o1-a"]
    assert {
        Ranked.__getitem__(counting, r).id for r in counting.read
    } == live  # no ended session was read
    counting.read.clear()
    assert list(by_room(s, NOW)) == ["room-0", "room-1", "room-2"]
    total, page = room_presence(s, "room-1", NOW, PresenceQuery(limit=100))
    assert (total, [x.participant.participant_id for x in page]) == (1, ["o2-a"])
    assert {Ranked.__getitem__(counting, r).id for r in counting.read} <= live
