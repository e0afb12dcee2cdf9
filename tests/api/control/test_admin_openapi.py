"""The OpenAPI document at /_fake/openapi.json: a valid OpenAPI 3.1 document, following the
server's configuration, and real responses (successes and every kind of error, from requests
and aiohttp) match the schema it declares for their route and status."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from fake_meetings import __version__
from fake_meetings.testing import ServerThread
from tests.helpers.admin import VERSION_HEADER, Http, ok
from tests.helpers.clients import Resp
from tests.helpers.scenarios import small_scenario

Serve = Callable[..., ServerThread]


class Document:
    """Validates a response against the OpenAPI document the server served."""

    def __init__(self, doc: dict[str, Any]):
        self.doc = doc
        self.registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(doc))

    def check(self, template: str, r: Resp, method: str = "get") -> None:
        responses = self.doc["paths"][template][method]["responses"]
        assert str(r.status) in responses, (template, r.status, sorted(responses))
        declared = responses[str(r.status)]
        assert r.content_type in declared["content"], r.headers
        for name, header in declared.get("headers", {}).items():
            if header.get("required"):
                assert r.headers.get(name.lower()), (name, r.headers)
        schema = {"$ref": "urn:doc#/" + _pointer(template, r.status, method)}
        validator = jsonschema.Draft202012Validator(schema, registry=self.registry)
        validator.validate(r.json())


def _pointer(template: str, status: int, method: str = "get") -> str:
    escaped = template.replace("~", "~0").replace("/", "~1")
    return f"paths/{escaped}/{method}/responses/{status}/content/application~1json/schema"


def served(c: Http) -> Document:
    doc = ok(c.get("/_fake/openapi.json"))
    validate_openapi(doc)  # raises on an invalid OpenAPI document
    return Document(doc)


def test_the_document_is_valid_openapi_31_and_lists_the_served_routes(
    serve: Serve, http_client: Http
) -> None:
    c = http_client.at(serve(small_scenario().world()).base_url)
    doc = served(c).doc
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["version"] == __version__
    routes = ok(c.get("/_fake/version"))["routes"]
    listed = [f"{m.upper()} /v1{p}" for p, ops in doc["paths"].items() for m in ops]
    assert sorted(listed) == sorted(routes)
    assert {s["url"] for s in doc["servers"]} == {"/v1", "/"}


def test_real_responses_match_the_document(serve: Serve, http_client: Http) -> None:
    small = small_scenario()
    c = http_client.at(serve(small.world(), api_key="test-key").base_url)
    doc = served(c)
    meetings, one, parts = "/meetings", "/meetings/{meeting}", "/meetings/{meeting}/participants"
    checked: dict[str, set[int]] = {meetings: set(), one: set(), parts: set()}

    def check(template: str, r: Resp) -> None:
        doc.check(template, r)
        assert r.headers[VERSION_HEADER] == __version__
        checked[template].add(r.status)

    for params in (
        {},
        {"limit": "3"},
        {"room": "standup", "no_participants": "true"},
        {"ongoing": "true"},
        {"ongoing": "false", "timeframe_start": "0", "timeframe_end": "99999999999"},
        {"starting_after": "s-04a", "limit": "2"},
        {"ending_before": "OLDEST"},
        {"room": "nobody"},
        {"limit": "500"},
    ):
        check(meetings, c.api("/v1/meetings", **params))
    for bad in ({"limit": "x"}, {"ongoing": "maybe"}, {"starting_after": "nope"}):
        check(meetings, c.api("/v1/meetings", **bad))
    check(meetings, c.get("/v1/meetings"))  # no Authorization: 400
    check(meetings, c.api("/v1/meetings", key="wrong"))  # 401
    for s in small.sessions:
        check(one, c.api(f"/v1/meetings/{s.id}"))
        check(parts, c.api(f"/meetings/{s.id}/participants", limit="2"))
    check(one, c.api("/v1/meetings/nope"))
    check(parts, c.api("/v1/meetings/nope/participants"))
    last = small.by_id["s-01"].sorted_participants()[-1].participant_id
    check(parts, c.api("/v1/meetings/s-01/participants", joined_after=last))  # exhausted: 404
    check(parts, c.api("/v1/meetings/s-01/participants", joined_after="zzz"))  # 400
    for status in (429, 500):
        ok(c.post("/_fake/faults", {"status": status, "count": 3}), 201)
        for template, path in (
            (meetings, "/v1/meetings"),
            (one, "/v1/meetings/s-01"),
            (parts, "/v1/meetings/s-01/participants"),
        ):
            check(template, c.api(path))
    assert checked == {
        meetings: {200, 400, 401, 429, 500},
        one: {200, 404, 429, 500},
        parts: {200, 400, 404, 429, 500},
    }


def test_real_room_responses_match_the_document(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(small_scenario().world(), api_key="test-key").base_url)
    doc = served(c)
    rooms, one = "/rooms", "/rooms/{name}"
    checked: dict[tuple[str, str], set[int]] = {}
    key = {"Authorization": "Bearer test-key"}

    def check(template: str, method: str, r: Resp) -> None:
        doc.check(template, r, method)
        assert r.headers[VERSION_HEADER] == __version__
        checked.setdefault((template, method), set()).add(r.status)

    def call(method: str, path: str, body: Any = None, **params: Any) -> Resp:
        return c.call(method.upper(), path, body, headers=key, params=params or None)

    for params in ({}, {"limit": "2"}, {"ending_before": "OLDEST"}, {"limit": "500"}):
        check(rooms, "get", call("get", "/v1/rooms", **params))
    for bad in ({"limit": "x"}, {"starting_after": "nope"}):
        check(rooms, "get", call("get", "/v1/rooms", **bad))
    check(rooms, "get", c.get("/v1/rooms"))  # no Authorization: 400
    check(rooms, "get", c.api("/v1/rooms", key="wrong"))  # 401
    made = call("post", "/v1/rooms", {"name": "r1", "properties": {"exp": 5}})
    check(rooms, "post", made)
    check(rooms, "post", call("post", "/v1/rooms"))
    check(rooms, "post", call("post", "/v1/rooms", {"name": "r1"}))  # taken: 400
    check(rooms, "post", c.call("POST", "/v1/rooms", {}, headers={"Authorization": "Bearer x"}))
    check(one, "get", call("get", "/v1/rooms/r1"))
    check(one, "get", call("get", "/v1/rooms/nope"))
    check(one, "post", call("post", "/v1/rooms/r1", {"privacy": "private"}))
    check(one, "post", call("post", "/v1/rooms/r1", {"privacy": "x"}))
    check(one, "post", call("post", "/v1/rooms/nope", {}))
    check(one, "delete", call("delete", "/v1/rooms/r1"))
    check(one, "delete", call("delete", "/v1/rooms/r1"))  # gone: 404
    for status in (429, 500):
        ok(c.post("/_fake/faults", {"status": status, "count": 2}), 201)
        check(rooms, "get", call("get", "/v1/rooms"))
        check(one, "delete", call("delete", "/v1/rooms/retro"))
    assert checked == {
        (rooms, "get"): {200, 400, 401, 429, 500},
        (rooms, "post"): {200, 400, 401},
        (one, "get"): {200, 404},
        (one, "post"): {200, 400, 404},
        (one, "delete"): {200, 404, 429, 500},
    }


def test_real_presence_responses_match_the_document(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(small_scenario().world(), api_key="test-key").base_url)
    doc = served(c)
    everywhere, one = "/presence", "/rooms/{name}/presence"
    checked: dict[str, set[int]] = {everywhere: set(), one: set()}

    def check(template: str, r: Resp) -> None:
        doc.check(template, r)
        assert r.headers[VERSION_HEADER] == __version__
        checked[template].add(r.status)

    check(everywhere, c.api("/v1/presence"))  # two rooms with people
    r = c.api("/v1/presence")
    assert r.json().keys() == {"retro", "standup"}
    for tamper in (  # the presence schemas are not vacuous
        lambda b: b["standup"][0].update(userId=5),
        lambda b: b["standup"][0].update(joinTime="2024-06-01T11:00:00Z"),
        lambda b: b["standup"][0].pop("mtgSessionId"),
        lambda b: b.update(empty=[]),
    ):
        body = r.json()
        tamper(body)
        with pytest.raises(jsonschema.ValidationError):
            doc.check(everywhere, Resp(r.status, r.headers, json.dumps(body).encode()))
    for params in ({}, {"limit": "1"}, {"userId": "u-alice"}, {"userName": "Carol"}):
        check(one, c.api("/v1/rooms/standup/presence", **params))
    check(one, c.api("/v1/rooms/all-hands/presence"))  # nobody: an empty page
    check(one, c.api("/v1/rooms/standup/presence", limit="x"))  # 400
    check(one, c.api("/v1/rooms/nope/presence"))  # 404
    check(everywhere, c.get("/v1/presence"))  # no Authorization: 400
    check(everywhere, c.api("/v1/presence", key="wrong"))  # 401
    for status in (429, 500):
        ok(c.post("/_fake/faults", {"status": status, "count": 2}), 201)
        check(everywhere, c.api("/v1/presence"))
        check(one, c.api("/v1/rooms/standup/presence"))
    ok(c.post("/_fake/clock", {"freeze_at": 0}))  # before everything: nobody anywhere
    check(everywhere, c.api("/v1/presence"))
    assert ok(c.api("/v1/presence")) == {}
    assert checked == {
        everywhere: {200, 400, 401, 429, 500},
        one: {200, 400, 404, 429, 500},
    }


def test_real_meeting_token_responses_match_the_document(serve: Serve, http_client: Http) -> None:
    world = small_scenario().world()
    c = http_client.at(serve(world, api_key="test-key").base_url)
    doc = served(c)
    made, one = "/meeting-tokens", "/meeting-tokens/{token}"
    checked: dict[tuple[str, str], set[int]] = {}
    key = {"Authorization": "Bearer test-key"}

    def check(template: str, method: str, r: Resp) -> Any:
        doc.check(template, r, method)
        assert r.headers[VERSION_HEADER] == __version__
        checked.setdefault((template, method), set()).add(r.status)
        return r.json()

    def call(method: str, path: str, body: Any = None, **params: Any) -> Resp:
        return c.call(method.upper(), path, body, headers=key, params=params or None)

    now = world.clock.now()
    props = {"room_name": "standup", "user_name": "A", "is_owner": True, "exp": now + 60}
    token = check(made, "post", call("post", "/v1/meeting-tokens", {"properties": props}))["token"]
    check(made, "post", call("post", "/v1/meeting-tokens"))
    check(made, "post", call("post", "/v1/meeting-tokens", {"properties": {"nope": 1}}))
    check(made, "post", c.call("POST", "/v1/meeting-tokens", {}))  # no Authorization: 400
    wrong = {"Authorization": "Bearer x"}
    check(made, "post", c.call("POST", "/v1/meeting-tokens", {}, headers=wrong))  # 401
    assert check(one, "get", call("get", f"/v1/meeting-tokens/{token}")) == props
    check(one, "get", call("get", "/v1/meeting-tokens/nope"))
    check(one, "get", call("get", f"/v1/meeting-tokens/{token}", ignoreNbf="true"))
    check(one, "get", c.api(f"/v1/meeting-tokens/{token}", key="wrong"))  # 401
    for status in (429, 500):
        ok(c.post("/_fake/faults", {"status": status, "count": 2}), 201)
        check(made, "post", call("post", "/v1/meeting-tokens"))
        check(one, "get", call("get", f"/v1/meeting-tokens/{token}"))
    assert checked == {
        (made, "post"): {200, 400, 401, 429, 500},
        (one, "get"): {200, 400, 401, 429, 500},
    }


def test_a_schema_violation_would_be_caught(serve: Serve, http_client: Http) -> None:
    """The validator is not vacuous: a tampered body fails against the served document."""
    c = http_client.at(serve(small_scenario().world()).base_url)
    doc = served(c)
    r = c.api("/v1/meetings/s-01")
    doc.check("/meetings/{meeting}", r)
    for tamper in (
        lambda b: b.update(duration=str(b["duration"])),
        lambda b: b.update(extra=1),
        lambda b: b.pop("room"),
        lambda b: b["participants"][0].update(user_id=5),
    ):
        body = r.json()
        tamper(body)
        with pytest.raises(jsonschema.ValidationError):
            doc.check("/meetings/{meeting}", Resp(r.status, r.headers, json.dumps(body).encode()))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("options", "limit_max", "secured", "has_401"),
    [
        ({}, None, True, True),
        ({"strict_limit": True}, 100, True, True),
        ({"auth": False}, None, False, False),
    ],
)
def test_the_document_follows_the_configuration(
    serve: Serve,
    http_client: Http,
    options: dict[str, Any],
    limit_max: int | None,
    secured: bool,
    has_401: bool,
) -> None:
    c = http_client.at(serve(small_scenario().world(), **options).base_url)
    doc = served(c).doc
    limit = next(p for p in doc["paths"]["/meetings"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"].get("maximum") == limit_max
    assert ("security" in doc) is secured
    assert ("401" in doc["paths"]["/meetings"]["get"]["responses"]) is has_401
    if not secured:  # and the server indeed needs no key
        assert ok(c.get("/v1/meetings", headers={}))["total_count"] == len(
            small_scenario().sessions
        )
    else:
        assert c.get("/v1/meetings").status == 400
