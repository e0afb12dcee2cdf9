"""A namespace's test controls as commands: its faults, its request journal and its
``min_stay`` (the control plane's ``/_fake/faults`` and ``/_fake/requests``, the test handle):
the part of :class:`namespaces.Namespace` that they add, kept here so each file stays one
subject.

Each is a synchronous change on the server's loop (the app's pipeline reads the faults and
writes the journal on the same loop, between two awaits), so none takes the namespace's lock:
no await comes between a check and its change, and no load reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import not_found
from .faults import Fault, Faults
from .group import CommandGroup
from .journal import Entry, Journal


class ControlCommands(CommandGroup):
    """The fault, journal and min_stay commands of a namespace (mixed into ``Namespace``)."""

    if TYPE_CHECKING:
        faults: Faults
        journal: Journal

    # -- faults

    def arm_fault(self, fault: Fault) -> Fault:
        """``POST /_fake/faults``: ``fault`` answers the requests it matches from now on (after
        those armed before it); more than ``faults.MAX_FAULTS`` at once is a 400."""
        self.faults.add(fault)
        return fault

    def armed_faults(self) -> list[Fault]:
        """The faults armed now, in the order they were armed."""
        return self.faults.list()

    def clear_faults(self) -> int:
        """``DELETE /_fake/faults``: every fault gone (the requests they delay are answered at
        once); how many there were."""
        return self.faults.clear()

    def remove_fault(self, fault_id: str) -> None:
        """``DELETE /_fake/faults/:id``: that fault gone; an unknown id is a 404."""
        if not self.faults.remove(fault_id):
            raise not_found(f"no fault with id {fault_id!r} (GET /_fake/faults lists them)")

    # -- the journal

    def requests(
        self, path: str | None = None, method: str | None = None, limit: int | None = None
    ) -> list[Entry]:
        """The requests recorded, oldest first, of ``path`` and ``method`` when given, the
        latest ``limit`` when given."""
        return self.journal.select(path, method, limit)

    def clear_requests(self) -> int:
        """``DELETE /_fake/requests``: the journal emptied; how many entries it held."""
        return self.journal.clear()

    # -- the ten-second rule

    def set_min_stay(self, seconds: int) -> None:
        """The namespace's ``min_stay`` (seconds a stay lasts before Daily's records show it),
        until a reset. Checked by the caller (the handle's ``min_stay`` setter: a whole number,
        0 or more); the next request reads it."""
        self.world.min_stay = seconds
