"""The document's ``paths``, made from the route table: each route's operation, found by the
``operationId`` the route names among the families' ``OPERATIONS``, under the route's path and
method, in the table's order.

Nothing else puts an operation in the document, so it lists exactly the routes the server
has. A route naming an operation no family builds, two routes naming one operation, or an
operation no route names is an :class:`UndescribedRoutes` naming each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..daily.route import Route
from .parts import Context, Operation, Operations, Schema


class UndescribedRoutes(Exception):
    """The route table and the operations do not match one to one."""


def bind(routes: Iterable[Route], families: Iterable[Operations]) -> list[tuple[Route, Operation]]:
    """Each route with its operation, or :class:`UndescribedRoutes`."""
    operations: dict[str, Operation] = {}
    problems: list[str] = []
    for family in families:
        for name, operation in family.items():
            if name in operations:
                problems.append(f"operation {name!r} is built twice")
            operations[name] = operation
    bound: list[tuple[Route, Operation]] = []
    named: dict[str, Route] = {}
    served: set[tuple[str, str]] = set()
    for route in routes:
        if (route.method, route.path) in served:
            problems.append(f"{route} is declared twice")
        served.add((route.method, route.path))
        if route.operation in named:
            problems.append(
                f"{route} names operation {route.operation!r}, already {named[route.operation]}'s"
            )
        elif route.operation not in operations:
            problems.append(f"{route} names operation {route.operation!r}, which no family builds")
        else:
            bound.append((route, operations[route.operation]))
        named.setdefault(route.operation, route)
    unnamed = sorted(operations.keys() - named.keys())
    problems += [f"operation {name!r} is named by no route" for name in unnamed]
    if problems:
        raise UndescribedRoutes("; ".join(problems))
    return bound


def paths(bound: Sequence[tuple[Route, Operation]], context: Context) -> dict[str, Schema]:
    """The ``paths`` object: each route's operation, its ``operationId`` first."""
    out: dict[str, Schema] = {}
    for route, operation in bound:
        item = out.setdefault(route.path, {})
        item[route.method.lower()] = {"operationId": route.operation, **operation(context)}
    return out
