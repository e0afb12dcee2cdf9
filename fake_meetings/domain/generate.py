"""Seeded generator of realistic, coherent meeting sessions (contract §1 invariants).

Every generated session is a timeline of stays (``timeline.py``) that satisfies: integer times;
the session ends at the latest leave; at least one participant; no stay under 10 s; a join may
precede ``start_time`` by at most 30 s (rare). Sessions start within the spec's window, which
ends ``ahead`` seconds after ``now``: with ``ahead``, sessions lie in the future too, and the
server clock makes them start, run and end. A session that straddles ``now`` is ongoing at
``now``: its stays simply end later.

Determinism: the same :class:`GenerateSpec` and ``now`` give the same sessions, for a given Faker
version (names come from Faker; the range this package accepts is pinned in pyproject.toml).
Names come from a seeded pool drawn once, because ``Faker.name()`` costs ~60 µs per call.
What is drawn here is what the store indexes (id, room, start, end); each session draws its
stays from its own id when they are first read (``drawn.py``).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from typing import TYPE_CHECKING

from .drawn import Cast, DrawnSession, Person, target_length
from .gcpause import gc_paused
from .ids import seeded_uuid as seeded_uuid  # its home was here
from .model import Session

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

# The generator's defaults, declared once: the spec below, the generate: block of scenario files
# and the generate/serve options (and their help) all read these.
DEFAULT_SESSIONS = 500
DEFAULT_ROOMS = 8
DEFAULT_SEED = 0
DEFAULT_DAYS = 30  # the window reaches this many days back from now
DEFAULT_LOCALE = "en_US"
DEFAULT_TZ = "UTC"
DEFAULT_RECORDED = 0.0  # the share of sessions recorded (genrecordings.py); 0: no recordings
DEFAULT_AHEAD = 0  # seconds after now that sessions may still start in; 0: none in the future

_ROOM_WORDS = (
    "daily-standup", "sales-demo", "design-review", "support", "office-hours", "all-hands",
    "1on1", "eng-interview", "sprint-planning", "retro", "onboarding", "webinar",
    "customer-call", "team-sync", "product-review", "tutoring", "telehealth", "coffee-chat",
)  # fmt: skip
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
WEEKEND_SHARE = 0.15  # a Saturday or Sunday hour is this busy, against the same weekday hour
_HOUR_WEIGHTS = (0, 0, 0, 0, 0, 0, 1, 3, 8, 12, 12, 11, 7, 10, 12, 11, 9, 5, 2, 1, 1, 1, 0, 0)


@dataclass(frozen=True)
class GenerateSpec:
    sessions: int = DEFAULT_SESSIONS
    rooms: int = DEFAULT_ROOMS
    seed: int = DEFAULT_SEED
    # unix seconds; default: DEFAULT_DAYS before end, or before now if earlier
    start: int | None = None
    end: int | None = None  # unix seconds; default (and at most): now + ahead
    locale: str = DEFAULT_LOCALE
    tz: str = DEFAULT_TZ
    ahead: int = DEFAULT_AHEAD
    recorded: float = DEFAULT_RECORDED  # the share of sessions recorded, 0 to 1

    def window(self, now: int) -> tuple[int, int]:
        latest = now + self.ahead
        end = min(self.end if self.end is not None else latest, latest)
        start = self.start if self.start is not None else min(end, now) - DEFAULT_DAYS * 86400
        return max(0, start), end  # no session before 1970


def generate(
    spec: GenerateSpec, now: int, progress: Callable[[int], None] | None = None
) -> list[Session]:
    """``spec.sessions`` sessions starting within the spec's window (which ends at most at
    ``now + spec.ahead``).

    ``progress`` is called with the number generated so far: 0 once the rooms and their casts
    are drawn, then every 10,000 sessions. It may raise, to abandon the work.

    The cyclic garbage collector is paused meanwhile: generating creates no reference cycles,
    and at a million sessions its full passes over the growing heap took a third of the time.
    """
    with gc_paused():
        return _generate(spec, now, progress)


def _generate(
    spec: GenerateSpec, now: int, progress: Callable[[int], None] | None
) -> list[Session]:
    rng = random.Random(spec.seed)
    start, end = spec.window(now)
    if spec.sessions <= 0 or end <= start:
        return []
    from zoneinfo import ZoneInfo  # imported here: only generating needs it (and sysconfig)

    days = _Days(start, end, ZoneInfo(spec.tz))
    people = _people(rng, spec)
    rooms = _rooms(rng, spec.rooms)
    cast = Cast(
        people,
        {room: rng.sample(people, min(len(people), rng.randint(3, 40))) for room in rooms},
    )
    room_weights = list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(rooms))))
    total_weight = room_weights[-1]
    out: list[Session] = []
    new, draw = DrawnSession.new, rng.random
    every = 10_000 if progress is not None else spec.sessions + 1
    if progress is not None:
        progress(0)
    # Drawn in start order, so that the store's sort by start finds them sorted (a linear
    # pass) and consecutive ranks are neighbours in memory.
    for session_start in sorted(days.pick(rng) for _ in range(spec.sessions)):
        room = rooms[bisect(room_weights, draw() * total_weight)]
        length = target_length(rng)
        out.append(new(seeded_uuid(rng), room, session_start, session_start + length, cast))
        if len(out) % every == 0 and progress is not None:
            progress(len(out))
    return out


class _Days:
    """Start times weighted to working hours and weekdays, in a time zone: an hour of the
    window is drawn by its weight (the hour of the day's, times ``WEEKEND_SHARE`` on Saturday
    and Sunday), then a second in it."""

    def __init__(self, start: int, end: int, tz: ZoneInfo):
        self.start, self.end = start, end
        day = datetime.fromtimestamp(start, tz).replace(hour=0, minute=0, second=0)
        hours: list[int] = []  # the first second of every hour that has a weight
        weights: list[float] = []
        while int(day.timestamp()) < end:
            midnight, share = int(day.timestamp()), 1.0 if day.weekday() < 5 else WEEKEND_SHARE
            for hour, weight in enumerate(_HOUR_WEIGHTS):
                if weight:
                    hours.append(midnight + hour * 3600)
                    weights.append(weight * share)
            day = (day + timedelta(days=1, hours=2)).replace(hour=0, tzinfo=tz)  # DST-proof
        self.hours, self.weights = hours, list(accumulate(weights))

    def pick(self, rng: random.Random) -> int:
        hours, weights, draw = self.hours, self.weights, rng.random
        total = weights[-1]
        for _ in range(64):
            t = hours[bisect(weights, draw() * total)] + int(draw() * 3600)
            if self.start <= t < self.end:
                return t
        return self.start + int(draw() * max(1, self.end - self.start))


def _people(rng: random.Random, spec: GenerateSpec) -> list[Person]:
    from faker import Faker  # imported here: only generating needs it

    fake = Faker(spec.locale)
    fake.seed_instance(spec.seed)
    count = max(40, min(3000, spec.sessions // 3 + 40))
    names = [fake.name() for _ in range(min(count, 800))]
    people = []
    for i in range(count):
        user_id = None if rng.random() < 0.3 else f"user_{_token(rng, _ALNUM, 10)}"
        user_name = None if rng.random() < 0.08 else names[i % len(names)]
        people.append(Person(user_id, user_name))
    return people


def _rooms(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    taken: set[str] = set()  # a name is looked up once per draw: a list made this quadratic
    while len(names) < max(1, count):
        u = rng.random()
        if u < 0.1:  # Daily's generated room names
            name = _token(rng, _MIXED, 20)
        elif u < 0.4 and len(names) < len(_ROOM_WORDS):
            name = _ROOM_WORDS[len(names) % len(_ROOM_WORDS)]
        else:
            name = f"{rng.choice(_ROOM_WORDS)}-{_token(rng, _ALNUM, 4)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _token(rng: random.Random, alphabet: str, size: int) -> str:
    return "".join(rng.choices(alphabet, k=size))
