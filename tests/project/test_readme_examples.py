"""The README's pytest examples, run as a new user would: its files copied into an empty
directory, then ``pytest`` there (the plugin comes from the entry point; no ini, no conftest).

A fenced block belongs to an example when the line before it is
``<!-- example: NAME FILE -->``; the blocks of one NAME are written as FILE side by side, and the
blocks of the name ``all`` (the ``pytest.ini`` the README recommends) go with every example.
An example with test files is run with pytest and every test in it must pass, with no
deprecation warning printed; one without (a script) is run with python and must exit 0. So the
docs cannot drift from the code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXPECTED = (
    "requests",
    "aiohttp",
    "pagination",
    "live",
    "webhooks",
    "rooms-tokens",
    "outside-pytest",
)
SHARED = "all"  # files every example gets
BLOCK = re.compile(
    r"^<!-- example: (?P<name>[\w-]+) (?P<file>[\w./-]+\.(?:py|ini)) -->\n"
    r"```(?:python|ini)\n(?P<code>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)
TEST_FUNCTION = re.compile(r"^(?:async )?def test_", re.MULTILINE)
SETTINGS_ENV = ("FAKE_MEETINGS_URL", "FAKE_MEETINGS_API_KEY", "PYTEST_XDIST_WORKER")


def examples(text: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for match in BLOCK.finditer(text):
        found[match["name"]][match["file"]] = match["code"]
    return dict(found)


def source() -> tuple[Path, dict[str, dict[str, str]]]:
    return README, examples(README.read_text(encoding="utf-8"))


def test_the_block_pattern_finds_marked_blocks_only() -> None:
    text = (
        "<!-- example: demo a.py -->\n```python\nx = 1\n```\n"
        "```python\nnot marked\n```\n"
        "<!-- example: demo test_a.py -->\n```python\ndef test_x():\n    pass\n```\n"
    )
    assert examples(text) == {"demo": {"a.py": "x = 1\n", "test_a.py": "def test_x():\n    pass\n"}}
    ini = "<!-- example: all pytest.ini -->\n```ini\n[pytest]\n```\n"
    assert examples(ini) == {"all": {"pytest.ini": "[pytest]\n"}}


def test_the_readme_gives_a_pytest_ini_for_pytest_asyncio() -> None:
    """pytest-asyncio (which the README suggests for async tests) warns on every run unless
    ``asyncio_default_fixture_loop_scope`` is set: the README's pytest.ini sets it."""
    _, found = source()
    assert "asyncio_default_fixture_loop_scope" in found.get(SHARED, {}).get("pytest.ini", "")


@pytest.mark.parametrize("name", EXPECTED)
def test_readme_example(name: str, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    path, found = source()
    if name not in found:
        pytest.fail(
            f"{path} has no example {name!r}: expected fenced ```python blocks each preceded by "
            f"a line '<!-- example: {name} FILE.py -->' (in the section 'Using it from pytest')",
            pytrace=False,
        )
    for variable in SETTINGS_ENV:
        monkeypatch.delenv(variable, raising=False)
    files = {**found.get(SHARED, {}), **found[name]}
    for f, code in files.items():
        (pytester.path / f).write_text(code, encoding="utf-8")
    scripts = [f for f in found[name] if f.endswith(".py")]
    tests = sum(len(TEST_FUNCTION.findall(files[f])) for f in scripts if "test_" in f)
    if tests:
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=120)
        result.assert_outcomes(passed=tests)
        output = result.outlines + result.errlines
        warned = [line for line in output if "Warning" in line or "warnings summary" in line]
        assert not warned, "\n".join(output)
        return
    for f in scripts:
        ran = pytester.runpython(pytester.path / f)
        assert ran.ret == 0, ran.stderr.str()
