"""Uploaded ZIP archives read without trusting their headers: a member that lies about
its size is read a megabyte at a time and fails its CRC; a zip bomb is refused unread;
a damaged member is refused by name (crime archives and case-record exports)."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path
from typing import IO

import pytest

from saferboard.core.archives import MAX_RATIO, bomb_reason, read_member
from saferboard.crime.importer import import_files
from saferboard.crime.problems import ImportRejected
from saferboard.measures.models import DataImport
from saferboard.youthjustice.importer import ImportFailed, read_zip
from tests.fuzz.stores import files_under_data_dir

ZEROS = 256 * 1024 * 1024


def _understated(name: str, expanded: int, declared: int) -> bytes:
    """A ZIP of one deflated member of ``expanded`` zero bytes whose headers declare
    ``declared`` bytes (and a CRC for nothing): what a hostile upload would send."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(1 << 24)
    data = b"".join(packer.compress(block) for _ in range(expanded // len(block)))
    data += packer.flush()
    encoded = name.encode()
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(data), declared, len(encoded), 0
    )
    central = struct.pack(
        "<4s6H3L5H2L",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0,
        0,
        len(data),
        declared,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    end = struct.pack(
        "<4s4H2LH",
        b"PK\x05\x06",
        0,
        0,
        1,
        1,
        len(central) + len(encoded),
        len(local) + len(encoded) + len(data),
        0,
    )
    return local + encoded + data + central + encoded + end


def test_a_member_understating_its_size_is_read_in_bounded_memory() -> None:
    raw = _understated("children.csv", ZEROS, declared=10)
    archive = zipfile.ZipFile(io.BytesIO(raw))
    info = archive.getinfo("children.csv")
    assert info.file_size == 10 and bomb_reason(info) is None  # the header passes
    tracemalloc.start()
    try:
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            read_member(archive, info)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # ZipFile.read would have asked zlib for the whole 256 MB at once.
    assert peak < 16 * 1024 * 1024


def test_the_ratio_rule_by_hand() -> None:
    info = zipfile.ZipInfo("x.csv")
    info.file_size, info.compress_size = 100 * 1024 * 1024, 100 * 1024 * 1024 // MAX_RATIO
    assert bomb_reason(info) is None  # exactly 200:1
    info.compress_size -= 1
    assert "expands 200 times" in (bomb_reason(info) or "")
    info.file_size, info.compress_size = 10 * 1024 * 1024 - 1, 1  # too small to judge
    assert bomb_reason(info) is None


def _bomb(to: Path | IO[bytes], member: str) -> None:
    """Write to ``to`` a ZIP of one member of 64 MB of zeros (about 1000:1)."""
    with zipfile.ZipFile(to, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, bytes(64 * 1024 * 1024))


@pytest.mark.django_db
def test_a_crime_archive_holding_a_bomb_is_refused_unread(
    sabo_data_dir: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "latest.zip"
    _bomb(archive, "2023-06/2023-06-city-of-london-street.csv")
    before = files_under_data_dir()
    with pytest.raises(ImportRejected) as caught:
        import_files([archive])
    problem = caught.value.problem
    assert problem.file == f"{archive}!2023-06/2023-06-city-of-london-street.csv"
    assert "no data file compresses more than 200 times" in problem.message
    assert files_under_data_dir() == before
    assert DataImport.objects.count() == 0


@pytest.mark.django_db
def test_a_damaged_member_of_a_crime_archive_is_refused_by_name(
    sabo_data_dir: Path, tmp_path: Path
) -> None:
    member = "2023-06/2023-06-city-of-london-street.csv"
    raw = _understated(member, 16 * 1024 * 1024, declared=10)  # fails its CRC
    archive = tmp_path / "latest.zip"
    archive.write_bytes(raw)
    with pytest.raises(ImportRejected) as caught:
        import_files([archive])
    assert caught.value.problem.file == f"{archive}!{member}"
    assert "is damaged in the archive" in caught.value.problem.message
    # A deflate stream broken in the middle (zlib's own error, which used to escape).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, "Crime ID,Month\r\n" + "x,2023-06\r\n" * 5000)
    broken = bytearray(buffer.getvalue())
    broken[60:80] = b"\xff" * 20
    archive.write_bytes(bytes(broken))
    with pytest.raises(ImportRejected) as caught:
        import_files([archive])
    assert caught.value.problem.file == f"{archive}!{member}"
    assert DataImport.objects.count() == 0


def test_a_case_record_export_holding_a_bomb_is_refused_unread() -> None:
    buffer = io.BytesIO()
    _bomb(buffer, "export/children.csv")
    with pytest.raises(ImportFailed) as caught:
        read_zip(buffer.getvalue())
    problem = caught.value.problems[0]
    assert problem.file == "children.csv"
    assert "no data file compresses more than 200 times" in problem.message
    understated = _understated("children.csv", 64 * 1024 * 1024, declared=10)
    with pytest.raises(ImportFailed) as caught:
        read_zip(understated)
    assert "is damaged in the ZIP archive" in caught.value.problems[0].message
