"""``fake-meetings verify``'s outputs and edges over real HTTP: the bundled default scenario
against itself, the exit statuses, ``--ignore`` (and its expired entries), the report's format
and the regression tests ``--fixtures`` writes, run with pytest as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fake_meetings.cli import main
from fake_meetings.testing import ServerThread, serve
from tests.helpers.capture import world_from_text
from tests.helpers.constants import NOW
from tests.helpers.verify_proxy import AccountProxy, one_field, worded_errors

from .test_verify import ACCOUNT, KEY, of, report, run

Serve = Callable[..., ServerThread]


def test_the_bundled_default_scenario_verifies_clean_against_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve("default", now=NOW) as account:
        status, out, err = run(capsys, account.url, "--report", str(tmp_path / "r.json"))
    assert status == 0, out + err
    data = report(tmp_path / "r.json")
    assert data["requests"] >= 200 and data["not_asked"] == 0
    assert data["counts"] == {"fake": 0, "drift": 0, "time": 0, "ignored": 0}
    assert f"{data['requests']:,} requests\ndifferences: 0 fake, 0 drift, 0 time, 0 ignored" in out


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_exit_status_2_on_usage_and_connection_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAILY_API_KEY", raising=False)
    assert main(["verify", "--base-url", "http://127.0.0.1:9/v1"]) == 2
    assert "no API key" in capsys.readouterr().err
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    status, _, err = run(capsys, url, "--max-retries", "0", "--report", str(tmp_path / "r.json"))
    assert status == 2 and "gave up on GET" in err
    assert not (tmp_path / "r.json").exists()
    bad = tmp_path / "ignore.yaml"
    bad.write_text("- {path: data, reason: x, expires: 2030-01-01}\n")
    status, _, err = run(capsys, url, "--ignore", str(bad))
    assert status == 2 and "path must be a JSON path" in err
    monkeypatch.setenv("DAILY_API_KEY", KEY)  # the key from the environment: never shown
    assert main(["verify", "--base-url", url, "--max-retries", "0"]) == 2
    out, err = capsys.readouterr()
    assert KEY not in out + err


def test_ignore_entries_apply_until_they_expire(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(ACCOUNT))
    ignore = tmp_path / "ignore.yaml"
    entry = "{path: $.info, request: '*limit=*', reason: worded otherwise"
    ignore.write_text(f"- {entry}, expires: 2999-12-31}}\n")
    with AccountProxy(upstream.url, [worded_errors]) as proxy:
        status, out, _ = run(
            capsys, proxy.url, "--ignore", str(ignore), "--report", str(tmp_path / "r.json")
        )
        assert status == 0, out
        data = report(tmp_path / "r.json")
        assert data["counts"]["fake"] == 0 and data["counts"]["ignored"] >= 2
        assert {d["reason"] for d in of(data, "ignored")} == {"worded otherwise"}
        assert data["expired_ignores"] == []
        ignore.write_text(f"- {entry}, expires: 2001-01-01}}\n")
        status, out, _ = run(
            capsys, proxy.url, "--ignore", str(ignore), "--report", str(tmp_path / "r.json")
        )
    assert status == 1
    assert "expired ignore: $.info (worded otherwise; expired 2001-01-01)" in out
    data = report(tmp_path / "r.json")
    assert data["counts"]["ignored"] == 0 and data["counts"]["fake"] >= 2
    assert data["expired_ignores"] == [
        {
            "path": "$.info",
            "request": "*limit=*",
            "reason": "worded otherwise",
            "expires": "2001-01-01",
        }
    ]


def test_the_report_format(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(ACCOUNT))
    with AccountProxy(upstream.url, [one_field("tie-a", "duration", 5)]) as proxy:
        assert run(capsys, proxy.url, "--report", str(tmp_path / "r.json"))[0] == 1
    data = report(tmp_path / "r.json")
    assert list(data) == [
        "format",
        "base_url",
        "capture",
        "now",
        "requests",
        "not_asked",
        "counts",
        "differences",
        "not_kept",
        "expired_ignores",
    ]
    assert data["format"] == 1 and data["now"] == NOW and data["base_url"] == proxy.url
    first = data["differences"][0]
    assert list(first) == ["class", "request", "path", "account", "fake", "reason"]
    assert first["class"] == "fake" and first["request"].startswith("GET /meetings")
    assert first["path"].endswith(".duration") and first["account"] == first["fake"] + 5


@pytest.mark.slow
def test_fixtures_are_regression_tests_that_fail_until_the_fake_answers_alike(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(ACCOUNT))
    fixtures = tmp_path / "regressions"
    with AccountProxy(upstream.url, [one_field("big-meeting", "max_participants", 1)]) as proxy:
        status, _, err = run(capsys, proxy.url, "--fixtures", str(fixtures))
    assert status == 1 and f"regression tests to {fixtures}" in err
    tests = sorted(fixtures.glob("test_verify_*.py"))
    assert tests and len(list(fixtures.glob("verify_*.yaml"))) == len(tests)
    for path in [*tests, *fixtures.glob("*.yaml")]:
        assert KEY not in path.read_text(encoding="utf-8")
    single = next(p for p in tests if "'/meetings/big-meeting'" in p.read_text(encoding="utf-8"))

    def pytest_run(target: Path) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
                str(target),
            ],
            cwd=fixtures,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    failed = pytest_run(fixtures)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"{len(tests)} failed" in failed.stdout
    assert "$.max_participants" in failed.stdout
    # the test checks the account's value: with the fake's in its place, it passes
    text = single.read_text(encoding="utf-8")
    fixed = text.replace('"$.max_participants", true, 10]', '"$.max_participants", true, 9]')
    assert fixed != text
    single.write_text(fixed, encoding="utf-8")
    passed = pytest_run(single)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_since_bounds_the_capture_and_the_questions(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(ACCOUNT))
    since = str(NOW - 86400)  # after the ties: three sessions captured of seven
    status, out, _ = run(
        capsys, upstream.url, "--since", since, "--report", str(tmp_path / "r.json")
    )
    assert status == 0 and "0 fake, 0 drift" in out, out
    data = report(tmp_path / "r.json")
    assert data["requests"] > 100


def test_max_requests_bounds_the_questions(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(ACCOUNT))
    args = ["--max-requests", "12", "--report", str(tmp_path / "r.json")]
    status, out, _ = run(capsys, upstream.url, *args)
    assert status == 0 and ": 12 requests\n" in out, out
    assert report(tmp_path / "r.json")["requests"] == 12
    assert run(capsys, upstream.url, "--max-requests", "0")[0] == 2


def _domain_key(path: str, query: dict[str, str], status: int, body: Any) -> Any:
    """The account's domain has a property fake-meetings does not know, and a known one set."""
    if path == "/v1/" and status == 200:
        body["config"]["enable_future_thing"] = True
        body["config"]["lang"] = "de"
    return body


def test_a_domain_difference_becomes_a_test_whose_slice_declares_the_domain(
    serve: Serve, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = serve(world_from_text(ACCOUNT))
    fixtures = tmp_path / "regressions"
    with AccountProxy(upstream.url, [_domain_key]) as proxy:
        args = ["--fixtures", str(fixtures), "--report", str(tmp_path / "r.json")]
        status = run(capsys, proxy.url, *args)[0]
    assert status == 1
    (fake,) = of(report(tmp_path / "r.json"), "fake")  # lang was given to the fake: no difference
    assert (fake["request"], fake["path"], fake["account"]) == (
        "GET /",
        "$.config.enable_future_thing",
        True,
    )
    assert "fake" not in fake
    (scenario,) = fixtures.glob("verify_*.yaml")
    assert 'domain:\n  properties: {"lang": "de"}\n' in scenario.read_text(encoding="utf-8")
    assert main(["validate", str(scenario)]) == 0
    test = (fixtures / "test_verify_001.py").read_text(encoding="utf-8")
    assert "REQUEST = '/'" in test and '[["$.config.enable_future_thing", true, true]]' in test
