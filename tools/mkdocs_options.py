"""The tables of options of the reference pages, generated from the declarations of
``serve``'s and the generator's options (``fake_meetings.cli.declare.Declared``): each
option's environment variable and default come from the code, which reads the very same
declaration; the page gives the options it lists and what they mean.

- ``<!-- generate: option-table -->`` followed by a table ``| option | meaning |``: the table
  is given its environment variable and default columns. A row naming no declared option fails
  the build.
- ``<!-- generate: generator-options -->``: the generator's options (``generate`` and ``serve
  --generate``), each with its key in a ``generate:`` block, variable, default and meaning.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.exceptions import PluginError

TABLE = re.compile(r"^<!-- generate: option-table -->\n(?P<rows>(?:\|.*(?:\n|$))+)", re.MULTILINE)
FLAG = re.compile(r"--[a-z][a-z-]*")
PIPE = re.compile(r"(?<!\\)\|")  # a cell's border, not an escaped \| inside it


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in PIPE.split(row.strip().strip("|"))]


def _escaped(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def variable(option: Any) -> str:
    """The environment variable cell: ``FAKE_MEETINGS_PORT``, ``FAKE_MEETINGS_NO_AUTH=1``."""
    cell = f"`{option.variable}{'=1' * option.switch}`"
    return cell + (f" ({_escaped(option.var_note)})" if option.var_note else "")


def default(option: Any) -> str:
    """The default cell: off (a switch), the default in words, its value, or none."""
    from fake_meetings.cli.declare import shown

    if option.switch:
        return "off"
    if option.words is not None:
        return _escaped(option.words)
    return "none" if option.default is None else f"`{shown(option.default)}`"


def option_tables(markdown: str, where: str) -> str:
    """Every ``option-table`` of the page given its variable and default columns."""
    from fake_meetings.cli.serve import DECLARED

    declared = {option.flag: option for option in DECLARED}

    def table(match: re.Match[str]) -> str:
        rows = match["rows"].rstrip("\n").splitlines()
        if len(rows) < 3 or _cells(rows[0]) != ["option", "meaning"]:
            raise PluginError(f"{where}: an option table is | option | meaning |, then its rows")
        out = ["| option | environment variable | default | meaning |", "|---|---|---|---|"]
        for row in rows[2:]:
            cells = _cells(row)
            flag = FLAG.search(cells[0])
            option = declared.get(flag[0]) if flag else None
            if option is None or len(cells) != 2:
                raise PluginError(
                    f"{where}: {row!r}: expected | option | meaning | naming an option of "
                    f"serve: {', '.join(declared)}"
                )
            out.append(f"| {cells[0]} | {variable(option)} | {default(option)} | {cells[1]} |")
        return "\n".join(out) + "\n"

    return TABLE.sub(table, markdown)


def generator_options() -> str:
    from fake_meetings.cli.generate_options import SHAPE

    out = [
        "| option | `generate:` key | environment variable | default | meaning |",
        "|---|---|---|---|---|",
    ]
    for option in SHAPE:
        flag = f"`{option.flag} {option.metavar or option.dest.upper()}`"
        key = f"`{option.key}`" if option.key else "`start`, `end` (the window)"
        meaning = option.meaning + (f" ({option.bound})" if option.bound else "")
        out.append(
            f"| {flag} | {key} | {variable(option)} | {default(option)} | {_escaped(meaning)} |"
        )
    return "\n".join(out)
