"""The handle's webhooks (``fake_meetings.webhooks``): point Daily's events at the test's own
receiver, see what was emitted and delivered, and wait for an event without sleeping.

    hook = fake_meetings.webhooks.point_at(receiver_url)   # Daily's webhook object
    alice = fake_meetings.join("standup", user_name="Alice")
    alice.leave()                                          # returns once delivered
    ended = fake_meetings.webhooks.wait_for("meeting.ended")
    assert ended["payload"]["room"] == "standup"

Every change the handle makes (clock moves, joins, leaves, loads) returns after the deliveries
it caused have settled, within ``settle_timeout`` seconds (10 by default).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any, Protocol


class WebhookBackend(Protocol):
    def webhook_call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any: ...
    def webhook_log(self, limit: int) -> dict[str, Any]: ...
    def clear_webhook_log(self) -> None: ...
    def settle(self, timeout: float) -> bool: ...
    def set_webhook_timestamp(self, mode: str) -> None: ...


class WebhooksControl:
    settle_timeout = 10.0  #: seconds a change waits for the deliveries it caused, at most

    def __init__(self, backend: WebhookBackend):
        self._backend = backend

    def point_at(
        self,
        url: str,
        *,
        event_types: Sequence[str] | None = None,
        hmac: str | None = None,
        basic_auth: str | None = None,
        retry_type: str | None = None,
    ) -> dict[str, Any]:
        """Send the events to ``url`` (replacing the webhook there is), as ``POST /webhooks``
        does: the URL gets a signed ``{"test":"test"}`` first and must answer 200. Returns
        Daily's webhook object (its ``hmac`` is the signing secret, base64)."""
        self.remove()
        body: dict[str, Any] = {"url": url}
        for key, value in (
            ("eventTypes", list(event_types) if event_types is not None else None),
            ("hmac", hmac),
            ("basicAuth", basic_auth),
            ("retryType", retry_type),
        ):
            if value is not None:
                body[key] = value
        return dict(self._backend.webhook_call("POST", "/webhooks", body))

    @property
    def timestamp(self) -> str:
        """What ``X-Webhook-Timestamp`` (and the signed string) holds: ``"wall"``, the time of
        sending, as Daily's (the default), or ``"clock"``, the server clock's instant, for a
        receiver whose own clock is frozen to the fake's. Set it in-process
        (``fake_meetings.webhooks.timestamp = "clock"``); a reset restores the server's
        (``serve --webhook-timestamp``). ``event_ts`` is on the server clock either way."""
        return str(self._backend.webhook_log(0)["timestamp"])

    @timestamp.setter
    def timestamp(self, mode: str) -> None:
        self._backend.set_webhook_timestamp(mode)

    @property
    def webhook(self) -> dict[str, Any] | None:
        """The webhook (``GET /webhooks``' one item), or None."""
        hooks = self._backend.webhook_call("GET", "/webhooks")
        return dict(hooks[0]) if hooks else None

    def remove(self) -> None:
        """No webhook any more (nothing more is sent)."""
        hook = self.webhook
        if hook is not None:
            self._backend.webhook_call("DELETE", f"/webhooks/{hook['uuid']}")

    def deliveries(self, limit: int = 1000) -> list[dict[str, Any]]:
        """The latest deliveries, oldest first: ``id``, ``type``, ``instant``, ``state``
        (pending, delivered, failed, skipped) and every try's ``status``/``error``."""
        return list(self._backend.webhook_log(limit)["deliveries"])

    def events(self, type: str | None = None, *, delivered: bool = False) -> list[dict[str, Any]]:
        """The events emitted (as the receiver gets them: envelope and payload), oldest first;
        only those of ``type`` when given, only the delivered ones with ``delivered``."""
        return [
            json.loads(d["body"])
            for d in self.deliveries()
            if (type is None or d["type"] == type) and (not delivered or d["state"] == "delivered")
        ]

    def wait_for(
        self, type: str, *, timeout: float = 5.0, room: str | None = None
    ) -> dict[str, Any]:
        """The first delivered event of ``type`` (in ``room`` when given), waiting at most
        ``timeout`` seconds; AssertionError naming what was seen otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events(type, delivered=True):
                if room is None or event["payload"].get("room") == room:
                    return event
            if time.monotonic() >= deadline:
                seen = [(d["type"], d["state"]) for d in self.deliveries(20)]
                raise AssertionError(
                    f"no {type} delivered{f' for room {room!r}' if room else ''} within "
                    f"{timeout:g} s; latest deliveries (type, state): {seen}"
                )
            self._backend.settle(min(0.5, max(0.0, deadline - time.monotonic())))
            time.sleep(0.01)

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until nothing waits to be sent (at most ``timeout``, default settle_timeout)."""
        return self._backend.settle(self.settle_timeout if timeout is None else timeout)

    def clear(self) -> None:
        """Forget the deliveries seen so far."""
        self._backend.clear_webhook_log()
