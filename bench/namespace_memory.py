"""Memory of namespaces and of the request journal at their caps, over real HTTP.

    python bench/namespace_memory.py              # the default caps (100 namespaces, 1000 entries)
    python bench/namespace_memory.py --quick      # 20 namespaces, 200 entries

A real server (in this process, its own thread) serves the bundled default scenario with
``--namespaces``; ``requests`` fills it. Memory is what ``tracemalloc`` sees held after a
collection, so the figures are the server's own objects, not the allocator's slack. Each figure
is printed with its baseline from the same run:

- a namespace (created by one request, so holding one journal entry) against the memory of
  the start-up store it shares with every namespace;
- a journal entry of an ordinary request and of one with huge headers (truncated), and the
  journal's memory at its caps against the bytes it counts against ``--journal-bytes``.
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc
from collections.abc import Callable

import requests

from fake_meetings.api.keys import NAMESPACES
from fake_meetings.config import DEFAULT_JOURNAL_BYTES, DEFAULT_JOURNAL_CAP, ServerConfig
from fake_meetings.scenario.loading import load
from fake_meetings.testing import ServerThread

HUGE = {f"X-Big-{i}": "v" * 8000 for i in range(60)}  # 480 KB of headers per request
ORDINARY = {"User-Agent": "usage-job/1.0", "Accept": "application/json"}


def held() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def measure(action: Callable[[], None]) -> int:
    before = held()
    action()
    return held() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller caps, for a smoke run")
    args = parser.parse_args()
    spaces = 20 if args.quick else 100
    entries = 200 if args.quick else DEFAULT_JOURNAL_CAP

    tracemalloc.start()
    before = held()
    world = load(["default"]).world()
    store_bytes = held() - before
    config = ServerConfig(
        port=0, namespaces=True, max_namespaces=spaces, journal_cap=entries, auth=True
    )
    with ServerThread(world, config) as server, requests.Session() as http:
        url = server.url + "/meetings?limit=1"

        def get(key: str, headers: dict[str, str]) -> None:
            answer = http.get(url, headers={"Authorization": f"Bearer {key}", **headers})
            answer.raise_for_status()

        get("warm-up", ORDINARY)  # first-use costs (routes, caches) out of the figures
        per_space = measure(lambda: [get(f"k{i}", ORDINARY) for i in range(spaces)]) / spaces
        ordinary = measure(lambda: [get("ordinary", ORDINARY) for _ in range(entries)])
        huge_count = max(10, DEFAULT_JOURNAL_BYTES // (16 * 1024))
        # the last request with huge headers stays in the connection's hands until the next
        # one arrives: end with an ordinary request so only the journal's share is measured
        huge = measure(lambda: [get("huge", h) for h in [HUGE] * huge_count + [ORDINARY]])
        counted = {key: server_journal_bytes(server, key) for key in ("ordinary", "huge")}

    print(f"start-up store (default scenario, shared by every namespace): {store_bytes:,} B")
    print(
        f"one namespace (with its first journal entry): {per_space:,.0f} B = "
        f"{per_space / store_bytes:.3f} x the store; at the cap of {spaces}: "
        f"{per_space * spaces / 1e6:.2f} MB"
    )
    print(
        f"journal of ordinary requests at the entry cap ({entries}): {ordinary:,} B held, "
        f"{ordinary / entries:,.0f} B per entry; counted {counted['ordinary']:,} B = "
        f"{ordinary / max(1, counted['ordinary']):.2f} x held/counted"
    )
    print(
        f"journal of huge-header requests ({huge_count} sent, 480 KB of headers each): "
        f"{huge:,} B held against the {DEFAULT_JOURNAL_BYTES:,} B budget = "
        f"{huge / DEFAULT_JOURNAL_BYTES:.2f} x; counted {counted['huge']:,} B"
    )
    print(
        f"worst case at the default caps ({spaces} namespaces, each journal full): about "
        f"{spaces * (per_space + max(huge, ordinary)) / 1e6:,.0f} MB"
    )


def server_journal_bytes(server: ServerThread, key: str) -> int:
    space = server.app[NAMESPACES].get(key)
    return space.journal.bytes if space is not None else 0


if __name__ == "__main__":
    main()
