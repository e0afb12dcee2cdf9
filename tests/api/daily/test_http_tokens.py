"""The Daily meeting-token routes (contract part two, §11) and joins that carry a token (§9), on
a real server (127.0.0.1) with ``requests`` and ``aiohttp``. Tokens are decoded and made by
PyJWT, an independent JWT library: the server's tokens must be real HS256 JWTs, and tokens
self-signed with the API key (Daily's abbreviated claims) must be accepted.

Token time checks use the server clock, frozen here with POST /_fake/clock."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from fake_meetings.client.control import FakeMeetingsError
from fake_meetings.domain.clock import Clock
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
pytestmark = pytest.mark.filterwarnings("ignore:The HMAC key is")  # short test keys, on purpose

KEY = "test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
SECRET = "server-secret-for-tests"


def frozen() -> World:
    return World([], Clock(NOW))


def quiet_jwt(claims: dict[str, Any], key: str, algorithm: str) -> str:
    with warnings.catch_warnings():  # short test keys, on purpose
        warnings.simplefilter("ignore")
        return jwt.encode(claims, key, algorithm=algorithm)


def create(c: Http, properties: Any, headers: dict[str, str] = AUTH) -> Any:
    return c.post("/v1/meeting-tokens", {"properties": properties}, headers=headers)


def token_of(c: Http, **properties: Any) -> str:
    body = ok(create(c, properties))
    assert list(body) == ["token"]
    return str(body["token"])


def validate(c: Http, token: str, headers: dict[str, str] = AUTH, **params: Any) -> Any:
    return c.call("GET", f"/v1/meeting-tokens/{token}", headers=headers, params=params or None)


def test_a_created_token_is_a_real_hs256_jwt(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(frozen(), token_secret=SECRET).base_url)
    props = {
        "room_name": "standup",
        "user_name": "Alice",
        "user_id": "u-1",
        "is_owner": True,
        "nbf": NOW - 60,
        "exp": NOW + 3600,
        "eject_at_token_exp": True,
        "eject_after_elapsed": 900,
        "enable_screenshare": False,
        "enable_recording": "cloud",
        "enable_prejoin_ui": True,
        "permissions": {"canSend": ["video"]},
    }
    token = token_of(c, **props)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    # Daily's abbreviated claim names; iat from the server clock; a domain id
    assert claims["r"] == "standup" and claims["u"] == "Alice" and claims["ud"] == "u-1"
    assert claims["o"] is True and claims["ejt"] is True and claims["eje"] == 900
    assert (claims["nbf"], claims["exp"], claims["iat"]) == (NOW - 60, NOW + 3600, NOW)
    assert claims["ss"] is False and claims["er"] == "cloud" and claims["p"] == props["permissions"]
    assert claims["enable_prejoin_ui"] is True  # no documented abbreviation: the full name
    assert isinstance(claims["d"], str)
    with pytest.raises(jwt.InvalidSignatureError):  # signed with the server's secret only
        jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_exp": False})
    # validate: the properties by their full names, nothing else
    assert ok(validate(c, token)) == props
    assert ok(validate(c, token_of(c))) == {}  # no properties: valid for every room


def test_the_secret_is_random_per_server_and_never_shown(serve: Serve, plain: Http) -> None:
    a, b = serve(frozen()), serve(frozen())
    token = token_of(plain.at(a.base_url), room_name="r")
    assert ok(validate(plain, token)) == {"room_name": "r"}
    error(validate(plain.at(b.base_url), token), 400, "invalid-request-error", "signature")
    shown = repr(serve(frozen(), token_secret=SECRET).config)
    assert "token_secret" not in shown and SECRET not in shown


@pytest.mark.parametrize(
    ("properties", "words"),
    [
        ({"room_nam": "x"}, ("unknown", "room_nam")),
        ({"is_owner": "yes"}, ("is_owner", "boolean")),
        ({"exp": "soon"}, ("exp", "integer")),
        ({"nbf": 1.5}, ("nbf", "integer")),
        ({"exp": True}, ("exp", "integer")),
        ({"user_name": 7}, ("user_name", "string")),
        ({"room_name": ""}, ("room_name", "empty")),
        ({"eject_after_elapsed": 0}, ("eject_after_elapsed", "range")),
        ({"permissions": []}, ("permissions", "object")),
        ([], ("properties", "object")),
        ("standup", ("properties", "object")),
    ],
)
def test_bad_properties_are_400_in_the_envelope(
    serve: Serve, plain: Http, properties: Any, words: tuple[str, ...]
) -> None:
    c = plain.at(serve(frozen()).base_url)
    error(create(c, properties), 400, "invalid-request-error", *words)


def test_bad_bodies_and_auth(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(frozen(), api_key=KEY).base_url)
    error(c.post("/v1/meeting-tokens", {"room_name": "x"}, headers=AUTH), 400,
          "invalid-request-error", '"room_name" is not allowed')  # fmt: skip
    error(c.post("/v1/meeting-tokens", "{", headers=AUTH), 400, "invalid-request-error", "JSON")
    error(c.post("/v1/meeting-tokens", "[]", headers=AUTH), 400, "invalid-request-error", "object")
    assert ok(c.post("/v1/meeting-tokens", headers=AUTH))["token"]  # empty body: no properties
    for blank in ("\n", " ", "\r\n\t"):  # whitespace only is no JSON text (the fuzzer's case)
        error(c.post("/v1/meeting-tokens", blank, headers=AUTH), 400, "invalid-request-error")
    assert ok(c.post("/meeting-tokens", {"properties": None}, headers=AUTH))["token"]  # root too
    error(c.post("/v1/meeting-tokens", {}), 400, "authorization-header-error")
    wrong = {"Authorization": "Bearer nope"}
    error(create(c, {}, headers=wrong), 401, "authentication-error")
    error(validate(c, token_of(c), headers=wrong), 401, "authentication-error")


def test_validate_follows_the_server_clock(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(frozen()).base_url)
    token = token_of(c, room_name="r", nbf=NOW + 100, exp=NOW + 200)
    error(validate(c, token), 400, "invalid-request-error", "not valid yet", str(NOW + 100))
    assert ok(validate(c, token, ignoreNbf="true"))["room_name"] == "r"
    error(validate(c, token, ignoreNbf="maybe"), 400, "invalid-request-error", "ignoreNbf")
    ok(c.post("/_fake/clock", {"freeze_at": NOW + 100}))
    assert ok(validate(c, token)) == {"room_name": "r", "nbf": NOW + 100, "exp": NOW + 200}
    ok(c.post("/_fake/clock", {"freeze_at": NOW + 200}))
    error(validate(c, token), 400, "invalid-request-error", "expired")
    error(validate(c, token, ignoreNbf="true"), 400, "invalid-request-error", "expired")
    ok(c.post("/_fake/clock", {"freeze_at": NOW + 199}))  # the clock may go back: valid again
    assert ok(validate(c, token))["exp"] == NOW + 200


@pytest.mark.parametrize(
    "bad",
    [
        "not-a-token",
        "a.b.c",
        "eyJhbGciOiJub25lIn0.eyJyIjoieCJ9.",  # alg none
        quiet_jwt({"r": "x"}, "some other secret", "HS256"),
        quiet_jwt({"r": "x"}, KEY, "HS512"),  # the right key, another algorithm
        "x" * 5000,
    ],
)
def test_bad_tokens_are_refused(serve: Serve, plain: Http, bad: str) -> None:
    c = plain.at(serve(frozen(), api_key=KEY).base_url)
    error(validate(c, bad), 400, "invalid-request-error", "not valid")


def test_tokens_self_signed_with_the_api_key(serve: Serve, plain: Http) -> None:
    claims = {"r": "standup", "u": "Bob", "ud": "u-2", "o": True, "iat": NOW, "d": "dom",
              "exp": NOW + 60, "ss": True, "uil": "fr"}  # fmt: skip
    expected = {"room_name": "standup", "user_name": "Bob", "user_id": "u-2", "is_owner": True,
                "exp": NOW + 60, "enable_screenshare": True, "lang": "fr"}  # fmt: skip
    # --api-key: tokens signed with exactly that key
    c = plain.at(serve(frozen(), api_key=KEY).base_url)
    assert ok(validate(c, jwt.encode(claims, KEY, algorithm="HS256"))) == expected
    error(validate(c, jwt.encode(claims, "other", algorithm="HS256")), 400,
          "invalid-request-error", "signature")  # fmt: skip
    expired = jwt.encode({**claims, "exp": NOW}, KEY, algorithm="HS256")
    error(validate(c, expired), 400, "invalid-request-error", "expired")
    # any-key auth: the key of the request
    c = plain.at(serve(frozen()).base_url)
    mine = jwt.encode(claims, "k-123", algorithm="HS256")
    assert ok(validate(c, mine, headers={"Authorization": "Bearer k-123"})) == expected
    error(validate(c, mine, headers={"Authorization": "Bearer k-456"}), 400,
          "invalid-request-error", "signature")  # fmt: skip


def join(c: Http, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return c.post("/_fake/join", body, headers=headers)


def test_a_join_with_a_token(serve: Serve, http_client: Http) -> None:
    c = http_client.at(serve(frozen(), api_key=KEY).base_url)
    token = token_of(c, room_name="standup", user_name="Alice", user_id="u-1", is_owner=True)
    stay = ok(join(c, {"token": token}), 201)  # the token names the room
    assert (stay["room"], stay["user_name"], stay["user_id"], stay["owner"]) == (
        "standup", "Alice", "u-1", True)  # fmt: skip
    # the token's user fields beat the join's own
    stay = ok(join(c, {"room": "standup", "token": token, "user_name": "Eve", "owner": False}), 201)
    assert (stay["user_name"], stay["user_id"], stay["owner"]) == ("Alice", "u-1", True)
    # a token for another room is refused, and nothing changes
    before = ok(c.get("/v1/meetings", headers=AUTH))
    error(join(c, {"room": "retro", "token": token}), 400, "invalid-request-error",
          "not valid for room", "standup")  # fmt: skip
    assert ok(c.get("/v1/meetings", headers=AUTH)) == before
    # a token with no room: any room, the join's fields where the token sets none
    anywhere = token_of(c, user_id="u-9")
    stay = ok(join(c, {"room": "retro", "token": anywhere, "user_name": "Zed"}), 201)
    assert (stay["room"], stay["user_name"], stay["user_id"], stay["owner"]) == (
        "retro", "Zed", "u-9", False)  # fmt: skip
    error(join(c, {"token": anywhere}), 400, "invalid-request-error", "room")
    # the session shows the stays the tokens made, once they have lasted 10 s (Daily's rule)
    ok(c.post("/_fake/clock", {"advance": 10}))
    sessions = ok(c.get("/v1/meetings", headers=AUTH))["data"]
    (session,) = [s for s in sessions if s["room"] == "standup"]
    assert [p["user_name"] for p in session["participants"]] == ["Alice", "Alice"]
    # bad tokens, self-signed ones
    error(join(c, {"token": "nope"}), 400, "invalid-request-error", "not valid")
    error(join(c, {"room": "x", "token": 5}), 400, "invalid-request-error", "token")
    self_signed = jwt.encode({"r": "standup", "u": "Sam", "iat": NOW}, KEY, algorithm="HS256")
    assert ok(join(c, {"token": self_signed}), 201)["user_name"] == "Sam"


def test_a_join_checks_the_token_times_at_the_server_clock(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(frozen()).base_url)
    token = token_of(c, room_name="r", nbf=NOW + 10, exp=NOW + 20)
    error(join(c, {"token": token}), 400, "invalid-request-error", "not valid yet")
    ok(c.post("/_fake/clock", {"freeze_at": NOW + 10}))
    assert ok(join(c, {"token": token}), 201)["join_time"] == NOW + 10
    ok(c.post("/_fake/clock", {"freeze_at": NOW + 20}))
    error(join(c, {"token": token}), 400, "invalid-request-error", "expired")


def test_the_handle_makes_tokens_and_joins_with_them(serve: Serve, plain: Http) -> None:
    server = serve(frozen(), token_secret=SECRET)
    fm = server.handle(KEY)
    token = fm.token(room_name="standup", user_name="Alice", is_owner=True, exp=NOW + 60)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert (claims["r"], claims["u"], claims["o"], claims["iat"]) == ("standup", "Alice", True, NOW)
    c = plain.at(server.base_url)
    assert ok(validate(c, token))["user_name"] == "Alice"  # the server's own token
    alice = fm.join(token=token)
    assert alice.room == "standup"
    fm.clock.advance(10)  # /meetings shows a stay once it has lasted 10 s
    (p,) = ok(c.get(f"/v1/meetings/{alice.session_id}", headers=AUTH))["participants"]
    assert p["user_name"] == "Alice"
    with pytest.raises(FakeMeetingsError, match="not valid for room"):
        fm.join("retro", token=token)
    with pytest.raises(FakeMeetingsError, match="unknown meeting token property"):
        fm.token(room="standup")
    fm.clock.advance(50)  # NOW + 60
    with pytest.raises(FakeMeetingsError, match="expired"):
        fm.join(token=token)
    self_signed = jwt.encode({"r": "standup", "u": "Sam"}, KEY, algorithm="HS256")
    assert fm.join(token=self_signed).room == "standup"  # signed with the handle's key
