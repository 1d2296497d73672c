"""The worker runs below the web server's CPU priority (saferboard.tasks.priority)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import Connection

import pytest
from django.core.management import CommandError, call_command

from saferboard.tasks import priority


def _in_child(increment: int, pipe: Connection) -> None:
    """In a forked child (a process's niceness cannot be raised back): lower the
    priority, then report the process's niceness and a new thread's."""
    try:
        result = priority.lower_priority(increment)
        seen: list[int] = []
        thread = threading.Thread(target=lambda: seen.append(os.nice(0)))
        thread.start()
        thread.join()
        pipe.send((result, os.nice(0), seen[0]))
    except Exception as error:  # reported to the test, not lost in the child
        pipe.send(repr(error))


def _niceness_after(increment: int) -> object:
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_in_child, args=(increment, send))
    child.start()
    answer = receive.recv()
    child.join()
    return answer


def test_the_worker_lowers_its_priority_by_ten_and_its_threads_follow() -> None:
    assert priority.DEFAULT_NICE == 10
    start = os.nice(0)
    expected = min(start + 10, 19)  # the kernel caps niceness at 19
    assert _niceness_after(10) == (expected, expected, expected)


def test_nice_zero_leaves_the_priority() -> None:
    start = os.nice(0)
    assert _niceness_after(0) == (start, start, start)


def test_priority_can_only_be_lowered() -> None:
    with pytest.raises(ValueError, match="only be lowered"):
        priority.lower_priority(-1)


@pytest.mark.parametrize("value", ["-1", "20"])
def test_the_worker_command_refuses_a_nice_out_of_range(value: str) -> None:
    with pytest.raises(CommandError, match="between 0 and 19"):
        call_command("worker", "--batch", "--nice", value)


def test_the_worker_command_lowers_its_priority_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from saferboard.tasks.management.commands import worker

    calls: list[int] = []

    class Stop(Exception):
        pass

    def lowered(increment: int) -> int:
        calls.append(increment)
        raise Stop  # nothing else of the worker runs in the test process

    monkeypatch.setattr(worker, "lower_priority", lowered)
    with pytest.raises(Stop):
        call_command("worker", "--batch")
    with pytest.raises(Stop):
        call_command("worker", "--batch", "--nice", "5")
    assert calls == [10, 5]
