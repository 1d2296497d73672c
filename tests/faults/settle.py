"""What opening the stores after a crash does, as one command:
``python -m tests.faults.settle``.

Opening the crime store (every reader and writer does, via ``CrimeStore.version`` or
``CrimeStore.writing``) settles a commit a killed writer left in the journal. The
database needs nothing: SQLite rolls back a killed transaction when the file is next
opened. A killed worker's task is settled by the next worker (``saferboard worker``
queues it again); the kill tests run that separately.
"""

from __future__ import annotations

import django


def main() -> None:
    """Settle whatever a killed process left in the crime store."""
    django.setup()
    from saferboard.crime.store import CrimeStore

    CrimeStore().version()


if __name__ == "__main__":
    main()
