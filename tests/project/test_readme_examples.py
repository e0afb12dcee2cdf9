"""Every example of the README and of the documentation site (``docs/**/*.md``), run as a new
user would run it, so the docs cannot drift from the code.

A fenced block is an example when the line before it is a marker:

- ``<!-- example: NAME FILE -->``: the blocks of one NAME (all on one page) are written as FILE
  side by side in an empty directory, with the page's blocks of the name ``all`` (the
  ``pytest.ini`` a page recommends). An example with test files is run with ``pytest`` there
  (the plugin comes from the entry point; no conftest), with only the pytest plugins of the
  packages the page's install line (``<!-- install -->`` before a ``pip install`` block)
  brings: every test must pass, with no warning printed. An example with a ``.sh`` file is run
  with bash (``-euo pipefail``) against a fresh server of the bundled ``default`` scenario,
  the ``127.0.0.1:8080`` / ``localhost:8080`` it names rewritten to that server's address.
  Any other example (a script) is run with python and must exit 0.
- ``<!-- scenario: NAME -->``: a YAML scenario, which ``fake-meetings validate`` must accept.
- ``<!-- serves: NAME -->``: command lines; each ``fake-meetings serve`` line is started with
  ``--port 0`` and must print that it listens, then stop cleanly on SIGTERM; the other
  ``fake-meetings`` lines run in order and must exit 0.
- ``<!-- install -->``: the page's install line (above).
- ``<!-- not run: REASON -->``: a block that cannot run here (Docker, CI configuration, a
  path on the reader's machine), with the reason.

Every ``python``, ``sh``, ``yaml``, ``ini`` and ``toml`` block carries one of these markers, so a
new block is either run or says why not; output samples (``text``, ``json``) need none. The
examples found must be exactly ``EXPECTED`` (an example silently lost fails), and a name is
used on one page only.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, distribution, entry_points
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.rglob("*.md"))]

# Every example, with the page that holds it (relative to the repository).
EXPECTED = {
    "readme": "README.md",
    "readme-request": "README.md",
    "first-request": "docs/getting-started.md",
    "getting-started": "docs/getting-started.md",
    "requests": "docs/how-to/pytest.md",
    "aiohttp": "docs/how-to/pytest.md",
    "pagination": "docs/how-to/pytest.md",
    "rooms-tokens": "docs/how-to/pytest.md",
    "marker": "docs/how-to/pytest.md",
    "outside-pytest": "docs/how-to/pytest.md",
    "over-http": "docs/how-to/http.md",
    "join-leave": "docs/how-to/http.md",
    "tokens": "docs/how-to/http.md",
    "live": "docs/how-to/live-meetings.md",
    "webhooks": "docs/how-to/webhooks.md",
    "webhooks-over-http": "docs/how-to/webhooks.md",
    "failures": "docs/how-to/webhooks.md",
    "failures-over-http": "docs/how-to/webhooks.md",
    "faults": "docs/how-to/faults.md",
    "namespaces": "docs/how-to/namespaces.md",
    "generate-file": "docs/how-to/generated-data.md",
    "capture-from-a-fake": "docs/how-to/capture.md",
    "verify-a-fake": "docs/how-to/verify.md",
    "domain": "docs/reference/daily-routes.md",
    "recordings": "docs/reference/daily-routes.md",
    "transcripts": "docs/how-to/transcripts.md",
}
SHARED = "all"  # a page's files that go with each of its examples
RUNNABLE = {"python", "sh", "bash", "yaml", "ini", "toml", "dockerfile"}
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(
    r"<!-- (?P<kind>example|scenario|serves|install|not run)(?::(?P<args>[^>]*))? -->"
)
TEST_FUNCTION = re.compile(r"^(?:async )?def test_", re.MULTILINE)
SETTINGS_ENV = ("FAKE_MEETINGS_URL", "FAKE_MEETINGS_API_KEY", "PYTEST_XDIST_WORKER")
ADDRESS = re.compile(r"(?:127\.0\.0\.1|localhost):8080")


@dataclass
class Block:
    page: str
    line: int
    lang: str
    code: str
    kind: str | None  # the marker's kind, or None
    args: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def blocks(text: str, page: str) -> list[Block]:
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.fullmatch(before.strip())
        found.append(
            Block(
                page=page,
                line=text.count("\n", 0, match.start()) + 1,
                lang=match["lang"],
                code=match["code"],
                kind=marker["kind"] if marker else None,
                args=(marker["args"] or "").split() if marker else [],
            )
        )
    return found


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def all_blocks() -> list[Block]:
    return [b for page in PAGES for b in blocks(page.read_text(encoding="utf-8"), relative(page))]


@dataclass
class Example:
    name: str
    page: str
    files: dict[str, str]


def examples(found: list[Block]) -> dict[str, Example]:
    """NAME -> its files (with its page's shared files); a name on two pages is an error."""
    by_name: dict[str, Example] = {}
    shared: dict[str, dict[str, str]] = defaultdict(dict)
    for b in found:
        if b.kind != "example":
            continue
        name, file = b.args
        if name == SHARED:
            shared[b.page][file] = b.code
            continue
        example = by_name.setdefault(name, Example(name, b.page, {}))
        if example.page != b.page:
            raise AssertionError(f"{b.where}: example {name!r} is on {example.page} already")
        example.files[file] = b.code
    for example in by_name.values():
        example.files = {**shared[example.page], **example.files}
    return by_name


def install_line(page: str, found: list[Block]) -> list[str]:
    """The packages the page's ``<!-- install -->`` block installs (paths are fake-meetings)."""
    for b in found:
        if b.page == page and b.kind == "install":
            words = shlex.split(b.code, comments=True)
            start = words.index("install") + 1
            return [
                "fake-meetings" if "/" in w else w for w in words[start:] if not w.startswith("-")
            ]
    raise AssertionError(f"{page} has test examples but no <!-- install --> block")


def closure(names: list[str]) -> set[str]:
    """The distributions ``pip install NAMES`` brings, as installed here (dependencies of
    dependencies included, extras left out)."""
    seen: set[str] = set()
    todo = [canonicalize_name(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


def plugins_not_installed_by(packages: list[str]) -> list[str]:
    """``-p no:NAME`` for every pytest plugin here that the install line would not bring."""
    brought = closure([*packages, "fake-meetings"])
    args = []
    for ep in entry_points(group="pytest11"):
        if ep.dist is not None and canonicalize_name(ep.dist.name) not in brought:
            args += ["-p", f"no:{ep.name}"]
    return args


FOUND = all_blocks()


# ---------------------------------------------------------------------------------------------
# The collector itself


def test_the_markers_are_read_from_the_line_before_a_block() -> None:
    text = (
        "<!-- example: demo a.py -->\n```python\nx = 1\n```\n"
        "```python\nnot marked\n```\n"
        "<!-- example: demo test_a.py -->\n```python\ndef test_x():\n    pass\n```\n"
        "<!-- not run: needs Docker -->\n```sh\ndocker run x\n```\n"
        "<!-- example: all pytest.ini -->\n```ini\n[pytest]\n```\n"
    )
    found = blocks(text, "p.md")
    assert [(b.kind, b.args, b.code) for b in found] == [
        ("example", ["demo", "a.py"], "x = 1\n"),
        (None, [], "not marked\n"),
        ("example", ["demo", "test_a.py"], "def test_x():\n    pass\n"),
        ("not run", ["needs", "Docker"], "docker run x\n"),
        ("example", ["all", "pytest.ini"], "[pytest]\n"),
    ]
    (demo,) = examples(found).values()
    assert demo.files == {"pytest.ini": "[pytest]\n", "a.py": "x = 1\n", "test_a.py": found[2].code}


def test_a_name_on_two_pages_is_refused() -> None:
    one = blocks("<!-- example: demo a.py -->\n```python\nx = 1\n```\n", "one.md")
    two = blocks("<!-- example: demo b.py -->\n```python\ny = 1\n```\n", "two.md")
    with pytest.raises(AssertionError, match=r"on one\.md already"):
        examples(one + two)


def test_the_install_line_names_its_packages() -> None:
    found = blocks(
        "<!-- install -->\n```sh\npip install /x/fake-meetings pytest requests\n```\n", "p"
    )
    assert install_line("p", found) == ["fake-meetings", "pytest", "requests"]


# ---------------------------------------------------------------------------------------------
# The pages


def test_every_block_in_a_runnable_language_is_marked() -> None:
    loose = [f"{b.where} (```{b.lang})" for b in FOUND if b.lang in RUNNABLE and b.kind is None]
    assert not loose, (
        "fenced blocks with no marker on the line before (<!-- example: NAME FILE -->, "
        "<!-- scenario: NAME -->, <!-- serves: NAME -->, <!-- install -->, or "
        "<!-- not run: REASON -->): " + ", ".join(loose)
    )
    bare = [b.where for b in FOUND if b.kind == "not run" and not b.args]
    assert not bare, f"<!-- not run: REASON --> without a reason: {bare}"


def test_the_examples_are_the_expected_ones() -> None:
    found = {name: example.page for name, example in examples(FOUND).items()}
    assert found == EXPECTED, (
        "the examples on the pages differ from EXPECTED in this file: add a new one there, "
        "and put back one that was lost"
    )


def test_the_readme_is_a_front_page() -> None:
    """At most 200 lines, and the two commands and a whole pytest test in its first screen."""
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines: move reference into docs/"
    first_screen = "\n".join(lines[:60])
    assert "make serve" in first_screen and "make test" in first_screen
    (test,) = [b for b in FOUND if b.page == "README.md" and b.lang == "python"]
    assert test.kind == "example", "README's pytest test is not marked as an example"
    assert test.line + test.code.count("\n") <= 60, "README's pytest example ends past line 60"
    assert len(TEST_FUNCTION.findall(test.code)) == 1 and test.code.count("\n") <= 12


def test_the_readme_links_into_the_docs() -> None:
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\((docs/[^)#]+)", text)
    assert targets, "README.md links to no page of docs/"
    missing = [t for t in targets if not (ROOT / t).is_file()]
    assert not missing, f"README.md links to pages that do not exist: {missing}"


def test_the_user_docs_do_not_point_into_source_files() -> None:
    source = re.compile(r"\b(?:fake_meetings|domain|api|state|cli|testing|webhooks|client)/\w+\.py")
    pointing = [
        f"{relative(page)}: {hit}"
        for page in PAGES
        if page.name != "architecture.md"  # the page about the code
        for hit in source.findall(page.read_text(encoding="utf-8"))
    ]
    assert not pointing, pointing


def test_choices_are_named_in_words_not_marks() -> None:
    marks = [f"{relative(p)}" for p in PAGES if re.search(r"\[[F?]\]", p.read_text("utf-8"))]
    assert not marks, f"[F] / [?] marks left: say 'Daily's docs say' or 'our choice' ({marks})"


def test_every_command_has_its_generated_reference() -> None:
    from fake_meetings.cli import _subparsers, build_parser

    page = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    assert "<!-- generate: cli-synopsis -->" in page
    for command in _subparsers(build_parser()):
        assert f"<!-- generate: cli-command {command} -->" in page, command


def test_make_bench_takes_as_long_as_the_docs_say() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    page = (DOCS / "performance.md").read_text(encoding="utf-8")
    said = re.search(r"^# .*?make bench.*?about (\d+) minutes", makefile, re.M | re.S)
    assert said, "the Makefile's comment above bench states no duration"
    assert f"about {said[1]} minutes" in page, "docs/performance.md states another duration"


# ---------------------------------------------------------------------------------------------
# Running them


@pytest.mark.slow  # each example runs in a pytest, python or shell process of its own
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(name: str, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    found = examples(FOUND)
    if name not in found:
        pytest.fail(f"{EXPECTED[name]} has no example {name!r}", pytrace=False)
    example = found[name]
    for variable in SETTINGS_ENV:
        monkeypatch.delenv(variable, raising=False)
    for f, code in example.files.items():
        (pytester.path / f).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / f).write_text(code, encoding="utf-8")
    tests = sum(
        len(TEST_FUNCTION.findall(code))
        for f, code in example.files.items()
        if f.endswith(".py") and Path(f).name.startswith("test_")
    )
    if tests:
        disabled = plugins_not_installed_by(install_line(example.page, FOUND))
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *disabled, timeout=120)
        output = result.outlines + result.errlines
        assert result.parseoutcomes().get("passed") == tests, "\n".join(output)
        result.assert_outcomes(passed=tests)
        warned = [line for line in output if "Warning" in line or "warnings summary" in line]
        assert not warned, "\n".join(output)
        return
    shells = [f for f in example.files if f.endswith(".sh")]
    if shells:
        run_shell(pytester.path, example, shells)
        return
    for f in example.files:
        if f.endswith(".py"):
            ran = pytester.runpython(pytester.path / f)
            assert ran.ret == 0, ran.stderr.str()


def run_shell(where: Path, example: Example, scripts: list[str]) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    from fake_meetings.testing import serve

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    with serve("default") as server:
        address = f"{server.host}:{server.port}"
        for f in scripts:
            script = ADDRESS.sub(address, example.files[f])
            (where / f).write_text(script, encoding="utf-8")
            ran = subprocess.run(
                ["bash", "-euo", "pipefail", f],
                cwd=where,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert ran.returncode == 0, f"{example.page}: {f}\n{ran.stdout}\n{ran.stderr}"


SCENARIOS = [b for b in FOUND if b.kind == "scenario"]


def test_the_first_scenario_of_the_format_page_is_checked() -> None:
    page = [b for b in FOUND if b.page == "docs/reference/scenario-format.md"]
    first_yaml = next(b for b in page if b.lang == "yaml")
    assert first_yaml.kind == "scenario", f"{first_yaml.where}: mark it <!-- scenario: NAME -->"


@pytest.mark.slow
@pytest.mark.parametrize("block", SCENARIOS, ids=[" ".join(b.args) for b in SCENARIOS])
def test_scenario_validates(
    block: Block, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fake_meetings.cli import main

    (name,) = block.args
    path = tmp_path / f"{name}.yaml"
    path.write_text(block.code, encoding="utf-8")
    status = main(["validate", str(path)])
    assert status == 0, f"{block.where}: fake-meetings validate refuses it:\n{capsys.readouterr()}"


SERVES = [b for b in FOUND if b.kind == "serves"]


@pytest.mark.slow
@pytest.mark.parametrize("block", SERVES, ids=[" ".join(b.args) for b in SERVES])
def test_commands_run(block: Block, tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for line in block.code.splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        assert words[0] == "fake-meetings", f"{block.where}: {line}"
        if words[1] != "serve":
            ran = subprocess.run(words, cwd=tmp_path, env=env, capture_output=True, timeout=300)
            assert ran.returncode == 0, f"{block.where}: {line}\n{ran.stderr.decode()}"
            continue
        if "--port" in words:
            del words[words.index("--port") : words.index("--port") + 2]
        proc = subprocess.Popen(
            [*words, "--port", "0"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True
        )
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert first.startswith("fake-meetings listening on http://"), f"{line}: {first!r}"
            # serve prints that line just before it installs its signal handlers: one answered
            # request later, a SIGTERM finds them in place
            url = first.split()[-1]
            with urllib.request.urlopen(f"{url}/_fake/health", timeout=30) as health:
                assert health.status == 200
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0, f"{block.where}: {line} did not stop cleanly"
