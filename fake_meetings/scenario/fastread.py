"""Read the common forms of a scenario file fast, with no line numbers: exactly the values the
line-tracking reader (``yamldoc.read_yaml``) gives, or :data:`UNREAD` when unsure.

:func:`read_fast` never guesses. Whatever is outside the forms it knows (anchors, aliases, tags,
merge keys, block scalars, multi-line values, tabs, comments after a flow collection, a
duplicate key, a character YAML would refuse, ...) makes it answer :data:`UNREAD`, and the
caller reads the text with ``read_yaml``, which applies every rule and names lines. Since a
text it reads has no aliases, the alias budget never applies; nesting stays far below
``yamldoc.MAX_DEPTH``.

- JSON (the text starts with ``{``): ``orjson.loads``, accepted when the JSON and YAML readings
  agree: every ``:`` of the text separates a key from its value and follows the key's closing
  quote (so no key is given twice, and none spans lines), no floats, keys or nesting beyond
  what the YAML reader takes outside ``sessions`` (where validation accepts only known keys and
  no floats), no surrogate escapes, only characters YAML accepts.
- YAML (the rest): block mappings and sequences, one value per line, read line by line; plain
  scalars resolved by the safe loader's own rules (``-2h`` is a string, ``2024-06-01`` a date,
  ``0x1F`` an int, ``yes`` a bool); quoted strings. The flow collections on those lines
  (``- {participant_id: "p1", join_time: 1717236000, duration: 60}``) are turned into JSON all
  at once and read with one ``orjson.loads`` (see ``_as_json``): flat mappings of keys of
  letters, digits and ``_`` to double-quoted strings without escapes, integers, ``null``,
  ``true`` and ``false``, or lists of at most one of those. The few other flow collections are
  found by halving and each read alone by ``read_yaml``; many of them send the whole text there.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any, Final

import orjson
import yaml

UNREAD: Final[Any] = object()  # read_fast could not vouch for a reading: use read_yaml
_MAX_DEPTH = 48  # nesting of blocks (and of JSON) read here; read_yaml allows 64
_MAX_FLOW_DEPTH = 8  # nesting of a flow collection in a block
_MAX_KEY = 128  # characters of a JSON key; YAML refuses a key over 1024 characters of text
_ASCII_OK = bytes(range(0x20, 0x7F)) + b"\n"
_JSON_START = re.compile(r"[ \n]*\{").match
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]").search

# one line of the block structure: indent, "- ", "key:", the rest
_LINE = re.compile(r"( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_]*):(?: +|$))?(.*)").match
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").fullmatch
_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +|$)(.*)").match  # _LINE's key and rest
_DOUBLE = re.compile(r'"([^"\\]*)" *(?: #.*)?').fullmatch
_SINGLE = re.compile(r"'((?:[^']|'')*)' *(?: #.*)?").fullmatch
_WORD = r"[A-Za-z0-9_./+~]|[^\x00-\x7f]"
_PLAIN = re.compile(
    rf"((?:{_WORD}|-(?=[^ ]))(?:{_WORD}|[-,()'@]|:(?=[^ ])| (?=[^ #]))*) *(?: #.*)?"
).fullmatch
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,17})").fullmatch


class _Unsure(Exception):
    pass


def read_fast(text: str) -> Any:
    """The data ``read_yaml(text).data`` is, or :data:`UNREAD`."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if not _printable(text):
        return UNREAD
    try:
        return _json(text) if _JSON_START(text) else _Yaml().read(text)
    except _Unsure:
        return UNREAD


def _printable(text: str) -> bool:
    """Only characters YAML reads as themselves (no tabs, no other line breaks than \\n)."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _ASCII_OK)
    return text.replace("\n", "").isprintable()


def _json(text: str) -> Any:
    if "\\u" in text and _SURROGATE_ESCAPE(text):
        raise _Unsure
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise _Unsure from None
    colons = text.count(":")
    if type(data) is not dict or text.count('":') != colons or _json_pairs(data) != colons:
        raise _Unsure
    return data


def _json_pairs(data: dict[str, Any]) -> int:
    """The key-value pairs of ``data``. Sessions and participants are counted only (validation
    refuses floats and unknown keys there; an uncounted pair just means UNREAD); the rest is
    walked for what YAML reads otherwise."""
    sessions = data.get("sessions")
    pairs = len(data)
    if type(sessions) is list:
        for session in sessions:
            if type(session) is dict:
                pairs += len(session)
                stays = session.get("participants")
                if type(stays) is list:
                    pairs += sum([len(p) for p in stays if type(p) is dict])
    for key, value in data.items():
        if key != "sessions":
            pairs += _walk(value, 1)
    return pairs


def _walk(value: Any, depth: int) -> int:
    """The pairs in ``value``; _Unsure at a float, a long key or deep nesting."""
    kind = type(value)
    if kind is float or depth > _MAX_DEPTH:
        raise _Unsure
    if kind is dict:
        if any(len(key) > _MAX_KEY for key in value):
            raise _Unsure
        return len(value) + sum([_walk(item, depth + 1) for item in value.values()])
    if kind is list:
        return sum([_walk(item, depth + 1) for item in value])
    return 0


class _Yaml:
    def __init__(self) -> None:
        self.loader: Any = yaml.SafeLoader("")
        self.plain: dict[str, Any] = {"null": None, "true": True, "false": False}
        self.keys: set[str] = set()  # keys known to read as themselves
        self.flows: list[str] = []  # flow collections, read at the end
        self.slots: list[tuple[Any, Any]] = []  # (container, key or index) of each

    def read(self, text: str) -> Any:
        root: dict[str, Any] = {}
        stack: list[tuple[int, Any]] = [(0, root)]  # (column, mapping or sequence)
        pending: tuple[dict[str, Any], str, int] | None = None  # a key whose block comes next
        flows, slots = self.flows, self.slots
        # "<indent>- {" of the last line that was a flow mapping item of the sequence `items`;
        # the lines after it that start alike are items of it too (the stack is unchanged)
        item_head, cut = "\n", 0
        items: list[Any] = []
        # likewise the indent of the last line that was `key: value` in the mapping `entries`:
        # a line with a key right after that indent is another entry of it
        key_head = "\n"
        entries: dict[str, Any] = {}
        for line in text.split("\n"):
            if line.startswith(item_head):
                rest = line[cut:]
                if rest != "{}":
                    flows.append(rest)
                    slots.append((items, len(items)))
                items.append({} if rest == "{}" else None)
                continue
            if line.startswith(key_head):
                m = _ENTRY(line, len(key_head))
                if m is not None and m[2] and m[2][0] != "#":
                    key, rest = m.groups()
                    if key in entries:
                        raise _Unsure
                    if key not in self.keys:
                        self._check_key(key)
                    self._value(entries, key, rest)
                    continue
            item_head = key_head = "\n"
            m = _LINE(line)
            assert m is not None  # every part is optional
            spaces, dash, key, rest = m.groups()
            if dash is None and key is None and (not rest or rest[0] == "#"):
                continue  # blank or comment
            col = len(spaces)
            if pending is not None:
                mapping, pending_key, pending_col = pending
                pending = None
                if col > pending_col or (col == pending_col and dash):
                    block: Any = [] if dash else {}
                    mapping[pending_key] = block
                    stack.append((col, block))
                    if len(stack) > _MAX_DEPTH:
                        raise _Unsure
            top_col, top = stack[-1]
            while top_col > col or (top_col == col and (type(top) is list) != bool(dash)):
                stack.pop()
                if not stack:
                    raise _Unsure
                top_col, top = stack[-1]
            if top_col != col:
                raise _Unsure
            if dash:
                if key is None:  # an item on its line
                    if not rest or rest[0] == "#":
                        raise _Unsure
                    self._value(top, len(top), rest)
                    if rest[0] == "{" and dash == "- ":
                        item_head, items, cut = f"{spaces}- {{", top, col + 2
                    continue
                item: dict[str, Any] = {}
                top.append(item)
                col += len(dash)
                stack.append((col, item))
                top = item
            if key is None or key in top:
                raise _Unsure  # a lone scalar, or a key given twice
            if key not in self.keys:
                self._check_key(key)
            if not rest or rest[0] == "#":
                top[key] = None
                pending = (top, key, col)
            else:
                self._value(top, key, rest)
                key_head, entries = " " * col, top
        if not root:
            raise _Unsure  # an empty document is null
        if self.flows:
            self._read_flows()
        return root

    def _check_key(self, key: str) -> None:
        """A key (of a block, or cut out of a flow collection by _as_json) must be a word that
        reads as itself: ``{ a: 1}`` cuts out " a", and ``on:`` is the key True."""
        if len(key) > _MAX_KEY or not _KEY(key) or self._plain(key) != key:
            raise _Unsure
        self.keys.add(key)

    def _value(self, container: Any, slot: Any, rest: str) -> None:
        first = rest[0]
        value: Any
        if first == '"' and rest[-1] == '"' and rest.count('"') == 2 and "\\" not in rest:
            value = rest[1:-1]  # what _DOUBLE reads, without the regex
        elif rest.isdigit() and rest.isascii() and (first != "0" or rest == "0") and len(rest) < 19:
            value = int(rest)  # what _plain reads (0123 is octal)
        elif rest == "[]" or rest == "{}":
            value = [] if first == "[" else {}
        elif first == "{" or first == "[":
            self.flows.append(rest)
            self.slots.append((container, slot))
            value = None
        elif first == '"':
            m = _DOUBLE(rest)
            if m is None:
                raise _Unsure
            value = m[1]
        elif first == "'":
            m = _SINGLE(rest)
            if m is None:
                raise _Unsure
            value = m[1].replace("''", "'")
        else:
            m = _PLAIN(rest)
            if m is None:
                raise _Unsure
            value = self._plain(m[1])
        if type(container) is list:
            container.append(value)
        else:
            container[slot] = value

    def _plain(self, text: str) -> Any:
        """A plain scalar by the safe loader's rules (``yamldoc._Reader._scalar``)."""
        found = self.plain.get(text, UNREAD)
        if found is not UNREAD:
            return found
        if _DECIMAL(text):
            return int(text)
        loader = self.loader
        tag = loader.resolve(yaml.ScalarNode, text, (True, False))
        construct = loader.yaml_constructors.get(tag) or loader.yaml_constructors[None]
        try:
            value = construct(loader, yaml.ScalarNode(tag, text))
        except (ValueError, OverflowError, yaml.YAMLError):
            raise _Unsure from None
        self.plain[text] = value
        return value

    def _read_flows(self) -> None:
        """Every flow collection, read as one JSON text where possible (see _as_json); a part
        of them that is not is halved until the odd ones out are found and read alone. The
        halving may re-read about three times the flows in all, then the text is UNREAD (when
        many are odd, read_yaml reading it all is faster)."""
        flows, slots = self.flows, self.slots
        todo, budget = [(0, len(flows))], 3 * len(flows)
        while todo:
            start, end = todo.pop()
            found = _as_json(flows[start:end])
            if found is None:
                budget -= end - start
                if budget < 0:
                    raise _Unsure
            if found is None and end - start > 1:
                middle = (start + end) // 2
                todo += [(start, middle), (middle, end)]
                continue
            values, keys = found if found is not None else _alone(flows[start])
            for key in keys - self.keys:
                self._check_key(key)
            for (container, slot), value in zip(slots[start:end], values, strict=True):
                container[slot] = value


_SCALARS = frozenset({str, int, bool, type(None)})


def _as_json(flows: list[str]) -> tuple[list[Any], set[str]] | None:
    """The flow collections ``flows`` as JSON reads them once their keys are quoted, and
    their keys; or None
    unless that is surely what YAML reads too.

    Each is a flat mapping ``{key: value, ...}`` of scalars, or a list of at most one scalar or
    flat mapping. With the double-quoted strings (no escapes) cut out, a quote goes after every
    ``{`` and ``, `` and before every ``: ``. When orjson then reads one value per collection,
    every key was delimited by those quotes (an original string next to one breaks the JSON),
    so it is the plain scalar YAML reads there (the caller checks it reads as itself); the
    values are strings, ints, true, false and null, read alike, or a float or container, which
    is refused here; a key given twice (JSON keeps the last) shows as fewer pairs than ``: ``.
    """
    joined = ",".join(flows)  # not ", ": quotes go after every "{" and ", "
    pieces = joined.split('"')
    if len(pieces) % 2 == 0 or "\\" in joined:
        return None
    outside = "\x00".join(pieces[0::2])
    quoted = outside.replace("{", '{"').replace(", ", ', "').replace(": ", '": ')
    pieces[0::2] = quoted.split("\x00")
    try:
        values: list[Any] = orjson.loads("[" + '"'.join(pieces) + "]")
    except orjson.JSONDecodeError:
        return None
    if len(values) != len(flows):
        return None
    maps = [value for value in values if type(value) is dict]
    if len(maps) < len(values):  # lists of at most one item
        lists = [value for value in values if type(value) is list]
        if len(maps) + len(lists) < len(values) or any(len(v) > 1 for v in lists):
            return None
        items = list(chain.from_iterable(lists))
        maps += [item for item in items if type(item) is dict]
        if not _SCALARS.issuperset(map(type, [i for i in items if type(i) is not dict])):
            return None
    if not _SCALARS.issuperset(map(type, chain.from_iterable(map(dict.values, maps)))):
        return None
    if sum(map(len, maps)) != outside.count(": "):
        return None  # a key given twice
    return values, set().union(*maps)


def _alone(flow: str) -> tuple[list[Any], set[str]]:
    """One flow collection read by the YAML reader itself (its keys need no check), not nested
    deeper than allowed here, with no anchor or alias (read alone, each would get an alias
    budget of its own)."""
    from .yamldoc import YamlSyntaxError, read_yaml

    if "&" in flow or "*" in flow:
        raise _Unsure
    try:
        value = read_yaml(flow).data
    except YamlSyntaxError:
        raise _Unsure from None
    _flow_pairs(value, set(), 1)
    return [value], set()


def _flow_pairs(value: Any, keys: set[str], depth: int) -> int:
    """The pairs in a flow collection, its keys added to ``keys``; not too deep."""
    if depth > _MAX_FLOW_DEPTH:
        raise _Unsure
    if type(value) is dict:
        keys.update(value)
        return len(value) + sum([_flow_pairs(item, keys, depth + 1) for item in value.values()])
    if type(value) is list:
        return sum([_flow_pairs(item, keys, depth + 1) for item in value])
    return 0
