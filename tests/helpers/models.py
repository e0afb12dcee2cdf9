"""Naive models the property tests compare the fake against: written for plainness, not speed,
and independent of the code under test."""

from __future__ import annotations


def keyset_page(
    ordered: list[str],
    limit: int,
    after: str | None,
    before: str | None,
    keys: dict[str, tuple[int, str]],
) -> list[str]:
    """Daily's keyset page over ids ``ordered`` newest first (``keys``: each id's sort key):
    filter by the cursor's key, then take the closest ``limit``; ``before="OLDEST"`` is the
    oldest page."""
    if after is not None:
        return [i for i in ordered if keys[i] < keys[after]][:limit]
    if before == "OLDEST":
        return ordered[-limit:] if limit < len(ordered) else ordered
    if before is not None:
        newer = [i for i in ordered if keys[i] > keys[before]]
        return newer[-limit:] if limit < len(newer) else newer
    return ordered[:limit]
