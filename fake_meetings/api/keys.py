"""Typed keys of the application state, and the one way a handler finds what it serves."""

from __future__ import annotations

from aiohttp import web

from ..config import ServerConfig
from ..domain.tokens import TokenDesk
from ..domain.world import World
from ..state.namespaces import Namespace, Namespaces
from ..state.ratelimit import RateLimiter
from .credentials import bearer_key, is_text
from .errors import ApiError

CONFIG = web.AppKey("config", ServerConfig)
NAMESPACES = web.AppKey("namespaces", Namespaces)
TOKENS = web.AppKey("tokens", TokenDesk)  # issues and checks meeting tokens
LIMITER = web.AppKey[RateLimiter | None]("limiter")  # None unless --rate-limit
# the namespace a request acts on, once a route or a fault of that namespace took it
ACTS_ON = web.RequestKey("acts_on", Namespace)


def request_key(request: web.Request) -> str | None:
    """The Bearer key a request names (None when absent or malformed)."""
    return bearer_key(request.headers.get("Authorization"))


def existing_namespace(request: web.Request) -> Namespace | None:
    """The namespace a request acts on, if it exists; never creates one."""
    spaces = request.app[NAMESPACES]
    if not spaces.per_key:  # one namespace for everybody: nothing to look up (the hot path)
        return spaces.default
    space = request.get(ACTS_ON)
    return space if space is not None else spaces.get(request_key(request))


def namespace_of(request: web.Request) -> Namespace:
    """The namespace a request acts on: the default one, or with ``--namespaces`` its Bearer
    key's, created on first use; only handlers and a fault that fires call this. The request
    keeps it: a request delayed by a fault is answered from the namespace it started in, even
    one deleted meanwhile (which it does not bring back). A key that is not UTF-8 text names no
    namespace: 401, like a wrong key."""
    spaces = request.app[NAMESPACES]
    if not spaces.per_key:
        return spaces.default
    space = existing_namespace(request)
    if space is None:
        key = request_key(request)
        if key is None or not is_text(key):
            raise ApiError(
                401, "the API key is not valid (it is not UTF-8 text)", "authentication-error"
            )
        space = spaces.for_key(key)
    request[ACTS_ON] = space
    return space


def answering_namespace(request: web.Request) -> Namespace:
    """Where a request is journaled: the namespace a route or a fault acted on, else (refused
    before either) the default one."""
    spaces = request.app[NAMESPACES]
    if not spaces.per_key:
        return spaces.default
    return request.get(ACTS_ON) or spaces.default


def world_of(request: web.Request) -> World:
    """The world a Daily-route handler reads: every handler gets its World here."""
    return namespace_of(request).world
