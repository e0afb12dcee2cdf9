"""Read a YAML document with the safe loader, keeping the line of every value.

``yaml.safe_load`` forgets where a value came from; scenario errors must name the line. This
module reads the parser's event stream (libyaml's when available) and builds plain Python
values itself, recording ``path -> line`` on the way, in one pass with no node graph: the work
and memory per byte stay small whatever the document holds. Scalars are resolved and
constructed by the safe loader's own rules (so ``1`` is an int and ``2024-06-01`` a date, as
with ``yaml.safe_load``); only plain mappings and sequences are allowed, merge keys (``<<``)
apply, explicit keys win over merged ones. Aliases are expanded with a budget, so a "billion
laughs" document is refused instead of eating the memory, and nesting is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ALIAS_EXPANSION = 100_000  # values copied through aliases, in total
MAX_DEPTH = 64  # nested mappings and sequences; a scenario needs five
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


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
        return _Reader(loader).read()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None) from None
    finally:
        loader.dispose()


def _error(problem: str, mark: Any) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=mark)


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = (
        "anchor",
        "first_line",
        "key",
        "merge_log",
        "merge_start",
        "merged",
        "path",
        "value",
    )

    def __init__(self, value: Any, path: Path, anchor: str | None, first_line: int):
        self.value = value
        self.path = path
        self.anchor = anchor
        self.first_line = first_line  # index into the reader's line log where this value began
        self.key: Any = _NO_KEY  # mappings: the key whose value comes next (or _MERGE)
        self.merged: list[dict[Any, Any]] | None = None  # the mappings of "<<", in order
        self.merge_start = 0  # where in the line log the value of "<<" began
        self.merge_log: list[tuple[Path, int]] = []  # its lines, logged after the own keys'


_NO_KEY = object()
_MERGE = object()  # the key "<<" (a merge) is pending


class _Reader:
    def __init__(self, loader: Any):
        self.loader = loader
        self.log: list[tuple[Path, int]] = []  # (path, line) in document order
        self.anchors: dict[str, tuple[Any, list[tuple[Path, int]]]] = {}  # value, relative lines
        self.budget = MAX_ALIAS_EXPANSION
        # constructed scalars (all immutable), by (tag, implicit, text)
        self.scalars: dict[tuple[str | None, tuple[bool, bool], str], Any] = {}

    def read(self) -> Document:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            loader.get_event()
            return Document(None)
        loader.get_event()  # document start
        root = self._value()
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise _error("expected a single document in the stream", event.start_mark)
        lines: dict[Path, int] = {}
        for path, line in self.log:
            lines.setdefault(path, line)
        return Document(root, lines)

    # one value, iteratively (no recursion: depth is bounded by MAX_DEPTH, not the C stack)
    def _value(self) -> Any:
        loader = self.loader
        stack: list[_Frame] = []
        path: Path = ()
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                value = frame.value
                if frame.merged:
                    value = self._merge(frame)
                    self.log.extend(frame.merge_log)  # after the own keys: those lines win
                if frame.anchor is not None:
                    self._remember(frame.anchor, value, frame.path, frame.first_line)
            else:
                if stack:
                    top = stack[-1]
                    if type(top.value) is list:
                        path = (*top.path, len(top.value))
                    elif top.key is _NO_KEY:  # a mapping key
                        self._key(top, event)
                        continue
                    elif top.key is _MERGE:  # merged keys land in this very mapping
                        path = top.path
                    else:
                        path = (*top.path, top.key)
                self.log.append((path, event.start_mark.line + 1))
                if kind is yaml.ScalarEvent:
                    value = self._scalar(event)
                    if event.anchor is not None:
                        self._remember(event.anchor, value, path, len(self.log) - 1)
                elif kind is yaml.AliasEvent:
                    value = self._alias(event, path)
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise _error(
                            f"the document is nested too deeply (more than {MAX_DEPTH} levels)",
                            event.start_mark,
                        )
                    self._check_tag(event, _MAP if kind is yaml.MappingStartEvent else _SEQ)
                    container: Any = {} if kind is yaml.MappingStartEvent else []
                    stack.append(_Frame(container, path, event.anchor, len(self.log) - 1))
                    continue
            if not stack:
                return value
            top = stack[-1]
            if type(top.value) is list:
                top.value.append(value)
            elif top.key is _MERGE:
                self._add_merge(top, value)
            else:
                top.value[top.key] = value
                top.key = _NO_KEY

    def _key(self, frame: _Frame, event: Any) -> None:
        """``event`` starts a key of the mapping ``frame`` is building."""
        if type(event) is yaml.AliasEvent:
            key = self._alias(event, frame.path)
        elif type(event) is yaml.ScalarEvent:
            if event.tag is None and event.implicit[0] and event.value == "<<":
                frame.key, frame.merge_start = _MERGE, len(self.log)
                return
            key = self._scalar(event)
        else:
            raise _error("mapping keys must be strings, not collections", event.start_mark)
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise _error(f"mapping keys must be strings, not {key!r}", event.start_mark)
        if key in frame.value:
            raise _error(f"duplicate key {key!r} at {format_path(frame.path)}", event.start_mark)
        frame.key = key
        self.log.append(((*frame.path, key), event.start_mark.line + 1))

    def _scalar(self, event: Any) -> Any:
        found = self.scalars.get((event.tag, event.implicit, event.value), _NO_KEY)
        if found is not _NO_KEY:
            return found
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        constructors = self.loader.yaml_constructors
        construct = constructors.get(tag) or constructors[None]
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = construct(self.loader, node)
        except (ValueError, OverflowError) as exc:  # e.g. a timestamp with month 13
            raise _error(f"{event.value!r} cannot be read: {exc}", event.start_mark) from None
        self.scalars[(event.tag, event.implicit, event.value)] = value
        return value

    def _check_tag(self, event: Any, plain: str) -> None:
        if event.tag is not None and event.tag != "!" and event.tag != plain:
            raise _error(f"tag {event.tag!r} is not allowed (plain YAML only)", event.start_mark)

    def _remember(self, anchor: str, value: Any, path: Path, first_line: int) -> None:
        depth = len(path)
        relative = [(p[depth:], line) for p, line in self.log[first_line:]]
        self.anchors[anchor] = (value, relative)

    def _alias(self, event: Any, path: Path) -> Any:
        """The anchored value again (shared: values are only read), with its lines at
        ``path``; every value copied counts against the alias budget."""
        found = self.anchors.get(event.anchor)
        if found is None:
            raise _error(f"found undefined alias {event.anchor!r}", event.start_mark)
        value, relative = found
        self.budget -= max(1, len(relative))
        if self.budget < 0:
            raise _error(
                f"too many values copied through aliases (limit {MAX_ALIAS_EXPANSION}); "
                "write the values out instead",
                event.start_mark,
            )
        self.log.extend(((*path, *p), line) for p, line in relative)
        return value

    def _add_merge(self, frame: _Frame, value: Any) -> None:
        """The value of a ``<<`` key: a mapping, or a list of mappings (earlier ones win)."""
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(source, dict) for source in sources):
            line = self.log[frame.merge_start][1] if len(self.log) > frame.merge_start else None
            raise YamlSyntaxError(
                "invalid YAML: the value of << must be a mapping or a list of mappings", line
            )
        frame.merged = (frame.merged or []) + sources
        frame.merge_log += [
            (p, line) for p, line in self.log[frame.merge_start :] if p != frame.path
        ]
        del self.log[frame.merge_start :]
        frame.key = _NO_KEY

    def _merge(self, frame: _Frame) -> dict[Any, Any]:
        """Keys written in the mapping win over merged ones; among merged, the first wins."""
        out: dict[Any, Any] = {}
        for source in frame.merged or ():
            for key, value in source.items():
                out.setdefault(key, value)
        out.update(frame.value)
        return out
