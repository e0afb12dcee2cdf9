"""Typed keys of the application state."""

from __future__ import annotations

from aiohttp import web

from ..config import ServerConfig
from ..domain.world import World

WORLD = web.AppKey("world", World)
CONFIG = web.AppKey("config", ServerConfig)
