"""A namespace's webhook configuration and its delivery log, as commands (the Daily routes
``/webhooks``, the control plane's ``/_fake/webhooks``, the test handle): the part of
:class:`namespaces.Namespace` that the webhook adds, kept here so each file stays one subject.

The desk (``webhooks/desk.py``) keeps the webhook and sends its events; only these commands
change it from outside. A create or an update awaits the test request to the URL, so it runs
under the namespace's lock: a load, a reset, a clock move or a live change asked meanwhile
waits for it, and two creates cannot both probe and race to save. A delete, a log clear and a
timestamp mode change are synchronous swaps on the server's loop (no await between the check
and the change), so they need no lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..domain.webhook import Webhook, timestamp_mode
from .group import CommandGroup

if TYPE_CHECKING:
    from ..webhooks.desk import WebhookDesk


class WebhookCommands(CommandGroup):
    """The webhook commands of a namespace (mixed into ``Namespace``)."""

    if TYPE_CHECKING:
        webhooks: WebhookDesk
        lock: asyncio.Lock

    def webhook(self, uuid: str) -> Webhook:
        """``GET /webhooks/:uuid``: the webhook, or a 404."""
        return self.webhooks.get(uuid)

    def current_webhook(self) -> Webhook | None:
        """``GET /webhooks``: the domain's webhook, if any (a domain has at most one)."""
        return self.webhooks.hook

    async def create_webhook(self, body: Mapping[str, Any]) -> Webhook:
        """``POST /webhooks`` with a body of ``domain.webhook.CREATE_FIELDS`` only: saved when
        the URL answers the test request; a webhook there already, a bad field or a failed
        test is a 400 and changes nothing. Under the lock (it awaits the test request)."""
        async with self.lock:
            return await self.webhooks.create(body)

    async def update_webhook(self, uuid: str, body: Mapping[str, Any]) -> Webhook:
        """``POST /webhooks/:uuid``: as a create, for the webhook ``uuid`` (a 404 when it is not
        this domain's). Under the lock (it awaits the test request)."""
        async with self.lock:
            return await self.webhooks.update(uuid, body)

    def delete_webhook(self, uuid: str) -> Webhook:
        """``DELETE /webhooks/:uuid``: the webhook gone (what waited to be sent is not sent);
        a 404 when it is not this domain's. A synchronous swap: no lock."""
        return self.webhooks.delete(uuid)

    def clear_webhook_log(self) -> int:
        """``DELETE /_fake/webhooks``: the delivery log emptied; how many deliveries it held.
        A synchronous swap: no lock."""
        sender = self.webhooks.sender
        cleared = len(sender.log)
        sender.clear()
        return cleared

    def set_webhook_timestamp(self, mode: object) -> str:
        """``X-Webhook-Timestamp``'s mode, ``wall`` or ``clock`` (anything else is a 400), until
        a reset; the mode set. A synchronous swap: no lock."""
        checked = timestamp_mode(mode)
        self.webhooks.timestamp = checked
        return checked
