"""The shortcuts of the hot paths agree with the rules they stand for (issue 15)."""

from __future__ import annotations

from hypothesis import given

from fake_meetings.domain import timeline
from fake_meetings.domain.model import Session

from .test_render_cache import SETTINGS, instants, stores


@SETTINGS
@given(stores(), instants)
def test_all_settled_is_every_session_settled(pool: list[Session], nows: list[int]) -> None:
    for now in nows:
        for size in range(len(pool) + 1):
            page = pool[:size]
            assert timeline.all_settled(page, now) == all(timeline.settled(s, now) for s in page)
