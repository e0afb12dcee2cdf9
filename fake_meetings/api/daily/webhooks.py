"""The Daily webhook routes (contract part two, §13): ``/webhooks``. Each is one command of the
namespace (``state/hooks.py``; the desk, ``webhooks/desk.py``, keeps the webhook): a create or
an update probes the URL first (a signed ``{"test":"test"}`` that must answer 200) and changes
nothing when the probe or a field fails."""

from __future__ import annotations

from aiohttp import web

from ...domain.webhook import CREATE_FIELDS, UPDATE_FIELDS, deleted_json, listed_json
from ..bodies import daily_body
from ..bodies import json_answer as _json
from ..keys import namespace_of
from .route import Route


async def list_all(request: web.Request) -> web.Response:
    return _json(listed_json(namespace_of(request).current_webhook()))


async def get_one(request: web.Request) -> web.Response:
    return _json(namespace_of(request).webhook(request.match_info["uuid"]).as_json())


async def create(request: web.Request) -> web.Response:
    space = namespace_of(request)
    hook = await space.create_webhook(await daily_body(request, CREATE_FIELDS))
    return _json(hook.as_json())


async def update(request: web.Request) -> web.Response:
    space = namespace_of(request)
    body = await daily_body(request, UPDATE_FIELDS)
    return _json((await space.update_webhook(request.match_info["uuid"], body)).as_json())


async def delete(request: web.Request) -> web.Response:
    return _json(deleted_json(namespace_of(request).delete_webhook(request.match_info["uuid"])))


# served under /v1 and at the root, described by the OpenAPI document, listed by /_fake/version
ROUTES = (
    Route("GET", "/webhooks", list_all, "listWebhooks"),
    Route("POST", "/webhooks", create, "createWebhook"),
    Route("GET", "/webhooks/{uuid}", get_one, "getWebhook"),
    Route("POST", "/webhooks/{uuid}", update, "updateWebhook"),
    Route("DELETE", "/webhooks/{uuid}", delete, "deleteWebhook"),
)
