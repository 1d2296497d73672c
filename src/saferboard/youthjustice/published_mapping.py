"""The column-mapping step of the published-statistics upload (pure functions).

A publication (see :mod:`saferboard.youthjustice.published`) is read by its column
names: ``service, period_from, period_to`` and either ``measure, value`` (long) or a
column per statistic (wide). A file whose headers are the publisher's own ("Youth
justice service", "Period start") is renamed first by a mapping, expected column → the
file's header, the same shape ``yj published --mapping FILE.json`` takes. These
functions say whether a file needs one, guess only the obvious matches (the same name
but for case, spaces and punctuation) and check a chosen mapping; the views remember a
saved mapping by the file's header row with :mod:`saferboard.youthjustice.mapping`.
"""

from __future__ import annotations

import re
from collections import Counter

from saferboard.youthjustice.mapping import FileMapping, rename_headers
from saferboard.youthjustice.published import KEY_COLUMNS, PUBLISHED_MEASURES

# The name under which a publication's mapping is remembered (ColumnMapping.file).
REMEMBERED_AS = "published statistics"
KEY_LABELS = {
    "service": "the youth justice service or local authority",
    "period_from": "the first day of the period",
    "period_to": "the last day of the period",
}
LONG_LABELS = {
    "measure": "the statistic's name (long layout: one figure a row)",
    "value": "the figure (long layout)",
}


def columns() -> list[tuple[str, str, bool]]:
    """Every column a publication may have: (column, what it holds, required)."""
    return [
        *((c, KEY_LABELS.get(c, c), True) for c in KEY_COLUMNS),
        *((c, label, False) for c, label in LONG_LABELS.items()),
        *((c, label, False) for c, label in PUBLISHED_MEASURES.items()),
    ]


def column_groups() -> list[tuple[str, list[str]]]:
    """The columns as the mapping page groups them: (legend, columns)."""
    return [
        ("The service and the period", list(KEY_COLUMNS)),
        ("Long layout: one figure a row", list(LONG_LABELS)),
        ("Wide layout: a column for each statistic", list(PUBLISHED_MEASURES)),
    ]


def normalise(header: str) -> str:
    """A header as a column name: lower case, runs of anything else than letters and
    digits as one underscore ("Period from" → "period_from")."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def obvious_matches(headers: list[str]) -> FileMapping:
    """The columns whose header is the same name but for case, spaces and punctuation
    (the first such header); nothing is guessed beyond that."""
    found: FileMapping = {}
    known = {c for c, _, _ in columns()}
    for header in headers:
        name = normalise(header)
        if name in known and name not in found:
            found[name] = header
    return found


def needs_mapping(headers: list[str]) -> bool:
    """Whether the publication cannot be read by its headers as they are (as
    :func:`~saferboard.youthjustice.published.parse_publication` reads them)."""
    have = {h.strip().lower() for h in headers}
    if any(c not in have for c in KEY_COLUMNS):
        return True
    long = "measure" in have and "value" in have
    return not long and not have & set(PUBLISHED_MEASURES)


def can_be_mapped(headers: list[str]) -> bool:
    """Whether the header row has columns enough to map: the three keys and at least one
    statistic. One that has not (a sheet of notes, a file that is not a publication) is
    refused with its located problems instead of a mapping step that cannot succeed."""
    return len({h.strip().lower() for h in headers if h.strip()}) > len(KEY_COLUMNS)


def check(headers: list[str], mapping: FileMapping) -> list[tuple[str, str]]:
    """Problems with a chosen mapping, as (column, message): a header not in the file or
    chosen twice, a column the file also has under its own name, a layout incomplete."""
    problems: list[tuple[str, str]] = []
    lower = {h.strip().lower() for h in headers}
    used: dict[str, str] = {}
    for column, header in mapping.items():
        key = header.strip().lower()
        if key not in lower:
            problems.append((column, f"The file has no column {header!r}"))
        elif key in used:
            problems.append((column, f"{header!r} is already chosen for {used[key]}"))
        used.setdefault(key, column)
    counts = Counter(h.strip().lower() for h in rename_headers(headers, mapping))
    for column, header in mapping.items():
        if counts[column] > 1:
            problems.append(
                (column, f"The file also has a column called {column}: choose it, not {header!r}")
            )
    if ("measure" in mapping) != ("value" in mapping):
        missing = "value" if "measure" in mapping else "measure"
        problems.append((missing, f"Choose the column that holds {missing} too (long layout)"))
    elif not problems and needs_mapping(rename_headers(headers, mapping)):
        problems.append(
            (
                "",
                "Choose the measure and value columns, or the column of at least one statistic",
            )
        )
    return problems
