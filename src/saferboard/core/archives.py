"""Reading the members of uploaded ZIP archives without trusting their headers.

``ZipFile.read`` asks zlib for the whole member in one call: a one-megabyte upload of
deflated zeros whose header declares a small size is expanded to gigabytes in memory
before the size is compared (Python then cuts it to the declared size and fails the
CRC). Reading a megabyte at a time bounds that. A member that honestly declares a huge
size but compresses far better than any data file does (a "zip bomb") is refused by
its ratio before anything is expanded.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

CHUNK_BYTES = 1 << 20
MAX_RATIO = 200
"""No CSV or spreadsheet we import compresses better than this (police.uk street files
compress about 8:1, case-record exports about 5:1)."""
RATIO_CHECKED_FROM = 10 * 1024 * 1024
"""Small members may compress oddly well (a header and blank rows); only larger ones are
held to the ratio."""


def member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, a megabyte at a time (never more than its declared size:
    Python stops there, and a member that holds more fails its CRC check)."""
    with archive.open(info) as member:
        while chunk := member.read(CHUNK_BYTES):
            yield chunk


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The whole member, read a megabyte at a time (see :func:`member_chunks`)."""
    return b"".join(member_chunks(archive, info))


def bomb_reason(info: zipfile.ZipInfo) -> str | None:
    """Why a member is refused unread as a zip bomb, or ``None``."""
    if info.file_size < RATIO_CHECKED_FROM:
        return None
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > MAX_RATIO:
        return (
            f"expands {ratio:,.0f} times (to {info.file_size:,} bytes): no data file "
            f"compresses more than {MAX_RATIO} times, so this is not one"
        )
    return None
