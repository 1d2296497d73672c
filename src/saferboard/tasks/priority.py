"""The worker's CPU priority: background work gives way to page requests.

A load run (issue 22) with imports and pack builds on a two-core machine timed out 2
page requests in 1,327 at 10 s: the worker's work took the cores the web server
needed. A worker therefore runs ``nice``: the kernel gives the web server's threads the
CPU first whenever both want it, and the worker every cycle that pages leave idle.
"""

from __future__ import annotations

import os

DEFAULT_NICE = 10
"""How much lower than the process that starts it a worker runs (``--nice``)."""


def lower_priority(increment: int = DEFAULT_NICE) -> int:
    """Lower this process's CPU priority by ``increment`` (0 leaves it); return the
    resulting niceness.

    Called before the worker starts any thread: on Linux a thread's niceness is its
    own and new threads inherit their creator's, so threads started later (the
    heartbeat, DuckDB's) all run at the lower priority. An increment, not an absolute
    value, so the worker stays below a web server that was itself started ``nice``.
    Raising priority needs privileges, hence only lowering is offered.
    """
    if increment < 0:
        raise ValueError("a worker's priority can only be lowered (nice 0 to 19)")
    return os.nice(increment)
