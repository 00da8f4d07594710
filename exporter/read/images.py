"""What an image is and how big it says it is, read from its first bytes before anything
decodes it: a 30000 x 30000 PNG is a few kilobytes on disk and gigabytes once decoded.

The type is sniffed from the signature, never taken from the file name, so a text file
named ``photo.png`` is not an image.
"""

from __future__ import annotations

import struct

from ..errors import ResourceError

RASTER_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
# JPEG start-of-frame markers (ITU T.81, table B.1): every SOFn except DHT, JPG and DAC.
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE_MARKERS = frozenset({0x01, *range(0xD0, 0xDA)})


def sniff_media_type(data: bytes) -> str | None:
    """The image type the bytes declare, or None when they are no image we embed."""
    for signature, media_type in RASTER_SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data:
        return "image/svg+xml"
    return None


def declared_size(data: bytes, media_type: str) -> tuple[int, int]:
    """Width and height from the header; ``ResourceError`` when the header is unreadable."""
    try:
        if media_type == "image/png" and data[12:16] == b"IHDR":
            return struct.unpack(">II", data[16:24])
        if media_type == "image/gif":
            return struct.unpack("<HH", data[6:10])
        if media_type == "image/webp":
            return _webp_size(data)
        if media_type == "image/jpeg":
            return _jpeg_size(data)
    except (struct.error, IndexError):
        pass
    raise ResourceError("is not a readable image (its header is damaged)")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X":  # extended format: 24-bit canvas width and height, minus one
        width = int.from_bytes(data[24:27], "little") + 1
        return width, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and data[20] == 0x2F:  # lossless: 14 bits each, minus one
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":  # lossy key frame (RFC 6386)
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    raise IndexError


def _jpeg_size(data: bytes) -> tuple[int, int]:
    position = 2
    while True:  # runs off the end (IndexError) when no frame header is found
        if data[position] != 0xFF:
            raise IndexError
        while data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        marker = data[position]
        position += 1
        if marker in _JPEG_STANDALONE_MARKERS:
            continue
        if marker in _JPEG_FRAME_MARKERS:
            height, width = struct.unpack(">HH", data[position + 3 : position + 7])
            return width, height
        position += struct.unpack(">H", data[position : position + 2])[0]


def check_pixels(data: bytes, media_type: str, max_pixels: int) -> None:
    """Refuse a raster image whose header declares more pixels than ``max_pixels``."""
    width, height = declared_size(data, media_type)
    if width * height > max_pixels:
        raise ResourceError(
            f"declares {width}x{height} pixels, over the limit of {max_pixels} "
            "(scale it down or raise --max-pixels)"
        )
    if width == 0 or height == 0:
        raise ResourceError("is not a readable image (it declares no pixels)")
