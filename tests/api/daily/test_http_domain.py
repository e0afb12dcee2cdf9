"""Daily's domain configuration, ``GET /v1/`` and ``POST /v1/`` (contract part three §1; issue
27 item 2), on a real server with ``requests`` and ``aiohttp``: daily-opentok-node reads
``domain_id`` from ``GET /v1``. The object, Daily's defaults, properties set and refused
(nothing changes), namespaces, a scenario's ``domain:`` block (with its lines), reset.

Expected values are written here from Daily's documentation, not read from the package."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.scenario.loading import load
from fake_meetings.scenario.scenario import ScenarioError, load_text
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
KEY = {"Authorization": "Bearer test-key"}
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Daily's documented defaults (a selection, one of each kind)
DEFAULTS = {
    "enable_people_ui": True,
    "enable_prejoin_ui": True,
    "enable_advanced_chat": False,
    "enable_noise_cancellation_ui": True,
    "hide_daily_branding": False,
    "lang": "en",
    "meeting_join_hook": None,
    "recordings_template": "{domain_name}/{room_name}/{epoch_time}",
    "transcription_template": "{domain_name}/{room_name}/{epoch_time}.vtt",
    "sfu_switchover": 0.5,
    "enable_adaptive_simulcast": True,
    "recordings_bucket": None,
    "permissions": {
        "canSend": True,
        "canReceive": {"base": True},
        "hasPresence": True,
        "canAdmin": False,
    },
}


def _domain(c: Http, headers: dict[str, str] = KEY, path: str = "/v1/") -> dict[str, Any]:
    body = ok(c.get(path, headers=headers))
    assert set(body) == {"domain_name", "domain_id", "config"}, body
    return dict(body)


def test_get_v1_answers_daily_s_domain_object_with_its_defaults(
    serve: Serve, http_client: Http
) -> None:
    c = http_client.at(serve(World(), domain="acme-video").base_url)
    domain = _domain(c, path="/v1")  # no trailing slash, as daily-opentok-node asks
    assert domain == _domain(c, path="/v1/")
    assert domain["domain_name"] == "acme-video"
    assert UUID_RE.fullmatch(domain["domain_id"])
    assert {k: domain["config"][k] for k in DEFAULTS} == DEFAULTS
    again = _domain(http_client.at(serve(World(), domain="acme-video").base_url))
    assert again["domain_id"] == domain["domain_id"]  # the same from one server to the next


def test_the_webhooks_domain_id_is_the_domain_s(serve: Serve, plain: Http) -> None:
    server = serve(World())  # a scenario's webhook is in place without a test request
    server.handle().load({"now": NOW, "sessions": [], "webhook": {"url": "http://127.0.0.1:9/x"}})
    c = plain.at(server.base_url)
    (created,) = ok(c.get("/v1/webhooks", headers=KEY))
    assert created["domainId"] == _domain(c)["domain_id"]


def test_a_meeting_token_s_d_claim_is_the_domain_id(serve: Serve, plain: Http) -> None:
    # Daily's self-signing docs: `d` is "your domain_id", the one GET /v1/ answers; a server
    # with another --domain, and every namespace, answer the same id in both places
    for server in (serve(World(), domain="acme-video"), serve(World(), namespaces=True)):
        c = plain.at(server.base_url)
        for key in (KEY, {"Authorization": "Bearer other-key"}):
            token = ok(c.post("/v1/meeting-tokens", {"properties": {}}, headers=key))["token"]
            claims = jwt.decode(token, options={"verify_signature": False})
            assert claims["d"] == _domain(c, key)["domain_id"]


def test_only_v1_serves_the_domain(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World()).base_url)
    error(c.get("/", headers=KEY), 404, "not-found", "no route GET /")
    error(c.get("/v1/", headers={}), 400, "authorization-header-error")  # auth first
    r = c.call("DELETE", "/v1/", headers=KEY)
    error(r, 405, "method-not-allowed")
    assert set(r.headers["allow"].split(",")) == {"GET", "POST"}


def test_post_sets_properties_and_answers_the_domain(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(World()).base_url)
    before = _domain(c)
    properties = {
        "enable_prejoin_ui": False,
        "lang": "de",
        "redirect_on_meeting_exit": "https://example.com/bye",
        "recordings_bucket": {
            "bucket_name": "b",
            "bucket_region": "eu-west-1",
            "assume_role_arn": "arn:aws:iam::1:role/r",
            "allow_api_access": True,
            "allow_streaming_from_bucket": False,
        },
        "enable_opus_fec": True,  # no documented default: shows once set
    }
    answered = ok(c.post("/v1", {"properties": properties}, headers=KEY))
    assert answered == _domain(c)
    assert answered["domain_id"] == before["domain_id"]
    assert answered["config"] == {**before["config"], **properties}
    ok(c.post("/v1/", {"properties": {"lang": "fr"}}, headers=KEY))  # later ones add up
    assert _domain(c)["config"] == {**before["config"], **properties, "lang": "fr"}
    assert ok(c.post("/v1/", headers=KEY)) == _domain(c)  # no body: nothing to set


def test_the_templates_of_daily_s_set_domain_config_example_are_taken(
    serve: Serve, plain: Http
) -> None:
    # Daily's set-domain-config example (and daily-ruby's defaults, from Daily's OpenAPI) end
    # the templates with one '.': no extension, not a refused one
    c = plain.at(serve(World()).base_url)
    properties = {
        "recordings_template": "{domain_name}/{room_name}/{epoch_time}.",
        "transcription_template": "{domain_name}/{room_name}/{epoch_time}.vtt.",
    }
    config = ok(c.post("/v1/", {"properties": properties}, headers=KEY))["config"]
    assert {k: config[k] for k in properties} == properties
    mp4 = "{room_name}/{epoch_time}.mp4."
    body = {"properties": {"recordings_template": mp4}}
    assert ok(c.post("/v1/", body, headers=KEY))["config"]["recordings_template"] == mp4


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"properties": {"enable_prejoin_uii": True}}, "properties.enable_prejoin_uii"),
        ({"properties": {"intercom_auto_record": True}}, "read-only"),
        ({"properties": {"enable_prejoin_ui": "no"}}, "properties.enable_prejoin_ui"),
        ({"properties": {"lang": "xx"}}, "properties.lang"),
        ({"properties": {"sfu_switchover": True}}, "properties.sfu_switchover"),
        ({"properties": {"recordings_template": "{room_name}"}}, "{epoch_time}"),
        ({"properties": {"recordings_template": "{epoch_time}.webm"}}, ".mp4"),
        ({"properties": {"recordings_template": "{epoch_time}.webm."}}, ".mp4"),
        ({"properties": {"recordings_template": "{epoch_time}.."}}, ".mp4"),
        ({"properties": {"recordings_bucket": {"bucket": "b"}}}, "'bucket'"),
        ({"properties": {"permissions": {"canPaint": True}}}, "canPaint"),
        ({"properties": {"lang": "de", "geo": 3}}, "properties.geo"),
        ({"properties": []}, "properties"),
        ({"config": {}}, '"config" is not allowed'),
        ("{", "JSON"),
    ],
)
def test_a_bad_property_is_a_400_naming_it_and_changes_nothing(
    serve: Serve, plain: Http, body: Any, named: str
) -> None:
    c = plain.at(serve(World()).base_url)
    before = _domain(c)
    error(c.post("/v1/", body, headers=KEY), 400, "invalid-request-error", named)
    assert _domain(c) == before


def test_each_namespace_has_its_own_domain_configuration(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World(), namespaces=True).base_url)
    a, b = {"Authorization": "Bearer a"}, {"Authorization": "Bearer b"}
    ok(c.post("/v1/", {"properties": {"lang": "sv"}}, headers=a))
    assert _domain(c, a)["config"]["lang"] == "sv"
    assert _domain(c, b)["config"]["lang"] == "en"
    assert _domain(c, a)["domain_id"] == _domain(c, b)["domain_id"]


SCENARIO = f"""\
now: {NOW}
sessions: []
domain:
  properties:
    enable_prejoin_ui: false
    lang: jp
"""


def test_a_start_up_scenario_declares_it_and_reset_restores_it(
    serve: Serve, http_client: Http, tmp_path: Path
) -> None:
    path = tmp_path / "domain.yaml"
    path.write_text(SCENARIO)
    c = http_client.at(serve(load([str(path)]).world()).base_url)
    declared = _domain(c)["config"]
    assert (declared["enable_prejoin_ui"], declared["lang"]) == (False, "jp")
    ok(c.post("/v1/", {"properties": {"lang": "de", "hipaa": True}}, headers=KEY))
    ok(c.post("/_fake/reset"))  # back to the start-up scenario's
    assert _domain(c)["config"] == declared
    ok(c.post("/_fake/reset", params={"empty": "true"}))  # back to Daily's defaults
    config = _domain(c)["config"]
    assert (config["enable_prejoin_ui"], config["lang"], config["hipaa"]) == (True, "en", False)


def test_a_scenario_loaded_over_the_control_plane_or_the_handle_sets_it(
    serve: Serve, plain: Http
) -> None:
    server = serve(World(clock=Clock(NOW)))
    c = plain.at(server.base_url)
    r = c.call("POST", "/_fake/scenario", SCENARIO, headers={"Content-Type": "application/yaml"})
    ok(r)
    assert _domain(c)["config"]["lang"] == "jp"
    server.handle().load({"sessions": [], "domain": {"properties": {"lang": "pt-BR"}}})
    assert _domain(c)["config"]["lang"] == "pt-BR"
    server.handle().reset()
    assert _domain(c)["config"]["lang"] == "en"


@pytest.mark.parametrize(
    ("block", "line", "named"),
    [
        ("domain:\n  properties:\n    lang: en\n    nope: 1\n", 5, "domain.properties.nope"),
        ("domain:\n  properties:\n    hipaa: 'yes'\n", 4, "domain.properties.hipaa"),
        ("domain:\n  config: {}\n", 3, "domain.config"),
        ("domain:\n  properties: [lang]\n", 3, "domain.properties"),
    ],
)
def test_a_scenario_s_domain_block_is_checked_with_its_lines(
    block: str, line: int, named: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text("sessions: []\n" + block, "domain.yaml")
    assert f"domain.yaml:{line}" in str(caught.value) and named in str(caught.value)


def test_two_scenarios_declaring_the_domain_are_a_problem(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(SCENARIO)
    with pytest.raises(ScenarioError, match="also declared in"):
        load([str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")])


def test_the_domain_s_properties_are_bounded_like_a_room_s(serve: Serve, plain: Http) -> None:
    """Text properties take any length each, so their JSON together is bounded (64 KiB, as a
    room's): each POST under it passes, the one that would cross it is a 400 changing nothing."""
    c = plain.at(serve(World()).base_url)
    half = "x" * 40_000
    ok(c.post("/v1/", {"properties": {"redirect_on_meeting_exit": half}}, headers=KEY))
    before = _domain(c)
    r = c.post("/v1/", {"properties": {"pinless_dialin": [{"x": half}]}}, headers=KEY)
    error(r, 400, "invalid-request-error", "the domain's properties take at most 65,536 bytes")
    assert _domain(c) == before


def test_a_scenario_s_domain_block_is_bounded_too() -> None:
    block = "domain:\n  properties:\n    redirect_on_meeting_exit: " + "x" * 70_000 + "\n"
    with pytest.raises(ScenarioError, match="the domain's properties take at most"):
        load_text("sessions: []\n" + block, "domain.yaml")
