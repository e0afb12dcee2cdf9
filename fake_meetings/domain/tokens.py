"""Daily meeting tokens (contract part two, §11): HS256 JWTs, signed and verified with the
standard library only, and the token properties Daily documents.

A token's payload uses Daily's abbreviated claim names (``r`` for ``room_name``, ``u`` for
``user_name``, ...: the "token property abbreviations" of docs.daily.co), like the tokens Daily
itself issues and the ones clients self-sign with their API key. A property with no documented
abbreviation keeps its full name. Decoding accepts either spelling.

No aiohttp here: errors are :class:`~fake_meetings.errors.ApiError` (Daily's envelope).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from ..errors import ApiError, invalid
from .domainconfig import DOMAIN_ID
from .nesting import check_depth, depth_info, is_depth_error, too_deep

# property -> JSON type Daily documents for it (create-meeting-token, "Body params")
_BOOL, _INT, _STR, _OBJ = "a boolean", "an integer", "a string", "a JSON object"
PROPERTIES: dict[str, str] = {
    "room_name": _STR,
    "eject_at_token_exp": _BOOL,
    "eject_after_elapsed": _INT,
    "nbf": _INT,
    "exp": _INT,
    "is_owner": _BOOL,
    "user_name": _STR,
    "user_id": _STR,
    "knocking": _BOOL,
    "enable_screenshare": _BOOL,
    "start_video_off": _BOOL,
    "start_audio_off": _BOOL,
    "enable_recording": _STR,
    "enable_prejoin_ui": _BOOL,
    "enable_live_captions_ui": _BOOL,
    "enable_recording_ui": _BOOL,
    "enable_terse_logging": _BOOL,
    "start_cloud_recording": _BOOL,
    "start_cloud_recording_opts": _OBJ,
    "auto_start_transcription": _BOOL,
    "close_tab_on_exit": _BOOL,
    "redirect_on_meeting_exit": _STR,
    "intercom_join_alert": _BOOL,
    "meeting_join_hook": _STR,
    "lang": _STR,
    "permissions": _OBJ,
}

# Daily's "token property abbreviations" (self-signing-tokens guide)
ABBREVIATIONS: dict[str, str] = {
    "nbf": "nbf",
    "exp": "exp",
    "domain_id": "d",
    "room_name": "r",
    "user_id": "ud",
    "user_name": "u",
    "is_owner": "o",
    "knocking": "k",
    "close_tab_on_exit": "ctoe",
    "redirect_on_meeting_exit": "rome",
    "intercom_join_alert": "ij",
    "start_cloud_recording": "sr",
    "start_cloud_recording_opts": "sro",
    "auto_start_transcription": "ast",
    "enable_recording": "er",
    "enable_screenshare": "ss",
    "start_video_off": "vo",
    "start_audio_off": "ao",
    "meeting_join_hook": "mjh",
    "eject_at_token_exp": "ejt",
    "eject_after_elapsed": "eje",
    "lang": "uil",
    "enable_recording_ui": "erui",
    "permissions": "p",
}
_FULL = {short: full for full, short in ABBREVIATIONS.items()}
_HEADER = {"alg": "HS256", "typ": "JWT"}
MAX_INT = 2**53  # integers are JSON-safe
MAX_TEXT = 1000  # characters of a text property
MAX_TOKEN = 4096  # characters: the longest token minted, validated or joined with


def token_error(info: str) -> ApiError:
    """How a bad, expired or not-yet-valid token is refused: 400 ``invalid-request-error``
    (Daily documents "an error" without its text [?])."""
    return ApiError(400, info, "invalid-request-error")


def check_properties(value: object) -> dict[str, Any]:
    """The ``properties`` of a create request, checked like Daily checks them: an object of
    documented properties (an unknown one is a 400 naming it), each of its documented type
    (null: not set)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(f"properties: must be a JSON object; got {_kind(value)}")
    check_depth(value, "properties")
    checked: dict[str, Any] = {}
    for name, prop in value.items():
        kind = PROPERTIES.get(name)
        if kind is None:
            raise invalid(f"unknown meeting token property {name[:100]!r}")
        if prop is None:
            continue
        if not _is(prop, kind):
            raise invalid(f"{name}: must be {kind}; got {_kind(prop)}")
        if kind == _STR and not prop:
            raise invalid(f"{name}: must not be empty")
        if (name in ("nbf", "exp") and prop < 0) or (name == "eject_after_elapsed" and prop < 1):
            raise invalid(f"{name}: out of range; got {prop}")
        checked[name] = prop
    return checked


def _is(value: object, kind: str) -> bool:
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) < MAX_INT
    if kind == _STR:
        return isinstance(value, str) and len(value) <= MAX_TEXT
    return isinstance(value, dict)


def _kind(value: object) -> str:
    names = {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(signing_input: bytes, secret: str) -> bytes:
    key = secret.encode("utf-8", "surrogateescape")  # a header's bytes, as the client sent them
    return hmac.new(key, signing_input, hashlib.sha256).digest()


def sign(properties: Mapping[str, Any], secret: str, *, iat: int, domain_id: str) -> str:
    """A JWT (HS256) of checked ``properties``, in abbreviated claims, issued at ``iat``."""
    claims = {ABBREVIATIONS.get(k, k): v for k, v in properties.items()}
    claims["d"] = domain_id
    claims["iat"] = iat
    head = _b64(orjson.dumps(_HEADER)) + "." + _b64(orjson.dumps(claims))
    return head + "." + _b64(_signature(head.encode("ascii"), secret))


@dataclass(frozen=True)
class Token:
    """A verified token: its properties by full name (no ``iat`` nor ``domain_id``)."""

    properties: dict[str, Any]

    @property
    def room_name(self) -> str | None:
        return self._text("room_name")

    @property
    def user_name(self) -> str | None:
        return self._text("user_name")

    @property
    def user_id(self) -> str | None:
        return self._text("user_id")

    @property
    def is_owner(self) -> bool:
        return self.properties.get("is_owner") is True

    def _text(self, name: str) -> str | None:
        value = self.properties.get(name)
        return value if isinstance(value, str) and value else None


def verify(
    token: str, secrets: Iterable[str | None], now: int, *, ignore_nbf: bool = False
) -> Token:
    """The properties of ``token`` if it is an HS256 JWT signed with one of ``secrets`` and
    valid at ``now`` (``nbf <= now < exp``); else a 400 saying why."""
    parts = token.split(".") if len(token) <= MAX_TOKEN else []
    if len(parts) != 3:
        raise token_error("token is not valid: not a JWT (header.payload.signature)")
    try:
        header = orjson.loads(_unb64(parts[0]))
        claims = orjson.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except (ValueError, binascii.Error, orjson.JSONDecodeError) as exc:
        if isinstance(exc, orjson.JSONDecodeError) and is_depth_error(exc):
            raise token_error("token is not valid: " + depth_info("payload", None)) from None
        raise token_error("token is not valid: not a JWT (bad base64url or JSON)") from None
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        raise token_error("token is not valid: only HS256 tokens are accepted")
    if not isinstance(claims, dict):
        raise token_error("token is not valid: its payload is not a JSON object")
    deep = too_deep(claims)
    if deep is not None:
        raise token_error("token is not valid: " + depth_info("payload", deep))
    signing_input = (parts[0] + "." + parts[1]).encode("ascii", "replace")
    if not any(hmac.compare_digest(_signature(signing_input, s), signature) for s in secrets if s):
        raise token_error("token is not valid: bad signature")
    properties = {_FULL.get(str(k), str(k)): v for k, v in claims.items() if k not in ("iat", "d")}
    for name in ("nbf", "exp"):
        if name in properties and not _is(properties[name], _INT):
            raise token_error(f"token is not valid: {name} is not an integer")
    exp, nbf = properties.get("exp"), properties.get("nbf")
    if exp is not None and now >= exp:
        raise token_error(f"token expired at {exp} (now {now})")
    if nbf is not None and now < nbf and not ignore_nbf:
        raise token_error(f"token is not valid yet: not before {nbf} (now {now})")
    return Token(properties)


@dataclass(frozen=True)
class TokenDesk:
    """Where a server's tokens are issued and checked: its own secret (never shown) and the
    API key it is configured with (tokens self-signed with it are accepted too). The tokens
    it issues carry the domain's id as ``d``: the ``domain_id`` ``GET /v1/`` answers, as
    Daily's docs say of ``d`` (domainconfig.DOMAIN_ID, declared there only)."""

    secret: str = field(repr=False)
    api_key: str | None = field(default=None, repr=False)

    def for_namespace(self, key: str | None) -> TokenDesk:
        """The desk of the namespace of API key ``key`` (None: the default namespace, this
        desk): its secret is derived from this one and the key, so a token minted in one
        namespace is refused in every other."""
        if key is None:
            return self
        derived = hmac.new(
            self.secret.encode("utf-8", "surrogateescape"),
            b"namespace\0" + key.encode("utf-8", "surrogateescape"),
            hashlib.sha256,
        ).hexdigest()
        return replace(self, secret=derived)

    def issue(self, properties: object, now: int) -> str:
        """A token of ``properties`` (checked like POST /meeting-tokens), issued at ``now``;
        one longer than ``MAX_TOKEN`` is refused (400), as nothing would accept it."""
        token = sign(check_properties(properties), self.secret, iat=now, domain_id=DOMAIN_ID)
        if len(token) > MAX_TOKEN:
            raise invalid(
                f"properties: the token would be {len(token):,} characters, over the "
                f"{MAX_TOKEN:,} a meeting token may have (longer ones are not accepted to "
                "validate or join); give shorter text properties"
            )
        return token

    def verify(
        self, token: str, now: int, *, key: str | None = None, ignore_nbf: bool = False
    ) -> Token:
        """``token`` checked at ``now``: signed by this server, or self-signed with the
        configured API key (with any-key auth: ``key``, the key of the request)."""
        api_key = self.api_key if self.api_key is not None else key
        return verify(token, (self.secret, api_key), now, ignore_nbf=ignore_nbf)


@dataclass(frozen=True)
class Who:
    """Who joins a room with a token: the token's room and user fields applied."""

    room: str
    user_name: str | None
    user_id: str | None
    owner: bool


def joining(
    token: Token, room: str | None, user_name: str | None, user_id: str | None, owner: bool
) -> Who:
    """A join carrying ``token``: its ``room_name`` must be the room joined (the room, when
    the join names none); its ``user_name``, ``user_id`` and ``is_owner`` beat the join's own."""
    if token.room_name is not None and room is not None and room != token.room_name:
        raise token_error(
            f"token is not valid for room {room[:100]!r}: it is for room {token.room_name!r}"
        )
    room = room if room is not None else token.room_name
    if room is None:
        raise invalid("room: required (the token names no room_name)")
    return Who(
        room,
        token.user_name if token.user_name is not None else user_name,
        token.user_id if token.user_id is not None else user_id,
        True if token.properties.get("is_owner") is True else owner,
    )
