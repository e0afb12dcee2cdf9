"""The control plane's view of a namespace's webhook deliveries (``/_fake/webhooks``): what
was emitted and sent, with every try's status, error and timing; clearing it; and waiting until
what waits has been sent (the test handle calls it after moving the clock)."""

from __future__ import annotations

import re

from aiohttp import web

from ..bodies import daily_body, json_answer, space_of
from ..errors import invalid

MAX_SETTLE = 60.0  # seconds a settle call may wait
_LIMIT = re.compile(r"[0-9]{1,9}")


async def deliveries(request: web.Request) -> web.Response:
    """``?limit=N`` (default 100): the latest N deliveries, oldest first, with the webhook
    (without its secrets) and the counts: emitted, built, reading, pending, delivered, failed,
    dropped."""
    text = request.query.get("limit", "100")
    if not _LIMIT.fullmatch(text):
        raise invalid(f"limit: must be a whole number from 0 to 999999999; got {text[:40]!r}")
    return json_answer(space_of(request).webhooks.summary(int(text)))


async def clear(request: web.Request) -> web.Response:
    return json_answer({"cleared": space_of(request).clear_webhook_log()})


async def settle(request: web.Request) -> web.Response:
    """Body ``{"timeout": seconds}`` (default 10, at most 60): answers when nothing waits to be
    sent or the time is up; ``settled`` says which."""
    body = await daily_body(request, ("timeout",))
    timeout = body.get("timeout", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout < 0:
        raise invalid(f"timeout: must be a number of seconds from 0 to {MAX_SETTLE:g}")
    desk = space_of(request).webhooks
    settled = await desk.settle(min(float(timeout), MAX_SETTLE))
    return json_answer({"settled": settled, **desk.summary(0)})


ROUTES = (
    ("GET", "webhooks", deliveries),
    ("DELETE", "webhooks", clear),
    ("POST", "webhooks/settle", settle),
)
