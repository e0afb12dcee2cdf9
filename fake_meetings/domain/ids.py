"""Seeded UUIDs: the ids the generator, live joins and webhooks draw from a ``random.Random``.

Apart from ``generate.py`` so that a live join or a webhook does not import the generator."""

from __future__ import annotations

import random

_UUID_KEEP = 0xFFFFFFFF_FFFF_0FFF_3FFF_FFFFFFFFFFFF  # clear the version and variant bits
_UUID_SET = 0x00000000_0000_4000_8000_000000000000  # version 4, RFC 4122 variant


def seeded_uuid(rng: random.Random) -> str:
    """A version-4-shaped UUID from the seeded generator (uuid.uuid4() is not seedable)."""
    h = ((rng.getrandbits(128) & _UUID_KEEP) | _UUID_SET).to_bytes(16, "big").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
