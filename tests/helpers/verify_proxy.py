"""A small aiohttp proxy in front of a fake-meetings server, playing a Daily account that
behaves otherwise than the fake in chosen ways (``Change``): the tests of ``fake-meetings
verify`` check that each comes out as a ``fake`` difference at the right JSON path. It only
forwards GETs, on 127.0.0.1 and a free port, from a thread of its own."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

# a change: (path, query, status, body) -> the body the account answers
Change = Callable[[str, dict[str, str], int, Any], Any]


def reversed_ties(path: str, query: dict[str, str], status: int, body: Any) -> Any:
    """``/meetings`` lists sessions of one start_time by id ascending (the fake: descending)."""
    if path.endswith("/meetings") and status == 200:
        data = body["data"]
        body["data"] = sorted(data, key=lambda s: (-s["start_time"], s["id"]))
    return body


def total_ignores_ongoing(path: str, query: dict[str, str], status: int, body: Any) -> Any:
    """``total_count`` under the ``ongoing`` filter is one more than the fake counts."""
    if path.endswith("/meetings") and status == 200 and "ongoing" in query:
        body["total_count"] += 1
    return body


def worded_errors(path: str, query: dict[str, str], status: int, body: Any) -> Any:
    """A bad ``limit`` is worded otherwise."""
    if status == 400 and str(body.get("info", "")).startswith("limit"):
        body["info"] = "limit must be between 1 and 100"
    return body


def one_field(session_id: str, key: str, delta: int) -> Change:
    """``key`` of session ``session_id`` is off by ``delta`` wherever the session appears."""

    def change(path: str, query: dict[str, str], status: int, body: Any) -> Any:
        items = body.get("data") if isinstance(body, dict) else None
        for item in [body, *(items if isinstance(items, list) else [])]:
            if isinstance(item, dict) and item.get("id") == session_id and key in item:
                item[key] += delta
        return body

    return change


class AccountProxy:
    """``with AccountProxy(upstream_url, [changes]) as proxy: proxy.url`` (ends in /v1)."""

    def __init__(self, upstream: str, changes: list[Change]):
        self.upstream = upstream.rstrip("/")
        self.changes = changes
        self.methods: list[str] = []  # every request's method, to check verify only reads
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def _forward(self, request: web.Request) -> web.Response:
        self.methods.append(request.method)
        tail = request.match_info["tail"]
        headers = {"Authorization": request.headers.get("Authorization", "")}
        async with (
            aiohttp.ClientSession(trust_env=False) as http,
            http.get(f"{self.upstream}/{tail}", params=request.query, headers=headers) as answer,
        ):
            status, body = answer.status, await answer.json()
        query = dict(request.query)
        for change in self.changes:
            body = change(request.path, query, status, body)
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/v1/{tail:.*}", self._forward)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = runner.addresses[0][1]
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()

    def __enter__(self) -> AccountProxy:
        self._thread.start()
        assert self._ready.wait(10), "the proxy did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
