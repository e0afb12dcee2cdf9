"""Cached rendering: the bytes of :mod:`render`, produced once and reused.

Nothing here decides what a response says; :mod:`render` (the reference, uncached renderer) does.
This module only remembers its output, under two rules that keep it exact:

* **Per snapshot.** A :class:`RenderCache` belongs to one :class:`~fake_meetings.domain.store.Store`
  (found through a weak-keyed map) and tags every entry with that snapshot's token, unique for
  the life of the process. A reload swaps the store, hence the token: nothing rendered from old
  data is ever served for new data, and the old entries are dropped when the old store goes.
* **Only settled sessions are frozen.** A session that has ended by ``now`` is *settled*: its
  JSON never changes as the clock moves on (``timeline.settled``). Any other visible session is
  *live*: its durations, participants and peak follow the clock. A body that contains live
  sessions is kept as fixed parts around *holes*; the holes are rendered again for each new
  instant, and the assembled body is reused only for the very instant it was made at.
* **The ten-second rule.** The Daily routes render a snapshot's listed store
  (``Store.listed``): its cache renders live sessions with the store's ``min_stay`` (a stay is
  shown ``min_stay`` seconds after its join); a settled recorded session shows all its stays,
  whatever the instant, so its fragment is frozen as any other.
* **Per instant of the timeline.** Which sessions a page holds, its ``total_count`` and which of
  them are settled depend on the clock only through the store's :class:`Instant` key (how many
  sessions have started, how many have ended): list bodies are kept under that key too.

Two kinds of entries, in maps with a byte budget each, shared by the whole process (every
snapshot, every namespace), evicted first-in-first-out (a hit costs one dict lookup and never
reorders anything):

* **fragments**: the JSON object of one ended session, with its participants (``full``) or
  without (``head``, for ``no_participants=true``), as ``orjson`` writes it inside a page.
  A page is ``{"total_count":N,"data":[`` + the fragments joined by ``,`` + ``]}``. The list
  route keeps them under the session's rank in the snapshot, and finds a page's fragments in
  the snapshot's :class:`~.slots.Slots` (a slice for a run of ranks); other callers key them by
  session id.
* **bodies**: whole response bodies keyed by what determines them. The list route keys on the raw
  query string plus the two options that change its answer (``strict_limit``,
  ``unknown_cursor``), so a repeated request skips parsing, the query engine and assembly.
  Only successful answers are stored; errors are computed every time.

At most ``FRAGMENT_BUDGET + BODY_BUDGET`` bytes (40 MiB) are kept per process: 42 bytes per
session at a million sessions.

The map itself (:class:`~.bounded.Bounded`, with :func:`~.bounded.exact`) and the kept body
(:class:`~.body.Body`) have modules of their own, as the room routes and presence use them
too; they are re-exported here, where callers have always imported them.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import cast

import orjson

from ...domain import timeline
from ...domain.model import Participant, Session
from ...domain.query import MeetingsPage
from ...domain.store import Store
from . import render
from .body import Body as Body
from .bounded import ENTRY_OVERHEAD
from .bounded import Bounded as Bounded
from .bounded import exact as exact
from .slots import Slots

FRAGMENT_BUDGET = 24 * 1024 * 1024  # bytes of session fragments kept, for the whole process
BODY_BUDGET = 16 * 1024 * 1024  # bytes of whole response bodies kept, for the whole process

FragmentKey = tuple[int, str | int]  # (snapshot token, session id), or (token, rank): see Slots


def _bytes_cost(key: FragmentKey, value: bytes) -> int:
    return len(value) + ENTRY_OVERHEAD


def _body_cost(key: tuple[int, Hashable], value: Body) -> int:
    parts = key[1] if isinstance(key[1], tuple) else (key[1],)
    return value.cost() + sum(len(k) for k in parts if isinstance(k, str))


def _live(participants: bool, min_stay: int) -> Callable[[Session, int], bytes]:
    """Renders a live session at an instant (a hole of a body)."""

    def fill(s: Session, now: int) -> bytes:
        return orjson.dumps(
            render.session_dict(s, now, participants=participants, min_stay=min_stay)
        )

    return fill


class RenderCache:
    """What was rendered from one store snapshot. Obtain it with :func:`cache_of`.

    Its entries live in maps shared by every snapshot of the process (:data:`FRAGMENTS`,
    :data:`BODIES`), under keys that start with the snapshot's ``token`` (unique for the life of
    the process), so the budgets bound the whole process however many snapshots or namespaces
    there are. ``RenderCache(fragment_budget, body_budget)`` makes a private one (tests).
    """

    __slots__ = (
        "__weakref__",
        "_fills",
        "bodies",
        "full",
        "full_slots",
        "head",
        "head_slots",
        "min_stay",
        "token",
    )

    def __init__(
        self,
        fragment_budget: int | None = None,
        body_budget: int | None = None,
        min_stay: int = 0,
    ):
        self.token = next(_TOKENS)
        # the ten-second rule of the snapshot (a listed store's min_stay): live sessions show
        # the stays recorded by the instant; a settled one shows all its stays at any
        self.min_stay = min_stay
        self._fills = {True: _live(True, min_stay), False: _live(False, min_stay)}
        if fragment_budget is None:
            self.full, self.head = FULL_FRAGMENTS, HEAD_FRAGMENTS
        else:  # full and head share the fragment budget half and half
            self.full = Bounded(fragment_budget // 2, _bytes_cost, _unslot_full)
            half = fragment_budget - fragment_budget // 2
            self.head = Bounded(half, _bytes_cost, _unslot_head)
        self.bodies = BODIES if body_budget is None else Bounded(body_budget, _body_cost)
        # the fragments kept under (token, rank) keys, by rank (see slots.py)
        self.full_slots, self.head_slots = Slots(), Slots()
        _BY_TOKEN[self.token] = self

    def forget(self) -> None:
        """Drop every entry of this snapshot (called when the snapshot is gone)."""
        for bounded in (self.full, self.head, self.bodies):
            bounded.drop_where(lambda key: key[0] == self.token)

    # --- fragments ---------------------------------------------------------------------------

    def fragment(self, s: Session, now: int, *, participants: bool) -> bytes | None:
        """The JSON object of the session as inside a page, or None when it is live at ``now``
        (then its bytes depend on the clock: never cached). A fragment is rendered and used only
        when the session is settled, and a settled session renders alike at every instant."""
        if not timeline.settled(s, now):
            return None
        cache = self.full if participants else self.head
        key = (self.token, s.id)
        frag = cache.data.get(key)
        if frag is None:
            frag = exact(render.session_dict(s, now, participants=participants))
            cache.put(key, frag)
        return frag

    # --- bodies ------------------------------------------------------------------------------

    def body(self, key: Hashable, now: int) -> bytes | None:
        """The cached body for ``key`` at ``now``, or None (then compute it and :meth:`keep` it)."""
        entry = self.bodies.data.get((self.token, key))
        if entry is None:
            return None
        fixed = entry.fixed  # most bodies: the same bytes at every instant, no call needed
        return fixed if fixed is not None else entry.at(now)

    def keep(self, key: Hashable, entry: Body, now: int) -> bytes:
        body = entry.at(now)  # assembled first, so that its cost counts the assembled body
        self.bodies.put((self.token, key), entry)
        return body

    def listed(self, page: MeetingsPage, now: int, *, participants: bool) -> Body:
        """The body of a page of the query engine (what :meth:`meetings_page` gives for its
        sessions). When every session of it has ended (the common page), its fragments are
        found by rank in this snapshot's slots, a slice for a run of ranks, and only a session
        whose fragment is missing is looked at."""
        sessions = page.sessions
        if not page.settled or not sessions:
            return self.meetings_page(page.total_count, sessions, now, participants=participants)
        slots = self.full_slots if participants else self.head_slots
        found = slots.pick(page.ranks)
        if None in found:
            kept, token, ranks = (self.full if participants else self.head), self.token, page.ranks
            for i, frag in enumerate(found):
                if frag is None:
                    s, rank = sessions[i], ranks[i]
                    frag = found[i] = exact(render.session_dict(s, now, participants=participants))
                    slots.put(rank, frag)  # before the put: its eviction clears the slot
                    if not kept.put((token, rank), frag):
                        slots.clear(rank)
        return Body((_joined(page.total_count, cast("list[bytes]", found)),))

    def meetings_page(
        self, total_count: int, sessions: Sequence[Session], now: int, *, participants: bool
    ) -> Body:
        """The body of :func:`render.meetings_page`: ended sessions from the fragment cache,
        live ones as holes."""
        head = b'{"total_count":%d,"data":[' % total_count
        cache = self.full if participants else self.head
        if timeline.all_settled(sessions, now):
            # the common page: every session settled, its fragment kept; one join, no holes
            get, token = cache.data.get, self.token
            found = [get((token, s.id)) for s in sessions]
            if not found:
                return Body((head + b"]}",))
            if None in found:
                for i, frag in enumerate(found):
                    if frag is None:
                        found[i] = self.fragment(sessions[i], now, participants=participants)
            return Body((_joined(total_count, cast("list[bytes]", found)),))
        parts: list[bytes] = []
        holes: list[Session] = []
        run = [head]
        for i, s in enumerate(sessions):
            if i:
                run.append(b",")
            frag = self.fragment(s, now, participants=participants)
            if frag is None:  # live: a hole, filled at each instant
                parts.append(b"".join(run))
                holes.append(s)
                run = []
            else:
                run.append(frag)
        run.append(b"]}")
        parts.append(b"".join(run))
        return Body(parts, holes, self._fills[participants])

    def session(self, s: Session, now: int) -> Body:
        """The body of ``GET /meetings/{id}``: :func:`render.session_dict` as JSON."""
        frag = self.fragment(s, now, participants=True)
        if frag is None:
            return Body((b"", b""), (s,), self._fills[True])
        return Body((frag,))

    @staticmethod
    def participants_page(s: Session, records: Sequence[Participant], now: int) -> Body:
        """The body of :func:`render.participants_page`: fixed when the session is settled,
        else one hole (the whole body)."""
        if not timeline.settled(s, now):
            return Body((b"", b""), (tuple(records),), render.participants_page)
        return Body((memoryview(render.participants_page(records, now)).tobytes(),))


def _joined(total_count: int, frags: list[bytes]) -> bytes:
    """A page of settled sessions from their fragments (at least one; the list is changed)."""
    frags[0] = b'{"total_count":%d,"data":[' % total_count + frags[0]  # the head and tail join
    frags[-1] = frags[-1] + b"]}"  # the first and last fragments: the page is copied once
    return b",".join(frags)


_TOKENS = itertools.count(1)
# Every live render cache by its token, so that the shared maps clear a slot when they evict.
_BY_TOKEN: weakref.WeakValueDictionary[int, RenderCache] = weakref.WeakValueDictionary()


def _unslot(participants: bool) -> Callable[[FragmentKey, bytes], None]:
    def dropped(key: FragmentKey, value: bytes) -> None:
        token, rank = key
        if isinstance(rank, int):
            cache = _BY_TOKEN.get(token)
            if cache is not None:
                (cache.full_slots if participants else cache.head_slots).clear(rank)

    return dropped


_unslot_full, _unslot_head = _unslot(True), _unslot(False)
# The process-wide maps: full fragments, fragments without participants, whole bodies.
FULL_FRAGMENTS: Bounded[FragmentKey, bytes] = Bounded(
    FRAGMENT_BUDGET // 2, _bytes_cost, _unslot_full
)
HEAD_FRAGMENTS: Bounded[FragmentKey, bytes] = Bounded(
    FRAGMENT_BUDGET // 2, _bytes_cost, _unslot_head
)
BODIES: Bounded[tuple[int, Hashable], Body] = Bounded(BODY_BUDGET, _body_cost)


_CACHES: weakref.WeakKeyDictionary[Store, RenderCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()
_last: tuple[weakref.ref[Store], weakref.ref[RenderCache]] | None = None  # see cache_of


def cache_of(store: Store) -> RenderCache:
    """The render cache of this snapshot (created on first use; its entries go with the
    snapshot). The last one found is remembered (weak references to it and its snapshot, so
    both still die together): a server asks for the same snapshot's cache request after
    request."""
    global _last
    last = _last
    if last is not None and last[0]() is store:
        found = last[1]()
        if found is not None:  # always, while the snapshot lives (_CACHES holds its cache)
            return found
    cache = _CACHES.get(store)
    if cache is None:
        with _CACHES_LOCK:
            cache = _CACHES.get(store)
            if cache is None:
                listing = store.listing
                cache = _CACHES[store] = RenderCache(
                    min_stay=0 if listing is None else listing.min_stay
                )
                weakref.finalize(store, cache.forget).atexit = False
    _last = (weakref.ref(store), weakref.ref(cache))
    return cache
