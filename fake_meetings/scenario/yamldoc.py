"""Read a YAML document with the safe loader, keeping the line of every value.

``yaml.safe_load`` forgets where a value came from; scenario errors must name the line. This
module reads the parser's event stream (libyaml's when available) and builds plain Python
values itself, recording ``path -> line`` on the way, in one pass with no node graph: the work
and memory per byte stay small whatever the document holds. Scalars are resolved and
constructed by the safe loader's own rules (so ``1`` is an int and ``2024-06-01`` a date, as
with ``yaml.safe_load``); only plain mappings and sequences are allowed, merge keys (``<<``)
apply, explicit keys win over merged ones. Aliases are expanded with a budget, so a "billion
laughs" document is refused instead of eating the memory, and nesting is bounded. An anchor
is remembered as a span of the line log, copied only when an alias uses it (and charged to the
budget), so nested anchors cost no more than the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from ..domain.nesting import MAX_DEPTH  # nested mappings and sequences; a scenario needs five

Path = tuple[str | int, ...]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ALIAS_EXPANSION = 100_000  # values copied through aliases, in total
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# tags the safe loader builds collections for: on a scalar they are refused
_COLLECTION_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "set", "omap", "pairs")
)


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
        problem = _tab_problem(text, exc) or f"invalid YAML: {exc.problem or exc}"
        raise YamlSyntaxError(problem, line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None) from None
    finally:
        loader.dispose()


def _tab_problem(text: str, exc: yaml.MarkedYAMLError) -> str | None:
    """PyYAML's words for a tab ("found character that cannot start any token", "found a tab
    character that violates indentation") named plainly, with its column and the fix; None when
    the problem is not a tab."""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.splitlines()
    row = lines[mark.line] if mark.line < len(lines) else ""
    if row[mark.column : mark.column + 1] == "\t":
        column = mark.column
    elif "tab" in (exc.problem or "") and "\t" in row:
        column = row.index("\t")
    else:
        return None
    return (
        f"invalid YAML: a tab character at column {column + 1}: YAML indents with spaces only; "
        "replace the tab with spaces"
    )


def _error(problem: str, mark: Any) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=mark)


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = (
        "anchor",
        "first_line",
        "key",
        "merge_start",
        "merged",
        "merging",
        "path",
        "rank",
        "value",
    )

    def __init__(self, value: Any, path: Path, anchor: str | None, first_line: int, rank: int):
        self.value = value
        self.path = path
        self.anchor = anchor
        self.first_line = first_line  # index into the reader's line log where this value began
        self.rank = rank  # how many merges deep its lines are (see _Reader.log)
        self.merging = False  # a sequence that is the value of "<<": its items merge into path
        self.key: Any = _NO_KEY  # mappings: the key whose value comes next (or _MERGE)
        self.merged: list[dict[Any, Any]] | None = None  # the mappings of "<<", in order
        self.merge_start = 0  # where in the line log the value of "<<" began

    def child_rank(self) -> int:
        """The rank of the lines of the value this frame receives next."""
        return self.rank + 1 if self.key is _MERGE else self.rank


_NO_KEY = object()
_MERGE = object()  # the key "<<" (a merge) is pending


class _Anchor(NamedTuple):
    value: Any
    start: int  # its lines are the reader's log[start:end]
    end: int
    depth: int  # the length of the path it was written at
    rank: int


class _Reader:
    def __init__(self, loader: Any):
        self.loader = loader
        # (path, line, rank) in document order, only ever appended to (an anchor is a span of
        # it). rank: how many merges deep the line was written; a path takes the line of its
        # lowest rank, so keys written in a mapping win over merged ones, and the first merged
        # over later ones
        self.log: list[tuple[Path, int, int]] = []
        self.anchors: dict[str, _Anchor] = {}
        self.merges = False  # whether a "<<" was seen (else every rank is 0)
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
        return Document(root, self._lines())

    def _lines(self) -> dict[Path, int]:
        """path -> line: the first line of the lowest rank."""
        lines: dict[Path, int] = {}
        if not self.merges:  # every rank is 0
            for path, line, _ in self.log:
                lines.setdefault(path, line)
            return lines
        ranks: dict[Path, int] = {}
        for path, line, rank in self.log:
            if rank < ranks.get(path, rank + 1):
                lines[path] = line
                ranks[path] = rank
        return lines

    # one value, iteratively (no recursion: depth is bounded by MAX_DEPTH, not the C stack)
    def _value(self) -> Any:
        loader = self.loader
        stack: list[_Frame] = []
        path: Path = ()
        rank = 0
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                value = self._merge(frame) if frame.merged else frame.value
                if frame.anchor is not None:
                    self._remember(frame.anchor, value, frame.path, frame.first_line, frame.rank)
            else:
                if stack:
                    top = stack[-1]
                    if type(top.value) is list:  # merged items land in the mapping itself
                        path = top.path if top.merging else (*top.path, len(top.value))
                    elif top.key is _NO_KEY:  # a mapping key
                        self._key(top, event)
                        continue
                    elif top.key is _MERGE:  # merged keys land in this very mapping
                        path = top.path
                    else:
                        path = (*top.path, top.key)
                    rank = top.child_rank()
                self.log.append((path, event.start_mark.line + 1, rank))
                if kind is yaml.ScalarEvent:
                    value = self._scalar(event)
                    if event.anchor is not None:
                        self._remember(event.anchor, value, path, len(self.log) - 1, rank)
                elif kind is yaml.AliasEvent:
                    merging = bool(stack) and stack[-1].key is _MERGE
                    value = self._alias(event, path, rank, merging=merging)
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise _error(
                            f"the document is nested too deeply (more than {MAX_DEPTH} levels)",
                            event.start_mark,
                        )
                    mapping = kind is yaml.MappingStartEvent
                    self._check_tag(event, _MAP if mapping else _SEQ)
                    frame = _Frame(
                        {} if mapping else [], path, event.anchor, len(self.log) - 1, rank
                    )
                    frame.merging = not mapping and bool(stack) and stack[-1].key is _MERGE
                    stack.append(frame)
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
            key = self._anchored(event, 1).value
        elif type(event) is yaml.ScalarEvent:
            if event.value == "<<" and (
                (event.tag is None and event.implicit[0]) or event.tag == _MERGE_TAG
            ):
                frame.key, frame.merge_start = _MERGE, len(self.log)
                self.merges = True
                return
            key = self._scalar(event)
        else:
            raise _error("mapping keys must be strings, not collections", event.start_mark)
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise _error(f"mapping keys must be strings, not {key!r}", event.start_mark)
        if key in frame.value:
            raise _error(f"duplicate key {key!r} at {format_path(frame.path)}", event.start_mark)
        frame.key = key
        path = (*frame.path, key)
        self.log.append((path, event.start_mark.line + 1, frame.rank))
        if type(event) is yaml.ScalarEvent and event.anchor is not None:
            self._remember(event.anchor, key, path, len(self.log) - 1, frame.rank)

    def _scalar(self, event: Any) -> Any:
        found = self.scalars.get((event.tag, event.implicit, event.value), _NO_KEY)
        if found is not _NO_KEY:
            return found
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        elif tag in _COLLECTION_TAGS:
            raise _error(f"tag {tag!r} is not allowed on a scalar", event.start_mark)
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

    def _remember(self, anchor: str, value: Any, path: Path, first_line: int, rank: int) -> None:
        self.anchors[anchor] = _Anchor(value, first_line, len(self.log), len(path), rank)

    def _anchored(self, event: Any, copies: int) -> _Anchor:
        """The anchor an alias names, ``copies`` values charged to the alias budget."""
        found = self.anchors.get(event.anchor)
        if found is None:
            raise _error(f"found undefined alias {event.anchor!r}", event.start_mark)
        self.budget -= max(1, copies or found.end - found.start)
        if self.budget < 0:
            raise _error(
                f"too many values copied through aliases (limit {MAX_ALIAS_EXPANSION}); "
                "write the values out instead",
                event.start_mark,
            )
        return found

    def _alias(self, event: Any, path: Path, rank: int, *, merging: bool) -> Any:
        """The anchored value again (shared: values are only read), with its lines copied to
        ``path``; every line copied counts against the alias budget. ``merging``: the value of
        "<<", whose items (when it is a list) merge into ``path`` too."""
        anchor = self._anchored(event, 0)
        depth = anchor.depth + 1 if merging and type(anchor.value) is list else anchor.depth
        log, shift = self.log, rank - anchor.rank
        for i in range(anchor.start, anchor.end):
            written, line, written_rank = log[i]
            log.append(((*path, *written[depth:]), line, written_rank + shift))
        return anchor.value

    def _add_merge(self, frame: _Frame, value: Any) -> None:
        """The value of a ``<<`` key: a mapping, or a list of mappings (earlier ones win)."""
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(source, dict) for source in sources):
            line = self.log[frame.merge_start][1] if len(self.log) > frame.merge_start else None
            raise YamlSyntaxError(
                "invalid YAML: the value of << must be a mapping or a list of mappings", line
            )
        frame.merged = (frame.merged or []) + sources
        frame.key = _NO_KEY

    def _merge(self, frame: _Frame) -> dict[Any, Any]:
        """Keys written in the mapping win over merged ones; among merged, the first wins."""
        out: dict[Any, Any] = {}
        for source in frame.merged or ():
            for key, value in source.items():
                out.setdefault(key, value)
        out.update(frame.value)
        return out
