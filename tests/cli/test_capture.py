"""``fake-meetings capture`` over real HTTP: a fake-meetings server on 127.0.0.1 plays the Daily
account (frozen clock), the command captures it, the captured file is served at its ``now:``,
and both servers answer a query mix: the answers must be the same bytes.

Faults, the interrupt and a large account are in ``test_capture_sources.py``; the rules of
``scenario/capture.py`` and the pseudonyms in ``tests/domain/test_capture_rules.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from fake_meetings.cli import main
from fake_meetings.domain.rooms import NAME_RE
from fake_meetings.scenario.scenario import load_file
from fake_meetings.testing import ServerThread
from tests.helpers.capture import (
    UPSTREAM,
    as_json,
    originals,
    query_mix,
    world_from_file,
    world_from_text,
)
from tests.helpers.constants import NOW

KEY = "sk-capture-SECRET-7f3a9c"
ROOMS = ["standup", "retro", "empty-room", "implied-room", "later-room"]
IDS = [
    "0b9d6c2a-1111-4a55-9a53-000000000001",
    "tie-a",
    "tie-b",
    "tie-c",
    "big-meeting",
    "live-1",
    "live-2",
    "future-1",
]
Serve = Callable[..., ServerThread]


@pytest.fixture
def serve(serve: Serve) -> Serve:
    """The shared factory with Daily's ten-second rule off (``min_stay`` 0): these tests are
    about what a capture keeps, and UPSTREAM's hard cases include a stay of 0 s and a join at
    the capture instant, which /meetings would otherwise not show (tests/cli/test_verify.py
    checks that case with the rule on)."""
    return partial(serve, min_stay=0)


def capture(
    capsys: pytest.CaptureFixture[str], url: str, out: Path, *extra: str
) -> tuple[int, str, str]:
    """Run ``fake-meetings capture`` in this process; (exit status, stdout, stderr)."""
    status = main(["capture", "--base-url", url, "--api-key", KEY, "-o", str(out), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def body(text: str) -> str:
    """A scenario file without its header comments."""
    return "".join(line for line in text.splitlines(True) if not line.startswith("#"))


@pytest.mark.parametrize("name", ["captured.yaml", "captured.json"])
def test_served_capture_answers_the_query_mix_byte_for_byte(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    out = tmp_path / name
    status, stdout, err = capture(capsys, upstream.url, out)
    assert status == 0, err
    assert stdout == ""
    assert "wrote 7 sessions (2 ongoing), 4 rooms, 0 recordings and 0 transcripts" in err
    assert main(["validate", str(out)]) == 0
    scenario = load_file(out)
    assert scenario.now == NOW  # the ongoing sessions' clock, not this machine's
    live = {s.id: s for s in scenario.sessions}
    assert [p.duration for p in live["live-1"].participants] == [None, 600, None]
    assert [p.duration for p in live["live-2"].participants] == [60, None, None]
    replica = serve(world_from_file(out))
    expected = query_mix(upstream.base_url, ROOMS, IDS)
    got = query_mix(replica.base_url, ROOMS, IDS)
    assert len(got) == len(expected) > 100
    for want, have in zip(expected, got, strict=True):
        assert have == want
    assert {status for _, status, _ in got} == {200, 400, 404}  # the 404s and 400s alike


def test_the_header_says_how_the_file_was_made(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    out = tmp_path / "c.yaml"
    status, _, err = capture(
        capsys, upstream.url, out, "--room", "retro", "--since", str(NOW - 86400 * 4)
    )
    assert status == 0, err
    header = [line for line in out.read_text().splitlines() if line.startswith("#")]
    text = "\n".join(header)
    assert f"--base-url {upstream.url}" in text
    assert f"--room retro --since {NOW - 86400 * 4}" in text
    assert "now: 1717243200" in text and "2024-06-01T12:00:00Z" in text
    assert "Not pseudonymised" in text
    assert KEY not in out.read_text() and "api-key" not in text


def test_capturing_the_capture_writes_the_same_scenario(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "1.yaml", tmp_path / "2.yaml"
    assert capture(capsys, serve(world_from_text(UPSTREAM)).url, first)[0] == 0
    assert capture(capsys, serve(world_from_file(first)).url, second)[0] == 0
    assert body(second.read_text()) == body(first.read_text())


def test_filters_room_since_until_and_limit(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    out = tmp_path / "f.yaml"
    since, until = NOW - 2 * 86400, NOW - 1800
    args = ["--room", "retro", "--room", "implied-room", "--room", "retro"]
    assert capture(capsys, upstream.url, out, *args, "--since", str(since))[0] == 0
    scenario = load_file(out)
    assert sorted(s.id for s in scenario.sessions) == ["big-meeting", "live-2", "tie-a", "tie-b"]
    assert sorted(r.name for r in scenario.rooms) == ["implied-room", "retro"]
    assert capture(capsys, upstream.url, out, "--until", str(until), "--limit", "3")[0] == 0
    # the newest 3 starting before `until`: then the first of the tie at NOW - 2 days by id
    assert [s.id for s in load_file(out).sessions] == ["live-1", "big-meeting", "tie-c"]
    assert capture(capsys, upstream.url, out, *args, "--limit", "3")[0] == 0
    assert [s.id for s in load_file(out).sessions] == ["live-2", "big-meeting", "tie-b"]
    assert capture(capsys, upstream.url, out, "--since", "2024-06-01T11:00:00Z")[0] == 0
    assert [s.id for s in load_file(out).sessions] == ["live-2", "live-1"]


def _mapping(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """``original -> stand-in`` from pairs, checking it is a function and one-to-one."""
    mapping: dict[Any, Any] = {}
    for old, new in pairs:
        assert mapping.setdefault(old, new) == new, f"{old!r} got two stand-ins"
    assert len(set(mapping.values())) == len(mapping), "two originals share a stand-in"
    return mapping


def _stand_ins(out: Path) -> tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any]]:
    upstream, captured = load_file_text(UPSTREAM), load_file(out)
    up = {s.id: s for s in upstream.sessions}
    cap = captured.sessions
    made = {r.created_at: r.name for r in captured.rooms}
    people = [
        (p, q)
        for s in cap
        for q in s.participants
        for p in up[s.id].participants
        if p.participant_id == q.participant_id
    ]
    names = _mapping([(p.user_name, q.user_name) for p, q in people])
    ids = _mapping([(p.user_id, q.user_id) for p, q in people])
    pairs = [(up[s.id].room, s.room) for s in cap]
    pairs += [(r.name, made[r.created_at]) for r in upstream.rooms if r.created_at in made]
    rooms = _mapping(pairs)
    return names, ids, rooms


def load_file_text(text: str) -> Any:
    from fake_meetings.scenario.scenario import load_text

    return load_text(text, "upstream.yaml", now=NOW)


def _swap(value: Any, names: dict[Any, Any], ids: dict[Any, Any], rooms: dict[Any, Any]) -> Any:
    """An upstream answer with its people (and rooms) replaced by their stand-ins."""
    if isinstance(value, list):
        return [_swap(v, names, ids, rooms) for v in value]
    if not isinstance(value, dict):
        return value
    out = {rooms.get(k, k): _swap(v, names, ids, rooms) for k, v in value.items()}  # presence
    for key in ("user_name", "userName"):  # /meetings, presence
        if key in out:
            out[key] = names.get(out[key], out[key])
    for key in ("user_id", "userId"):
        if out.get(key) is not None:
            out[key] = ids[out[key]] if ids else out[key]
    for key in ("room", "name"):
        if isinstance(out.get(key), str):
            out[key] = rooms.get(out[key], out[key])
    if "url" in out and "api_created" in out:  # a room: its id and url follow its name
        out.pop("url")
        out.pop("id")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("flags", [["--pseudonymise"], ["--pseudonymize-rooms"]])
def test_pseudonymised_capture_answers_alike_after_mapping(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    upstream = serve(world_from_text(UPSTREAM))
    out = tmp_path / "p.yaml"
    assert capture(capsys, upstream.url, out, *flags, "--salt", "pepper")[0] == 0
    assert main(["validate", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    names, ids = originals(UPSTREAM)
    assert names and ids
    for original in names | ids:
        assert original not in text
    name_map, id_map, room_map = _stand_ins(out)
    assert None in name_map and name_map[None] is None  # null stays null
    assert all(re.fullmatch(r"Person [0-9a-f]{8}", v) for v in name_map.values() if v)
    assert all(re.fullmatch(r"user-[0-9a-f]{16}", v) for v in id_map.values() if v)
    renamed = flags == ["--pseudonymize-rooms"]
    if renamed:
        for original in ROOMS[:4]:
            assert original not in text
        assert all(NAME_RE.fullmatch(v) and v != k for k, v in room_map.items())
    else:
        assert all(k == v for k, v in room_map.items())
    replica = serve(world_from_file(out))
    known = {**{r: r for r in ROOMS}, **room_map}
    want = as_json(query_mix(upstream.base_url, ROOMS, IDS))
    got = as_json(query_mix(replica.base_url, [known[r] for r in ROOMS], IDS))
    assert len(want) == len(got)
    for (q1, s1, b1), (q2, s2, b2) in zip(want, got, strict=True):
        assert s2 == s1, (q1, q2)
        left, right = _swap(b2, {}, {}, {}), _swap(b1, name_map, id_map, known)
        assert left == right, repr((q1, q2, left, right))


def test_the_salt_makes_stand_ins_reproducible(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = serve(world_from_text(UPSTREAM)).url
    files = {k: tmp_path / f"{k}.yaml" for k in ("a", "b", "other", "random1", "random2")}
    for key, salt in (("a", "s1"), ("b", "s1"), ("other", "s2")):
        assert capture(capsys, url, files[key], "--pseudonymise", "--salt", salt)[0] == 0
    for key in ("random1", "random2"):
        assert capture(capsys, url, files[key], "--pseudonymise")[0] == 0
    text = {k: body(f.read_text()) for k, f in files.items()}
    assert text["a"] == text["b"]
    assert text["a"] != text["other"]
    assert text["random1"] != text["random2"]
    assert "random salt" in files["random1"].read_text()
    assert "s1" not in files["a"].read_text().split("now:")[0]  # the salt is never written


def test_the_key_is_never_printed_or_written(
    serve: Serve,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok = serve(world_from_text(UPSTREAM))
    strict = serve(world_from_text(UPSTREAM), api_key="the-real-key")
    out = tmp_path / "k.yaml"
    status, stdout, err = capture(capsys, ok.url, out, "--pseudonymise")
    assert status == 0 and KEY not in stdout + err + out.read_text()
    monkeypatch.setenv("DAILY_API_KEY", KEY)
    status = main(["capture", "--base-url", strict.url, "-o", str(out)])
    stdout, err = capsys.readouterr()
    assert status == 1
    assert "401" in err and "check the API key" in err and "nothing written" in err
    assert KEY not in stdout + err + out.read_text()  # the earlier file is left as it was


def test_usage_errors_and_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAILY_API_KEY", raising=False)
    out = str(tmp_path / "u.yaml")
    cases = [
        ([], "no API key"),
        (["--api-key", "k", "--salt", "x"], "--salt goes with --pseudonymise"),
        (["--api-key", "k", "--since", "2024-06-02", "--until", "2024-06-01"], "not before"),
        (["--api-key", "k", "--since", "yesterday"], "--since"),
        (["--api-key", "k", "--base-url", "ftp://x"], "--base-url"),
        (["--api-key", "k", "--limit", "0"], "--limit"),
        (["--api-key", "k", "--rate", "0"], "--rate"),
    ]
    for args, message in cases:
        assert main(["capture", "-o", out, *args]) == 2
        assert message in capsys.readouterr().err
    assert not Path(out).exists()
    # a relative time after a space reads as the value it is, not as an unknown option
    assert main(["capture", "-o", out, "--api-key", "k", "--since", "-2d", "--until", "-3d"]) == 2
    assert "is not before --until" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["capture", "--help"])
    text = capsys.readouterr().out
    for flag in (
        "--api-key",
        "DAILY_API_KEY",
        "--base-url",
        "--room",
        "--since",
        "--until",
        "--limit",
        "--pseudonymise",
        "--pseudonymise-rooms",
        "--salt",
        "--rate",
        "--max-retries",
        "--backoff",
        "-o FILE",
    ):
        assert flag in text
