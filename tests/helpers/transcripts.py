"""What the transcript tests over HTTP share: a scenario of a room with people now (and an
empty room), its server, a client that checks every Daily answer against the served OpenAPI
document, and short calls of the transcript routes."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import requests
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.scenario import load_text
from fake_meetings.testing import ServerThread

KEY = {"Authorization": "Bearer test-key"}
T = 1_700_000_000
SCENARIO = f"""\
now: {T}
rooms:
  - name: empty
    created_at: -1d
sessions:
  - id: s1
    room: standup
    start_time: -10m
    participants:
      - {{participant_id: p-a, user_name: Ada Lovelace, join_time: -10m}}
      - {{participant_id: p-b, user_name: B <&> b, join_time: -5m, duration: 600}}
      - {{participant_id: p-c, join_time: +1m, duration: 120}}
"""
STAYS = {  # speaker label -> the stay's (join, leave or None)
    "Ada Lovelace": (T - 600, None),
    "B &lt;&amp;&gt; b": (T - 300, T + 300),
    "p-c": (T + 60, T + 180),
}
CUE = re.compile(r"<v>(?P<name>[^<]*):</v>(?P<text>[^\n]+)")


class Checked:
    """Every answer of a Daily route checked against the served OpenAPI document."""

    def __init__(self, server: ServerThread):
        self.base = server.base_url
        doc = requests.get(self.base + "/_fake/openapi.json", timeout=10).json()
        self.registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(doc))
        self.doc = doc

    def call(
        self, method: str, template: str, path: str, body: Any = None, **params: Any
    ) -> requests.Response:
        r = requests.request(
            method, self.base + "/v1" + path, json=body, params=params, headers=KEY, timeout=10
        )
        declared = self.doc["paths"][template][method.lower()]["responses"]
        assert str(r.status_code) in declared, (template, r.status_code, r.text)
        pointer = template.replace("~", "~0").replace("/", "~1")
        ref = f"urn:doc#/paths/{pointer}/{method.lower()}/responses/{r.status_code}"
        schema = {"$ref": ref + "/content/application~1json/schema"}
        jsonschema.Draft202012Validator(schema, registry=self.registry).validate(r.json())
        return r


def clock(server: ServerThread, at: int) -> None:
    r = requests.post(server.base_url + "/_fake/clock", json={"freeze_at": at}, timeout=10)
    assert r.status_code == 200, r.text


def storage(api: Checked, on: bool) -> None:
    r = requests.post(
        api.base + "/v1/",
        json={"properties": {"enable_transcription_storage": on}},
        headers=KEY,
        timeout=10,
    )
    assert r.status_code == 200, r.text


def start(api: Checked, room: str = "standup", body: Any = None) -> requests.Response:
    return api.call(
        "POST", "/rooms/{name}/transcription/start", f"/rooms/{room}/transcription/start", body
    )


def stop(api: Checked, room: str = "standup", body: Any = None) -> requests.Response:
    return api.call(
        "POST", "/rooms/{name}/transcription/stop", f"/rooms/{room}/transcription/stop", body
    )


def listed(api: Checked, **params: Any) -> dict[str, Any]:
    r = api.call("GET", "/transcript", "/transcript", **params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def error(r: requests.Response, status: int, error: str, info: str) -> None:
    assert r.status_code == status, r.text
    assert r.json()["error"] == error, r.text
    assert info in r.json()["info"], r.text


def ms(stamp: str) -> int:
    h, m, s = stamp.split(":")
    return (int(h) * 3600 + int(m) * 60) * 1000 + round(float(s) * 1000)


def served(config: ServerConfig | None = None) -> ServerThread:
    """A server (not started) of ``SCENARIO`` with its clock frozen at ``T``."""
    sc = load_text(SCENARIO, "transcripts.yaml")
    world = World(sc.sessions, Clock(T), sc.rooms, sc.domain, sc.recordings)
    return ServerThread(world, config or ServerConfig(port=0))
