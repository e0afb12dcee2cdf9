"""The OpenAPI document's paths are made from the route table: each route names its operation,
so a route without one, or an operation without a route, fails the build naming it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aiohttp import web

from fake_meetings.api.daily.route import Route
from fake_meetings.api.openapi.document import FAMILIES, document
from fake_meetings.api.openapi.paths import UndescribedRoutes, bind
from fake_meetings.api.routes import daily_routes
from fake_meetings.config import ServerConfig

CONFIG = ServerConfig()


async def _handler(request: web.Request) -> web.StreamResponse:
    raise AssertionError("never called")


def _problems(routes: tuple[Route, ...]) -> str:
    with pytest.raises(UndescribedRoutes) as raised:
        document(CONFIG, routes)
    return str(raised.value)


def test_a_route_added_without_an_operation_fails_naming_it() -> None:
    extra = Route("GET", "/recordings/{id}/thumbnail", _handler, "getRecordingThumbnail")
    problems = _problems((*daily_routes(), extra))
    assert "GET /recordings/{id}/thumbnail" in problems
    assert "'getRecordingThumbnail', which no family builds" in problems


def test_an_operation_no_route_names_fails_naming_it() -> None:
    routes = tuple(r for r in daily_routes() if r.operation != "deleteRoom")
    assert "operation 'deleteRoom' is named by no route" in _problems(routes)


def test_two_routes_naming_one_operation_fail() -> None:
    first = daily_routes()[0]
    twin = replace(first, path="/meetings-again")
    problems = _problems((*daily_routes(), twin))
    assert f"GET /meetings-again names operation {first.operation!r}, already {first}'s" in (
        problems
    )


def test_a_route_declared_twice_fails() -> None:
    first = daily_routes()[0]
    problems = _problems((*daily_routes(), replace(first, operation="listMeetingsAgain")))
    assert f"{first} is declared twice" in problems


def test_an_operation_built_by_two_families_fails() -> None:
    operations = [f.OPERATIONS for f in FAMILIES]
    with pytest.raises(UndescribedRoutes, match="operation 'getRoom' is built twice"):
        bind(daily_routes(), [*operations, {"getRoom": operations[1]["getRoom"]}])


@pytest.mark.parametrize(
    "config",
    [ServerConfig(), ServerConfig(auth=False), ServerConfig(api_key="k", strict_limit=True)],
    ids=["default", "no-auth", "api-key"],
)
def test_the_paths_are_the_route_table_in_its_order(config: ServerConfig) -> None:
    doc = document(config)
    listed = [
        (method.upper(), path, op["operationId"])
        for path, item in doc["paths"].items()
        for method, op in item.items()
    ]
    table = [(r.method, r.path, r.operation) for r in daily_routes()]
    assert sorted(listed) == sorted(table)
    assert list(doc["paths"]) == list(dict.fromkeys(r.path for r in daily_routes()))
