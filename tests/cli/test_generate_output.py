"""Issue 26, item 11: ``generate -o FILE`` writes a uniquely named temporary file, created
exclusively beside FILE, and renames it over FILE (``cli/atomic.py``, shared with ``capture``).
It used to open the fixed name ``FILE.tmp`` with ``open("w")``: a symbolic link planted there
made it overwrite the link's target, and Ctrl-C or SIGTERM left the half-written file behind.

``fake-meetings generate`` runs as a real subprocess here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.constants import NOW
from tests.helpers.processes import clean_env

pytestmark = pytest.mark.slow  # generate runs as a process of its own
OLD = "# the previous scenario, which an interrupted write must leave as it was\n"


def generate(count: int, out: Path) -> subprocess.Popen[bytes]:
    command = ["generate", str(count), "-o", str(out), "--now", str(NOW)]
    return subprocess.Popen(
        [sys.executable, "-m", "fake_meetings", *command],
        cwd=out.parent,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_mid_write_leaves_no_temporary_file(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    out = tmp_path / "out.yaml"
    out.write_text(OLD)
    proc = generate(30_000, out)
    try:
        deadline = time.monotonic() + 30
        while not [p for p in tmp_path.iterdir() if p != out]:  # the temporary file is there
            assert proc.poll() is None, "generate ended before it was interrupted"
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.005)
        proc.send_signal(sig)
        assert proc.wait(timeout=20) == code, proc.stderr.read() if proc.stderr else ""
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]
    assert out.read_text() == OLD


def test_a_planted_symlink_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    planted = tmp_path / "out.yaml.tmp"
    planted.symlink_to(victim)
    out = tmp_path / "out.yaml"
    proc = generate(20, out)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert victim.read_text() == "precious\n"
    assert planted.is_symlink() and planted.resolve() == victim.resolve()
    assert not out.is_symlink() and "sessions:" in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml", "out.yaml.tmp", "victim.txt"]


def test_the_written_file_has_a_new_files_mode(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    proc = generate(5, out)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() makes it, not mkstemp's 600
