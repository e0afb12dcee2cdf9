"""Credentials a client sends: the Bearer key of ``Authorization`` and shared secrets.

Header values reach us as text decoded from any bytes the client sent (aiohttp keeps bytes
that are not UTF-8 as surrogate escapes), so a secret is compared as those original bytes:
whatever a client sends, a wrong secret is a wrong secret, never a failure.
"""

from __future__ import annotations

import hmac


def bearer_key(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header; None when absent or malformed."""
    if header is None:
        return None
    scheme, _, key = header.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return None
    return key


def as_sent(value: str) -> bytes:
    """The bytes a client sent for a header value (or part of one)."""
    return value.encode("utf-8", "surrogateescape")


def is_text(value: str) -> bool:
    """Whether a header value (or part of one) was sent as UTF-8 text (bytes that are not keep
    surrogate escapes, which strict UTF-8 refuses)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def same_secret(sent: str | None, expected: str) -> bool:
    """Whether ``sent`` is exactly ``expected``, in constant time."""
    return sent is not None and hmac.compare_digest(as_sent(sent), expected.encode("utf-8"))
