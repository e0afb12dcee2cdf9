"""A bundled scenario's sessions, shipped resolved beside its YAML for a fast start.

Reading and checking ``fixtures/default.yaml`` (291 sessions, 130 KB) costs tens of
milliseconds, most of what ``serve`` with no arguments and a test's first start pay beyond
imports. ``fixtures/<name>.parsed.json`` holds the sessions that YAML gives, their times as
offsets from a reference instant (the file's times are all relative: loading adds the base,
``--now`` or the wall clock), the range they span, and the SHA-256 of the YAML bytes they were
made from. :func:`cached_sessions` returns them only while that hash matches (an edited YAML is
read again, never served stale) and the base keeps every time in range (else the YAML's reading
reports the error). The YAML stays the source: ``python -m fake_meetings.scenario.bundled
[name...]`` rewrites the parsed forms (those that exist, or those named), refusing a scenario
whose sessions do not simply shift with the base; ``tests/project/test_bundled_cache.py`` checks
each against its YAML.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from ..domain.model import Participant, Session
from ..domain.times import MAX_TIMESTAMP

SUFFIX = ".parsed.json"
FORMAT = 1  # the layout of "sessions" below; another value is ignored (the YAML is read)
REFERENCE = 1_000_000_000  # the stored times are offsets from the sessions read at this base
PROBE_BASE = 1_717_243_200  # write() checks that the sessions at this base are the shifted ones


def fixtures_dir() -> Path:
    """The bundled scenarios: inside the installed wheel, or ``fixtures/`` of a source checkout.

    Found from ``__file__`` (the package is a plain directory whenever these paths can be
    opened): ``importlib.resources`` would cost every process its import."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "fixtures"
    if packaged.is_dir():
        return packaged
    return package.parent / "fixtures"


def bundled_names() -> list[str]:
    return sorted(p.stem for p in fixtures_dir().glob("*.yaml"))


def cache_path(yaml_path: Path) -> Path:
    return yaml_path.with_name(yaml_path.stem + SUFFIX)


def digest(yaml_bytes: bytes) -> str:
    return hashlib.sha256(yaml_bytes).hexdigest()


def cached_sessions(yaml_path: Path, base: int) -> list[Session] | None:
    """The sessions of ``yaml_path`` with relative times counted from ``base``, from its parsed
    form; None when there is none or it was made from other bytes (then read the YAML)."""
    try:
        stored = orjson.loads(cache_path(yaml_path).read_bytes())
        current = digest(yaml_path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if (
        not isinstance(stored, dict)
        or stored.get("format") != FORMAT
        or stored.get("yaml_sha256") != current
    ):
        return None
    earliest, latest = stored["range"]
    if base + earliest < 0 or base + latest >= MAX_TIMESTAMP:
        return None  # out of range at this base: reading the YAML reports it
    return [_session(row, base) for row in stored["sessions"]]


def _session(row: list[Any], base: int) -> Session:
    sid, room, start, end, peak, stays = row
    participants = tuple(
        Participant(pid, user_id, name, join + base, duration, owner)
        for pid, user_id, name, join, duration, owner in stays
    )
    return Session(sid, room, start + base, participants, None if end is None else end + base, peak)


def _row(s: Session, shift: int) -> list[Any]:
    stays = [
        [p.participant_id, p.user_id, p.user_name, p.join_time + shift, p.duration, p.owner]
        for p in s.participants
    ]
    end = None if s.end is None else s.end + shift
    return [s.id, s.room, s.start_time + shift, end, s.peak, stays]


def _times(s: Session) -> list[int]:
    """The instants of ``s`` its YAML states (and reading checks the range of)."""
    return [s.start_time, *(p.join_time for p in s.participants)]


def write(yaml_path: Path) -> Path:
    """Write ``yaml_path``'s parsed form. Raises ValueError for a scenario that cannot ship
    so: one with ``now:``, ``rooms:``, ``webhook:``, ``domain:`` or a time that is not
    relative."""
    from .scenario import load_file

    name = yaml_path.name
    read = load_file(yaml_path, now=REFERENCE)
    if read.now is not None or read.rooms or read.webhook is not None or read.domain is not None:
        raise ValueError(
            f"{name}: only sessions can ship parsed (no now:, rooms:, webhook:, domain:)"
        )
    rows = [_row(s, -REFERENCE) for s in read.sessions]
    probe = load_file(yaml_path, now=PROBE_BASE).sessions
    if [_session(row, PROBE_BASE) for row in rows] != list(probe):
        raise ValueError(f"{name}: its sessions do not shift with the base (absolute times?)")
    times = [t for s in read.sessions for t in _times(s)]
    raw = yaml_path.read_bytes()
    body = {
        "yaml": name,
        "yaml_sha256": digest(raw),
        "format": FORMAT,
        "range": [min(times) - REFERENCE, max(times) - REFERENCE],
        "sessions": rows,
    }
    out = cache_path(yaml_path)
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows)
    head = json.dumps({k: v for k, v in body.items() if k != "sessions"}, separators=(",", ":"))
    out.write_text(f'{head[:-1]},"sessions":[\n{lines}\n]}}\n', encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    folder = fixtures_dir()
    if names:
        paths = [folder / f"{name}.yaml" for name in names]
    else:
        paths = [p for p in sorted(folder.glob("*.yaml")) if cache_path(p).is_file()]
    for path in paths:
        print(f"wrote {write(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
