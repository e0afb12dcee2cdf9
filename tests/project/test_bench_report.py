"""``bench/report.py``, the runner of ``make bench``, without running a benchmark: the page's
blocks are its steps, and a step's figures replace exactly its own block."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "performance.md"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


report = _load()

PAGE_TEXT = """# Title

<!-- bench: one -->

old one

<!-- /bench: one -->

between

<!-- bench: two -->
old two
<!-- /bench: two -->
after
"""


def test_the_page_has_one_block_per_step_in_the_order_they_run() -> None:
    names = report.block_names(PAGE.read_text(encoding="utf-8"))
    assert names == [step.name for step in report.STEPS]


def test_every_step_is_a_script_of_bench() -> None:
    for step in report.STEPS:
        assert (ROOT / "bench" / step.script).is_file(), step.script


def test_make_bench_runs_the_runner() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^bench:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no bench target"
    assert "$(BIN)/python bench/report.py $(BENCH_ARGS)" in recipe[1]
    assert "_bench.py" not in recipe[1], "a benchmark run outside the runner writes no figures"


def test_a_block_is_replaced_and_nothing_else() -> None:
    new = report.replace_block(PAGE_TEXT, "two", "new two\n")
    assert new == PAGE_TEXT.replace("old two", "\nnew two\n")
    assert report.block_names(new) == ["one", "two"]
    assert report.replace_block(new, "two", "new two") == new  # replacing again: the same
    first = report.replace_block(PAGE_TEXT, "one", "\n\nnew one\n\n")
    assert first == PAGE_TEXT.replace("old one", "new one")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (PAGE_TEXT, "0 opening and 0 closing"),  # no block "three"
        (PAGE_TEXT + "<!-- bench: three -->\n<!-- /bench: three -->\n" * 2, "2 opening"),
        (PAGE_TEXT + "<!-- /bench: three -->\n<!-- bench: three -->\n", "closes before"),
        (
            PAGE_TEXT + "<!-- bench: three -->\n<!-- /bench: one -->\n<!-- /bench: three -->\n",
            "holds other markers",
        ),
    ],
)
def test_a_missing_doubled_or_broken_block_is_refused(text: str, problem: str) -> None:
    with pytest.raises(report.BlockError, match=problem):
        report.replace_block(text, "three", "figures")


def test_new_content_holding_a_marker_is_refused() -> None:
    with pytest.raises(report.BlockError, match="holds a bench marker"):
        report.replace_block(PAGE_TEXT, "one", "x <!-- /bench: one --> y")


def test_a_blocks_content_names_the_run_and_fences_the_output() -> None:
    body = report.block_body("python bench/x.py", "\nfigure 1\n```\n\n", "2026-01-01, a CPU")
    # a fence longer than any in the output, so the output cannot close it
    expected = "`python bench/x.py`, 2026-01-01, a CPU:\n\n````text\nfigure 1\n```\n````"
    assert body == expected
    assert "Python " in report.stamp() and " cores)" in report.stamp()


def test_a_quick_run_writes_only_when_asked() -> None:
    assert report.writes(quick=False, write=None)
    assert not report.writes(quick=True, write=None)
    assert report.writes(quick=True, write=True)
    assert not report.writes(quick=False, write=False)


def test_the_page_is_written_whole_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text(PAGE_TEXT, encoding="utf-8")
    report.write_page(page, "one", "fresh")
    assert page.read_text(encoding="utf-8") == PAGE_TEXT.replace("old one", "fresh")
    with pytest.raises(report.BlockError):
        report.write_page(page, "three", "fresh")
    assert page.read_text(encoding="utf-8") == PAGE_TEXT.replace("old one", "fresh")
    assert [p.name for p in tmp_path.iterdir()] == ["performance.md"]
