"""The MP4 a recording's link downloads (domain/mp4.py), read by a real MP4 parser (mutagen)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mutagen.mp4 import MP4

from fake_meetings.domain.mp4 import mp4_file


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(seconds=st.one_of(st.integers(0, 10_800), st.integers(0, 2**32 - 1)))
def test_its_duration_is_the_one_asked_for(seconds: int) -> None:
    data = mp4_file(seconds)
    info = MP4(io.BytesIO(data)).info
    assert info.length == seconds
    assert (info.codec, info.channels, info.sample_rate) == ("mp4a.40.2", 2, 48000)
    assert data[4:8] == b"ftyp" and data.endswith(b"\x00\x00\x00\x08mdat")
    assert mp4_file(seconds) == data  # deterministic


def test_a_duration_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        mp4_file(2**32)
    with pytest.raises(ValueError, match="out of range"):
        mp4_file(-1)


@pytest.mark.parametrize("seconds", [4_294_967, 4_294_968, 366 * 86_400])
def test_past_49_days_the_durations_count_seconds(seconds: int) -> None:
    # a recording may last up to its max_duration (at most a year): milliseconds overflow
    assert MP4(io.BytesIO(mp4_file(seconds))).info.length == seconds
