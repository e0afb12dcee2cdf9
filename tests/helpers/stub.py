"""A tiny scripted HTTP server on 127.0.0.1, for answers no fake-meetings server gives (a
``Retry-After``, a redirect, JSON the way another server might write it). Its fixture, ``stub``,
is in ``fixtures.py``."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], Any]  # status, headers, JSON body
Script = list[Answer] | dict[str, list[Answer]]


class StubHandler(BaseHTTPRequestHandler):
    """Answers from the server's ``script``: a list of answers, one per request, or a list per
    path (the query left out); the last answer of a list is repeated."""

    def do_GET(self) -> None:
        server: Any = self.server
        server.seen.append((self.path, self.headers.get("Authorization")))
        script = server.script
        if isinstance(script, dict):
            path = self.path.split("?", 1)[0]
            server.counts[path] = server.counts.get(path, 0) + 1
            answers, n = script.get(path, [(404, {}, {"error": "not-found"})]), server.counts[path]
        else:
            answers, n = script, len(server.seen)
        status, headers, body = answers[min(n, len(answers)) - 1]
        raw = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        pass


class StubServer(ThreadingHTTPServer):
    def __init__(self, script: Script):
        super().__init__(("127.0.0.1", 0), StubHandler)
        self.script = script
        self.seen: list[tuple[str, str | None]] = []
        self.counts: dict[str, int] = {}
        self.url = f"http://127.0.0.1:{self.server_address[1]}/v1"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()
