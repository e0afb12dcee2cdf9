"""The run's results: the summary printed on stdout and the ``--report`` JSON (its format is in
the docs, "Verify a capture against its account")."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .bounds import MAX_SHOWN, MAX_VALUE
from .classify import Difference
from .ignores import Ignore
from .jsondiff import ABSENT

KINDS = ("fake", "drift", "time", "ignored")
FORMAT = 1  # the report's "format": raised when a field changes meaning


@dataclass
class Results:
    base_url: str
    capture: str
    now: int
    requests: int = 0
    not_asked: int = 0  # questions naming a room the account does not list
    differences: list[Difference] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)  # differences counted, not kept
    expired: Sequence[Ignore] = ()

    def counts(self) -> Counter[str]:
        kept = Counter(d.kind for d in self.differences)
        return kept + self.dropped

    @property
    def fakes(self) -> list[Difference]:
        return [d for d in self.differences if d.kind == "fake"]


def _shown(value: Any) -> str:
    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "..."


def summary(r: Results) -> str:
    counts = r.counts()
    lines = [
        f"verified {r.capture} (now: {r.now}) against {r.base_url}: {r.requests:,} requests"
        + (f" ({r.not_asked} not asked: rooms the account does not list)" if r.not_asked else ""),
        "differences: " + ", ".join(f"{counts[k]:,} {k}" for k in KINDS),
    ]
    fakes = r.fakes
    for d in fakes[:MAX_SHOWN]:
        lines += [
            f"fake: GET {d.request}",
            f"  {d.path}",
            f"    account: {_shown(d.account)}",
            f"    fake:    {_shown(d.fake)}",
        ]
    if len(fakes) > MAX_SHOWN:
        lines.append(f"... and {len(fakes) - MAX_SHOWN:,} more fake differences (see --report)")
    lines += [
        f"expired ignore: {e.path} ({e.reason}; expired {e.expires.isoformat()})" for e in r.expired
    ]
    return "\n".join(lines)


def entry(d: Difference) -> dict[str, Any]:
    out: dict[str, Any] = {"class": d.kind, "request": "GET " + d.request, "path": d.path}
    if d.account is not ABSENT:
        out["account"] = d.account
    if d.fake is not ABSENT:
        out["fake"] = d.fake
    out["reason"] = d.reason
    return out


def report_data(r: Results) -> dict[str, Any]:
    counts = r.counts()
    return {
        "format": FORMAT,
        "base_url": r.base_url,
        "capture": r.capture,
        "now": r.now,
        "requests": r.requests,
        "not_asked": r.not_asked,
        "counts": {k: counts[k] for k in KINDS},
        "differences": [entry(d) for d in r.differences],
        "not_kept": {k: r.dropped[k] for k in KINDS},
        "expired_ignores": [
            {
                "path": e.path,
                "request": e.request,
                "reason": e.reason,
                "expires": e.expires.isoformat(),
            }
            for e in r.expired
        ],
    }
