"""Running two writers at the same moment, each in its own thread and connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(*writers: Callable[[], str]) -> list[str]:
    """Start every writer at once (a barrier) and return what each reported, in order.

    Each runs in its own thread, so its own database connection and transaction; the
    connection is closed afterwards (a test database cannot be dropped while one is
    open). A writer returns a word for its outcome ("saved", "refused"…); an exception
    is reported as its class name so the test shows it.
    """
    start = threading.Barrier(len(writers))
    results: list[str] = [""] * len(writers)

    def run(i: int, writer: Callable[[], str]) -> None:
        start.wait()
        try:
            results[i] = writer()
        except Exception as error:
            results[i] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
