"""The control plane refuses what only a web browser would send it.

A page the developer visits can send requests to their local fake: simple cross-site POSTs (no
preflight) to change its state, or, after pointing its own domain at 127.0.0.1 (DNS
rebinding), any request at all. Scripts and test clients (curl, requests, aiohttp, the pytest
plugin) send neither an ``Origin`` nor ``Sec-Fetch-*`` headers, and address a loopback server by
a loopback name, so two rules stop the browser and no legitimate client:

- a state-changing call (any method but GET, HEAD, OPTIONS) carrying an ``Origin`` other than
  the server's own, or ``Sec-Fetch-Site`` other than ``same-origin``/``none``, is refused;
- when the server is bound to a loopback address, any call whose ``Host`` is not a loopback
  name (``localhost``, ``*.localhost``, ``127.0.0.0/8``, ``::1``) is refused; a request with
  no ``Host`` (HTTP/1.0) is no browser's and passes. A server bound to ``0.0.0.0`` (a CI service
  container, addressed by its service name) skips this rule.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web

from ..errors import ApiError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SAME_ORIGIN_SITES = frozenset({"same-origin", "none"})


def is_loopback_name(host: str) -> bool:
    """Whether a host name or address (no port; IPv6 with or without brackets) is loopback."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The name part of a ``Host`` header value (``[::1]:8080`` -> ``::1``); "" when it is
    malformed (``[::1``, ``[::1]evil.com``)."""
    if host_header.startswith("["):
        name, bracket, port = host_header[1:].partition("]")
        if not bracket or (port and not (port[:1] == ":" and port[1:].isdecimal())):
            return ""
        return name
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def refuse_browser_attacks(request: web.Request, bound_host: str) -> None:
    """Raise a 403 for a cross-site or DNS-rebinding request to the control plane. A request
    without ``Host`` (HTTP/1.0) is no browser's: browsers always send one."""
    host = request.headers.get("Host")
    if host is not None and is_loopback_name(bound_host) and not is_loopback_name(_host_name(host)):
        raise ApiError(
            403,
            f"Host {host[:100]!r} is not a loopback name, and this server is bound to "
            f"{bound_host}: the control plane refuses it (DNS rebinding protection). Address "
            "the server as 127.0.0.1 or localhost; to reach it by another name, bind "
            "--host 0.0.0.0",
            "forbidden-error",
        )
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    site = request.headers.get("Sec-Fetch-Site")
    own = (f"http://{host}", f"https://{host}") if host is not None else ()
    if (origin is not None and origin not in own) or (
        site is not None and site.lower() not in _SAME_ORIGIN_SITES
    ):
        raise ApiError(
            403,
            f"cross-site request refused: {request.method} {request.path} came from a web page "
            f"(Origin {(origin or 'not sent')[:100]!r}, "
            f"Sec-Fetch-Site {(site or 'not sent')[:100]!r}); "
            "the control plane takes state-changing calls only from scripts and test clients",
            "forbidden-error",
        )
