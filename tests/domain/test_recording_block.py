"""A scenario's recordings survive being written and read again (``scenario/dump.py`` ->
``scenario/recordingblock.py``): every field, for recordings drawn by hypothesis, failed ones
with their text included; and the block's ``type``, ``instance_id``, ``layout`` and ``error``
are checked at their lines."""

from __future__ import annotations

import io

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_meetings.domain.failed import FailedRecording
from fake_meetings.domain.recordings import DEFAULT_INSTANCE, DEFAULT_LAYOUT, TYPES, Recording
from fake_meetings.domain.recordstart import PRESETS
from fake_meetings.scenario.dump import dump_scenario, recording_data, safe_json
from fake_meetings.scenario.scenario import ScenarioError, load_text

NOW = 1_717_243_200
SESSIONS = f"""\
now: {NOW}
sessions:
  - id: s1
    room: standup
    start_time: {NOW - 7200}
    participants:
      - {{user_name: A, join_time: {NOW - 7200}, duration: 3600}}
  - id: s2
    room: retro
    start_time: {NOW - 600}
    participants:
      - {{user_name: B, join_time: {NOW - 600}}}
"""
STARTS = {"s1": NOW - 7200, "s2": NOW - 600}
# a failure's text: any non-blank text the fail routes take, YAML's awkward characters included
ERRORS = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=1000).filter(
    str.strip
) | st.just("\x85 \u2028 \x7f \ufffe " + "é" * 990)


@st.composite
def recordings(draw: st.DrawFn) -> list[Recording]:
    out = []
    for i in range(draw(st.integers(0, 6))):
        session = draw(st.sampled_from(sorted(STARTS)))
        start = STARTS[session] + draw(st.integers(0, 5000))
        end = draw(st.none() | st.integers(start, start + 9000))
        kind = draw(st.sampled_from(TYPES))
        presets = [p for p in PRESETS if p != "raw-tracks-audio-only" or kind == "raw-tracks"]
        failure = draw(st.none() | ERRORS)  # failed on purpose: canceled, with its text
        fields = (
            f"rec-{i}",
            "standup" if session == "s1" else "retro",
            session,
            start,
            end,
            draw(st.integers(1, 365 * 86400)),
            draw(st.booleans()) or failure is not None,
            draw(st.sampled_from([DEFAULT_INSTANCE, "7f4d2f9e-3c1b-4b6a-9d2e-5a8c1f0e6b3d"])),
            kind,
            draw(st.sampled_from(presets)),
        )
        out.append(Recording(*fields) if failure is None else FailedRecording(*fields, failure))
    return out


@settings(max_examples=60, deadline=None)
@given(recordings())
def test_written_recordings_read_back_the_same(written: list[Recording]) -> None:
    scenario = load_text(SESSIONS, "s.yaml")
    out = io.StringIO()
    dump_scenario(scenario.sessions, out, now=NOW, recordings=written)
    again = load_text(out.getvalue(), "again.yaml")
    assert sorted(again.recordings, key=lambda r: r.id) == written
    as_json = yaml.safe_load(out.getvalue())  # the same file as JSON, recordings from their data
    as_json["recordings"] = [recording_data(r) for r in written]
    from_json = load_text(safe_json(as_json), "again.json")
    assert sorted(from_json.recordings, key=lambda r: r.id) == written


def test_defaults_are_not_written() -> None:
    plain = Recording("r", "standup", "s1", NOW - 7000)
    assert recording_data(plain) == {"id": "r", "session": "s1", "start_ts": NOW - 7000}
    assert plain.layout == DEFAULT_LAYOUT


@pytest.mark.parametrize(
    ("item", "line", "words"),
    [
        ("{session: s1, type: mp3}", 14, "expected one of cloud, raw-tracks"),
        ("{session: s1, instance_id: not-a-uuid}", 14, "expected a UUID"),
        ("{session: s1, layout: tiles}", 14, "expected one of default,"),
        ("{session: s1, layout: raw-tracks-audio-only}", 14, "for type: raw-tracks only"),
        ("{session: s1, type: raw-tracks, layout: raw-tracks-audio-only, colour: red}", 14, ""),
        ("{session: s1, error: 5}", 14, "expected a non-empty string; got"),
        ("{session: s1, error: [disk, full]}", 14, "expected a non-empty string; got"),
        ("{session: s1, error: ''}", 14, "expected a non-empty string; got"),
        ("{session: s1, error: '  '}", 14, "expected the failure's text; got a blank string"),
        (f"{{session: s1, error: {'x' * 1001}}}", 14, "at most 1,000 characters; got 1,001"),
        ("{session: s1, error: disk full, canceled: false}", 14, "leave canceled: out"),
    ],
)
def test_the_new_keys_are_checked_at_their_line(item: str, line: int, words: str) -> None:
    text = SESSIONS + f"recordings:\n  - {item}\n"
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "bad.yaml")
    (problem,) = caught.value.problems
    assert (problem.source, problem.line) == ("bad.yaml", line)
    assert words in problem.message
    if "error" in item:  # named by file, line and path, as every scenario problem is
        key = "canceled" if "canceled" in item else "error"
        assert str(problem).startswith(f"bad.yaml:{line}: recordings[0].{key}: "), str(problem)


def test_an_error_of_the_longest_length_is_a_failed_recording() -> None:
    text = SESSIONS + f"recordings:\n  - {{id: r, session: s1, error: {'é' * 1000}}}\n"
    (r,) = load_text(text, "long.yaml").recordings
    assert isinstance(r, FailedRecording)
    assert (r.canceled, r.error_msg, r.end) == (True, "é" * 1000, None)
    assert recording_data(r) == {
        "id": "r",
        "session": "s1",
        "start_ts": NOW - 7200,
        "error": "é" * 1000,
    }


def test_a_bad_error_in_a_block_mapping_is_named_at_its_own_line() -> None:
    text = SESSIONS + "recordings:\n  - session: s1\n    duration: 60\n    error: 42\n"
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "bad.yaml")
    (problem,) = caught.value.problems
    assert str(problem).startswith("bad.yaml:16: recordings[0].error: expected a non-empty string")
