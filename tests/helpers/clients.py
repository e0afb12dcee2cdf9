"""The tests' one kind of HTTP client: two real clients against a served World, ``requests``
(sync) and ``aiohttp.ClientSession`` (async, or driven from a private loop), and the ``Resp``
both return."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import requests
import yarl

from tests.helpers.constants import AUTH, TIMEOUT


@dataclass
class Resp:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        # decoded with the standard library: ints stay ints, floats become floats
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def query_string(params: Sequence[tuple[str, str]] | dict[str, Any] | None) -> str:
    if not params:
        return ""
    items = list(params.items()) if isinstance(params, dict) else list(params)
    return "?" + urllib.parse.urlencode(items)


class SyncClient:
    """A real client: ``request(method, url, params, headers, data)``, and ``get`` with the
    test key by default. ``tests/helpers/admin.py``'s ``Http`` puts a base URL and bodies in
    front of one."""

    def request(
        self,
        method: str,
        url: str,
        params: Sequence[tuple[str, str]] | dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
    ) -> Resp:
        raise NotImplementedError

    def get(
        self,
        url: str,
        params: Sequence[tuple[str, str]] | dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Resp:
        return self.request("GET", url, params, AUTH if headers is None else headers)

    def close(self) -> None:
        pass


class RequestsClient(SyncClient):
    def __init__(self) -> None:
        self.session = requests.Session()
        self.session.trust_env = False  # never a proxy: 127.0.0.1 only

    def request(self, method, url, params=None, headers=None, data=None):  # type: ignore[no-untyped-def]
        r = self.session.request(
            method, url + query_string(params), headers=headers or {}, data=data, timeout=TIMEOUT
        )
        return Resp(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content)

    def close(self) -> None:
        self.session.close()


class AiohttpClient(SyncClient):
    """aiohttp.ClientSession on a private event loop, so sync tests can use it too."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.session = self.loop.run_until_complete(self._open())

    @staticmethod
    async def _open() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT), trust_env=False)

    async def _request(
        self, method: str, url: str, headers: dict[str, str], data: bytes | None
    ) -> Resp:
        target = yarl.URL(url, encoded=True)
        async with self.session.request(method, target, headers=headers, data=data) as r:
            body = await r.read()
            return Resp(r.status, {k.lower(): v for k, v in r.headers.items()}, body)

    def request(self, method, url, params=None, headers=None, data=None):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(
            self._request(method, url + query_string(params), headers or {}, data)
        )

    def close(self) -> None:
        self.loop.run_until_complete(self.session.close())
        self.loop.close()


async def aio_get(
    session: aiohttp.ClientSession,
    url: str,
    params: Sequence[tuple[str, str]] | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Resp:
    """One GET with the async client (for ``async def`` tests)."""
    full = yarl.URL(url + query_string(params), encoded=True)
    async with session.get(full, headers=AUTH if headers is None else headers) as r:
        return Resp(r.status, {k.lower(): v for k, v in r.headers.items()}, await r.read())


def check_int_times(value: Any) -> None:
    """Every timestamp, duration and count in a body is a JSON integer (not float, str, bool)."""
    if isinstance(value, list):
        for item in value:
            check_int_times(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in (
                "start_time",
                "duration",
                "join_time",
                "max_participants",
                "total_count",
            ):
                assert type(item) is int, f"{key}={item!r} is not a JSON integer"
            else:
                check_int_times(item)
