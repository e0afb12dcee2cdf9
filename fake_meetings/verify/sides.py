"""The two sides in the capture's names. The fake serves the capture, so its names are the
capture's. The account's room names are the originals (stand-ins in a capture made with
``--pseudonymise-rooms``), and its room ids are its own: the account's answers are brought into
the capture's names before they are compared (user names and ids through the same salt, room
names too, a room's id as fake-meetings derives it from its name and ``created_at``), and the
questions are put to it in its own names."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import Any

from ..domain.domainconfig import DOMAIN_ID
from ..domain.rooms import derived_id
from ..domain.times import parse_instant
from ..scenario.pseudonyms import Pseudonyms
from .view import CaptureView


class FakeNames:
    def __init__(self, view: CaptureView):
        self._ids = {r.name: r.id for r in view.rooms}

    def room_name(self, captured: str) -> str | None:
        return captured

    def room_id(self, captured: str) -> str | None:
        return self._ids.get(captured)


class AccountNames:
    """The account's names, from its rooms (``GET /rooms``: name, id), and the way back."""

    def __init__(self, rooms: Iterable[Any], pseudonyms: Pseudonyms | None):
        self.pseudonyms = pseudonyms
        self._original: dict[str, str] = {}  # the capture's room name -> the account's
        self._ids: dict[str, str] = {}  # the capture's room name -> the account's room id
        for room in rooms:
            if isinstance(room, Mapping) and isinstance(room.get("name"), str):
                name = self.room(room["name"])
                self._original[name] = room["name"]
                if isinstance(room.get("id"), str):
                    self._ids[name] = room["id"]

    def room(self, original: str) -> str:
        """The capture's name for one of the account's rooms."""
        return self.pseudonyms.room(original) if self.pseudonyms is not None else original

    def room_name(self, captured: str) -> str | None:
        if self.pseudonyms is None or not self.pseudonyms.rooms:
            return captured
        return self._original.get(captured)

    def room_id(self, captured: str) -> str | None:
        return self._ids.get(captured)

    def as_captured(self, body: Any, top_rooms: bool = False) -> Any:
        """The account's answer in the capture's names (``top_rooms``: the keys of
        ``/presence`` are room names)."""
        if isinstance(body, list):
            return [self.as_captured(item) for item in body]
        if not isinstance(body, dict):
            return body
        out = {(self.room(k) if top_rooms else k): self.as_captured(v) for k, v in body.items()}
        names = self.pseudonyms
        if names is not None and "participant_id" in out:
            out["user_id"] = _text(names.user_id, out.get("user_id"))
            out["user_name"] = _text(names.user_name, out.get("user_name"))
        if "mtgSessionId" in out:
            if names is not None:
                out["userId"] = _text(names.user_id, out.get("userId"))
                out["userName"] = _text(names.user_name, out.get("userName"))
            out["room"] = _text(self.room, out.get("room"))
        if "start_time" in out and "room" in out:
            out["room"] = _text(self.room, out.get("room"))
        if "privacy" in out and isinstance(out.get("name"), str):
            self._room_object(out)
        if "domain_id" in out:
            out["domain_id"] = DOMAIN_ID  # not captured: fake-meetings has one domain id
        return out

    def _room_object(self, out: dict[str, Any]) -> None:
        original = out["name"]
        out["name"] = name = self.room(original)
        url = out.get("url")
        if isinstance(url, str) and name != original and url.endswith("/" + original):
            out["url"] = url[: -len(original)] + name
        with contextlib.suppress(ValueError):  # fake-meetings derives it from name, created_at
            out["id"] = derived_id(name, parse_instant(out.get("created_at")))


def _text(rename: Any, value: Any) -> Any:
    return rename(value) if isinstance(value, str) else value
