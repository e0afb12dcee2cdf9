"""Typed keys of the application state."""

from __future__ import annotations

from aiohttp import web

from ..config import ServerConfig
from ..domain.world import World
from .journal import Journal

WORLD = web.AppKey("world", World)
CONFIG = web.AppKey("config", ServerConfig)
JOURNAL = web.AppKey("journal", Journal)


def world_of(request: web.Request) -> World:
    """The world a request reads (the one place to change for per-key namespaces)."""
    return request.app[WORLD]
