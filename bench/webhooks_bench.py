"""Webhooks benchmark: each figure next to a baseline measured in the same run.

    python bench/webhooks_bench.py            # about 1 minute
    python bench/webhooks_bench.py --quick    # fewer events, shorter wrk runs

1. **Delivery rate**: a server (``serve --webhook-url``) loads sessions that all happen after
   its frozen clock, then one clock move passes every event; the time until the outbox is empty
   (``POST /_fake/webhooks/settle``) gives events per second delivered to a local aiohttp
   receiver. Baseline: the same number of bodies POSTed one after another to the same receiver
   by a plain aiohttp client (the ceiling of in-order delivery).
2. **API throughput with a slow receiver**: ``wrk`` on the full page ``/v1/meetings`` while
   people join and leave (events every few milliseconds), against a server whose webhook
   receiver hangs past the delivery timeout, and against the same server with no webhook; runs
   interleaved, medians compared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

import aiohttp
from http_bench import Server, fake_server, wrk

HERE = Path(__file__).resolve().parent
NOW = 1_717_243_200


def receiver(*args: str) -> Server:
    return Server("receiver", [sys.executable, str(HERE / "receiver_server.py"), *args])


def call(base: str, method: str, path: str, body: object = None, timeout: float = 120) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Authorization": "Bearer bench"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as r:
        return json.loads(r.read() or b"null")


def sessions(count: int) -> list[dict[str, object]]:
    """``count`` sessions after NOW, each with two stays: 6 events a session."""
    out = []
    for i in range(count):
        start = NOW + 10 + i
        out.append(
            {
                "room": f"room-{i % 50}",
                "start_time": start,
                "participants": [
                    {"user_name": f"Guest Ü{i}", "join_time": start, "duration": 60},
                    {"user_id": f"u-{i}", "join_time": start + 5, "duration": 30},
                ],
            }
        )
    return out


async def sequential_posts(url: str, bodies: list[bytes]) -> float:
    """Seconds to POST ``bodies`` one after another (the baseline of in-order delivery)."""
    async with aiohttp.ClientSession() as http:
        t0 = time.perf_counter()
        for body in bodies:
            async with http.post(url, data=body) as r:
                assert r.status == 200
        return time.perf_counter() - t0


def delivery_rate(count: int) -> None:
    hook = receiver()
    fake = fake_server("fake", "--now", str(NOW), "--webhook-url", hook.url + "/hooks")
    base = fake.url.removesuffix("/v1").rstrip("/")
    try:
        call(base, "POST", "/_fake/scenario", {"sessions": sessions(count)})
        t0 = time.perf_counter()
        call(base, "POST", "/_fake/clock", {"advance": count + 200})
        settled = call(base, "POST", "/_fake/webhooks/settle", {"timeout": 60})
        elapsed = time.perf_counter() - t0
        assert isinstance(settled, dict) and settled["settled"], settled
        log = call(base, "GET", "/_fake/webhooks?limit=1000000")
        assert isinstance(log, dict)
        delivered = int(log["delivered"])
        bodies = [d["body"].encode() for d in log["deliveries"]]  # the latest 1,000
        baseline = asyncio.run(sequential_posts(hook.url + "/hooks", bodies))
    finally:
        fake.stop()
        hook.stop()
    rate, ceiling = delivered / elapsed, len(bodies) / baseline
    print(
        f"delivery: {delivered:,} of {settled['emitted']:,} events delivered in "
        f"{elapsed:.2f} s = {rate:,.0f} events/s; plain sequential POSTs of the same bodies: "
        f"{ceiling:,.0f}/s; ratio {rate / ceiling:.2f}",
        flush=True,
    )


def churn(base: str, stop: threading.Event) -> None:
    """People joining and leaving a room, each change emitting events."""
    while not stop.is_set():
        joined = call(base, "POST", "/_fake/join", {"room": "busy"})
        assert isinstance(joined, dict)
        call(base, "POST", "/_fake/leave", {"participant_id": joined["participant_id"]})
        time.sleep(0.005)


def throughput_with_slow_receiver(runs: int, seconds: float) -> None:
    hanging = receiver("--hang", "30")
    servers = {
        "no webhook": fake_server("plain", "--generate", "10000", "--seed", "1", "--now", str(NOW)),
        "slow receiver": fake_server(
            "slow",
            "--generate",
            "10000",
            "--seed",
            "1",
            "--now",
            str(NOW),
            "--webhook-url",
            hanging.url + "/hooks",
            "--webhook-timeout",
            "2",
        ),
    }
    results: dict[str, list[float]] = {name: [] for name in servers}
    try:
        for _ in range(runs):
            for name, server in servers.items():
                base = server.url.removesuffix("/v1").rstrip("/")
                stop = threading.Event()
                worker = threading.Thread(target=churn, args=(base, stop), daemon=True)
                worker.start()
                try:
                    results[name].append(wrk(server.url + "/meetings", seconds=seconds).rps)
                finally:
                    stop.set()
                    worker.join(30)
        slow = call(
            servers["slow receiver"].url.removesuffix("/v1").rstrip("/"),
            "GET",
            "/_fake/webhooks?limit=0",
        )
    finally:
        for server in servers.values():
            server.stop()
        hanging.stop()
    plain, held = (
        statistics.median(results["no webhook"]),
        statistics.median(results["slow receiver"]),
    )
    assert isinstance(slow, dict)
    print(
        f"full page with joins and leaves running: {held:,.0f} req/s with a receiver that "
        f"hangs / {plain:,.0f} req/s with no webhook = {held / plain:.2f} (events emitted "
        f"{slow['emitted']:,}, waiting {slow['pending']:,}, dropped {slow['dropped']:,})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer events, shorter runs")
    args = parser.parse_args()
    delivery_rate(300 if args.quick else 1500)
    throughput_with_slow_receiver(1 if args.quick else 3, 2 if args.quick else 5)


if __name__ == "__main__":
    main()
