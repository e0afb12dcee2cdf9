"""Issue 26, item 8: meeting tokens stay in their namespace, and the server mints no token it
would refuse.

- With ``--namespaces`` every key's namespace signs with a secret of its own (derived from the
  server's): a token minted under key A is refused under key B. One secret per server let it in.
- One bound on a token's length (``tokens.MAX_TOKEN``) for minting, validating and joining:
  POST /meeting-tokens refuses a token over it (400 naming it). Before, a 1,000-character
  user_name gave a 1,547-character token that /_fake/join refused at 1,024, and every text
  property at its maximum a 6,884-character one that GET /meeting-tokens/:token refused.

On a real server (127.0.0.1, port 0) with ``requests``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fake_meetings.domain.clock import Clock
from fake_meetings.domain.tokens import MAX_TEXT, MAX_TOKEN
from fake_meetings.domain.world import World
from fake_meetings.testing import ServerThread
from tests.helpers.admin import Http, error, ok
from tests.helpers.constants import NOW

Serve = Callable[..., ServerThread]
TEXTS = ("user_name", "user_id", "redirect_on_meeting_exit", "meeting_join_hook", "lang")


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def mint(c: Http, key: str, **properties: Any) -> Any:
    return c.post("/v1/meeting-tokens", {"properties": properties}, headers=bearer(key))


def test_a_token_is_refused_in_another_namespace(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World([], Clock(NOW)), namespaces=True).base_url)
    token = ok(mint(c, "key-a", room_name="standup", user_name="Alice"))["token"]
    assert ok(c.get(f"/v1/meeting-tokens/{token}", headers=bearer("key-a")))["user_name"] == "Alice"
    r = c.get(f"/v1/meeting-tokens/{token}", headers=bearer("key-b"))
    error(r, 400, "invalid-request-error", "bad signature")
    r = c.post("/_fake/join", {"token": token}, headers=bearer("key-b"))
    error(r, 400, "invalid-request-error", "bad signature")
    assert ok(c.get("/v1/meetings", headers=bearer("key-b")))["total_count"] == 0
    ok(c.post("/_fake/join", {"token": token}, headers=bearer("key-a")), 201)
    ok(c.post("/_fake/clock", {"advance": 10}, headers=bearer("key-a")))  # recorded after 10 s
    assert ok(c.get("/v1/meetings", headers=bearer("key-a")))["total_count"] == 1
    # the same key's namespace, evicted or not, keeps its secret: minted twice, the same token
    assert (
        ok(mint(c, "key-a", room_name="x"))["token"] == ok(mint(c, "key-a", room_name="x"))["token"]
    )
    assert (
        ok(mint(c, "key-a", room_name="x"))["token"] != ok(mint(c, "key-b", room_name="x"))["token"]
    )


def test_a_long_user_name_gives_a_token_a_join_accepts(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World([], Clock(NOW))).base_url)
    token = ok(mint(c, "k", room_name="standup", user_name="A" * MAX_TEXT))["token"]
    assert len(token) > 1024
    ok(c.get(f"/v1/meeting-tokens/{token}", headers=bearer("k")))
    joined = ok(c.post("/_fake/join", {"token": token}, headers=bearer("k")), 201)
    assert joined["user_name"] == "A" * MAX_TEXT and joined["room"] == "standup"


def test_no_token_is_minted_that_would_be_refused(serve: Serve, plain: Http) -> None:
    c = plain.at(serve(World([], Clock(NOW))).base_url)
    for count in range(1, len(TEXTS) + 1):
        properties = {name: "x" * MAX_TEXT for name in TEXTS[:count]}
        r = mint(c, "k", room_name="standup", **properties)
        if r.status == 200:  # then every route takes it
            token = ok(r)["token"]
            assert len(token) <= MAX_TOKEN
            ok(c.get(f"/v1/meeting-tokens/{token}", headers=bearer("k")))
            ok(c.post("/_fake/join", {"token": token}, headers=bearer("k")), 201)
        else:
            info = error(r, 400, "invalid-request-error", "properties: the token would be")
            assert f"{MAX_TOKEN:,}" in info, info
    r = mint(c, "k", room_name="standup", **{name: "x" * MAX_TEXT for name in TEXTS})
    error(r, 400, "invalid-request-error", f"over the {MAX_TOKEN:,}")


def test_the_handle_mints_under_the_same_bound(serve: Serve) -> None:
    fake = serve(World([], Clock(NOW))).handle()
    token = fake.token(room_name="standup", user_name="B" * MAX_TEXT)
    assert fake.join(token=token)
    try:
        fake.token(**{name: "x" * MAX_TEXT for name in TEXTS})
    except Exception as exc:  # FakeMeetingsError, as the remote handle raises it
        assert f"over the {MAX_TOKEN:,}" in str(exc), exc
    else:
        raise AssertionError("a token over the bound was minted")
