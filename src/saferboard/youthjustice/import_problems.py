"""How the youth justice importers report what is wrong: the shared located problem,
in the wording these imports have always used.

:class:`Problem` is a :class:`~saferboard.core.importing.LocatedProblem` (one type for
every importer, docs/importing.md) built with the youth justice argument order
``(file, row, column, value, message)`` and written in :data:`EXPORT_STYLE`:
``outcomes.csv, row 8, column outcome_type: is not an outcome type (value 'telling_off')``
(the column unquoted, the whole value, no value when it is empty). The case record
export (:mod:`.importer`), the comparator files (:mod:`.benchmarks`) and the published
statistics (:mod:`.published`) share it, so none of them imports another for it.
"""

from __future__ import annotations

import sys

from saferboard.core.importing import LocatedProblem, ProblemStyle

EXPORT_STYLE = ProblemStyle(
    quote_column=False, value_word="value", value_limit=sys.maxsize, show_empty_value=False
)
MAX_PROBLEMS = 100
"""The most problems listed; the rest are counted (``ImportFailed.more``)."""


class Problem(LocatedProblem):
    """One located problem of a youth justice import (an error stops it; a warning
    does not). ``row`` None or ``column`` "" when the problem is the file's."""

    def __init__(self, file: str, row: int | None, column: str, value: str, message: str) -> None:
        super().__init__(file, message, row, column, value, style=EXPORT_STYLE)


class ImportFailed(Exception):
    """The file or export was rejected; nothing was stored."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        super().__init__(f"{len(problems) + more} problem(s); nothing was imported")


def refuse(problems: list[Problem]) -> None:
    """Raise :class:`ImportFailed` with the first MAX_PROBLEMS problems, if any."""
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS], max(0, len(problems) - MAX_PROBLEMS))
