"""Each fuzz example on its own: a fresh data directory, a fresh input directory, and
every database write undone when the example ends.

Hypothesis runs hundreds of examples inside one call of the test function, so the
function-scoped fixtures (the database transaction pytest-django opens, the data
directory ``sabo_data_dir`` sets, ``tmp_path``) are shared by all of them. Without this,
an example sees the rows and files earlier examples left, and a failure Hypothesis has
shrunk may not reproduce on its own. Use it first thing in every example body that
touches the database or files::

    @given(...)
    def test_something(...):
        with fresh_example() as inputs:
            path = inputs / "upload.csv"
            ...
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from saferboard.crime import engine as crime_engine

# Where the folders go: a memory file system where there is one. An example's folders
# are made and removed hundreds of times a test, and removing a crime store's folders
# from a disk mounted with `discard` takes ~20 ms an example, more than some imports.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@contextlib.contextmanager
def fresh_example() -> Iterator[Path]:
    """Run one example against an empty data directory; yield an empty folder for its
    input files. Both are removed afterwards.

    The example runs inside ``transaction.atomic()`` (a savepoint within the test's own
    transaction) that is rolled back at the end, raise or not, so every row the example
    wrote is gone before the next one starts. Rows a fixture made before the example
    stay, unchanged. (So the test needs the database: ``django_db`` or a fixture on
    ``db``.)

    Per-process state is dropped too: the cached DuckDB engines
    (``saferboard.crime.engine``, one per data directory, each holding a connection and
    file handles on the store it was built over) are closed and forgotten, and Django's
    cache (youth justice results are kept there, keyed on import ids and times) is
    cleared, so nothing one example computed is read by the next.
    """
    root = Path(tempfile.mkdtemp(prefix="sabo-fuzz-", dir=SCRATCH))
    data_dir, inputs = root / "data", root / "inputs"
    data_dir.mkdir()
    inputs.mkdir()
    cache.clear()
    try:
        with (
            override_settings(DATA_DIR=data_dir, MEDIA_ROOT=data_dir / "files"),
            transaction.atomic(),
        ):
            yield inputs
            transaction.set_rollback(True)
    finally:
        crime_engine.forget_engines()
        cache.clear()
        shutil.rmtree(root, ignore_errors=True)
