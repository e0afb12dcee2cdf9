"""Scenario files (YAML) -> sessions, with validation errors that name file, path and line.

The format (keys exactly these)::

    now: 1717243200            # optional: freezes the server clock (unix int or ISO 8601)
    sessions:
      - id: 3f0c...            # optional; generated (stable for the same file) when absent
        room: standup          # required
        start_time: -2h        # required: unix int | ISO 8601 | relative to now
        ongoing: false         # optional: derived; if given, must agree at the file's instant
        duration: 1800         # optional: derived; if given, must agree (omitted when ongoing)
        max_participants: 3    # optional: derived as the peak overlap of the visible stays
        participants:          # required, at least one
          - participant_id: .. # optional; generated when absent
            user_id: null      # optional
            user_name: Alice   # optional
            join_time: -2h     # required; may be in the future (+15m)
            duration: 1800     # optional: without it the stay is open (present until ended)
    rooms:                     # optional: rooms (GET /rooms); sessions' other rooms are implied
      - name: standup          # required: A-Z, a-z, 0-9, '-', '_' (at most 128)
        created_at: -30d       # optional: time forms as above; default 1 s before the room's
                               # first session in this file, else the file's instant
        privacy: private       # optional: public (the default) or private
        api_created: false     # optional, default false
        config: {max_participants: 4}  # optional: the room's non-default properties
    webhook:                   # optional: where Daily's events go (a POST /webhooks body),
      url: http://127.0.0.1:9000/daily   # in place as soon as the file is loaded (no test
      hmac: c2VjcmV0           # request first); hmac, eventTypes, basicAuth, retryType optional
      timestamp: clock         # optional: X-Webhook-Timestamp, wall (default) or clock
    domain:                    # optional: the domain's configuration (a POST / body): the
      properties:              # properties set over Daily's defaults (GET /v1/ shows them)
        enable_prejoin_ui: false
    min_stay: 10               # optional: seconds a stay lasts before /meetings shows it
                               # (Daily's ten-second rule; serve --min-stay beats it; 0: off)
    recordings:                # optional: Daily's recordings (GET /recordings): see
      - session: 3f0c...       # recordingblock.py (session: or room: + start_ts; start_ts,
        end: -20m              # end or duration, max_duration, canceled, error, id)
    transcripts:               # optional: Daily's transcripts (GET /transcript): see
      - session: 3f0c...       # transcriptblock.py (as recordings; stored, error)

A session is one timeline of stays (``domain/timeline.py``): it appears at its ``start_time``,
is ongoing until its latest leave, and every derived field follows the server clock. The file's
instant (its ``now:``, else ``--now``, else the time of loading) is where given derived fields
are checked.

Loading is all or nothing: every problem is collected, and any problem raises
:class:`ScenarioError` before a single session is handed out.

This module reads one file and builds its :class:`Scenario`, the sessions here and each other
block by its own module. Three parts live apart, so that each reads in one sitting and none
needs the reader: what loading gives (``Scenario``, ``ScenarioError``: ``loaded.py``), the
``rooms:``, ``webhook:`` and ``domain:`` blocks (``accountblocks.py``), and the merging of
several scenarios (``merge.py``). Their public names are re-exported here, where callers have
always imported them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path as FsPath
from typing import Any

from ..domain.gcpause import gc_paused
from ..domain.generate import generate
from ..domain.genrecordings import generated_recordings
from ..domain.model import Session
from ..domain.recorded import DEFAULT_MIN_STAY
from .accountblocks import ROOM_KEYS as ROOM_KEYS
from .accountblocks import domain_block, rooms_block, webhook_block
from .fastread import UNREAD, read_fast
from .genblock import generate_spec
from .loaded import SHOWN as SHOWN
from .loaded import Scenario as Scenario
from .loaded import ScenarioError as ScenarioError
from .merge import Merged as Merged
from .merge import merge as merge
from .merge import merge_all as merge_all
from .merge import merge_domain as merge_domain
from .merge import merge_min_stay as merge_min_stay
from .merge import merge_recordings as merge_recordings
from .merge import merge_rooms as merge_rooms
from .merge import merge_transcripts as merge_transcripts
from .merge import merge_webhook as merge_webhook
from .recordingblock import recordings_block
from .sessionbuild import ID_NAMESPACE as ID_NAMESPACE
from .sessionbuild import PARTICIPANT_KEYS as PARTICIPANT_KEYS
from .sessionbuild import SESSION_KEYS as SESSION_KEYS
from .sessionbuild import checked_session, quick_session
from .shortstays import short_stays
from .transcriptblock import transcripts_block
from .validate import Checker, Problem, TooManyProblems
from .yamldoc import Document, YamlSyntaxError, read_yaml

TOP_KEYS = (
    "now", "sessions", "generate", "rooms", "webhook", "domain", "recordings", "transcripts",
    "min_stay",
)  # fmt: skip


def load_file(path: str | FsPath, *, now: int | None = None, wall_now: int = 0) -> Scenario:
    """Load one scenario file. ``now`` (e.g. from ``--now``) beats the file's own ``now:`` as
    the base of relative times; ``wall_now`` is the base when neither is given."""
    source = str(path)
    try:
        text = FsPath(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(source, None, (), f"cannot read file: {exc}")]) from None
    return load_text(text, source, now=now, wall_now=wall_now)


def load_text(text: str, source: str, *, now: int | None = None, wall_now: int = 0) -> Scenario:
    """The scenario in ``text`` (YAML, or JSON). The common forms are read fast, without line
    numbers (``fastread``); a text they do not cover, or one with a problem or a warning, is
    read (again) with the line-tracking reader, which reports every problem with its line."""
    with gc_paused():  # reading builds no reference cycles; see gcpause.py
        data = read_fast(text)
        if data is not UNREAD:
            try:
                scenario = build(Document(data), source, now=now, wall_now=wall_now)
                if not scenario.notes:
                    return scenario
            except ScenarioError:
                pass  # read again below, for the lines (of the problems, or of the warnings)
        try:
            doc = read_yaml(text)
        except YamlSyntaxError as exc:
            raise ScenarioError([Problem(source, exc.line, (), str(exc))]) from None
        return build(doc, source, now=now, wall_now=wall_now)


def load_data(
    data: Any, source: str = "<data>", *, now: int | None = None, wall_now: int = 0
) -> Scenario:
    """Load a scenario already parsed into Python values (no line numbers then)."""
    return build(Document(data), source, now=now, wall_now=wall_now)


def build(
    doc: Document,
    source: str,
    *,
    now: int | None,
    wall_now: int,
    progress: Callable[[int], None] | None = None,
) -> Scenario:
    """The scenario of ``doc``; ``progress`` is generation's (``generate.generate``): it may
    raise to abandon the work."""
    c = Checker(doc, source)
    try:
        return _build(c, source, now=now, wall_now=wall_now, progress=progress)
    except TooManyProblems:
        c.raise_if_any(ScenarioError)
        raise


def _build(
    c: Checker,
    source: str,
    *,
    now: int | None,
    wall_now: int,
    progress: Callable[[int], None] | None,
) -> Scenario:
    top = c.mapping((), TOP_KEYS)
    if top is not None and not {"sessions", "generate", "rooms"} & set(top):
        c.problem((), "missing required key 'sessions' (or a 'generate' or 'rooms' block)")
    file_now = None
    if top is not None and top.get("now") is not None:
        file_now = c.instant(("now",), None)
    base = now if now is not None else file_now if file_now is not None else wall_now
    sessions: list[Session] = []
    raw_sessions = c.sequence(("sessions",), required=False) if top is not None else []
    seen: dict[str, str] = {}
    label = FsPath(source).name
    for i, raw in enumerate(raw_sessions):
        seed = f"{label}#{i}"
        session = quick_session(raw, base, seed)  # the common case, cheap; else every problem
        if session is None:
            session = checked_session(c, ("sessions", i), base, seed)
        session_id = session.id if session is not None else c.get(("sessions", i, "id"))
        if isinstance(session_id, str) and session_id in seen:
            c.problem(
                ("sessions", i, "id"),
                f"duplicate session id {session_id!r} (first at {seen[session_id]})",
            )
        elif isinstance(session_id, str):
            seen[session_id] = f"sessions[{i}]"
        if session is not None:
            sessions.append(session)
    spec = generate_spec(c, base) if top is not None and "generate" in top else None
    rooms = rooms_block(c, base, sessions) if top is not None and "rooms" in top else []
    hook = webhook_block(c) if top is not None and "webhook" in top else None
    domain = domain_block(c) if top is not None and "domain" in top else None
    has_recordings = top is not None and "recordings" in top
    recordings = recordings_block(c, base, source, sessions) if has_recordings else []
    has_transcripts = top is not None and "transcripts" in top
    transcripts = transcripts_block(c, base, source, sessions) if has_transcripts else []
    min_stay = c.non_negative(("min_stay",)) if top is not None and "min_stay" in top else None
    c.raise_if_any(ScenarioError)
    notes = short_stays(c, sessions, DEFAULT_MIN_STAY if min_stay is None else min_stay)
    if spec is not None:
        made = generate(spec, base, progress)
        sessions.extend(made)
        recordings.extend(generated_recordings(spec.seed, spec.recorded, made))
    return Scenario(
        tuple(sessions),
        file_now,
        source,
        tuple(rooms),
        hook,
        domain,
        tuple(recordings),
        min_stay,
        tuple(transcripts),
        tuple(notes),
    )
