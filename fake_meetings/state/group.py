"""What a namespace's command groups use of it, declared once: its ``world``, its ``bounds``,
and ``_tell``, which tells the listeners (the webhook desk) what a change moved.
:class:`namespaces.Namespace` provides them; each group (``loading.py``, ``livechanges.py``,
``roomchanges.py``, ...) is a :class:`CommandGroup` mixed into it. Declared for the type
checker only: at run time the class is empty."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..domain.model import Participant, Session
    from ..domain.recordings import Recording
    from ..domain.transcripts import Transcript
    from ..domain.world import World
    from .bounds import Bounds


class CommandGroup:
    """The base of a namespace's command groups (see the module)."""

    if TYPE_CHECKING:
        world: World
        bounds: Bounds

        def _tell(
            self,
            kind: str,
            before: int,
            session: Session | None = None,
            stay: Participant | None = None,
            *,
            recording: Recording | None = None,
            transcript: Transcript | None = None,
        ) -> None: ...
