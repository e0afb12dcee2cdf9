"""MkDocs hooks (``hooks:`` in mkdocs.yml): reference pages generated from the code at build
time, so they cannot drift from it.

A page asks for generated text with an HTML comment alone on a line, which the hook replaces:

- ``<!-- generate: cli-synopsis -->``: the usage line of every command, from the argparse
  parser ``fake-meetings`` runs (``fake_meetings.cli.build_parser``);
- ``<!-- generate: cli-command NAME -->``: one command's description, its options (grouped as
  ``--help`` groups them, with their defaults and environment variables) and its epilog;
- ``<!-- generate: daily-routes -->``: every Daily route from the OpenAPI document the server
  serves at ``/_fake/openapi.json`` (``fake_meetings.api.openapi.document.document``), with its
  parameters, body fields and answers;
- ``<!-- generate: option-table -->`` before a table of options, and ``<!-- generate:
  generator-options -->``: tables of ``serve``'s and the generator's options, their variables
  and defaults from the options' declarations (``mkdocs_options.py``);
- ``<!-- generate: control-plane-routes -->``: every ``/_fake/`` route the server registers,
  read from its router, each linked to the page's section about it. The build fails when a
  route has no section (a heading naming ``METHOD /_fake/path``) or a section names a route the
  server does not have.

An unknown ``generate:`` name fails the build too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs_options import generator_options, option_tables  # beside this file

MARKER = re.compile(r"^<!-- generate: (?P<what>[\w-]+)(?: (?P<arg>[\w-]+))? -->$", re.MULTILINE)
WIDTH = "100"  # argparse wraps usage lines at $COLUMNS


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        what, arg = match["what"], match["arg"]
        if what == "cli-synopsis":
            return cli_synopsis()
        if what == "cli-command" and arg:
            return cli_command(arg)
        if what == "daily-routes":
            return daily_routes()
        if what == "control-plane-routes":
            return control_plane_routes(markdown)
        if what == "generator-options":
            return generator_options()
        raise PluginError(f"{page.file.src_path}: unknown generated block {match[0]}")

    return MARKER.sub(replace, option_tables(markdown, page.file.src_path))


# ---------------------------------------------------------------------------------------------
# The command line


def _parser() -> argparse.ArgumentParser:
    from fake_meetings.cli import build_parser

    return build_parser()


def _commands() -> dict[str, argparse.ArgumentParser]:
    for action in _parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise PluginError("the fake-meetings parser has no commands")


def _wide(fn: Any) -> str:
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        return str(fn())
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def _usage(parser: argparse.ArgumentParser) -> str:
    """The usage text without its ``usage: `` (continuation lines moved left as far)."""
    prefix = "usage: "
    lines = _wide(parser.format_usage).rstrip().splitlines()
    return "\n".join(
        [lines[0].removeprefix(prefix)]
        + [line.removeprefix(" " * len(prefix)) for line in lines[1:]]
    )


def cli_synopsis() -> str:
    usages = [_usage(sub) for sub in _commands().values()]
    return "```text\n" + "\n".join(usages) + "\n```"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def cli_command(name: str) -> str:
    commands = _commands()
    if name not in commands:
        raise PluginError(f"no command {name!r} (commands: {', '.join(commands)})")
    sub = commands[name]
    formatter = sub._get_formatter()
    out = [f"```text\n{_usage(sub)}\n```", ""]
    if sub.description:
        out += [sub.description, ""]
    for group in sub._action_groups:
        actions = [a for a in group._group_actions if not isinstance(a, argparse._HelpAction)]
        if not actions:
            continue
        title = "arguments" if group.title == "positional arguments" else group.title
        out += [f"**{_cell(title or 'options')}**", "", "| option | meaning |", "|---|---|"]
        for action in actions:
            default = (
                formatter._get_default_metavar_for_optional(action)
                if action.option_strings
                else formatter._get_default_metavar_for_positional(action)
            )
            metavar = formatter._format_args(action, default)
            if action.option_strings:
                names = ", ".join(
                    f"`{flag} {metavar}`" if action.nargs != 0 else f"`{flag}`"
                    for flag in action.option_strings
                )
            else:
                names = f"`{metavar}`"
            meaning = formatter._expand_help(action) if action.help else ""
            out.append(f"| {names} | {_cell(meaning)} |")
        out.append("")
    if sub.epilog:
        out += [_cell(sub.epilog), ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The Daily routes, from the OpenAPI document


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "enum" in schema:
        return " or ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    given = schema.get("type", "any")
    kind = " or ".join(given) if isinstance(given, list) else str(given)
    bounds = []
    if "minimum" in schema:
        bounds.append(f"≥ {schema['minimum']}")
    if "maximum" in schema:
        bounds.append(f"≤ {schema['maximum']}")
    if "maxLength" in schema:
        bounds.append(f"{schema.get('minLength', 0)} to {schema['maxLength']} characters")
    elif schema.get("minLength") == 1:
        bounds.append("not empty")
    elif "minLength" in schema:
        bounds.append(f"at least {schema['minLength']} characters")
    if "pattern" in schema:
        bounds.append(f"`{schema['pattern']}`")
    return kind + (f" ({', '.join(bounds)})" if bounds else "")


def daily_routes() -> str:
    from fake_meetings.api.openapi.document import document
    from fake_meetings.config import ServerConfig

    doc = document(ServerConfig())
    out: list[str] = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            out += [f"### `{method.upper()} /v1{path}`", "", op.get("summary", "") + ".", ""]
            if op.get("description"):
                out += [op["description"], ""]
            params = op.get("parameters", [])
            if params:
                out += ["| parameter | in | type | meaning |", "|---|---|---|---|"]
                for p in params:
                    out.append(
                        f"| `{p['name']}` | {p['in']} | {_cell(_type(p.get('schema', {})))} "
                        f"| {_cell(p.get('description', ''))} |"
                    )
                out.append("")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = body.get("schema", {})
            if "$ref" in schema:
                schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
            props = schema.get("properties", {})
            if props:
                required = set(schema.get("required", ()))
                out += ["| body field | type | meaning |", "|---|---|---|"]
                for field, spec in props.items():
                    name = f"`{field}`" + (" (required)" if field in required else "")
                    out.append(
                        f"| {name} | {_cell(_type(spec))} | {_cell(spec.get('description', ''))} |"
                    )
                out.append("")
            out += ["| answer | when |", "|---|---|"]
            for status, resp in op.get("responses", {}).items():
                out.append(f"| {status} | {_cell(resp.get('description', ''))} |")
            out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The control plane, from the server's router

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HEADING = re.compile(r"^#+ .*`(?:GET|POST|PUT|PATCH|DELETE) /_fake/", re.MULTILINE)
ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/_fake/[^`?\s]*)")


def _fake_routes() -> list[tuple[str, str]]:
    from fake_meetings.api.app import create_app
    from fake_meetings.domain.clock import Clock
    from fake_meetings.domain.world import World

    app = create_app(World((), Clock(None)))
    found = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if path.startswith("/_fake/") and route.method in METHODS:  # HEAD comes with GET
            found.add((route.method, path))
    return sorted(found, key=lambda r: (r[1], METHODS.index(r[0])))


def _anchor(heading: str) -> str:
    """The id MkDocs gives a heading (Python-Markdown's toc slugify, on its text)."""
    from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

    return str(slugify(heading.replace("`", ""), "-"))


def control_plane_routes(markdown: str) -> str:
    sections: dict[tuple[str, str], tuple[str, str]] = {}  # route -> (anchor, its part)
    part = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            part = line[3:].strip()
        elif HEADING.match(line):
            heading = line.lstrip("#").strip()
            for method, path in ROUTE.findall(heading):
                sections[(method, path)] = (_anchor(heading), part)
    routes = _fake_routes()
    missing = [f"{m} {p}" for m, p in routes if (m, p) not in sections]
    extra = [f"{m} {p}" for m, p in sections if (m, p) not in set(routes)]
    if missing or extra:
        raise PluginError(
            "control-plane reference out of date: "
            + (f"no section for {', '.join(missing)}" if missing else "")
            + ("; " if missing and extra else "")
            + (f"sections for routes the server does not have: {', '.join(extra)}" if extra else "")
        )
    out = ["| route | part |", "|---|---|"]
    for method, path in routes:
        anchor, where = sections[(method, path)]
        out.append(f"| [`{method} {path}`](#{anchor}) | {where} |")
    return "\n".join(out)
