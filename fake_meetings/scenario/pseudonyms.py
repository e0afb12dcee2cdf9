"""Stand-ins for personal values (``fake-meetings capture --pseudonymise``).

Each value is replaced by a stand-in derived from HMAC-SHA256(salt, kind + NUL + value), so the
same value gets the same stand-in everywhere (the same person across sessions), the same salt
gives the same stand-ins run after run, and without the salt a stand-in cannot be traced back
by trying candidate names. ``None`` stays ``None``.

- user names: ``Person 3f9a1c2e`` (8 hex digits);
- user ids: a UUID when the original is UUID-shaped (so code that parses them still works),
  else ``user-`` and 16 hex digits;
- room names (optional): ``room-`` and 10 hex digits, a valid room name.

Two different values whose stand-ins would coincide get a longer one for the second seen, so
two people never share a stand-in. The maps are kept (their size grows with the number of
different people, not of sessions).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable

_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _uuid(digest: bytes, _: int) -> str:
    return str(uuid.UUID(bytes=digest[:16], version=4))


class Pseudonyms:
    """Consistent stand-ins for user names, user ids and (with ``rooms``) room names."""

    def __init__(self, salt: bytes, *, rooms: bool = False):
        self._salt = salt
        self.rooms = rooms
        self._maps: dict[str, dict[str, str]] = {"name": {}, "id": {}, "room": {}}
        self._taken: dict[str, set[str]] = {"name": set(), "id": set(), "room": set()}

    def _stand_in(self, kind: str, value: str, shape: Callable[[bytes, int], str]) -> str:
        known = self._maps[kind].get(value)
        if known is not None:
            return known
        digest = hmac.new(self._salt, f"{kind}\0{value}".encode(), hashlib.sha256).digest()
        taken = self._taken[kind]
        extra = 0
        candidate = shape(digest, extra)
        while candidate in taken:  # another value has it: lengthen this one's
            extra += 2
            if extra > 40:
                digest = hashlib.sha256(digest).digest()
                extra = 0
            candidate = shape(digest, extra)
        taken.add(candidate)
        self._maps[kind][value] = candidate
        return candidate

    def user_name(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self._stand_in("name", value, lambda d, x: f"Person {d.hex()[: 8 + x]}")

    def user_id(self, value: str | None) -> str | None:
        if value is None:
            return None
        if _UUID.fullmatch(value):
            return self._stand_in("id", value, _uuid)
        return self._stand_in("id", value, lambda d, x: f"user-{d.hex()[: 16 + x]}")

    def room(self, name: str) -> str:
        if not self.rooms:
            return name
        return self._stand_in("room", name, lambda d, x: f"room-{d.hex()[: 10 + x]}")

    @property
    def people(self) -> int:
        """How many different user names and user ids were replaced."""
        return len(self._maps["name"]) + len(self._maps["id"])
