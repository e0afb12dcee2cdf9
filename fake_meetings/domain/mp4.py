"""A small, valid, deterministic MP4 file of a given duration, built in code (no binary blobs):
what a recording's download link serves (contract part three, §2.4).

The file is ``ftyp`` + ``moov`` (``mvhd`` and one audio ``trak`` whose ``tkhd`` and ``mdhd``
carry the duration, with an AAC ``mp4a`` sample description and empty sample tables) + an empty
``mdat``. MP4 readers report its duration; it has no samples, so players show silence. The
same duration always gives the same bytes (every time field is 0).
"""

from __future__ import annotations

import struct

TIMESCALE = 1000  # units per second of the durations written
_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)  # identity


# MPEG-4 elementary stream descriptor: AAC LC, 48 kHz, stereo (no samples follow)
_DECODER_SPECIFIC = bytes([0x05, 2, 0x11, 0x90])  # AudioSpecificConfig: LC, 48000, 2 ch
_DECODER_CONFIG = (
    bytes([0x04, 13 + len(_DECODER_SPECIFIC), 0x40, 0x15])  # AAC, audio stream
    + bytes(3)  # buffer size
    + struct.pack(">II", 0, 0)  # max and average bitrate
    + _DECODER_SPECIFIC
)
_SL_CONFIG = bytes([0x06, 1, 0x02])
_ES_DESCRIPTOR = (
    bytes([0x03, 3 + len(_DECODER_CONFIG) + len(_SL_CONFIG), 0, 1, 0])  # ES id 1, no flags
    + _DECODER_CONFIG
    + _SL_CONFIG
)


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


def mp4_file(seconds: int) -> bytes:
    """An MP4 file ``seconds`` long (0 or more, below 2**32: 136 years). Durations are in
    milliseconds, or in seconds from 49.7 days on (where milliseconds overflow 32 bits)."""
    if not 0 <= seconds < 2**32:
        raise ValueError(f"an MP4 of {seconds} s is out of range")
    timescale = TIMESCALE if seconds * TIMESCALE < 2**32 else 1
    units = seconds * timescale
    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 0x200), b"isom", b"iso2", b"mp41")
    mvhd = _full(
        b"mvhd",
        0,
        0,
        struct.pack(">IIII", 0, 0, timescale, units),  # created, modified, timescale, duration
        struct.pack(">IH", 0x10000, 0x100),  # rate 1.0, volume 1.0
        bytes(10),  # reserved
        _MATRIX,
        bytes(24),  # pre-defined
        struct.pack(">I", 2),  # next track id
    )
    tkhd = _full(
        b"tkhd",
        0,
        3,  # enabled, in the movie
        struct.pack(">IIIII", 0, 0, 1, 0, units),  # created, modified, track 1, -, duration
        bytes(8),  # reserved
        struct.pack(">hhhH", 0, 0, 0x100, 0),  # layer, alternate group, volume 1.0, -
        _MATRIX,
        struct.pack(">II", 0, 0),  # width, height (audio)
    )
    mdhd = _full(
        b"mdhd",
        0,
        0,
        struct.pack(">IIII", 0, 0, timescale, units),
        struct.pack(">HH", 0x55C4, 0),  # language "und", pre-defined
    )
    hdlr = _full(b"hdlr", 0, 0, bytes(4), b"soun", bytes(12), b"SoundHandler\x00")
    mp4a = _box(
        b"mp4a",
        bytes(6),  # reserved
        struct.pack(">H", 1),  # data reference index
        bytes(8),  # reserved
        struct.pack(">HHHH", 2, 16, 0, 0),  # channels, sample size, pre-defined, reserved
        struct.pack(">I", 48000 << 16),  # sample rate 48 kHz, 16.16 fixed point
        _full(b"esds", 0, 0, _ES_DESCRIPTOR),
    )
    stbl = _box(
        b"stbl",
        _full(b"stsd", 0, 0, struct.pack(">I", 1), mp4a),
        _full(b"stts", 0, 0, struct.pack(">I", 0)),
        _full(b"stsc", 0, 0, struct.pack(">I", 0)),
        _full(b"stsz", 0, 0, struct.pack(">II", 0, 0)),
        _full(b"stco", 0, 0, struct.pack(">I", 0)),
    )
    dinf = _box(b"dinf", _full(b"dref", 0, 0, struct.pack(">I", 1), _full(b"url ", 0, 1)))
    minf = _box(b"minf", _full(b"smhd", 0, 0, bytes(4)), dinf, stbl)
    trak = _box(b"trak", tkhd, _box(b"mdia", mdhd, hdlr, minf))
    return ftyp + _box(b"moov", mvhd, trak) + _box(b"mdat")
