"""The checks the command groups share (``recordingchanges.py``, ``transcription.py``,
``failures.py``, ``roomchanges.py``), each written once: the session a room hosts now (else a
404, "not hosting a call"), an object visible now (else a 404), its delete, its stop now, the
one in progress on an instance, and one that may fail now. Each family passes the words of its
messages ("recording", "transcript"), so each keeps its own wording; none of these changes the
world or tells the listeners: the command swaps what they return and tells."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..domain.recording import Recording
from ..domain.transcripts import Transcript
from ..errors import invalid, not_found

if TYPE_CHECKING:
    from ..domain.model import Session
    from ..domain.store import Store

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Item = TypeVar("Item", Recording, Transcript)  # one object of a family
Items_co = TypeVar("Items_co", covariant=True)  # the family's snapshot after a change
Items = TypeVar("Items")


class Visible(Protocol[T_co]):
    """What :func:`visible` asks of a snapshot (rooms, recordings, transcripts)."""

    def visible(self, key: str, now: int, /) -> T_co | None: ...


class Family(Protocol[Item, Items_co]):
    """What these checks use of a family's ranked snapshot (``Recordings``, ``Transcripts``)."""

    def visible(self, key: str, now: int, /) -> Item | None: ...
    def without(self, key: str, /) -> Items_co: ...
    def replaced(self, item: Item, /) -> Items_co: ...


class Seen(Protocol):
    """An object as seen at an instant (a family's ``seen_at``): its status."""

    @property
    def status(self) -> str: ...


def hosted_session(store: Store, room: str, now: int, starts: str) -> Session:
    """The session going on in ``room`` at ``now`` (the latest started, when several are);
    nobody in it now is a 404 "not hosting a call", ``starts`` saying what starts once someone
    has joined ("a recording starts")."""
    from ..domain.presence import latest_hosting  # the presence engine, on first use

    session = latest_hosting(store, now, room)
    if session is None:
        raise not_found(
            f"room {room} is not hosting a call: nobody is in it now ({starts} once someone "
            "has joined)"
        )
    return session


def visible(items: Visible[T], key: str, now: int, word: str) -> T:
    """The object ``key`` (an id, a room's name) visible at ``now``; none is a 404 "``word``
    ``key`` not found"."""
    found = items.visible(key, now)
    if found is None:
        raise not_found(f"{word} {key} not found")
    return found


def removed(items: Family[Item, Items], item_id: str, now: int, word: str) -> tuple[Item, Items]:
    """A delete: the object ``item_id`` visible at ``now`` (else a 404, as :func:`visible`)
    and the snapshot without it."""
    return visible(items, item_id, now, word), items.without(item_id)


def stopped(items: Family[Item, Items], item: Item, now: int) -> tuple[Item, Items]:
    """A stop: ``item`` with its declared end at ``now``, and the snapshot with it so."""
    done = replace(item, end=now)
    return done, items.replaced(done)


def on_instance(candidates: Iterable[Item], instance: str, store: Store, now: int) -> Item | None:
    """The one of ``candidates`` (a room's) in progress at ``now`` on ``instance``, if any."""
    for item in candidates:
        if item.instance_id == instance and item.in_progress(store.get(item.mtg_session_id), now):
            return item
    return None


def failing(
    items: Family[Item, object],
    item_id: str,
    store: Store,
    now: int,
    word: str,
    seen_at: Callable[[Item, Session | None, int], Seen],
) -> Item:
    """The object ``item_id`` visible and in progress at ``now``, which may fail: none is a 404
    (as :func:`visible`), one that has stopped a 400 naming its status (``seen_at``'s)."""
    item = visible(items, item_id, now, word)
    session = store.get(item.mtg_session_id)
    if not item.in_progress(session, now):
        status = seen_at(item, session, now).status
        raise invalid(
            f"{word} {item_id} is {status}, not in progress: only a {word} in progress can fail"
        )
    return item
