"""Daily's webhook signature (contract part two, §13): ``X-Webhook-Signature`` is
base64(HMAC-SHA256(key = base64-decoded ``hmac``, message = timestamp + "." + raw body)), sent
with ``X-Webhook-Timestamp``; with ``basicAuth`` set, ``Authorization: Basic`` too."""

from __future__ import annotations

import base64
import hashlib
import hmac as hmac_


def signature(key: bytes, timestamp: str, body: bytes) -> str:
    digest = hmac_.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def headers(key: bytes, timestamp: int, body: bytes, basic_auth: str | None) -> dict[str, str]:
    """The headers of one delivery of ``body`` at ``timestamp`` (unix seconds)."""
    stamp = str(timestamp)
    out = {
        "Content-Type": "application/json",
        "X-Webhook-Signature": signature(key, stamp, body),
        "X-Webhook-Timestamp": stamp,
    }
    if basic_auth is not None:
        out["Authorization"] = "Basic " + base64.b64encode(basic_auth.encode()).decode("ascii")
    return out
