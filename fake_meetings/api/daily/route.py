"""One Daily route as a family declares it in its ``ROUTES``: the method and path it is served
at, the handler that answers it, and the OpenAPI operation that describes it.

``operation`` is the route's ``operationId``; the family's module in ``api/openapi/`` builds
the operation under that name. The document's paths are made from the route table
(``api/openapi/paths.py``), so a route naming no operation, or an operation no route names,
fails the build of the document (and the import of ``api/openapi/document.py``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Route:
    method: str  # upper case, as aiohttp's router takes it
    path: str  # without /v1, with aiohttp's {placeholders}
    handler: Handler
    operation: str  # the operationId of its OpenAPI operation

    def __str__(self) -> str:
        return f"{self.method} {self.path}"
