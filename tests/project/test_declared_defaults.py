"""The defaults the README and the docs state in words are the ones the code declares.

The reference pages' tables of ``serve``'s and the generator's options are generated from the
options' declarations (``tools/mkdocs_options.py``); what is left is prose (``make serve ...
on http://127.0.0.1:8080``) and hand-written tables of bounds. Each check reads the value from
the code and the sentence from the page, so a changed default fails here until the page says
the new one."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from fake_meetings.api.daily.recording_cache import BUDGET as RECORDING_BUDGET
from fake_meetings.api.daily.render_cache import BODY_BUDGET, FRAGMENT_BUDGET
from fake_meetings.cli import _subparsers, build_parser
from fake_meetings.cli.declare import shown
from fake_meetings.cli.serve import DECLARED
from fake_meetings.config import (
    DEFAULT_DOMAIN,
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_HOST,
    DEFAULT_JOURNAL_BYTES,
    DEFAULT_JOURNAL_CAP,
    DEFAULT_KEEPALIVE_TIMEOUT,
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_NAMESPACES,
    DEFAULT_MAX_ROOMS,
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MIN_STAY,
    DEFAULT_PORT,
)
from fake_meetings.domain.generate import DEFAULT_RECORDED
from fake_meetings.domain.ratelimits import TIERS
from fake_meetings.domain.transcripts import MAX_ERROR
from fake_meetings.domain.webhook import CIRCUIT_BREAKER
from fake_meetings.state.ratelimit import MAX_WINDOWS
from fake_meetings.webhooks.settings import Settings, Timing
from tests.project.test_readme_examples import ADDRESS

ROOT = Path(__file__).resolve().parents[2]
OPTIONS_HEADER = "| option | environment variable | default | meaning |"
FLAG = re.compile(r"^`(?:(?P<command>[a-z]+) )?(?P<flag>--[a-z][a-z-]*)")


def words(path: str) -> str:
    """The page's text with every run of white space as one space (sentences wrap)."""
    return " ".join((ROOT / path).read_text(encoding="utf-8").split())


def mib(size: int) -> str:
    assert size % 2**20 == 0, f"{size} bytes is no whole number of MiB: say it another way"
    return f"{size // 2**20} MiB"


def sentences() -> list[tuple[str, str]]:
    """(page, what it must say), each saying a default the code declares."""
    address = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
    timing = Timing()
    delays = ",".join(shown(d) for d in timing.retry_delays)
    cap, timeout = DEFAULT_JOURNAL_CAP, shown(timing.timeout)
    return [
        ("README.md", f"make serve # serve the bundled default scenario on {address}"),
        ("docs/how-to/generated-data.md", f"fake-meetings listening on {address}"),
        ("docs/how-to/generated-data.md", f"the default, {shown(DEFAULT_RECORDED)}, records none"),
        ("docs/reference/hardening.md", f"The server binds `{DEFAULT_HOST}` unless `--host`"),
        ("docs/reference/hardening.md", f"`--max-body BYTES` (default {mib(DEFAULT_MAX_BODY)})"),
        (
            "docs/reference/hardening.md",
            f"`--header-timeout` seconds (default {shown(DEFAULT_HEADER_TIMEOUT)})",
        ),
        (
            "docs/reference/hardening.md",
            f"`--keepalive-timeout` seconds (default {shown(DEFAULT_KEEPALIVE_TIMEOUT)})",
        ),
        (
            "docs/reference/hardening.md",
            f"`--max-connections` open connections (default {DEFAULT_MAX_CONNECTIONS})",
        ),
        ("docs/reference/hardening.md", f"`--max-rooms` rooms (default {DEFAULT_MAX_ROOMS:,})"),
        (
            "docs/reference/hardening.md",
            f"`--max-sessions` sessions (default {DEFAULT_MAX_SESSIONS:,})",
        ),
        ("docs/reference/hardening.md", f"`--webhook-outbox N` (default {timing.outbox:,})"),
        ("docs/reference/hardening.md", f"an error text of at most {MAX_ERROR:,} characters"),
        ("docs/reference/hardening.md", f"past {MAX_WINDOWS:,} windows, the idle ones"),
        (
            "docs/reference/hardening.md",
            f"at most {mib(FRAGMENT_BUDGET)} of session fragments and {mib(BODY_BUDGET)} of "
            f"bodies, the recordings' at most {mib(RECORDING_BUDGET)}",
        ),
        (
            "docs/reference/hardening.md",
            f"({', '.join(str(t.per_window) for t in TIERS[:-1])} or {TIERS[-1].per_window} "
            "entries)",
        ),
        (
            "docs/reference/control-plane.md",
            f"`--journal-cap` entries (default {cap})",
        ),
        ("docs/reference/control-plane.md", f"default {mib(DEFAULT_JOURNAL_BYTES)}), dropping"),
        ("docs/reference/daily-routes.md", f"(`FAKE_MEETINGS_DOMAIN`, default `{DEFAULT_DOMAIN}`)"),
        (
            "docs/reference/scenario-format.md",
            f"before /meetings shows it (default {DEFAULT_MIN_STAY})",
        ),
        ("docs/how-to/namespaces.md", f"`--max-namespaces` (default {DEFAULT_MAX_NAMESPACES})"),
        ("docs/reference/webhooks.md", f"(`{CIRCUIT_BREAKER}`, the default, or"),
        ("docs/reference/webhooks.md", f"the fake waits {Settings.ended_delay} s unless"),
        ("docs/reference/webhooks.md", f"between tries (default `{delays}` seconds)"),
        (
            "docs/reference/webhooks.md",
            f"`--webhook-timeout` seconds (default {timeout})",
        ),
        ("docs/reference/webhooks.md", f"events wait per namespace (default {timing.outbox:,},"),
    ]


@pytest.mark.parametrize(("page", "sentence"), sentences())
def test_the_page_states_the_declared_default(page: str, sentence: str) -> None:
    assert sentence in words(page), f"{page} should say {sentence!r}: the code's default"


def test_the_examples_name_the_server_at_its_default_address() -> None:
    # the docs' shell examples say 127.0.0.1:8080 (what `fake-meetings serve` listens on);
    # the examples' runner rewrites that address to its own server's
    assert ADDRESS.fullmatch(f"{DEFAULT_HOST}:{DEFAULT_PORT}")


def _default_cell(action: argparse.Action) -> str:
    return "off" if action.nargs == 0 else shown(action.default)


def declared_rows(page: str) -> list[tuple[str, tuple[str, str], tuple[str, str]]]:
    """For each row of the page's hand-written tables of options that names an option of
    serve (or of another command: ``capture --x``): the row, its (variable, default), and the
    (variable, default) the code declares."""
    declared = {option.flag: option for option in DECLARED}
    commands = _subparsers(build_parser())
    rows = []
    in_table = False
    for line in (ROOT / page).read_text(encoding="utf-8").splitlines():
        in_table = line == OPTIONS_HEADER or (in_table and line.startswith("|"))
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        found = FLAG.match(line.strip("| "))
        if not in_table or found is None or len(cells) < 4:
            continue
        if found["command"] is not None:
            action = commands[found["command"]]._option_string_actions[found["flag"]]
            expected = ("", _default_cell(action))
        elif found["flag"] in declared:
            option = declared[found["flag"]]
            expected = (option.variable + "=1" * option.switch, option.default_text or "none")
        else:
            continue
        rows.append((line, (cells[1], cells[2]), expected))
    return rows


def test_the_hardening_table_says_the_declared_defaults() -> None:
    rows = declared_rows("docs/reference/hardening.md")
    assert len(rows) >= 17, "the table of bounds is gone: point this test at its new place"
    wrong = [f"{row}: the code says {expected}" for row, said, expected in rows if said != expected]
    assert not wrong, wrong
