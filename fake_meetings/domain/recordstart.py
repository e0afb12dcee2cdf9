"""The bodies of ``POST /rooms/:name/recordings/start | update | stop`` (contract part three,
§2.5), checked: each problem is a 400 ``invalid-request-error`` naming the field, as Daily's
``"layout.max_cam_streams" is not allowed``. Every field is optional; no body at all is ``{}``.

What the fake keeps of a start: the recording's ``type``, ``instanceId`` and ``maxDuration``
(when it stops by itself). The other fields (layout, size, bitrates, idle time-out, colour) are
checked and otherwise ignored: the fake records no pixels [F].
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import invalid
from .recordings import (
    CLOUD,
    DEFAULT_INSTANCE,
    DEFAULT_MAX_DURATION,
    MAX_MAX_DURATION,
    RAW_TRACKS,
    TYPES,
)

START_FIELDS = (
    "type",
    "instanceId",
    "layout",
    "width",
    "height",
    "fps",
    "videoBitrate",
    "audioBitrate",
    "minIdleTimeOut",
    "maxDuration",
    "backgroundColor",
)
STOP_FIELDS = ("instanceId", "type")
MAX_CAM_STREAMS = 20
# layout.preset -> the other keys it takes [D rrec-start]
PRESETS: dict[str, tuple[str, ...]] = {
    "default": ("max_cam_streams",),
    "single-participant": ("session_id",),
    "active-participant": (),
    "portrait": ("variant", "max_cam_streams"),
    "audio-only": (),
    "raw-tracks-audio-only": (),
    "custom": ("composition_id", "composition_params", "session_assets", "participants"),
}
_COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})")
# field -> (least, most) of an integer field; None: no bound of ours
_INTEGERS: dict[str, tuple[int, int | None]] = {
    "width": (2, 7680),
    "height": (2, 7680),
    "fps": (1, 60),
    "videoBitrate": (10, 10000),
    "audioBitrate": (10, 320),
    "minIdleTimeOut": (0, None),
    "maxDuration": (1, MAX_MAX_DURATION),
}


@dataclass(frozen=True, slots=True)
class StartOptions:
    """What a start (or an update) asks for that the fake keeps."""

    type: str = CLOUD
    instance_id: str = DEFAULT_INSTANCE
    max_duration: int = DEFAULT_MAX_DURATION
    layout: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StopOptions:
    type: str = CLOUD
    instance_id: str = DEFAULT_INSTANCE


def _integer(name: str, value: object) -> int:
    least, most = _INTEGERS[name]
    if not isinstance(value, int) or isinstance(value, bool):
        raise invalid(f'"{name}" must be an integer; got {value!r:.100}')
    if value < least or (most is not None and value > most):
        within = f"at least {least}" if most is None else f"from {least} to {most}"
        raise invalid(f'"{name}" must be {within}; got {value}')
    if name in ("width", "height") and value % 2:
        raise invalid(f'"{name}" must be an even number; got {value}')
    return value


def _type(body: Mapping[str, Any]) -> str:
    value = body.get("type", CLOUD)
    if value not in TYPES:
        raise invalid(f'"type" must be one of {", ".join(TYPES)}; got {value!r:.100}')
    assert isinstance(value, str)
    return value


def instance_id_of(body: Mapping[str, Any]) -> str:
    value = body.get("instanceId", DEFAULT_INSTANCE)
    if isinstance(value, str) and len(value) == 36:
        try:
            return str(uuid.UUID(value))  # lower case, as Daily's ids are
        except ValueError:
            pass
    raise invalid(f'"instanceId" must be a UUID like {DEFAULT_INSTANCE}; got {value!r:.100}')


def _layout(value: object, kind: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise invalid(f'"layout" must be an object with a "preset"; got {value!r:.100}')
    preset = value.get("preset")
    if not isinstance(preset, str) or preset not in PRESETS:
        raise invalid(f'"layout.preset" must be one of {", ".join(PRESETS)}; got {preset!r:.100}')
    if preset == "raw-tracks-audio-only" and kind != RAW_TRACKS:
        raise invalid('"layout.preset" raw-tracks-audio-only is for "type": "raw-tracks" only')
    allowed = PRESETS[preset]
    for key in value:
        if key != "preset" and key not in allowed:
            raise invalid(f'"layout.{key[:100]}" is not allowed (preset {preset})')
    cams = value.get("max_cam_streams")
    if cams is not None and (
        not isinstance(cams, int) or isinstance(cams, bool) or not 1 <= cams <= MAX_CAM_STREAMS
    ):
        raise invalid(f'"layout.max_cam_streams" must be 1 to {MAX_CAM_STREAMS}; got {cams!r:.100}')
    variant = value.get("variant")
    if variant is not None and variant not in ("vertical", "inset"):
        raise invalid(f'"layout.variant" must be vertical or inset; got {variant!r:.100}')
    session_id = value.get("session_id")
    if session_id is not None and not isinstance(session_id, str):
        raise invalid(f'"layout.session_id" must be a string; got {session_id!r:.100}')
    for key in ("composition_params", "session_assets", "participants"):
        if key in value and not isinstance(value[key], dict):
            raise invalid(f'"layout.{key}" must be an object; got {value[key]!r:.100}')
    composition = value.get("composition_id")
    if composition is not None and not isinstance(composition, str):
        raise invalid(f'"layout.composition_id" must be a string; got {composition!r:.100}')
    return value


def start_options(body: Mapping[str, Any]) -> StartOptions:
    """A start's or an update's body (only ``START_FIELDS``, checked by the caller), checked."""
    kind = _type(body)
    instance = instance_id_of(body)
    for name in _INTEGERS:
        if name in body:
            _integer(name, body[name])
    colour = body.get("backgroundColor")
    if colour is not None and (not isinstance(colour, str) or not _COLOUR.fullmatch(colour)):
        raise invalid(f'"backgroundColor" must be #rrggbb or #aarrggbb; got {colour!r:.100}')
    layout = _layout(body["layout"], kind) if "layout" in body else None
    max_duration = body.get("maxDuration", DEFAULT_MAX_DURATION)
    return StartOptions(kind, instance, max_duration, layout)


def stop_options(body: Mapping[str, Any]) -> StopOptions:
    """A stop's body (only ``STOP_FIELDS``), checked."""
    return StopOptions(_type(body), instance_id_of(body))


def same_kind(stop_type: str, recording_type: str) -> bool:
    """Whether a stop (or update) of ``stop_type`` reaches a recording of ``recording_type``:
    raw-tracks only with ``raw-tracks``, the composite kinds (cloud, cloud-audio-only) with
    either of theirs [D rrec-stop]."""
    return (stop_type == RAW_TRACKS) == (recording_type == RAW_TRACKS)
