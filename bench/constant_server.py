"""The baseline of the HTTP benchmark: a bare aiohttp server answering a constant body.

    python bench/constant_server.py SIZE [SIZE ...]

Serves ``GET /const/SIZE`` for each SIZE: a prebuilt ``application/json`` body of exactly SIZE
bytes, through a plain ``web.Response`` with no middleware and no access log (what a minimal
aiohttp handler costs). Prints ``listening on http://127.0.0.1:PORT`` (a free port) when ready.
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web
from aiohttp.typedefs import Handler


def body_of(size: int) -> bytes:
    filler = max(0, size - len(b'{"x":""}'))
    return b'{"x":"' + b"a" * filler + b'"}'


def handler_for(body: bytes) -> Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(body=body, content_type="application/json")

    return handler


async def main(sizes: list[int]) -> None:
    app = web.Application()
    for size in sizes:
        app.router.add_get(f"/const/{size}", handler_for(body_of(size)))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"listening on http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]]))
