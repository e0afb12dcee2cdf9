"""The one bound on how deeply JSON objects and lists may nest in what the fake reads: request
bodies (Daily routes and the control plane), the payload of a meeting token, scenario documents
(``yamldoc.py``).

Why a bound: orjson reads 1,024 levels but writes only 255, so a value read and kept (a room's
properties, a token's permissions) could be stored and then fail every answer that writes it.
64 levels is far more than any Daily body needs (a few) and far less than what can be written,
with room for the envelope an answer puts around a kept value.
"""

from __future__ import annotations

from typing import Any

from ..errors import invalid

MAX_DEPTH = 64  # nested objects and lists, the outermost one counted as 1


def too_deep(value: Any, limit: int = MAX_DEPTH) -> tuple[str | int, ...] | None:
    """The path of the first object or list in ``value`` nested deeper than ``limit`` levels,
    or None when there is none. Iterative: any depth is walked without recursion."""
    if not isinstance(value, dict | list):
        return None
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(value, 1, ())]
    while stack:
        node, depth, path = stack.pop()
        if depth > limit:
            return path
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in items:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1, (*path, key)))
    return None


def depth_info(what: str, path: tuple[str | int, ...] | None, *, named: bool = True) -> str:
    """The complaint about ``what`` (``body``, ``payload``) nested too deeply at ``path``
    (None: somewhere deeper than a reader goes); ``named``: it starts with ``what: ``."""
    where = ""
    if path is not None:
        shown = "".join(f"[{p}]" if isinstance(p, int) else f".{str(p)[:40]}" for p in path[:6])
        where = f" (at {what}{shown}{'...' if len(path) > 6 else ''})"
    prefix = f"{what}: " if named else ""
    return (
        f"{prefix}JSON objects and lists nested more than {MAX_DEPTH} levels deep{where}; "
        f"nest at most {MAX_DEPTH} levels"
    )


def is_depth_error(exc: ValueError) -> bool:
    """Whether orjson refused a text for its nesting (it reads at most 1,024 levels)."""
    return str(exc).startswith("depth limit exceeded")


def check_depth(value: Any, what: str) -> None:
    """A 400 (Daily's ``invalid-request-error``) when ``value`` nests too deeply."""
    deep = too_deep(value)
    if deep is not None:
        raise invalid(depth_info(what, deep))
