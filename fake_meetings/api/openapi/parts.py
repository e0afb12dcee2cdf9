"""The parts every family's operations are made of: parameters, bodies, answers, the error
sets, and :class:`Context`, what the running configuration changes in them.

A family's module in ``api/openapi/`` declares ``OPERATIONS`` (operationId -> a function of
the context giving the operation, without its ``operationId``) and ``schemas()`` (its
components); ``paths.py`` puts each operation under the route that names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...config import ServerConfig
from ...domain.query import MAX_LIMIT
from ..errors import VERSION_HEADER

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    """A reference to ``name`` in components/schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


# status -> (description, error strings) of every error a Daily route can answer
ERRORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "400": (
        "Bad parameters (`invalid-request-error`, `info` names the parameter), or a missing or "
        "malformed `Authorization` header (`authorization-header-error`).",
        ("invalid-request-error", "authorization-header-error"),
    ),
    "401": ("The API key is not the configured one.", ("authentication-error",)),
    "403": (
        "A custom bucket whose `allow_api_access` is false gives no access link.",
        ("forbidden-error",),
    ),
    "404": (
        "No such meeting session (or no participant records left), room, webhook, recording "
        "or transcript.",
        ("not-found",),
    ),
    "413": ("The request body is over --max-body.", ("invalid-request-error",)),
    "429": (
        "Too many requests (`--rate-limit`, or an injected fault).",
        ("rate-limit-error",),
    ),
    "500": ("Unexpected failure (or an injected fault).", ("server-error",)),
}


def error_schema(*names: str) -> Schema:
    """Daily's error envelope with one of ``names`` as its ``error``."""
    return {
        "type": "object",
        "required": ["error", "info"],
        "additionalProperties": False,
        "properties": {
            "error": {"type": "string", "enum": list(names)},
            "info": {"type": "string", "minLength": 1},
        },
    }


def answer(description: str, schema: Schema) -> Schema:
    """A JSON answer with the version header every answer carries."""
    return {
        "description": description,
        "headers": {
            VERSION_HEADER: {
                "description": "The fake-meetings version that answered.",
                "required": True,
                "schema": {"type": "string", "minLength": 1},
            }
        },
        "content": {"application/json": {"schema": schema}},
    }


def responses(ok: Schema, statuses: tuple[str, ...]) -> Schema:
    """``ok`` as the 200, then the error answer of each of ``statuses`` (keys of ERRORS)."""
    out = {"200": ok}
    for status in statuses:
        description, names = ERRORS[status]
        out[status] = answer(description, error_schema(*names))
    return out


def query(name: str, description: str, schema: Schema) -> Schema:
    """An optional query-string parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def path_param(name: str, description: str) -> Schema:
    """A ``{name}`` of the path: a non-empty string."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1},
    }


ROOM_NAME = path_param("name", "A room name.")  # the {name} of every /rooms/{name}... path


def json_body(fields: Schema) -> Schema:
    """An optional JSON object body with ``fields`` and nothing else."""
    schema = {"type": "object", "additionalProperties": False, "properties": fields}
    return {"required": False, "content": {"application/json": {"schema": schema}}}


def properties_body(schema: str) -> Schema:
    """An optional body ``{"properties": {...}}`` whose properties follow ``schema`` (a name
    in components/schemas), nothing else beside them: Daily's body for tokens and the domain."""
    return json_body({"properties": ref(schema)})


def page(item: Schema) -> Schema:
    """Daily's paged list: ``{"total_count": N, "data": [at most 100 items]}``."""
    return {
        "type": "object",
        "required": ["total_count", "data"],
        "additionalProperties": False,
        "properties": {
            "total_count": {"type": "integer", "minimum": 0},
            "data": {"type": "array", "maxItems": MAX_LIMIT, "items": item},
        },
    }


def _with(statuses: tuple[str, ...], status: str) -> tuple[str, ...]:
    return tuple(sorted({*statuses, status}))


@dataclass(frozen=True, slots=True)
class Context:
    """What the running configuration changes in the operations: which errors every route
    answers (401 only with a key required), the ``limit`` parameter and what a cursor naming
    no record does."""

    errors: tuple[str, ...]  # every route's errors
    limit: Schema
    limit_doc: str
    cursor_doc: str

    @classmethod
    def of(cls, config: ServerConfig) -> Context:
        limit: Schema = {"type": "integer", "minimum": 1, "default": MAX_LIMIT}
        if config.strict_limit:
            limit["maximum"] = MAX_LIMIT
        return cls(
            errors=("400", "401", "429", "500") if config.auth else ("400", "429", "500"),
            limit=limit,
            limit_doc=(
                f"Page size, 1 to {MAX_LIMIT}."
                if config.strict_limit
                else f"Page size, 1 or more; values over {MAX_LIMIT} are clamped to {MAX_LIMIT}."
            ),
            cursor_doc=(
                "a 400 when it names no record"
                if config.unknown_cursor == "error"
                else "an empty page when it names no record"
            ),
        )

    @property
    def one(self) -> tuple[str, ...]:
        """The errors of a route naming one record: 404 too."""
        return _with(self.errors, "404")

    @property
    def linked(self) -> tuple[str, ...]:
        """The errors of an access link to one record's file: 403 too (a bucket refusing)."""
        return _with(self.one, "403")

    @property
    def sent(self) -> tuple[str, ...]:
        """The errors of a route taking a body: 413 too."""
        return _with(self.errors, "413")

    @property
    def sent_one(self) -> tuple[str, ...]:
        """The errors of a route taking a body and naming one record: 404 and 413 too."""
        return _with(self.one, "413")

    def limit_param(self) -> Schema:
        return query("limit", self.limit_doc, self.limit)

    def cursors(self, record: str) -> list[Schema]:
        """``starting_after`` and ``ending_before``, cursors naming a ``record`` by its id."""
        return [
            query(
                "starting_after",
                f"{record} id cursor: the page after it (older); {self.cursor_doc}. "
                "Not together with ending_before.",
                {"type": "string"},
            ),
            query(
                "ending_before",
                f"{record} id cursor (or OLDEST): the page before it (newer); "
                f"{self.cursor_doc}. Not together with starting_after.",
                {"type": "string"},
            ),
        ]


Operation = Callable[[Context], Schema]  # the operation, all but its operationId
Operations = Mapping[str, Operation]  # operationId -> its operation, a family's OPERATIONS
