"""The webhook object of ``/webhooks`` (contract part two, §13) and the checks of its bodies
(pure rules: the routes, the CLI and scenario files share them).

Daily's object is camelCase: ``uuid, url, hmac, basicAuth, retryType, eventTypes, state,
failedCount, lastMomentPushed, domainId, createdAt, updatedAt``. A domain has at most one
webhook. Choices of the fake [F], documented in README:

- ``url`` must be an absolute ``http://`` or ``https://`` URL (Daily needs a public https one;
  the fake sends to local receivers too), at most 2,048 characters;
- ``eventTypes`` absent or empty means every event; names Daily knows but the fake never emits
  (recordings, streaming, ...) are accepted and never sent;
- ``hmac``, when given, must be base64 of at least one byte; when absent, 32 random bytes;
- ``basicAuth`` is the ``user:password`` text sent as ``Authorization: Basic`` (base64 of it);
- ``X-Webhook-Timestamp`` is the wall-clock time of sending (``wall``, as Daily's is), or the
  server clock's instant (``clock``, for receivers whose own clock is frozen to the fake's):
  a namespace's mode, from ``serve --webhook-timestamp`` or a scenario's ``webhook:`` block
  (key ``timestamp``, which is no POST /webhooks field).
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from ..errors import invalid
from .rooms import created_at_text

CIRCUIT_BREAKER = "circuit-breaker"
EXPONENTIAL = "exponential"
RETRY_TYPES = (CIRCUIT_BREAKER, EXPONENTIAL)
ACTIVE, FAILED = "ACTIVE", "FAILED"
MAX_URL = 2048
MAX_TEXT = 1024
# the event types of Daily's POST /webhooks reference
DAILY_EVENT_TYPES = (
    "recording.ready-to-download",
    "recording.started",
    "recording.error",
    "streaming.started",
    "streaming.updated",
    "streaming.ended",
    "streaming.error",
    "meeting.started",
    "meeting.ended",
    "participant.joined",
    "participant.left",
    "waiting-participant.joined",
    "waiting-participant.left",
    "batch-processor.job-finished",
    "batch-processor.error",
    "dialout.connected",
    "dialout.error",
    "dialout.stopped",
    "dialout.warning",
    "dialin.ready",
    "dialin.connected",
    "dialin.stopped",
    "dialin.error",
    "dialin.warning",
    "transcript.started",
    "transcript.ready-to-download",
    "transcript.error",
)
CREATE_FIELDS = ("url", "eventTypes", "hmac", "basicAuth", "retryType")
UPDATE_FIELDS = CREATE_FIELDS
# X-Webhook-Timestamp [F]: the time of sending (Daily's) or the server clock's instant
WALL, CLOCK = "wall", "clock"
TIMESTAMPS = (WALL, CLOCK)
SCENARIO_FIELDS = (*CREATE_FIELDS, "timestamp")  # a scenario's `webhook:` block


@dataclass(frozen=True, slots=True)
class Webhook:
    uuid: str
    url: str
    hmac: str  # base64 text, as given or generated
    basic_auth: str | None
    retry_type: str
    event_types: tuple[str, ...]  # empty: every event
    state: str
    failed_count: int
    last_moment_pushed: int | None  # server-clock instant of the last 200
    domain_id: str
    created_at: int
    updated_at: int

    @property
    def key(self) -> bytes:
        return base64.b64decode(self.hmac)

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def as_json(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "url": self.url,
            "hmac": self.hmac,
            "basicAuth": self.basic_auth,
            "retryType": self.retry_type,
            "eventTypes": list(self.event_types),
            "state": self.state,
            "failedCount": self.failed_count,
            "lastMomentPushed": (
                None
                if self.last_moment_pushed is None
                else created_at_text(self.last_moment_pushed)
            ),
            "domainId": self.domain_id,
            "createdAt": created_at_text(self.created_at),
            "updatedAt": created_at_text(self.updated_at),
        }


def listed_json(hook: Webhook | None) -> list[dict[str, Any]]:
    """``GET /webhooks``: a JSON array, as Daily's: the domain's webhook, or nothing."""
    return [] if hook is None else [hook.as_json()]


def deleted_json(hook: Webhook) -> dict[str, Any]:
    """``DELETE /webhooks/:uuid``: shaped like DELETE /rooms/:name's answer [F]."""
    return {"deleted": True, "uuid": hook.uuid}


def new_hmac() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def created(body: Mapping[str, Any], uuid: str, domain_id: str, now: int) -> Webhook:
    """The webhook ``POST /webhooks`` with ``body`` makes (400 naming the field otherwise)."""
    if "url" not in body:
        raise invalid("url: required (the address the events are POSTed to)")
    hmac = _hmac(body["hmac"]) if body.get("hmac") is not None else new_hmac()
    return Webhook(
        uuid,
        _url(body["url"]),
        hmac,
        _basic_auth(body.get("basicAuth")),
        _retry_type(body.get("retryType")),
        _event_types(body.get("eventTypes")),
        ACTIVE,
        0,
        None,
        domain_id,
        now,
        now,
    )


def updated(hook: Webhook, body: Mapping[str, Any], now: int) -> Webhook:
    """``POST /webhooks/:uuid``: the fields given change; the webhook is ACTIVE again with no
    failures counted (Daily's way to re-activate a FAILED one)."""
    changes: dict[str, Any] = {"state": ACTIVE, "failed_count": 0, "updated_at": now}
    if "url" in body:
        changes["url"] = _url(body["url"])
    if body.get("hmac") is not None:
        changes["hmac"] = _hmac(body["hmac"])
    if "basicAuth" in body:
        changes["basic_auth"] = _basic_auth(body["basicAuth"])
    if "retryType" in body:
        changes["retry_type"] = _retry_type(body["retryType"])
    if "eventTypes" in body:
        changes["event_types"] = _event_types(body["eventTypes"])
    return replace(hook, **changes)


def timestamp_mode(value: object) -> str:
    """A checked ``X-Webhook-Timestamp`` mode (400 naming ``timestamp`` otherwise)."""
    if value not in TIMESTAMPS:
        raise invalid(
            "timestamp: must be wall (the time of sending, as Daily's) or clock (the server "
            f"clock's instant); got {value!r:.100}"
        )
    return str(value)


def _url(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise invalid("url: must be a non-empty string such as http://127.0.0.1:9000/hooks")
    if not value.isprintable() or " " in value:
        raise invalid("url: must not contain spaces or control characters (percent-encode them)")
    if len(value) > MAX_URL:
        raise invalid(f"url: at most {MAX_URL} characters; got {len(value)}")
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise invalid(f"url: must be an absolute http:// or https:// URL; got {value!r:.200}")
    return value


def _hmac(value: object) -> str:
    # after the field, Daily's own words ('"hmac" must be a valid base64 string'): clients
    # match them to send the webhook again without a secret (ScholarHub's DailyClient)
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise invalid('hmac: "hmac" must be a valid base64 string (at most 1,024 characters)')
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(
            'hmac: "hmac" must be a valid base64 string (A-Z, a-z, 0-9, +, / and = padding)'
        ) from None
    if not key:
        raise invalid("hmac: must encode at least one byte")
    return value


def _basic_auth(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT or not value.isprintable():
        raise invalid("basicAuth: must be printable text such as user:password (<= 1,024)")
    return value


def _retry_type(value: object) -> str:
    if value is None:
        return CIRCUIT_BREAKER
    if value not in RETRY_TYPES:
        raise invalid(f"retryType: must be circuit-breaker or exponential; got {value!r:.100}")
    return str(value)


def _event_types(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > len(DAILY_EVENT_TYPES):
        raise invalid("eventTypes: must be a list of event type names")
    for item in value:
        if item not in DAILY_EVENT_TYPES:
            raise invalid(
                f"eventTypes: unknown event type {item!r:.100}; known: meeting.started, "
                "meeting.ended, participant.joined, participant.left, ..."
            )
    return tuple(dict.fromkeys(value))
