"""Right after an import, every thread that opens the crime page asks for a dashboard
the new engine has not built: one thread builds it and the others share it (the
two-server load run's 5-9 s crime pages on 2026-12-07 were eight threads building the
same dashboard at once)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

import pytest

from saferboard.crime import observations


class _Engine:
    """Stands in for an engine: hashable by identity, as a real one is."""


def test_threads_asking_for_the_same_dashboard_share_one_build() -> None:
    eng: Any = _Engine()
    boards: OrderedDict[tuple[object, ...], Any] = OrderedDict()
    builds: list[int] = []
    start = threading.Barrier(6)

    def build() -> Any:
        builds.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive and wait
        return {"board": len(builds)}

    got: list[Any] = []

    def ask() -> None:
        start.wait()
        got.append(observations._build_once(eng, ("E09000001", "2026-01"), boards, build))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
    assert got == [{"board": 1}] * 6
    assert list(boards) == [("E09000001", "2026-01")]
    assert observations._BUILDING == {}  # nothing left behind


def test_different_dashboards_are_built_side_by_side_and_a_failed_build_is_retried() -> None:
    eng: Any = _Engine()
    boards: OrderedDict[tuple[object, ...], Any] = OrderedDict()
    calls: list[str] = []

    def failing() -> Any:
        calls.append("fail")
        raise RuntimeError("the store moved")

    with pytest.raises(RuntimeError, match="the store moved"):
        observations._build_once(eng, ("a",), boards, failing)
    assert observations._BUILDING == {} and not boards
    assert observations._build_once(eng, ("a",), boards, lambda: "A") == "A"
    assert observations._build_once(eng, ("b",), boards, lambda: "B") == "B"
    assert observations._build_once(eng, ("a",), boards, lambda: "not again") == "A"
    assert calls == ["fail"]
