"""What the next start of Saferboard does after a crash, as one command:
``python -m tests.faults.settle``.

- Opening the crime store (every reader and writer does, via ``CrimeStore.version``
  or ``CrimeStore.writing``) settles a commit a killed import left in the journal.
- ``fail_abandoned_builds`` (run before each pack build and by the pack pages) marks a
  killed build failed and deletes its partial files.

The database needs nothing: SQLite rolls back a killed transaction when the file is
next opened.
"""

from __future__ import annotations

import django


def main() -> None:
    """Settle whatever a killed process left behind."""
    django.setup()
    from saferboard.crime.store import CrimeStore
    from saferboard.reports.services import fail_abandoned_builds

    CrimeStore().version()
    fail_abandoned_builds()


if __name__ == "__main__":
    main()
