"""``POST /_fake/faults`` bodies -> :class:`~fake_meetings.state.faults.Fault`, or a 400 naming
the field and the fix."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ...errors import ApiError
from ...state.faults import Fault

FIELDS = (
    "status",
    "path",
    "method",
    "api_key",
    "count",
    "probability",
    "delay_ms",
    "drop",
    "error",
    "info",
    "seed",
)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
MAX_DELAY_MS = 60_000
MAX_TEXT = 1024  # bytes (UTF-8) of a text field: path, method, api_key, error, info


def parse_fault(body: Mapping[str, Any]) -> Fault:
    """A fault from a ``POST /_fake/faults`` body, or a 400 naming the field and the fix."""
    for name in body:
        if name not in FIELDS:
            raise _bad(f"unknown field {name!r}; expected some of: {', '.join(FIELDS)}")
    status = _int(body, "status", 400, 599, "an HTTP error status from 400 to 599")
    path = _str(body, "path")
    if path is not None:
        if not path.startswith("/"):
            raise _bad(f"path: must start with '/' (a prefix like /v1/meetings); got {path!r}")
        if path.startswith("/_fake"):
            raise _bad("path: faults apply to the Daily routes only, never to /_fake/")
    method = _str(body, "method")
    if method is not None:
        method = method.upper()
        if method not in METHODS:
            raise _bad(f"method: must be one of {', '.join(METHODS)}; got {body['method']!r}")
    api_key = _str(body, "api_key")
    if "count" in body and "probability" in body:
        raise _bad("count and probability cannot be used together; give one of them")
    count = _int(body, "count", 1, 10**9, "a whole number of requests, 1 or more")
    probability = _probability(body)
    delay_ms = _int(body, "delay_ms", 0, MAX_DELAY_MS, f"milliseconds from 0 to {MAX_DELAY_MS}")
    drop = _bool(body, "drop")
    if status is None and not drop and not delay_ms:
        raise _bad(
            'status: required, e.g. {"status": 429}; or give drop: true to close the '
            "connection, or delay_ms alone to slow requests down"
        )
    return Fault(
        status=status,
        path=path,
        method=method,
        api_key=api_key,
        count=None if probability is not None else (count if count is not None else 1),
        probability=probability,
        delay_ms=delay_ms or 0,
        drop=drop,
        error=_str(body, "error"),
        info=_str(body, "info", empty_ok=True),
        seed=_int(body, "seed", 0, 2**63 - 1, "a whole number, 0 or more") or 0,
    )


def _bad(info: str) -> ApiError:
    return ApiError(400, info, "invalid-request-error")


def _int(body: Mapping[str, Any], name: str, low: int, high: int, what: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if type(value) is not int or not low <= value <= high:
        raise _bad(f"{name}: must be {what}; got {value!r}")
    return value


def _probability(body: Mapping[str, Any]) -> float | None:
    value = body.get("probability")
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value) or not 0 < value <= 1:
        raise _bad(f"probability: must be a number above 0 and at most 1; got {value!r}")
    return float(value)


def _str(body: Mapping[str, Any], name: str, *, empty_ok: bool = False) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or (not empty_ok and not value.strip()):
        raise _bad(f"{name}: must be a non-empty string; got {value!r:.100}")
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT:
        raise _bad(f"{name}: at most {MAX_TEXT} bytes (UTF-8); got {size}")
    return value


def _bool(body: Mapping[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise _bad(f"{name}: must be true or false; got {value!r}")
    return value
