"""A stopping web worker leaves at once (saferboard serve's ``worker_exit`` hook):
finalising a forked worker's interpreter hangs in DuckDB's thread pool, so each stop
used to wait out gunicorn's 30-second graceful timeout."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from saferboard.core.management.commands import serve


class Exited(Exception):
    pass


def _exit(code: int) -> None:
    raise Exited(code)


def test_a_worker_told_to_stop_exits_without_finalising(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve.os, "_exit", _exit)
    with pytest.raises(Exited) as exited:
        serve.end_worker(None, SimpleNamespace(alive=False))
    assert exited.value.args == (0,)


def test_a_worker_that_failed_to_boot_exits_as_gunicorn_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serve.os, "_exit", _exit)
    assert serve.end_worker(None, SimpleNamespace(alive=True)) is None  # no early exit
