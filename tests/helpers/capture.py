"""Helpers of the capture tests: an upstream scenario with the hard cases, worlds served from
scenario text or a captured file, and the query mix whose answers a capture must reproduce.

The query mix asks real HTTP questions of a running server and returns ``(query, status, body)``
triples; the cursors it uses come from that server's own answers, so the same mix run against
two servers that answer alike asks the same questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_file, load_text
from tests.helpers.constants import AUTH, NOW, TIMEOUT

H = 3600
_BIG = "".join(  # a meeting of 9 records: participant pages, ties on join_time
    f'      - {{participant_id: p-b{i}, user_id: user-big-{i:04d}, user_name: "Big {i}", '
    f"join_time: {NOW - 5 * H + 30 * (i // 2)}, duration: {1200 + 10 * i}}}\n"
    for i in range(9)
)
# ties on start_time, ongoing sessions with open stays (and a leave scheduled after now), a
# join before start_time, unicode and quoting in names, nulls, declared rooms (private, with a
# config, api-created), an implied room, an empty room, and a session not yet visible at now.
UPSTREAM = f"""\
now: {NOW}
rooms:
  - {{name: standup, created_at: {NOW - 30 * 24 * H}, privacy: private, api_created: true,
     config: {{max_participants: 4, enable_chat: true, lang: "fr"}}}}
  - {{name: retro, created_at: {NOW - 20 * 24 * H}}}
  - {{name: empty-room, created_at: {NOW - 10 * 24 * H}}}
  - {{name: later-room, created_at: {NOW + H}}}
sessions:
  - id: 0b9d6c2a-1111-4a55-9a53-000000000001
    room: standup
    start_time: {NOW - 3 * 24 * H}
    participants:
      - {{participant_id: p-a1, user_id: user-alice-0001, user_name: "Alice Ångström",
         join_time: {NOW - 3 * 24 * H - 20}, duration: 1800}}
      - {{participant_id: p-a2, user_id: null, user_name: "Zoë \\"Bob\\" O'Brien",
         join_time: {NOW - 3 * 24 * H + 60}, duration: 600}}
  - id: tie-a
    room: retro
    start_time: {NOW - 2 * 24 * H}
    participants:
      - {{participant_id: p-t1, user_id: user-bjorn-0002, user_name: "李小龙",
         join_time: {NOW - 2 * 24 * H}, duration: 900}}
  - id: tie-c
    room: standup
    start_time: {NOW - 2 * 24 * H}
    participants:
      - {{participant_id: p-t2, user_id: user-alice-0001, user_name: "Alice Ångström",
         join_time: {NOW - 2 * 24 * H}, duration: 300}}
      - {{participant_id: p-t3, user_name: "Dmitri 😀 Petrov", join_time: {NOW - 2 * 24 * H},
         duration: 300}}
  - id: tie-b
    room: implied-room
    start_time: {NOW - 2 * 24 * H}
    participants:
      - {{participant_id: p-t4, user_id: user-carla-0003, join_time: {NOW - 2 * 24 * H},
         duration: 0}}
  - id: big-meeting
    room: retro
    start_time: {NOW - 5 * H}
    participants:
{_BIG}  - id: live-1
    room: standup
    start_time: {NOW - H}
    participants:
      - {{participant_id: p-l1, user_id: user-alice-0001, user_name: "Alice Ångström",
         join_time: {NOW - H}}}
      - {{participant_id: p-l2, user_id: user-dana-0004, user_name: "Dana Øvergaard",
         join_time: {NOW - H + 60}, duration: 600}}
      - {{participant_id: p-l3, user_name: "Émile", join_time: {NOW - 30 * 60},
         duration: 7200}}
      - {{participant_id: p-l4, user_name: "Later Person", join_time: {NOW + 600}}}
  - id: live-2
    room: retro
    start_time: {NOW - 10 * 60}
    participants:
      - {{participant_id: p-m1, user_id: user-bjorn-0002, user_name: "李小龙",
         join_time: {NOW - 10 * 60}, duration: 60}}
      - {{participant_id: p-m2, user_name: null, join_time: {NOW - 9 * 60}}}
      - {{participant_id: p-m3, user_id: user-erin-0005, user_name: "Erin", join_time: {NOW}}}
  - id: future-1
    room: standup
    start_time: {NOW + 2 * H}
    participants:
      - {{participant_id: p-f1, user_name: "Future Frank", join_time: {NOW + 2 * H},
         duration: 60}}
"""


def world_from_text(text: str, now: int = NOW) -> World:
    scenario = load_text(text, "upstream.yaml", now=now)
    return World(
        scenario.sessions,
        Clock(now),
        scenario.rooms,
        recordings=scenario.recordings,
        transcripts=scenario.transcripts,
    )


def world_from_file(path: Path) -> World:
    """The world ``serve`` builds from a captured file: frozen at its ``now:``."""
    scenario = load_file(path)
    assert scenario.now is not None
    return World(
        scenario.sessions,
        Clock(scenario.now),
        scenario.rooms,
        recordings=scenario.recordings,
        transcripts=scenario.transcripts,
    )


def originals(text: str) -> tuple[set[str], set[str]]:
    """The user names and user ids of a scenario text (non-null)."""
    scenario = load_text(text, "upstream.yaml", now=NOW)
    names = {p.user_name for s in scenario.sessions for p in s.participants if p.user_name}
    ids = {p.user_id for s in scenario.sessions for p in s.participants if p.user_id}
    return names, ids


Answer = tuple[str, int, bytes]


class Asker:
    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.http.trust_env = False
        self.answers: list[Answer] = []

    def get(self, path: str, **params: Any) -> Any:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        target = path + ("?" + query if query else "")
        r = self.http.get(self.base + target, headers=AUTH, timeout=TIMEOUT)
        self.answers.append((target, r.status_code, r.content))
        return r.json() if r.status_code == 200 else None

    def walk(self, path: str, cursor: str, key: str, **params: Any) -> list[str]:
        """Page ``path`` with ``cursor`` (starting_after, ending_before, joined_after) from the
        first page until an empty page or an error; returns the ids seen."""
        seen: list[str] = []
        body = self.get(path, **params)
        for _ in range(50):
            if not body or not body["data"]:
                break
            item = body["data"][-1] if cursor != "ending_before" else body["data"][0]
            seen.extend(d[key] for d in body["data"])
            body = self.get(path, **{**params, cursor: item[key]})
        return seen


def query_mix(base: str, rooms: list[str], ids: list[str]) -> list[Answer]:
    """Every answer of the query mix, in order (``rooms`` and ``ids`` as the server names them;
    run against two servers, pass the names each knows)."""
    a = Asker(base + "/v1")
    a.get("/meetings")
    a.get("/meetings", no_participants="true")
    for room in [*rooms, "no-such-room"]:
        a.get("/meetings", room=room)
        a.walk("/meetings", "starting_after", "id", room=room, limit=2)
    for ongoing in ("true", "false"):
        a.get("/meetings", ongoing=ongoing)
        a.walk("/meetings", "starting_after", "id", ongoing=ongoing, limit=1)
    for start, end in [(NOW - 2 * 86400, NOW), (NOW - 2 * 86400 + 1, NOW + 86400), (0, NOW - H)]:
        a.get("/meetings", timeframe_start=start, timeframe_end=end)
        a.get("/meetings", timeframe_start=start, limit=2)
        a.get("/meetings", timeframe_end=end, limit=3)
    a.walk("/meetings", "starting_after", "id", limit=3)
    a.walk("/meetings", "ending_before", "id", limit=3, ending_before="OLDEST")
    a.get("/meetings", ending_before="OLDEST")
    a.get("/meetings", ending_before="OLDEST", limit=2, ongoing="false")
    for session_id in [*ids, "no-such-session"]:
        a.get(f"/meetings/{session_id}")
        a.get(f"/meetings/{session_id}/participants")
        a.walk(f"/meetings/{session_id}/participants", "joined_after", "participant_id", limit=2)
        a.get(f"/meetings/{session_id}/participants", limit=3, joined_before="p-b5")
    a.get("/rooms")
    a.walk("/rooms", "starting_after", "id", limit=1)
    a.get("/rooms", ending_before="OLDEST", limit=2)
    for room in [*rooms, "no-such-room"]:
        a.get(f"/rooms/{room}")
    a.get("/presence")
    return a.answers


def as_json(answers: list[Answer]) -> list[tuple[str, int, Any]]:
    return [(q, status, json.loads(body)) for q, status, body in answers]
