"""The bodies of ``POST /rooms`` and ``POST /rooms/:name``, checked (a 400 naming the field
otherwise): for the Daily routes and the test handle alike, through the state layer's room
commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..errors import invalid
from .bodies import checked_fields, kind_of
from .nesting import check_depth
from .rooms import PRIVACY, invalid_name_info

CREATE_FIELDS = ("name", "privacy", "properties")
UPDATE_FIELDS = ("privacy", "properties")


class RoomBody(NamedTuple):
    """What a create or an update asks: None where the body does not say."""

    name: str | None
    privacy: str | None
    properties: Mapping[str, Any] | None


def create_body(body: dict[str, Any]) -> RoomBody:
    """``POST /rooms``'s body (only ``CREATE_FIELDS``): a name, if given, that Daily takes."""
    checked_fields(body, CREATE_FIELDS)
    name = body.get("name")
    if name is not None:
        if not isinstance(name, str):
            raise invalid(f"name: must be a string; got {kind_of(name)}")
        complaint = invalid_name_info(name) if name else "name: must not be empty"
        if complaint is not None:
            raise invalid(complaint)
    return RoomBody(name, _privacy(body), _properties(body))


def update_body(body: dict[str, Any]) -> RoomBody:
    """``POST /rooms/:name``'s body (only ``UPDATE_FIELDS``); its ``name`` is None."""
    checked_fields(body, UPDATE_FIELDS)
    return RoomBody(None, _privacy(body), _properties(body))


def _privacy(body: Mapping[str, Any]) -> str | None:
    privacy = body.get("privacy")
    if privacy is not None and privacy not in PRIVACY:
        shown = privacy if isinstance(privacy, str) else kind_of(privacy)
        raise invalid(f"privacy: must be public or private; got {shown!r:.100}")
    return privacy


def _properties(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    properties = body.get("properties")
    if properties is not None and not isinstance(properties, dict):
        raise invalid(f"properties: must be a JSON object; got {kind_of(properties)}")
    check_depth(properties, "properties")
    return properties
