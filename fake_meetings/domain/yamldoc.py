"""Read a YAML document with the safe loader, keeping the line of every value.

``yaml.safe_load`` forgets where a value came from; scenario errors must name the line. This
module composes the node graph with the safe loader (libyaml's when available) and converts it
into plain Python values itself, recording ``path -> line`` on the way. Aliases are expanded
with a budget, so a "billion laughs" document is refused instead of eating the memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ALIAS_EXPANSION = 100_000
_PLAIN_TAGS = (
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
)  # values copied through aliases, in total


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


@dataclass
class Document:
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while True:
            line = self.lines.get(path)
            if line is not None or not path:
                return line
            path = path[:-1]


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def read_yaml(text: str) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = Document(None)
        if node is not None:
            doc.data = _Converter(loader, doc.lines).convert(node, ())
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None) from None
    except RecursionError:
        raise YamlSyntaxError("invalid YAML: the document is nested too deeply", None) from None
    finally:
        loader.dispose()


class _Converter:
    def __init__(self, loader: Any, lines: dict[Path, int]):
        self.loader = loader
        self.lines = lines
        self.sizes: dict[int, int] = {}  # id(node) -> values in its subtree (for alias budget)
        self.alias_budget = MAX_ALIAS_EXPANSION

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        seen = self.sizes.get(id(node))
        if seen is not None:  # the node is reached again: an alias
            self.alias_budget -= seen
            if self.alias_budget < 0:
                raise yaml.MarkedYAMLError(
                    problem="too many values copied through aliases (limit "
                    f"{MAX_ALIAS_EXPANSION}); write the values out instead",
                    problem_mark=node.start_mark,
                )
        before = len(self.lines)
        value = self._convert(node, path)
        self.sizes[id(node)] = max(1, len(self.lines) - before)
        return value

    def _convert(self, node: yaml.Node, path: Path) -> Any:
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise yaml.MarkedYAMLError(
                problem=f"tag {node.tag!r} is not allowed (plain YAML only)",
                problem_mark=node.start_mark,
            )
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # applies "<<" merge keys
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node)
                if not isinstance(key, str | int) or isinstance(key, bool):
                    raise yaml.MarkedYAMLError(
                        problem=f"mapping keys must be strings, not {key!r}",
                        problem_mark=key_node.start_mark,
                    )
                if key in out:
                    raise yaml.MarkedYAMLError(
                        problem=f"duplicate key {key!r} at {format_path(path)}",
                        problem_mark=key_node.start_mark,
                    )
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = self.convert(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node)
        except (ValueError, OverflowError) as exc:  # e.g. a timestamp with month 13
            raise yaml.MarkedYAMLError(
                problem=f"{node.value!r} cannot be read: {exc}", problem_mark=node.start_mark
            ) from None
