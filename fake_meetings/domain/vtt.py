"""A transcript's stored WebVTT file, in the layout of Daily's stored transcripts (contract
part three, §3.4)::

    WEBVTT

    transcript:0
    00:00:01.250 --> 00:00:04.010
    <v>Ada:</v>Seven bright notes fall on the window.

The header ``WEBVTT`` and a blank line, no NOTE block; cue ids ``transcript:<n>`` from 0; times
``HH:MM:SS.mmm`` from the transcription's start [?]; one line per cue, ``<v>{name}:</v>{text}``
(an empty voice annotation, the name and a colon inside it, no space after ``</v>``).

The speakers are the session's stays present during the transcription; a stay without a
``user_name`` is labelled with its participant id [?]. Each cue lies inside its speaker's stay
and inside the transcription's span; speakers take turns (cues do not overlap). The text is
drawn from a generator seeded with the transcript's id: the same transcript is always the same
file [F]. At most ``MAX_CUES`` cues (a long transcription gets a file of a few hundred KiB).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .model import Participant

MAX_CUES = 5_000
_TEXT = (
    "agenda budget chart draft figure launch meeting milestone notes plan question review "
    "schedule slide summary task team timeline update window seven bright quiet early late "
    "next last shared open clear short long good ready fine yes sure right we you they it "
    "will can should might think need see check send move keep start finish talk about "
    "with from into over after before today tomorrow again now then also just really"
)
_WORDS = tuple(_TEXT.split())


def label(stay: Participant) -> str:
    """The name a stay speaks under: its ``user_name`` on one line, ``&``, ``<`` and ``>``
    escaped as WebVTT requires, else its participant id."""
    name = stay.user_name if stay.user_name else stay.participant_id
    name = " ".join(name.split())  # no line breaks inside a cue
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(3, 12))]
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?"))


def cues(
    seed: str, stays: Sequence[Participant], start: int, stop: int
) -> list[tuple[int, int, Participant, str]]:
    """The cues of a transcription from ``start`` to ``stop`` (unix seconds) among ``stays``:
    ``(begin_ms, end_ms, stay, text)``, in milliseconds from ``start``, in order."""
    rng = random.Random(f"vtt|{seed}")
    span_end = (stop - start) * 1000
    # each stay's part of the span, in ms from start
    spans = []
    for p in stays:
        leave = p.leave if p.leave is not None else stop
        lo, hi = (max(p.join_time, start) - start) * 1000, (min(leave, stop) - start) * 1000
        if hi - lo >= 500:
            spans.append((lo, hi, p))
    out: list[tuple[int, int, Participant, str]] = []
    t = rng.randint(200, 1500)
    while t < span_end and len(out) < MAX_CUES:
        here = [(lo, hi, p) for lo, hi, p in spans if lo <= t and hi - t >= 300]
        if not here:
            later = [lo for lo, hi, _ in spans if lo > t]
            if not later:
                break
            t = min(later)
            continue
        _, hi, speaker = rng.choice(here)
        end = min(t + rng.randint(800, 6000), hi, span_end)
        out.append((t, end, speaker, _sentence(rng)))
        t = end + rng.randint(0, 2500)
    return out


def webvtt(seed: str, stays: Sequence[Participant], start: int, stop: int) -> str:
    """The file's text (UTF-8 when served)."""
    parts = ["WEBVTT", ""]
    for n, (begin, end, speaker, text) in enumerate(cues(seed, stays, start, stop)):
        parts += [f"transcript:{n}", f"{_time(begin)} --> {_time(end)}"]
        parts += [f"<v>{label(speaker)}:</v>{text}", ""]
    return "\n".join(parts) + "\n"
