"""The handle's backend for an external server (a CI service container): its control plane,
``/_fake/...`` over HTTP (:class:`~fake_meetings.client.control.ControlPlane`)."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..client.control import ControlPlane, FakeMeetingsError, RemoteScenarioError, to_json
from .handle import Mode, RecordedRequest, Source, is_text, read_scenario, source_label


class RemoteBackend(ControlPlane):
    """Drives an external fake-meetings through its control plane: the client's calls, plus
    the handle's scenario input (dicts, YAML text, files, bundled names) sent as the server
    reads it, and the journal as :class:`~fake_meetings.testing.handle.RecordedRequest`."""

    def load(self, source: Source, mode: Mode, now: int | None) -> None:
        lines = now is None and not isinstance(source, Mapping)  # the body is the source's text
        if now is not None:
            # resolved here, so `now` beats the scenario's own `now:` exactly as in-process
            from ..scenario.dump import dump_scenario

            scenario = read_scenario(source, now=now, wall_now=now)
            text = io.StringIO()
            dump_scenario(
                scenario.sessions,
                text,
                now=now,
                rooms=scenario.rooms,
                recordings=scenario.recordings,
                transcripts=scenario.transcripts,
            )
            body, content_type = text.getvalue().encode(), "application/yaml"
        elif isinstance(source, Mapping):
            body, content_type = to_json(dict(source)), "application/json"
        elif isinstance(source, str) and is_text(source):
            body, content_type = source.encode(), "application/yaml"
        else:
            from ..scenario.loading import resolve

            body = Path(resolve(os.fspath(source))).read_bytes()
            content_type = "application/yaml"
        try:
            self.post_scenario(body, content_type, mode)
        except RemoteScenarioError as exc:  # the server's problems, named after the user's input
            raise exc.named(source_label(source), lines=lines) from None

    def add_sessions(self, sessions: list[dict[str, Any]]) -> None:
        try:
            self.post_sessions(sessions)
        except RemoteScenarioError as exc:
            raise exc.named("add_session()", lines=False) from None

    def requests(self) -> list[RecordedRequest]:
        return [RecordedRequest.from_dict(e) for e in self.journal()]

    def min_stay(self) -> int:
        raise self._in_process("min_stay")

    def set_min_stay(self, seconds: int) -> None:
        raise self._in_process(f"min_stay = {seconds!r}")

    @staticmethod
    def _in_process(what: str) -> FakeMeetingsError:
        """Not over the control plane: an external server's min_stay is its own."""
        return FakeMeetingsError(
            f"{what} needs the in-process server; an external server takes serve --min-stay "
            "(FAKE_MEETINGS_MIN_STAY) or a scenario's min_stay:"
        )

    def set_webhook_timestamp(self, mode: str) -> None:
        """Not over the control plane: an external server's mode is its own."""
        raise FakeMeetingsError(
            f"webhooks.timestamp = {mode!r} needs the in-process server; an external server "
            "takes serve --webhook-timestamp (FAKE_MEETINGS_WEBHOOK_TIMESTAMP) or a scenario's "
            "webhook: block with timestamp: clock"
        )
