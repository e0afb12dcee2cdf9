"""A scenario's ``webhook:`` block: checked like a POST /webhooks body with the file's path and
line, in place when the file is loaded (through the handle, the control plane, or ``serve``),
without a test request; two files declaring one is a problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from fake_meetings.config import ServerConfig
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.loading import load
from fake_meetings.scenario.scenario import ScenarioError, load_text
from fake_meetings.testing import ServerThread
from tests.helpers.constants import NOW, TIMEOUT
from tests.helpers.processes import start_serve
from tests.helpers.receiver import Receiver

FILE = """\
now: 1717243200
sessions:
  - room: standup
    start_time: +1m
    participants:
      - join_time: +1m
        duration: 60
webhook:
  url: {url}
  hmac: c2VjcmV0
  eventTypes: [meeting.ended]
"""


def test_a_bad_block_names_the_field_and_its_line() -> None:
    text = FILE.format(url="http://127.0.0.1:9/x").replace("c2VjcmV0", "not base64!")
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "hooks.yaml")
    (problem,) = caught.value.problems
    assert (problem.source, problem.line, problem.path) == ("hooks.yaml", 10, ("webhook", "hmac"))
    assert "base64" in problem.message
    unknown = FILE.format(url="http://x/").replace("  hmac:", "  secret:")
    with pytest.raises(ScenarioError) as caught:
        load_text(unknown, "hooks.yaml")
    assert [p.path for p in caught.value.problems] == [("webhook", "secret")]


def test_two_files_with_a_webhook_are_a_problem(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(FILE.format(url="http://127.0.0.1:9/x"), encoding="utf-8")
    with pytest.raises(ScenarioError, match="also declared in"):
        load([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")])


def test_loading_the_file_through_the_handle_sets_the_webhook(receiver: Receiver) -> None:
    with ServerThread(World(clock=Clock(NOW)), ServerConfig(port=0)) as s:
        handle = s.handle()
        handle.load(FILE.format(url=receiver.url))
        hook = handle.webhooks.webhook
        assert hook is not None and hook["url"] == receiver.url and hook["hmac"] == "c2VjcmV0"
        assert receiver.received == []  # no test request for a file's webhook
        handle.clock.advance(180)
        (ended,) = [json.loads(r.body) for r in receiver.events()]
        assert ended["type"] == "meeting.ended" and ended["payload"]["room"] == "standup"


def test_serve_takes_the_file_s_webhook_at_start_up(receiver: Receiver, tmp_path: Path) -> None:
    path = tmp_path / "hooks.yaml"
    path.write_text(FILE.format(url=receiver.url), encoding="utf-8")
    proc, lines = start_serve(["--port", "0", "--scenario", str(path)], tmp_path, {})
    try:
        base = lines[0].split()[-1].removesuffix("/v1").rstrip("/")
        base = base if base.startswith("http") else "http://" + base
        hooks = requests.get(
            base + "/v1/webhooks", headers={"Authorization": "Bearer k"}, timeout=TIMEOUT
        ).json()
        assert [h["url"] for h in hooks] == [receiver.url]
        r = requests.post(base + "/_fake/clock", json={"advance": 180}, timeout=TIMEOUT)
        assert r.status_code == 200
        settled = requests.post(
            base + "/_fake/webhooks/settle", json={"timeout": 5}, timeout=TIMEOUT
        ).json()
        assert settled["settled"] and settled["delivered"] == 1
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
