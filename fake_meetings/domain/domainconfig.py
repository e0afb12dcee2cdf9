"""Daily's domain object, ``GET /`` and ``POST /`` under ``/v1`` (contract part three, §1):
``{"domain_name", "domain_id", "config"}``. Pure rules: the defaults, the checks of the
properties ``POST /`` and a scenario's ``domain:`` block set, and the object.

- ``domain_name`` is the server's ``--domain``; ``domain_id`` one fixed UUID, the webhooks'
  ``domainId`` too [F] (a real answer from before ``domain_id`` existed has none; the fake
  sends it [?]);
- ``config`` is every settable property Daily documents a default for, at that default, with
  the properties set since over it [D dom-cfg]; a property without a documented default
  (``rtmp_geo``, ``enable_mesh_sfu``, ``enable_opus_fec``, ``pinless_dialin``, ``pin_dialin``)
  shows once it is set [F];
- a property Daily does not document, a read-only one or one of the wrong type is a 400
  ``invalid-request-error`` naming it, and nothing changes [?], as on room bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ApiError, invalid

# the server's --domain unless it says another: rooms' urls, https://<name>.daily.co/<room>,
# and domain_name (config.py lists it among the server's defaults)
DEFAULT_DOMAIN = "fake-meetings"
BODY_FIELDS = ("properties",)  # of POST / and of a scenario's `domain:` block
LANGS = (
    *("da", "de", "en", "es", "fi", "fr", "it", "jp", "ka", "nl", "no", "pt", "pt-BR", "pl"),
    *("ru", "sv", "tr", "user"),
)
PERMISSIONS = {
    "canSend": True,
    "canReceive": {"base": True},
    "hasPresence": True,
    "canAdmin": False,
}
RECORDINGS_TEMPLATE = "{domain_name}/{room_name}/{epoch_time}"
TRANSCRIPTION_TEMPLATE = "{domain_name}/{room_name}/{epoch_time}.vtt"
# the documented defaults, in the docs' order [D dom-cfg]
DEFAULTS: dict[str, Any] = {
    "enable_advanced_chat": False,
    "enable_people_ui": True,
    "enable_pip_ui": False,
    "enable_emoji_reactions": False,
    "enable_hand_raising": False,
    "enable_prejoin_ui": True,
    "enable_breakout_rooms": False,
    "enable_live_captions_ui": False,
    "enable_network_ui": False,
    "enable_noise_cancellation_ui": True,
    "enable_video_processing_ui": True,
    "hide_daily_branding": False,
    "hipaa": False,
    "intercom_auto_record": False,
    "redirect_on_meeting_exit": "",
    "lang": "en",
    "meeting_join_hook": None,
    "geo": None,
    "disable_rtmp_geo_fallback": False,
    "enable_terse_logging": False,
    "enable_transcription_storage": False,
    "transcription_bucket": None,
    "recordings_template": RECORDINGS_TEMPLATE,
    "transcription_template": TRANSCRIPTION_TEMPLATE,
    "sfu_switchover": 0.5,
    "enable_adaptive_simulcast": True,
    "enforce_unique_user_ids": False,
    "recordings_bucket": None,
    "permissions": PERMISSIONS,
    "batch_processor_bucket": None,
}
READ_ONLY = frozenset({"intercom_auto_record"})
DOMAIN_ID = "6bd1fc41-1b6b-4d4f-8c42-5a1f0e7f4b10"  # [F] the fake's domain (webhooks' domainId)
_BUCKET = ("bucket_name", "bucket_region", "assume_role_arn", "allow_api_access")
_TEMPLATE_TEXT = re.compile(r"[0-9A-Za-z./_-]*")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
MAX_TEMPLATE = 1024


@dataclass(frozen=True, slots=True)
class DomainConfig:
    """The properties set on a domain (by a scenario or ``POST /``), over Daily's defaults."""

    properties: Mapping[str, Any] = field(default_factory=dict)

    def config(self) -> dict[str, Any]:
        return {**DEFAULTS, **self.properties}

    def updated(self, properties: Mapping[str, Any]) -> DomainConfig:
        """With ``properties`` (already checked) set too."""
        return DomainConfig({**self.properties, **properties})

    def as_json(self, name: str) -> dict[str, Any]:
        return {"domain_name": name, "domain_id": DOMAIN_ID, "config": self.config()}

    @property
    def recordings_template(self) -> str | None:
        """The domain's ``recordings_template`` when set (recordings' keys), else None."""
        template = self.properties.get("recordings_template")
        return template if isinstance(template, str) else None


def checked_properties(value: object) -> dict[str, Any]:
    """``properties`` of ``POST /`` (a 400 naming the first bad one)."""
    if not isinstance(value, dict):
        raise invalid(f"properties: must be a JSON object; got {_kind(value)}")
    for key, item in value.items():
        problem = property_problem(key, item)
        if problem is not None:
            raise invalid(f"properties.{key[:100]}: {problem}")
    return dict(value)


def property_problem(key: str, value: object) -> str | None:
    """What is wrong with setting ``key`` to ``value`` (None: nothing)."""
    if key in READ_ONLY:
        return "is read-only (Daily sets it)"
    check = _CHECKS.get(key)
    if check is None:
        return "unknown domain property; Daily's are " + ", ".join(sorted(_CHECKS))
    return check(value)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _boolean(value: object) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false; got {_kind(value)}"


def _text(nullable: bool) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if isinstance(value, str) or (nullable and value is None):
            return None
        return f"must be a string{' or null' if nullable else ''}; got {_kind(value)}"

    return check


def _lang(value: object) -> str | None:
    return None if value in LANGS else f"must be one of {', '.join(LANGS)}; got {value!r:.60}"


def _number(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    return f"must be a number; got {_kind(value)}"


def _bucket(*keys: str) -> Callable[[object], str | None]:
    def check(value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            return f"must be an object ({', '.join(keys)}) or null; got {_kind(value)}"
        for k, v in value.items():
            if k not in keys:
                return f"unknown key {k[:60]!r}; expected {', '.join(keys)}"
            if k.startswith("allow_") and not isinstance(v, bool):
                return f"{k}: must be true or false; got {_kind(v)}"
            if not k.startswith("allow_") and not isinstance(v, str):
                return f"{k}: must be a string; got {_kind(v)}"
        return None

    return check


def _template(ids: str, extension: str) -> Callable[[object], str | None]:
    names = ("domain_name", "room_name", "mtg_session_id", "instance_id", ids, "epoch_time")

    def check(value: object) -> str | None:
        if not isinstance(value, str):
            return f"must be a string; got {_kind(value)}"
        if len(value) > MAX_TEMPLATE:
            return f"at most {MAX_TEMPLATE} characters; got {len(value)}"
        if "{epoch_time}" not in value:
            return "must contain {epoch_time}"
        for name in _PLACEHOLDER.findall(value):
            if name not in names:
                return f"unknown placeholder {{{name[:60]}}}; known: {', '.join(names)}"
        if not _TEMPLATE_TEXT.fullmatch(_PLACEHOLDER.sub("", value)):
            return "only A-Z, a-z, 0-9, '.', '/', '_', '-' and {placeholders}"
        # one trailing '.' is no extension: Daily's docs give the defaults so in the
        # set-domain-config example ('{epoch_time}.', '{epoch_time}.vtt.') [D dom-set]
        named = value.removesuffix(".")
        last = _PLACEHOLDER.sub("", named.rsplit("/", 1)[-1])  # the file name, as written
        if extension and "." in last and not named.endswith(extension):
            return f"the only extension allowed is {extension}"
        return None

    return check


def _permissions(value: object) -> str | None:
    if not isinstance(value, dict):
        return f"must be an object like {PERMISSIONS}; got {_kind(value)}"
    for k, v in value.items():
        if k not in PERMISSIONS:
            return f"unknown key {k[:60]!r}; expected {', '.join(PERMISSIONS)}"
        if k == "canReceive" and not isinstance(v, dict):
            return f"canReceive: must be an object like {{'base': true}}; got {_kind(v)}"
        if k == "hasPresence" and not isinstance(v, bool):
            return f"hasPresence: must be true or false; got {_kind(v)}"
        if k in ("canSend", "canAdmin") and not isinstance(v, bool | list):
            return f"{k}: must be true, false or a list; got {_kind(v)}"
    return None


def _list(value: object) -> str | None:
    return None if isinstance(value, list) else f"must be a list; got {_kind(value)}"


# every property POST / takes, by kind (those with a default are in DEFAULTS too); the OpenAPI
# document describes each kind (api/openapi/domain.py)
KINDS: dict[str, str] = {
    **{k: "boolean" for k, v in DEFAULTS.items() if isinstance(v, bool) and k not in READ_ONLY},
    "redirect_on_meeting_exit": "text or null",
    "lang": "lang",
    "meeting_join_hook": "text or null",
    "geo": "text or null",
    "rtmp_geo": "text or null",
    "transcription_bucket": "bucket",
    "recordings_template": "recordings template",
    "transcription_template": "transcription template",
    "enable_mesh_sfu": "boolean",
    "sfu_switchover": "number",
    "recordings_bucket": "recordings bucket",
    "permissions": "permissions",
    "batch_processor_bucket": "bucket",
    "enable_opus_fec": "boolean",
    "pinless_dialin": "list",
    "pin_dialin": "list",
}
BUCKET_KEYS = {"bucket": _BUCKET, "recordings bucket": (*_BUCKET, "allow_streaming_from_bucket")}
_CHECK_OF_KIND: dict[str, Callable[[object], str | None]] = {
    "boolean": _boolean,
    "text or null": _text(nullable=True),
    "lang": _lang,
    "number": _number,
    "list": _list,
    "bucket": _bucket(*BUCKET_KEYS["bucket"]),
    "recordings bucket": _bucket(*BUCKET_KEYS["recordings bucket"]),
    "recordings template": _template("recording_id", ".mp4"),
    "transcription template": _template("transcript_id", ""),
    "permissions": _permissions,
}
_CHECKS = {name: _CHECK_OF_KIND[kind] for name, kind in KINDS.items()}


def bucket_flag(properties: Mapping[str, object], bucket: str, flag: str) -> bool | None:
    """``flag`` of the domain's custom ``bucket`` (``recordings_bucket``,
    ``transcription_bucket``): True or False as set, None without such a bucket or flag."""
    value = properties.get(bucket)
    found = value.get(flag) if isinstance(value, dict) else None
    return found if isinstance(found, bool) else None


def no_api_access(properties: Mapping[str, object], bucket: str) -> ApiError | None:
    """Daily's docs: for files in a custom bucket, its ``allow_api_access`` decides whether an
    access link is given; set to false, the fake refuses with a 403 naming it (Daily's answer
    is not documented: possibly an error string in place of the link)."""
    if bucket_flag(properties, bucket, "allow_api_access") is not False:
        return None
    return ApiError(
        403,
        f"{bucket}.allow_api_access is false: files in this bucket get no access link; "
        "read them from the bucket, or set it to true (POST / with properties)",
        "forbidden-error",
    )
