"""Seeded UUIDs: the ids the generator, live joins and webhooks draw from a ``random.Random``,
and the milliseconds a stored file's key takes from its object's id.

Apart from ``generate.py`` so that a live join or a webhook does not import the generator."""

from __future__ import annotations

import random
import zlib

_UUID_KEEP = 0xFFFFFFFF_FFFF_0FFF_3FFF_FFFFFFFFFFFF  # clear the version and variant bits
_UUID_SET = 0x00000000_0000_4000_8000_000000000000  # version 4, RFC 4122 variant


def seeded_uuid(rng: random.Random) -> str:
    """A version-4-shaped UUID from the seeded generator (uuid.uuid4() is not seedable)."""
    h = ((rng.getrandbits(128) & _UUID_KEEP) | _UUID_SET).to_bytes(16, "big").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def epoch_ms(start_ts: int, item_id: str) -> int:
    """A recording's or transcript's ``epoch_time`` (its file key's, in milliseconds): its
    start second, and milliseconds (0-999) drawn from its id [our choice]. Daily's keys carry
    the start's own milliseconds; the fake's starts are whole seconds, and the same three
    digits for every key would give two of one room started in the same second (a frozen
    clock) one key. Drawn from the id, they differ for all but one pair in 1,000, and stay
    the same for the object whatever the clock does. An id's text is hashed as UTF-8, a lone
    surrogate passed through, so no id can make it fail."""
    return start_ts * 1000 + zlib.crc32(item_id.encode("utf-8", "surrogatepass")) % 1000
