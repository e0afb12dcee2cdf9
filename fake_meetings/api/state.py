"""Typed keys of the application state, and the one way a handler finds what it serves."""

from __future__ import annotations

from aiohttp import web

from ..config import ServerConfig
from ..domain.world import World
from .credentials import bearer_key
from .faults import RateLimiter
from .namespaces import Namespace, Namespaces

CONFIG = web.AppKey("config", ServerConfig)
NAMESPACES = web.AppKey("namespaces", Namespaces)
LIMITER = web.AppKey[RateLimiter | None]("limiter")  # None unless --rate-limit


def request_key(request: web.Request) -> str | None:
    """The Bearer key a request names (None when absent or malformed)."""
    return bearer_key(request.headers.get("Authorization"))


def namespace_of(request: web.Request) -> Namespace:
    """The namespace a request acts on: the default one, or with ``--namespaces`` its Bearer
    key's, created on first use. Only handlers call this (auth has passed, a route matched)."""
    spaces = request.app[NAMESPACES]
    if not spaces.per_key:
        return spaces.default
    return spaces.for_key(request_key(request))


def existing_namespace(request: web.Request) -> Namespace | None:
    """The namespace of a request if it exists; never creates one."""
    spaces = request.app[NAMESPACES]
    if not spaces.per_key:
        return spaces.default
    return spaces.get(request_key(request))


def world_of(request: web.Request) -> World:
    """The world a Daily-route handler reads: every handler gets its World here."""
    return namespace_of(request).world
