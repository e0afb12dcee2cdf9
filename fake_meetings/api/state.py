"""Typed keys of the application state, and the one way a handler finds what it serves."""

from __future__ import annotations

from aiohttp import web

from ..config import ServerConfig
from ..domain.world import World
from .faults import RateLimiter
from .journal import Journal
from .namespaces import Namespace, Namespaces, bearer_key

WORLD = web.AppKey("world", World)  # the default namespace's world (the one create_app got)
CONFIG = web.AppKey("config", ServerConfig)
JOURNAL = web.AppKey("journal", Journal)  # the default namespace's journal
NAMESPACES = web.AppKey("namespaces", Namespaces)
LIMITER = web.AppKey[RateLimiter | None]("limiter")  # None unless --rate-limit


def namespace_of(request: web.Request) -> Namespace:
    """The namespace of a request: the default one, or with ``--namespaces`` its Bearer key's."""
    spaces = request.app[NAMESPACES]
    if not spaces.per_key:
        return spaces.default
    return spaces.for_key(bearer_key(request.headers.get("Authorization")))


def world_of(request: web.Request) -> World:
    """The world a request reads: every handler gets its World here."""
    return namespace_of(request).world
