"""Scenario files: every class of mistake is reported with file, path and line; no half-loads."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fake_meetings.domain import timeline
from fake_meetings.scenario.loading import load
from fake_meetings.scenario.scenario import Scenario, ScenarioError, load_data, load_file, merge

GOOD_SESSION = """\
  - room: standup
    start_time: 1000
    participants:
      - {join_time: 1000, duration: 60}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


LATER = 2_000_000_000  # the instant files without `now:` are read at: after all their stays


def load_later(path: Path) -> Scenario:
    return load_file(path, wall_now=LATER)


def problems(path: Path, **kwargs: int) -> list[str]:
    kwargs.setdefault("wall_now", LATER)
    with pytest.raises(ScenarioError) as info:
        load_file(path, **kwargs)
    lines = str(info.value).splitlines()
    assert len(lines) == len(info.value.problems)
    return lines


def only_problem(path: Path, **kwargs: int) -> str:
    found = problems(path, **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_wrong_type_names_file_path_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: standup
            start_time: 1000
            participants:
              - join_time: 1000
                duration: "long"
        """,
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:6: sessions[0].participants[0].duration: ")
    assert "whole number of seconds" in msg and "'long'" in msg


def test_missing_required_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: standup
            start_time: 1000
            participants:
              - {join_time: 1000, duration: 60}
          - room: standup
            participants:
              - {join_time: 1000, duration: 60}
        """,
    )
    assert only_problem(path) == f"{path}:6: sessions[1]: missing required key 'start_time'"


def test_unknown_key_is_refused_with_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "sessions:\n" + GOOD_SESSION + "    rooom: typo\n")
    msg = only_problem(path)
    assert msg.startswith(f"{path}:6: sessions[0].rooom: unknown key 'rooom'")
    assert "max_participants" in msg


def test_duplicate_session_ids(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - id: same
            room: a
            start_time: 1000
            participants: [{join_time: 1000, duration: 60}]
          - id: same
            room: b
            start_time: 2000
            participants: [{join_time: 2000, duration: 60}]
        """,
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:6: sessions[1].id: duplicate session id 'same'")
    assert "sessions[0]" in msg


def test_duplicate_participant_ids_within_a_session(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            participants:
              - {participant_id: p1, join_time: 1000, duration: 60}
              - {participant_id: p1, join_time: 1010, duration: 60}
        """,
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:6: sessions[0].participants[1].participant_id: duplicate")


def test_same_participant_id_in_two_sessions_is_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            participants: [{participant_id: p1, join_time: 1000, duration: 60}]
          - room: a
            start_time: 2000
            participants: [{participant_id: p1, join_time: 2000, duration: 60}]
        """,
    )
    assert len(load_later(path).sessions) == 2


def test_negative_duration(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            participants:
              - join_time: 1000
                duration: -5
        """,
    )
    assert only_problem(path).startswith(f"{path}:6: sessions[0].participants[0].duration: ")


def test_ended_session_duration_contradicting_participants(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            duration: 100
            participants:
              - {join_time: 1000, duration: 60}
              - {join_time: 1030, duration: 90}
        """,
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:4: sessions[0].duration: 100 contradicts the participants")
    assert "must be 120" in msg  # 1030 + 90 - 1000


def test_duration_on_an_ongoing_session(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            ongoing: true
            duration: 60
            participants:
              - {join_time: 1000}
        """,
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:5: sessions[0].duration: must be omitted when ongoing")


def test_ongoing_session_with_nobody_present(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            ongoing: true
            participants:
              - {join_time: 1000, duration: 60}
        """,
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:4: sessions[0].ongoing: ongoing: true contradicts"), msg
    assert "everybody has left" in msg


def test_a_stay_without_duration_is_open_and_makes_the_session_ongoing(tmp_path: Path) -> None:
    text = """\
        sessions:
          - room: a
            start_time: 1000
            {ongoing}participants:
              - {{join_time: 1000, duration: 60}}
              - {{join_time: 1010}}
        """
    (session,) = load_later(write(tmp_path, text.format(ongoing=""))).sessions
    assert session.end is None and timeline.ongoing(session, LATER)
    assert timeline.duration(session, LATER) == LATER - 1000
    # saying it has ended contradicts the open stay
    path = write(tmp_path, text.format(ongoing="ongoing: false\n            "), "said.yaml")
    msg = only_problem(path)
    assert msg.startswith(f"{path}:4: sessions[0].ongoing: ongoing: false contradicts"), msg


def test_fields_of_a_session_not_started_yet_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        now: 5000
        sessions:
          - room: a
            start_time: +1h
            duration: 60
            participants:
              - {join_time: +1h, duration: 60}
        """,
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:5: sessions[0].duration: the session starts after now"), msg
    fine = write(tmp_path, path.read_text().replace("    duration: 60\n", "", 1), "fine.yaml")
    (session,) = load_file(fine).sessions
    assert session.start_time == 5000 + 3600 and not timeline.visible(session, 5000)


def test_empty_participant_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            participants: []
        """,
    )
    msg = only_problem(path)
    assert msg == f"{path}:4: sessions[0].participants: must list at least one entry"


@pytest.mark.parametrize("value", ["yesterday", "1.5", "2024-13-45T00:00:00Z", "true"])
def test_unparseable_time(tmp_path: Path, value: str) -> None:
    # An unquoted "2024-13-45T..." is read by YAML as a broken timestamp, so the message comes
    # from the YAML reader; the others reach the time parser. Both name the line.
    path = write(
        tmp_path,
        f"""\
        sessions:
          - room: a
            start_time: {value}
            participants: [{{join_time: 1000, duration: 60}}]
        """,
    )
    msg = only_problem(path)
    if value.startswith("2024"):
        assert msg.startswith(f"{path}:3: ") and "month must be in 1..12" in msg
    else:
        assert msg.startswith(f"{path}:3: sessions[0].start_time: ") and "is not a time" in msg


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: ""
            start_time: 1000
            participants: [{join_time: 1000, duration: 60}]
          - room: b
            start_time: 1000
            participants: [{join_time: x, duration: 60}]
        """,
    )
    found = problems(path)
    assert [m.split(": ")[0:2] for m in found] == [
        [f"{path}:2", "sessions[0].room"],
        [f"{path}:7", "sessions[1].participants[0].join_time"],
    ]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sessions:\n  - room: a\n    start_time: [1000\n")
    msg = only_problem(path)
    assert msg.startswith(f"{path}:")
    assert "invalid YAML" in msg
    assert int(msg.split(":")[1]) in (3, 4)  # libyaml reports the line after the open bracket


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sessions:\n"
        + GOOD_SESSION.replace(
            "    start_time: 1000\n", "    start_time: 1000\n    start_time: 2000\n"
        ),
    )
    msg = only_problem(path)
    assert msg.startswith(f"{path}:4: ") and "duplicate key 'start_time'" in msg


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        levels.append(f"a{i}: &a{i} [{refs}]")
    path = write(tmp_path, "\n".join(levels) + "\nsessions: []\n")
    msg = only_problem(path)
    assert "aliases" in msg and msg.startswith(f"{path}:")


def test_python_tags_are_not_constructed(tmp_path: Path) -> None:
    path = write(tmp_path, "sessions: !!python/object/apply:os.system ['echo pwned']\n")
    msg = only_problem(path)
    assert msg.startswith(f"{path}:1: ") and "python/object/apply" in msg


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "an empty document"), ("- 1\n- 2\n", "list"), ("now: 5\n", "missing required key")],
)
def test_top_level_shape(tmp_path: Path, text: str, expected: str) -> None:
    msg = only_problem(write(tmp_path, text))
    assert expected in msg


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    msg = only_problem(missing)
    assert msg.startswith(f"{missing}: ") and "cannot read file" in msg


def test_merge_refuses_an_id_defined_in_two_files(tmp_path: Path) -> None:
    text = "sessions:\n  - id: s1\n" + GOOD_SESSION.replace("  - room", "    room")
    first = load_file(write(tmp_path, text, "one.yaml"))
    second = load_file(write(tmp_path, text, "two.yaml"))
    with pytest.raises(ScenarioError) as info:
        merge([first, second])
    assert "'s1'" in str(info.value)
    assert str(tmp_path / "one.yaml") in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "two.yaml"))


def test_merge_refuses_disagreeing_now(tmp_path: Path) -> None:
    a = load_file(write(tmp_path, "now: 100\nsessions: []\n", "a.yaml"))
    b = load_file(write(tmp_path, "now: 200\nsessions: []\n", "b.yaml"))
    with pytest.raises(ScenarioError, match="disagrees"):
        merge([a, b])


def test_nothing_half_loaded_when_one_of_several_files_is_bad(tmp_path: Path) -> None:
    good = write(tmp_path, "sessions:\n" + GOOD_SESSION, "good.yaml")
    bad = write(tmp_path, "sessions:\n  - room: a\n", "bad.yaml")
    with pytest.raises(ScenarioError) as info:
        load([str(good), str(bad)])
    assert all(p.source == str(bad) for p in info.value.problems)


def test_derived_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: 1000
            participants:
              - {join_time: 990, duration: 100}
              - {join_time: 1020, duration: 300}
              - {join_time: 1100, duration: 20}
        """,
    )
    (session,) = load_later(path).sessions
    assert timeline.duration(session, LATER) == 1320 - 1000
    # 990-1090 and 1020-1320 overlap; 1100-1120 overlaps only the second: peak 2
    assert timeline.max_participants(session, LATER) == 2
    # at 1050 only the first two have joined, and both are there
    assert timeline.max_participants(session, 1050) == 2
    assert [p.join_time for p in timeline.participants(session, 1050)] == [990, 1020]
    assert [p.join_time for p in session.participants] == [990, 1020, 1100]


def test_given_max_participants_must_agree_with_the_stays(tmp_path: Path) -> None:
    path = write(tmp_path, "sessions:\n" + GOOD_SESSION + "    max_participants: 4\n")
    msg = only_problem(path)
    assert msg.startswith(f"{path}:6: sessions[0].max_participants: 4 contradicts"), msg
    assert "at most 1 of them" in msg
    text = "sessions:\n" + GOOD_SESSION + "    max_participants: 1\n"
    agreeing = write(tmp_path, text, "ok.yaml")
    assert timeline.max_participants(load_later(agreeing).sessions[0], LATER) == 1


def test_time_forms_and_relative_base(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        now: 2024-06-01T12:00:00Z
        sessions:
          - room: a
            start_time: -1d2h30m
            participants:
              - {join_time: "2024-05-31T09:30:00+00:00", duration: 60}
          - room: a
            start_time: 2024-06-01T11:00:00
            participants:
              - {join_time: 1717239600, duration: 60}
        """,
    )
    june_1_noon = 1717243200
    scenario = load_file(path)
    assert scenario.now == june_1_noon
    starts = sorted(s.start_time for s in scenario.sessions)
    assert starts == [june_1_noon - 86400 - 2 * 3600 - 30 * 60, june_1_noon - 3600]
    # an explicit `now` (the --now flag) moves relative times but not absolute ones
    moved = load_file(path, now=june_1_noon + 30)
    assert sorted(s.start_time for s in moved.sessions) == [starts[0] + 30, starts[1]]


def test_relative_times_without_now_count_from_load_time(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        sessions:
          - room: a
            start_time: -2h
            participants: [{join_time: -2h, duration: 60}]
        """,
    )
    assert load_file(path, wall_now=50_000).sessions[0].start_time == 50_000 - 7200


def test_generated_ids_are_stable_and_distinct(tmp_path: Path) -> None:
    path = write(tmp_path, "sessions:\n" + GOOD_SESSION + GOOD_SESSION.replace("1000", "2000"))
    first, second = load_file(path), load_file(path)
    assert [s.id for s in first.sessions] == [s.id for s in second.sessions]
    ids = [s.id for s in first.sessions]
    pids = [p.participant_id for s in first.sessions for p in s.participants]
    assert len(set(ids)) == 2 and len(set(pids)) == 2
    for value in ids + pids:  # UUID-shaped: 8-4-4-4-12 hex
        assert [len(part) for part in value.split("-")] == [8, 4, 4, 4, 12]


def test_load_data_without_lines_still_names_the_path() -> None:
    with pytest.raises(ScenarioError) as info:
        load_data({"sessions": [{"room": "a", "start_time": 1, "participants": "x"}]}, "<dict>")
    assert str(info.value) == "<dict>: sessions[0].participants: expected a list; got str 'x'"


def test_files_without_now_count_from_another_file_s_frozen_now(tmp_path: Path) -> None:
    relative = write(tmp_path, "sessions:\n" + GOOD_SESSION.replace("1000", "-1h"), "rel.yaml")
    frozen = write(tmp_path, "now: 500000\nsessions: []\n", "frozen.yaml")
    loaded = load([str(relative), str(frozen)])
    assert loaded.now == 500_000
    assert [s.start_time for s in loaded.sessions] == [500_000 - 3600]
    # --now beats both
    assert load([str(relative), str(frozen)], now=9000).sessions[0].start_time == 9000 - 3600


@pytest.mark.parametrize("depth", [900, 3000])
def test_deeply_nested_document_is_a_clear_error(tmp_path: Path, depth: int) -> None:
    path = write(tmp_path, "sessions: " + "[" * depth + "1" + "]" * depth + "\n")
    msg = only_problem(path)
    assert msg.startswith(f"{path}") and "invalid YAML" in msg and "nest" in msg


def test_merge_keys_apply_and_written_keys_win(tmp_path: Path) -> None:
    first = (
        "  - &first {id: first, room: standup, start_time: 1000,"
        " participants: [{join_time: 1000, duration: 60}]}\n"
    )
    merged = "  - <<: *first\n    id: second\n    room: retro\n"
    ok_file = write(tmp_path, f"sessions:\n{first}{merged}")
    loaded = load_later(ok_file)
    assert sorted((s.id, s.room, s.start_time) for s in loaded.sessions) == [
        ("first", "standup", 1000),
        ("second", "retro", 1000),
    ]
    # a written key after the merge wins, and a problem in it names its own line
    bad = write(
        tmp_path,
        f"sessions:\n{first}  - <<: *first\n    id: second\n    start_time: nonsense\n",
        "bad.yaml",
    )
    msg = only_problem(bad)
    assert msg.startswith(f"{bad}:5: sessions[1].start_time:"), msg
