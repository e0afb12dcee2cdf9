"""The questions asked of both sides, in order, and the answers compared; the differences are
classified once every answer is in (a session seen changed in a late answer is drift for the
earlier questions too)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from ..client.daily import DailyReader
from .bounds import MAX_DIFFERENCES, MAX_DIFFS_PER_ANSWER
from .classify import Classifier, Difference, session_of
from .ignores import Ignores
from .jsondiff import differences
from .query import Query
from .report import Results
from .seen import Seen
from .sides import AccountNames, FakeNames
from .view import CaptureView

FAKE_KEY = "fake-meetings-verify"  # the key the fake is asked with (never the account's)
STATUS = "(status)"  # the path of a difference in the HTTP status (the bodies are not compared)

Answer = tuple[int, Any]


def ask(reader: DailyReader, q: Query, resolved: tuple[str, dict[str, str]]) -> Answer:
    path, params = resolved
    return reader.answer(path, params, refusals=True)


def compare(q: Query, request: str, account: Answer, fake: Answer) -> list[Difference]:
    (a_status, a_body), (f_status, f_body) = account, fake
    if a_status != f_status:
        who = session_of(q, STATUS, a_body, f_body)
        return [Difference(q, request, STATUS, a_status, f_status, status=a_status, session=who)]
    found = itertools.islice(differences(a_body, f_body), MAX_DIFFS_PER_ANSWER)
    return [
        Difference(
            q, request, path, a, f, status=a_status, session=session_of(q, path, a_body, f_body)
        )
        for path, a, f in found
    ]


def verify(
    view: CaptureView,
    mix: Sequence[Query],
    account: DailyReader,
    fake: DailyReader,
    names: AccountNames,
    ignores: Ignores,
    results: Results,
    progress: Callable[[int], None] = lambda done: None,
) -> Results:
    """Ask ``mix`` of both sides and fill ``results`` (in place, and returned)."""
    seen = Seen()
    fake_names = FakeNames(view)
    found: list[Difference] = []
    for i, q in enumerate(mix):
        progress(i)
        on_fake, on_account = q.resolve(fake_names), q.resolve(names)
        if on_fake is None or on_account is None:
            results.not_asked += 1
            continue
        a_status, a_body = ask(account, q, on_account)
        top_rooms = q.kind == "presence" and q.subject is None
        a_body = names.as_captured(a_body, top_rooms)
        f_answer = ask(fake, q, on_fake)
        results.requests += 1
        seen.add(q, a_status, a_body)
        found += compare(q, q.text(fake_names), (a_status, a_body), f_answer)
    progress(len(mix))
    classifier = Classifier(view, seen, ignores)
    for d in found:
        classified = classifier.classify(d)
        if len(results.differences) < MAX_DIFFERENCES:
            results.differences.append(classified)
        else:
            results.dropped[classified.kind] += 1
    results.expired = ignores.expired
    return results
