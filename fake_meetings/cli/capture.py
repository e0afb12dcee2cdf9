"""``fake-meetings capture``: read a Daily account through its REST API and write a scenario
that, served at the capture instant, answers like the account did (contract part two, §14)."""

from __future__ import annotations

import argparse
import heapq
import itertools
import secrets
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..client.daily import DAILY_API, PAGE, DailyReader, SourceError
from ..domain.rooms import Room
from ..progress import PREFIX, Progress
from ..scenario.capture import Unusable, capture_instant, room_from_json, session_from_json
from ..scenario.pseudonyms import Pseudonyms
from . import capture_attached
from .atomic import Terminated, interruptible
from .capture_options import CaptureOptions, add_options, capture_header, capture_options
from .capture_output import ScenarioOutput

SHOWN = 3  # problems of one kind printed before the rest are only counted


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "capture",
        help="write a Daily account's sessions and rooms as a scenario file",
        description="Read a Daily account through its REST API (GET /rooms, then GET /meetings "
        "paged with starting_after) with your API key, and write a scenario file that, served "
        "by fake-meetings at the capture instant, answers like the account did. Any "
        "fake-meetings server works as the source too. The key is never printed or written.",
        epilog=f"Example: DAILY_API_KEY=... fake-meetings capture --since now-30d --pseudonymise "
        f"-o prod.yaml   (the default source is {DAILY_API})",
    )
    add_options(parser)


class CaptureProgress(Progress):
    """Progress lines with pages read, sessions and the request rate."""

    def __init__(self, reader: DailyReader, limit: int | None):
        super().__init__("capturing sessions")
        self.reader, self.limit, self.pages, self.totals = reader, limit, 0, 0
        self._before = reader.requests  # the rooms' requests came before this step

    def add_total(self, total: int) -> None:
        self.totals += total
        self.total = min(self.totals, self.limit) if self.limit else self.totals

    def _status(self) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        of = f"/{self.total:,} ({100 * self.done // self.total}%)" if self.total else ""
        rate = (self.reader.requests - self._before) / elapsed
        return (
            f"{self.what}: {self.done:,}{of} in {self.pages:,} pages, {rate:.1f} requests/s, "
            f"{self.reader.retries} retries, after {elapsed:.1f} s"
        )


def _say(text: str) -> None:
    print(PREFIX + "capture: " + text, file=sys.stderr, flush=True)


def _order(item: Any) -> tuple[int, str]:
    """The list order's key (read newest first), robust to a malformed item."""
    if not isinstance(item, dict):
        return (-1, "")
    start = item.get("start_time")
    return (start if type(start) is int else -1, str(item.get("id")))


def _sessions(reader: DailyReader, o: CaptureOptions, progress: CaptureProgress) -> Iterator[Any]:
    """The sessions' JSON, newest first: one walk of ``/meetings`` per ``--room`` (merged), or
    one over every room; at most ``--limit`` of them. More than ``--max-sessions`` read (the
    walks together) is a :class:`SourceError`."""
    size = min(PAGE, o.limit) if o.limit else PAGE
    read = 0

    def walk(room: str | None) -> Iterator[Any]:
        nonlocal read
        query: dict[str, str | int] = {} if room is None else {"room": room}
        if o.since is not None:
            query["timeframe_start"] = o.since
        if o.until is not None:
            query["timeframe_end"] = o.until
        for i, (total, data) in enumerate(reader.pages("/meetings", query, size)):
            if i == 0 and total is not None:
                progress.add_total(total)
            progress.pages += 1
            for item in data:
                read += 1
                if read > o.max_sessions:
                    raise SourceError(
                        f"GET /meetings: more than {o.max_sessions:,} sessions to read "
                        "(--max-sessions); capture fewer with --since, --until, --room or "
                        "--limit, or raise --max-sessions"
                    )
                yield item

    walks = [walk(room) for room in o.rooms] or [walk(None)]
    merged = heapq.merge(*walks, key=_order, reverse=True) if len(walks) > 1 else walks[0]
    return itertools.islice(merged, o.limit) if o.limit else merged


def _rooms(reader: DailyReader, o: CaptureOptions, names: Pseudonyms | None) -> list[Room]:
    rooms: list[Room] = []
    lost_ids = 0
    rename = names.room if names is not None else (lambda v: v)
    read = 0
    for _, data in reader.pages("/rooms", {}):
        read += len(data)
        if read > o.max_rooms:
            raise SourceError(
                f"GET /rooms: more than {o.max_rooms:,} rooms (--max-rooms; they are held in "
                "memory): raise --max-rooms if the account has that many"
            )
        for item in data:
            if o.rooms and (not isinstance(item, dict) or item.get("name") not in o.rooms):
                continue
            try:
                room, lost = room_from_json(item, rename)
            except Unusable as exc:
                _say(f"room left out: {exc}")
                continue
            lost_ids += bool(lost)
            rooms.append(room)
    if lost_ids:
        _say(f"{lost_ids} rooms get another id (fake-meetings derives a declared room's id)")
    return rooms


def run(args: argparse.Namespace) -> int:
    o = capture_options(args)
    names = Pseudonyms(o.salt or secrets.token_bytes(32), rooms=o.rooms_too) if o.pseudo else None
    reader = DailyReader(
        o.base_url,
        o.api_key,
        rate=o.rate,
        max_retries=o.max_retries,
        backoff=o.backoff,
        timeout=o.timeout,
        on_retry=_say,
    )
    try:  # Ctrl-C and SIGTERM end the capture, whatever the parent set
        with interruptible(), ScenarioOutput(o.output) as out:
            rooms = _rooms(reader, o, names)
            recorded = capture_attached.recordings(reader)
            transcribed = capture_attached.transcripts(reader)
            recorded.read()
            transcribed.read()
            latest = max((r.created_at for r in rooms), default=0)
            ongoing = approximated = 0
            differs: Counter[str] = Counter()
            skipped: list[str] = []
            progress = CaptureProgress(reader, o.limit)
            with progress:
                for item in _sessions(reader, o, progress):
                    try:
                        if names is None:
                            c = session_from_json(item)
                        else:
                            c = session_from_json(item, names.user_id, names.user_name, names.room)
                    except Unusable as exc:
                        skipped.append(str(exc))
                        if len(skipped) <= SHOWN:
                            _say(f"session left out: {exc}")
                        continue
                    out.session(c.session, c.instant)
                    for attached in (recorded, transcribed):
                        if attached.wants(c.session.id):
                            attached.keep(c.session)
                    latest = max(latest, c.instant)
                    ongoing += c.ongoing
                    approximated += c.approximated
                    differs.update(c.differs)
                    progress.update(out.count)
            now = capture_instant(latest, ongoing > 0, int(time.time()))
            recordings, transcripts = recorded.build(), transcribed.build()
            notes = _notes(skipped, differs, approximated, progress, o, out.count)
            notes += recorded.notes() + transcribed.notes()
            for note in notes:
                _say(note)
            shown = [names.room(r) for r in o.rooms] if names is not None else list(o.rooms)
            counts = (len(recordings), len(transcripts))
            header = capture_header(o, now, out.count, len(rooms), shown, notes, counts)
            out.finish(now, header, rooms, recordings, transcripts)
    except SourceError as exc:
        _say(f"{exc}; nothing written")
        return 1
    except OSError as exc:  # writing: a full disk, say
        _say(f"cannot write {o.output}: {exc.strerror or exc}; nothing written")
        return 1
    except KeyboardInterrupt as exc:
        _say(f"interrupted; nothing written ({o.output} is as it was)")
        return 143 if isinstance(exc, Terminated) else 130
    people = f", {names.people:,} user names and ids replaced" if names is not None else ""
    _say(
        f"wrote {out.count:,} sessions ({ongoing:,} ongoing), {len(rooms):,} rooms, "
        f"{len(recordings):,} recordings and {len(transcripts):,} transcripts to "
        f"{o.output}, now: {now}{people}; {reader.requests:,} requests, {reader.retries} retries"
    )
    return 0


def _notes(
    skipped: list[str],
    differs: Counter[str],
    approximated: int,
    progress: CaptureProgress,
    o: CaptureOptions,
    count: int,
) -> list[str]:
    """What of the source the file does not reproduce (printed, and kept in the header)."""
    notes = []
    if skipped:  # the reason may quote the source's values: not in a pseudonymised file
        reason = "reasons on stderr" if o.pseudo else f"e.g. {skipped[0]}"
        notes.append(f"{len(skipped):,} sessions left out ({reason})")
    for field, n in sorted(differs.items()):
        notes.append(f"{n:,} sessions whose {field} is not the one their stays derive")
    if approximated:
        notes.append(
            f"{approximated:,} ongoing sessions where nobody's stay reached the answer's "
            "instant: the stays that end last are taken as present"
        )
    read = count + len(skipped)
    if not o.limit and progress.totals and progress.totals != read:
        notes.append(
            f"the source's total_count was {progress.totals:,} but {read:,} sessions "
            "were read (sessions started during the capture?)"
        )
    return notes
