"""``--fixtures DIR``: each request the fake answered otherwise than the account, as a pytest
regression test for the ``fake_meetings`` fixture: ``verify_NNN.yaml``, the capture's slice the
request reads (the session it names, the sessions its filters match, or the whole capture; the
rooms; the domain's properties for a question about the domain; frozen at the capture
instant), and ``test_verify_NNN.py``, which asks the fake that request and checks the
account's answer at each path where the fake differed. It fails while the fake answers
otherwise, and passes once it answers like the account."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..domain.model import Session
from ..scenario.dump import dump_scenario
from .bounds import MAX_FIXTURES, MAX_SLICE
from .classify import Difference
from .jsondiff import ABSENT
from .run import STATUS
from .view import CaptureView

_TEST = '''\
"""Written by fake-meetings verify: the account answered GET {request} otherwise than the fake
serving its capture (frozen at now: {now}). The checks are the account's answer at each path
where the fake differed; {scenario} is the capture's slice the request reads."""

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SCENARIO = str(Path(__file__).with_name({scenario!r}))
REQUEST = {request!r}
STATUS = {status!r}
EXPECTED = json.loads({expected!r})  # [path, whether the account has a value there, value]


def value_at(body, path):
    for name, quoted, index in re.findall(
        r'\\.([A-Za-z_][A-Za-z0-9_]*)|\\["((?:[^"\\\\]|\\\\.)*)"\\]|\\[(\\d+)\\]', path
    ):
        if index:
            if not isinstance(body, list) or int(index) >= len(body):
                return False, None
            body = body[int(index)]
        elif not isinstance(body, dict) or (name or quoted) not in body:
            return False, None
        else:
            body = body[name or quoted]
    return True, body


@pytest.mark.fake_meetings(scenario=SCENARIO)
def test_{name}(fake_meetings):
    request = urllib.request.Request(
        fake_meetings.url + REQUEST,
        headers={{"Authorization": f"Bearer {{fake_meetings.api_key}}"}},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, body = response.status, json.load(response)
    except urllib.error.HTTPError as error:
        status, body = error.code, json.loads(error.read() or b"null")
    assert status == STATUS
    for path, present, value in EXPECTED:
        assert value_at(body, path) == (present, value), path
'''


def _slice(view: CaptureView, d: Difference) -> list[Session] | None:
    """The sessions the request reads (None: too many for a test)."""
    q = d.query
    if q.kind == "domain":
        return []
    if q.subject is not None and q.kind in ("session", "participants"):
        s = view.by_id.get(q.subject)
        return [s] if s is not None else []
    f = q.filters
    chosen = [
        s for s in view.sessions if f is None or f.match(s.room, s.start_time, view.ongoing(s))
    ]
    return chosen if len(chosen) <= MAX_SLICE else None


def _expected(group: list[Difference]) -> tuple[int, list[list[Any]]]:
    status = group[0].status
    checks = [
        [d.path, d.account is not ABSENT, None if d.account is ABSENT else d.account]
        for d in group
        if d.path != STATUS
    ]
    return status, checks


def regression_tests(
    view: CaptureView, fakes: Iterable[Difference], domain: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """``(file name, text)`` of the files to write (a scenario and a test per request);
    ``domain``: the properties of the account's domain the fake was given (a domain question's
    slice declares them)."""
    groups: dict[str, list[Difference]] = {}
    for d in fakes:
        groups.setdefault(d.request, []).append(d)
    files: list[tuple[str, str]] = []
    for request, group in list(groups.items())[:MAX_FIXTURES]:
        sessions = _slice(view, group[0])
        if sessions is None:
            continue
        n = len(files) // 2 + 1
        scenario, name = f"verify_{n:03d}.yaml", f"verify_{n:03d}"
        out = io.StringIO()
        header = f"The capture's slice GET {request} reads (fake-meetings verify)."
        dump_scenario(sessions, out, now=view.now, header=header, rooms=view.rooms)
        if group[0].query.kind == "domain" and domain:
            out.write(f"domain:\n  properties: {json.dumps(dict(domain), ensure_ascii=False)}\n")
        status, checks = _expected(group)
        text = _TEST.format(
            request=request,
            now=view.now,
            scenario=scenario,
            status=status,
            expected=json.dumps(checks, ensure_ascii=False),
            name=name,
        )
        files += [(scenario, out.getvalue()), (f"test_{name}.py", text)]
    return files
