"""The parsed form of a bundled scenario, shipped beside its YAML for a fast start.

Reading ``fixtures/default.yaml`` (291 sessions, 130 KB) with line tracking costs tens of
milliseconds, most of what ``serve`` with no arguments and a test's first start pay beyond
imports. ``fixtures/<name>.parsed.json`` holds the same document as plain JSON values, with the
SHA-256 of the YAML bytes it was made from: :func:`cached_data` returns it only while that hash
matches, so an edited YAML is read again and never served stale. The YAML stays the source;
``python -m fake_meetings.bundled`` rewrites the parsed forms that exist (or those named), and
``tests/project/test_bundled_cache.py`` checks each against its YAML.

The parsed form carries no line numbers: they only appear in errors, and a bundled scenario
has none (the same tests load it).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

SUFFIX = ".parsed.json"


def cache_path(yaml_path: Path) -> Path:
    return yaml_path.with_name(yaml_path.stem + SUFFIX)


def digest(yaml_bytes: bytes) -> str:
    return hashlib.sha256(yaml_bytes).hexdigest()


def cached_data(yaml_path: Path) -> Any | None:
    """The document of ``yaml_path`` from its parsed form, or None (no parsed form, or one made
    from other bytes: the caller reads the YAML)."""
    cache = cache_path(yaml_path)
    try:
        stored = orjson.loads(cache.read_bytes())
        current = digest(yaml_path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(stored, dict) or stored.get("yaml_sha256") != current:
        return None
    return stored.get("data")


def write(yaml_path: Path) -> Path:
    """Write ``yaml_path``'s parsed form (the document as ``yaml.safe_load`` reads it, which
    must hold JSON values only)."""
    from .domain.yamldoc import read_yaml

    raw = yaml_path.read_bytes()
    data = read_yaml(raw.decode("utf-8")).data
    body = {"yaml": yaml_path.name, "yaml_sha256": digest(raw), "data": data}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    out = cache_path(yaml_path)
    out.write_text(text + "\n", encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from .loading import fixtures_dir

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
