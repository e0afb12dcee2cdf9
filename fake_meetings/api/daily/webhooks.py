"""The Daily webhook routes (contract part two, §13): ``/webhooks``. The namespace's
:class:`~fake_meetings.webhooks.desk.WebhookDesk` keeps the webhook; a create or an update
probes the URL first (a signed ``{"test":"test"}`` that must answer 200) and changes nothing
when the probe or a field fails."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ...domain.webhook import CREATE_FIELDS, UPDATE_FIELDS
from ...webhooks.desk import WebhookDesk
from ..bodies import daily_body
from ..bodies import json_answer as _json
from ..keys import namespace_of
from .route import Route


def listed(desk: WebhookDesk) -> list[dict[str, Any]]:
    """``GET /webhooks``: a JSON array, as Daily's: the domain's webhook, or nothing."""
    return [] if desk.hook is None else [desk.hook.as_json()]


def deleted(desk: WebhookDesk, uuid: str) -> dict[str, Any]:
    """``DELETE /webhooks/:uuid``: shaped like DELETE /rooms/:name's answer [F]."""
    return {"deleted": True, "uuid": desk.delete(uuid).uuid}


async def list_all(request: web.Request) -> web.Response:
    return _json(listed(namespace_of(request).webhooks))


async def get_one(request: web.Request) -> web.Response:
    return _json(namespace_of(request).webhooks.get(request.match_info["uuid"]).as_json())


async def create(request: web.Request) -> web.Response:
    desk = namespace_of(request).webhooks
    hook = await desk.create(await daily_body(request, CREATE_FIELDS))
    return _json(hook.as_json())


async def update(request: web.Request) -> web.Response:
    desk = namespace_of(request).webhooks
    body = await daily_body(request, UPDATE_FIELDS)
    return _json((await desk.update(request.match_info["uuid"], body)).as_json())


async def delete(request: web.Request) -> web.Response:
    return _json(deleted(namespace_of(request).webhooks, request.match_info["uuid"]))


# served under /v1 and at the root, described by the OpenAPI document, listed by /_fake/version
ROUTES = (
    Route("GET", "/webhooks", list_all, "listWebhooks"),
    Route("POST", "/webhooks", create, "createWebhook"),
    Route("GET", "/webhooks/{uuid}", get_one, "getWebhook"),
    Route("POST", "/webhooks/{uuid}", update, "updateWebhook"),
    Route("DELETE", "/webhooks/{uuid}", delete, "deleteWebhook"),
)
