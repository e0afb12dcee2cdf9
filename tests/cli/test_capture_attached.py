"""``fake-meetings capture`` keeps the account's recordings and transcripts: a fake-meetings
server with both plays the account, the captured file is served at its ``now:``, and both
answer ``GET /recordings`` (pages, the room filter, one recording) and ``GET /transcript``
(pages, filters, one transcript) with the same JSON. Those of sessions the capture leaves out
are left out too, and a source that refuses ``/recordings`` still gives a capture (without
recordings, and saying so)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests

from fake_meetings.cli import main
from fake_meetings.domain.model import Participant, Session
from fake_meetings.scenario.capture import Unusable, recording_from_json
from fake_meetings.scenario.scenario import load_file
from fake_meetings.testing import ServerThread
from tests.helpers.capture import UPSTREAM, world_from_file, world_from_text
from tests.helpers.constants import NOW

KEY = "sk-capture-recordings"
H = 3600
# a finished recording, one in progress (its session goes on), a canceled one, and one of a
# session that --room leaves out
RECORDINGS = f"""\
recordings:
  - {{id: rec-finished, session: 0b9d6c2a-1111-4a55-9a53-000000000001,
     start_ts: {NOW - 3 * 24 * H + 30}, duration: 900}}
  - {{id: rec-live, session: live-1, start_ts: {NOW - H + 120}}}
  - {{id: rec-canceled, session: big-meeting, start_ts: {NOW - 5 * H + 10}, canceled: true}}
  - {{id: rec-retro, session: tie-a, start_ts: {NOW - 2 * 24 * H}, end: {NOW - 2 * 24 * H + 600}}}
"""
TRANSCRIPTS = f"""\
transcripts:
  - {{id: tr-done, session: 0b9d6c2a-1111-4a55-9a53-000000000001,
     start_ts: {NOW - 3 * 24 * H + 60}, duration: 600}}
  - {{id: tr-failed, session: tie-a, start_ts: {NOW - 2 * 24 * H}, duration: 30,
     error: "no audio"}}
  - {{id: tr-live, session: live-1, start_ts: {NOW - H + 300}, stored: false}}
"""
Serve = Callable[..., ServerThread]


@pytest.fixture
def serve(serve: Serve) -> Serve:
    return partial(serve, min_stay=0)  # as in test_capture.py: the hard cases of UPSTREAM


def _capture(capsys: pytest.CaptureFixture[str], url: str, out: Path, *extra: str) -> str:
    status = main(["capture", "--base-url", url, "--api-key", KEY, "-o", str(out), *extra])
    err = capsys.readouterr().err
    assert status == 0, err
    return err


def _recordings(base: str, **query: Any) -> Any:
    answer = requests.get(
        f"{base}/v1/recordings",
        params=query,
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def _ask_all(base: str) -> list[Any]:
    out = [_recordings(base), _recordings(base, limit=1), _recordings(base, room_name="retro")]
    out.append(_recordings(base, ending_before="OLDEST", limit=2))
    after = out[0]["data"][1]["id"]
    out.append(_recordings(base, starting_after=after))
    for rec in out[0]["data"]:
        one = requests.get(
            f"{base}/v1/recordings/{rec['id']}", headers={"Authorization": "Bearer k"}, timeout=10
        )
        out.append((one.status_code, one.json()))
    return out


@pytest.mark.parametrize("name", ["captured.yaml", "captured.json"])
def test_the_served_capture_lists_the_same_recordings(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    upstream = serve(world_from_text(UPSTREAM + RECORDINGS))
    out = tmp_path / name
    err = _capture(capsys, upstream.url, out)
    assert "4 recordings and 0 transcripts" in err
    captured = load_file(out)
    assert {r.id for r in captured.recordings} == {
        "rec-finished",
        "rec-live",
        "rec-canceled",
        "rec-retro",
    }
    replay = serve(world_from_file(out))
    expected = _ask_all(upstream.base_url)
    assert len(expected[0]["data"]) == 4 and expected[0]["total_count"] == 4
    assert {r["status"] for r in expected[0]["data"]} == {"finished", "in-progress", "canceled"}
    assert _ask_all(replay.base_url) == expected


def test_recordings_of_sessions_left_out_are_left_out(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(UPSTREAM + RECORDINGS))
    out = tmp_path / "standup.yaml"
    err = _capture(capsys, upstream.url, out, "--room", "standup")
    assert "2 recordings left out" in err  # rec-canceled and rec-retro are of retro's sessions
    assert {r.id for r in load_file(out).recordings} == {"rec-finished", "rec-live"}
    head = out.read_text()
    assert "Not as the source: 2 recordings left out" in head  # the header keeps the note
    counts = r"# Capture instant: .* sessions, 1 rooms, 2 recordings, 0 transcripts\.\n"
    assert re.search(counts, head), head[:600]


def test_a_source_without_recordings_still_gives_a_capture(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    refusing = _Refusing(upstream.base_url)
    with refusing:
        out = tmp_path / "no-recordings.yaml"
        err = _capture(capsys, refusing.url, out)
    assert "recordings not captured:" in err and "403" in err
    assert KEY not in err
    assert load_file(out).recordings == ()
    assert "recordings:" not in out.read_text()


def test_a_recording_before_its_session_s_start_starts_with_it() -> None:
    session = Session.of("s", "r", 1000, [Participant("p", None, None, 1000, 60)])
    item = {"id": "x", "mtgSessionId": "s", "status": "finished", "start_ts": 990, "duration": 30}
    recording, moved = recording_from_json(item, {"s": session})
    assert moved and (recording.start_ts, recording.end) == (1000, 1030)
    for bad in (
        {**item, "mtgSessionId": "other"},
        {**item, "status": "paused"},
        {**item, "duration": "30"},
        {**item, "id": ""},
        [item],
    ):
        with pytest.raises(Unusable):
            recording_from_json(bad, {"s": session})
    live, _ = recording_from_json({**item, "status": "in-progress"}, {"s": session})
    assert live.end is None and not live.canceled
    canceled, _ = recording_from_json({**item, "status": "canceled"}, {"s": session})
    assert canceled.canceled and canceled.end is None


class _Refusing:
    """A proxy in front of ``base`` that answers ``/v1/recordings`` 403 the way Daily refuses a
    key without that permission, and passes every other GET on."""

    def __init__(self, base: str):
        import http.server
        import threading

        target = base

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.startswith("/v1/recordings"):
                    body = json.dumps({"error": "forbidden-error", "info": "no access"}).encode()
                    self._send(403, body)
                    return
                got = requests.get(
                    target + self.path, headers={"Authorization": "Bearer k"}, timeout=10
                )
                self._send(got.status_code, got.content)

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> _Refusing:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _transcripts(base: str, **query: Any) -> Any:
    answer = requests.get(
        f"{base}/v1/transcript", params=query, headers={"Authorization": "Bearer k"}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("name", ["captured.yaml", "captured.json"])
def test_the_served_capture_lists_the_same_transcripts(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    upstream = serve(world_from_text(UPSTREAM + TRANSCRIPTS))
    out = tmp_path / name
    err = _capture(capsys, upstream.url, out)
    assert "0 recordings and 3 transcripts" in err
    replay = serve(world_from_file(out))
    questions: list[dict[str, Any]] = [{}, {"limit": 1}, {"mtgSessionId": "tie-a"}]
    questions.append({"ending_before": "OLDEST", "limit": 2})
    expected = [_transcripts(upstream.base_url, **q) for q in questions]
    assert expected[0]["total_count"] == 3
    statuses = {t["status"] for t in expected[0]["data"]}
    assert statuses == {"t_finished", "t_error", "t_in_progress"}
    assert [_transcripts(replay.base_url, **q) for q in questions] == expected
    room_id = expected[0]["data"][0]["roomId"]
    by_room = _transcripts(upstream.base_url, roomId=room_id)
    assert by_room["total_count"] >= 1
    assert _transcripts(replay.base_url, roomId=room_id) == by_room


def test_a_transcript_is_read_from_daily_s_object() -> None:
    from fake_meetings.scenario.capture import transcript_from_json

    session = Session.of("s", "r", 1000, [Participant("p", None, None, 1000, 600)])
    item = {
        "transcriptId": "t", "mtgSessionId": "s", "status": "t_finished", "duration": 30,
        "created_at": "1970-01-01T00:16:30.000Z", "isVttAvailable": True, "error": None,
    }  # fmt: skip
    transcript, moved = transcript_from_json(item, {"s": session})
    assert moved and (transcript.start_ts, transcript.end, transcript.stored) == (1000, 1030, True)
    failed, _ = transcript_from_json({**item, "status": "t_error", "error": "x"}, {"s": session})
    assert failed.error == "x"
    live, _ = transcript_from_json({**item, "status": "t_in_progress"}, {"s": session})
    assert live.end is None
    plain, moved = transcript_from_json({**item, "created_at": None}, {"s": session})
    assert not moved and plain.start_ts == 1000  # no created_at: the session's start
    for bad in (
        {**item, "status": "t_deleted"},
        {**item, "mtgSessionId": "other"},
        {**item, "created_at": "yesterday"},
        {**item, "duration": None},
        {**item, "transcriptId": 5},
    ):
        with pytest.raises(Unusable):
            transcript_from_json(bad, {"s": session})
