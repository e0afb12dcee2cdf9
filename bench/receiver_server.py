"""A webhook receiver for the webhooks benchmark: a bare aiohttp server that reads each POST
body and answers 200, or with ``--hang S`` waits S seconds first (a receiver that hangs).

    python bench/receiver_server.py [--hang S]

Prints ``listening on http://127.0.0.1:PORT`` (a free port) when ready.
"""

from __future__ import annotations

import argparse
import asyncio

from aiohttp import web


async def main(hang: float) -> None:
    async def receive(request: web.Request) -> web.Response:
        await request.read()
        if hang:
            await asyncio.sleep(hang)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hooks", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"listening on http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hang", type=float, default=0.0, help="seconds before answering")
    asyncio.run(main(parser.parse_args().hang))
