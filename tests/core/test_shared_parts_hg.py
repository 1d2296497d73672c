"""The shared parts issue 23 folded into core: file checksums and parent walks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saferboard.core.checksums import file_sha256
from saferboard.core.hierarchy import reaches


def test_file_sha256_matches_hashlib_across_chunks(tmp_path: Path) -> None:
    # Larger than one read (a megabyte), so the chunked loop is exercised.
    data = bytes(range(256)) * 5000
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()


@dataclass
class Node:
    pk: int
    parent: Any = None


def test_reaches_self_parents_and_not_children() -> None:
    top = Node(1)
    middle = Node(2, top)
    bottom = Node(3, middle)
    assert reaches(bottom, bottom)
    assert reaches(bottom, top)
    assert not reaches(top, bottom)
    assert not reaches(middle, Node(9))


def test_reaches_stops_on_a_stored_cycle() -> None:
    a = Node(1)
    b = Node(2, a)
    a.parent = b
    assert not reaches(a, Node(3))
    assert reaches(a, b)
