"""The bodies of ``POST /rooms/:name/transcription/start | update | stop`` (contract part
three, §3.3), checked: each problem is a 400 ``invalid-request-error`` naming the field. Every
field is optional; no body at all is ``{}``.

What the fake keeps of a start: the ``instanceId`` (which transcription an update or a stop
reaches). The other fields (language, model, filters, redaction, participants) are checked and
otherwise ignored: the fake transcribes no audio [F].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import invalid
from .recordstart import instance_id_of

START_FIELDS = (
    "language",
    "model",
    "tier",
    "profanity_filter",
    "punctuate",
    "endpointing",
    "redact",
    "extra",
    "includeRawResponse",
    "instanceId",
    "participants",
)
UPDATE_FIELDS = ("instanceId", "participants")
STOP_FIELDS = ("instanceId",)
MAX_PARTICIPANTS = 1000  # session ids in ``participants``: a bound of ours
_STRINGS = ("language", "model", "tier")
_BOOLEANS = ("profanity_filter", "punctuate", "includeRawResponse")


def _participants(value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_PARTICIPANTS:
        raise invalid(
            f'"participants" must be an array of at most {MAX_PARTICIPANTS} session ids; '
            f"got {value!r:.100}"
        )
    for item in value:
        if not isinstance(item, str) or not 0 < len(item) <= 128:
            raise invalid(f'"participants" items must be session ids; got {item!r:.100}')


def checked_instance(body: Mapping[str, Any]) -> str:
    """A body of one of the three routes (only its fields, checked by the caller), checked:
    the instance it names (Daily's default instance when none)."""
    for name in _STRINGS:
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or not 0 < len(value) <= 64):
            raise invalid(f'"{name}" must be a string of 1 to 64 characters; got {value!r:.100}')
    for name in _BOOLEANS:
        if name in body and not isinstance(body[name], bool):
            raise invalid(f'"{name}" must be a boolean; got {body[name]!r:.100}')
    endpointing = body.get("endpointing")
    if endpointing is not None and (
        not isinstance(endpointing, int | float) or (endpointing < 0 and endpointing is not False)
    ):
        raise invalid(f'"endpointing" must be ms or a boolean; got {endpointing!r:.100}')
    redact = body.get("redact")
    if not (
        redact is None
        or isinstance(redact, bool)
        or (isinstance(redact, list) and all(isinstance(x, str) for x in redact))
    ):
        raise invalid(f'"redact" must be a boolean or an array of strings; got {redact!r:.100}')
    extra = body.get("extra")
    if extra is not None and not isinstance(extra, dict):
        raise invalid(f'"extra" must be an object; got {extra!r:.100}')
    if "participants" in body:
        _participants(body["participants"])
    return instance_id_of(body)
