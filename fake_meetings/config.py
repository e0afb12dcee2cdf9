"""Server options, shared by the CLI, the in-process runner and the app factory."""

from __future__ import annotations

from dataclasses import dataclass

from .domain.query import UnknownCursorMode


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    auth: bool = True  # contract §6: require `Authorization: Bearer <key>`
    api_key: str | None = None  # when set, the key must be exactly this
    strict_limit: bool = False  # limit > 100: clamp (False) or 400 (True)
    unknown_cursor: UnknownCursorMode = "error"  # a cursor naming no record: 400 or empty page
    access_log: bool = False
