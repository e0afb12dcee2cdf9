"""The blocks of a scenario that set up the account around its sessions: ``rooms:`` (the
rooms ``GET /rooms`` lists), ``webhook:`` (where Daily's events go) and ``domain:`` (the
domain's properties), each problem at its file, path and line like the rest of scenario
validation.

The ``webhook:`` and ``domain:`` blocks are checked by the functions that check the bodies of
``POST /webhooks`` and ``POST /``, and a room's name and the size of its config by the room
routes' own rules (``domain/rooms.py``): one rule for both ways in, with a file's mistakes
shown at their lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..domain import domainconfig, webhook
from ..domain.model import Session
from ..domain.nesting import depth_info, too_deep
from ..domain.rooms import (
    IMPLIED_LEAD,
    PRIVACY,
    Room,
    derived_id,
    invalid_name_info,
    properties_problem,
)
from ..errors import ApiError
from .validate import Checker

ROOM_KEYS = ("name", "created_at", "privacy", "api_created", "config")


def webhook_block(c: Checker) -> dict[str, Any] | None:
    """The `webhook:` block, checked like a POST /webhooks body (and its `timestamp`)."""
    fields = webhook.SCENARIO_FIELDS
    raw = c.mapping(("webhook",), fields, required=("url",))
    if raw is None or any(key not in fields for key in raw) or "url" not in raw:
        return None
    try:
        webhook.created(raw, "-", "-", 0)
        if "timestamp" in raw:
            webhook.timestamp_mode(raw["timestamp"])
    except ApiError as exc:
        field = exc.info.split(":", 1)[0]
        c.problem(("webhook", field) if field in raw else ("webhook",), exc.info)
        return None
    return dict(raw)


def domain_block(c: Checker) -> domainconfig.DomainConfig | None:
    """The `domain:` block, checked like a POST / body: each property where it is written."""
    raw = c.mapping(("domain",), domainconfig.BODY_FIELDS)
    if raw is None or "properties" not in raw:
        return None if raw is None else domainconfig.DomainConfig()
    properties = raw["properties"]
    if properties is None:
        return domainconfig.DomainConfig()
    if not isinstance(properties, dict):
        c.problem(
            ("domain", "properties"),
            "expected a mapping of Daily's domain properties to values, like "
            f"{{enable_prejoin_ui: false}}; got {type(properties).__name__}",
        )
        return None
    deep = too_deep(properties)  # aliases can nest it deeper than the document
    if deep is not None:
        c.problem(("domain", "properties"), depth_info("properties", deep, named=False))
        return None
    errors_before = c.count
    for key, value in properties.items():
        problem = domainconfig.property_problem(str(key), value)
        if problem is not None:
            c.problem(("domain", "properties", key), problem)
    if c.count > errors_before:
        return None
    too_big = properties_problem(properties, "the domain's")
    if too_big is not None:
        c.problem(("domain", "properties"), too_big)
        return None
    return domainconfig.DomainConfig(dict(properties))


def rooms_block(c: Checker, now: int, sessions: Sequence[Session]) -> list[Room]:
    """The `rooms:` block: each room's name, when it was created, privacy and config."""
    first: dict[str, int] = {}
    for s in sessions:
        first[s.room] = min(s.start_time, first.get(s.room, s.start_time))
    out: list[Room] = []
    seen: dict[str, int] = {}
    for i in range(len(c.sequence(("rooms",), required=False))):
        path: tuple[str | int, ...] = ("rooms", i)
        raw = c.mapping(path, ROOM_KEYS, required=("name",))
        if raw is None:
            continue
        errors_before = c.count
        name = c.string((*path, "name"))
        if name is not None:
            complaint = invalid_name_info(name)
            if complaint is not None:
                c.problem((*path, "name"), complaint)
            elif name in seen:
                c.problem(
                    (*path, "name"), f"duplicate room {name!r} (first at rooms[{seen[name]}])"
                )
            else:
                seen[name] = i
        created = c.instant((*path, "created_at"), now) if "created_at" in raw else None
        privacy = raw.get("privacy", PRIVACY[0])
        if privacy not in PRIVACY:
            c.problem((*path, "privacy"), f"expected public or private; got {privacy!r:.60}")
        api_created = c.boolean((*path, "api_created"), default=False)
        config = raw.get("config", {})
        if config is None:
            config = {}
        if not isinstance(config, dict) or not all(isinstance(k, str) for k in config):
            c.problem(
                (*path, "config"),
                "expected a mapping of property names to values (the room's non-default "
                "properties, like {max_participants: 4}); got "
                + (type(config).__name__ if not isinstance(config, dict) else "a non-text key"),
            )
        deep = too_deep(config)  # aliases can nest a config deeper than the document
        if deep is not None:
            c.problem((*path, "config"), depth_info("config", deep, named=False))
        elif isinstance(config, dict) and c.count == errors_before:
            too_big = properties_problem(config)
            if too_big is not None:
                c.problem((*path, "config"), too_big)
        if c.count > errors_before or name is None:
            continue
        if created is None:
            created = max(0, first[name] - IMPLIED_LEAD) if name in first else now
        out.append(
            Room(derived_id(name, created), name, bool(api_created), privacy, created, config)
        )
    return out
