"""Reading CSV records so that a file the csv module cannot read is refused, not a crash."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator


def records(
    reader: Iterator[list[str]], refuse: Callable[[int | None, csv.Error], Exception]
) -> Iterator[list[str]]:
    """The reader's records. A CSV the module cannot read (say, a field over its size
    limit) raises what ``refuse`` makes of the line it stopped on and the error, so
    each importer refuses it in its own terms."""
    try:
        yield from reader
    except csv.Error as error:
        raise refuse(getattr(reader, "line_num", None) or None, error) from error
