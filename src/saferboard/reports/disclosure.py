"""Disclosure control for the public pack (pure).

Primary suppression: a count of 1 to 4, and any rate or percentage built on it, is
shown as "<5" with a footnote. Zero is shown: it identifies nobody.

Secondary suppression: where a table publishes row and column totals, hiding a small
cell is not enough, because the cell could be worked out from the totals by
subtraction, or more generally by solving the table's sum equations. After primary
suppression we therefore check, with exact linear algebra over the published table
(interior cells plus totals), whether any hidden cell is still *determined* by what is
shown; while one is, we hide one more cell next to it (the smallest count of 5 or
more in its row or column, so that as little as possible is lost), and check again.

A hidden cell is determined exactly when its unit vector lies in the row space of the
table's sum constraints restricted to the hidden cells; we test that by rank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

SMALL_LOW = 1
SMALL_HIGH = 4
SMALL_TEXT = "<5"
SECONDARY_TEXT = "[c]"
PRIMARY_NOTE = (
    "<5: a count of 1 to 4, or a rate based on one, is not shown so that nobody can be identified."
)
SECONDARY_NOTE = "[c]: not shown so that a figure marked <5 cannot be worked out from the totals."

# 'unpublished': a total the table does not print (a partner's table with a total row but
# no total column): unknown to a reader, so treated as hidden, but never shown as hidden.
Status = Literal["shown", "primary", "secondary", "unpublished"]


def is_small(count: float | None) -> bool:
    """True for a count that must not be published (1 to 4)."""
    return count is not None and SMALL_LOW <= count <= SMALL_HIGH


def protect_count(count: float | None, text: str | None = None) -> str:
    """A single published count: '<5' if small, else ``text`` (or the count with commas)."""
    if count is None:
        return text or "Not available"
    if is_small(count):
        return SMALL_TEXT
    return text if text is not None else f"{count:,.0f}"


def protect_rate(numerator: float | None, text: str) -> str:
    """A rate or percentage published only if the count it is built on is not small."""
    return SMALL_TEXT if is_small(numerator) else text


@dataclass(frozen=True)
class Cell:
    """One published cell: its true value, what is shown, and why."""

    value: int
    status: Status

    @property
    def text(self) -> str:
        if self.status == "primary":
            return SMALL_TEXT
        if self.status == "secondary":
            return SECONDARY_TEXT
        if self.status == "unpublished":
            return ""
        return f"{self.value:,}"

    @property
    def hidden(self) -> bool:
        return self.status != "shown"


@dataclass(frozen=True)
class ProtectedTable:
    """A table of counts with its totals, ready to publish.

    ``grid`` is the augmented table: ``rows + 1`` rows of ``columns + 1`` cells, the last
    column holding row totals and the last row column totals (the corner the grand
    total). Without totals the grid is just the interior.
    """

    grid: tuple[tuple[Cell, ...], ...]
    with_totals: bool

    @property
    def interior(self) -> tuple[tuple[Cell, ...], ...]:
        if not self.with_totals:
            return self.grid
        return tuple(row[:-1] for row in self.grid[:-1])

    @property
    def row_totals(self) -> tuple[Cell, ...]:
        return tuple(row[-1] for row in self.grid[:-1]) if self.with_totals else ()

    @property
    def column_totals(self) -> tuple[Cell, ...]:
        return self.grid[-1] if self.with_totals else ()

    def shown(self) -> list[list[int | None]]:
        """The grid as a reader of the published table sees it (None where hidden)."""
        return [[None if c.hidden else c.value for c in row] for row in self.grid]

    @property
    def footnotes(self) -> list[str]:
        statuses = {c.status for row in self.grid for c in row}
        notes = []
        if "primary" in statuses:
            notes.append(PRIMARY_NOTE)
        if "secondary" in statuses:
            notes.append(SECONDARY_NOTE)
        return notes


def _augment(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(r) for r in counts]
    width = len(rows[0]) if rows else 0
    grid = [[*r, sum(r)] for r in rows]
    totals = [sum(r[c] for r in rows) for c in range(width)]
    grid.append([*totals, sum(totals)])
    return grid


def _constraints(n_rows: int, n_cols: int) -> list[dict[tuple[int, int], int]]:
    """The sum equations of an augmented grid, each as {cell: coefficient} (= 0)."""
    equations: list[dict[tuple[int, int], int]] = []
    for r in range(n_rows):
        equation = {(r, c): 1 for c in range(n_cols - 1)}
        equation[(r, n_cols - 1)] = -1
        equations.append(equation)
    for c in range(n_cols):
        equation = {(r, c): 1 for r in range(n_rows - 1)}
        equation[(n_rows - 1, c)] = -1
        equations.append(equation)
    return equations


def _rank(matrix: list[list[Fraction]]) -> int:
    """Rank by exact Gaussian elimination (tables are small; no floating point doubts)."""
    rows = [row[:] for row in matrix if any(row)]
    if not rows:
        return 0
    width = len(rows[0])
    rank = 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / lead
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
        if rank == len(rows):
            break
    return rank


def determined_cells(
    hidden: Sequence[tuple[int, int]], n_rows: int, n_cols: int
) -> list[tuple[int, int]]:
    """The hidden cells of an augmented ``n_rows`` × ``n_cols`` grid that a reader can
    work out exactly from the shown cells and the sum equations."""
    hidden = sorted(set(hidden))
    if not hidden:
        return []
    index = {cell: i for i, cell in enumerate(hidden)}
    matrix = []
    for equation in _constraints(n_rows, n_cols):
        row = [Fraction(0)] * len(hidden)
        for cell, coefficient in equation.items():
            if cell in index:
                row[index[cell]] = Fraction(coefficient)
        matrix.append(row)
    full = _rank(matrix)
    determined = []
    for cell, i in index.items():
        without = [row[:i] + row[i + 1 :] for row in matrix]
        if _rank(without) < full:
            determined.append(cell)
    return determined


def protect_table(counts: Sequence[Sequence[int]], *, with_totals: bool = True) -> ProtectedTable:
    """Apply primary and (with totals) secondary suppression to a table of counts.

    ``counts`` is the interior (rows of non-negative integers, all the same length).
    Totals are computed here, so they always agree with the cells.
    """
    if not counts or not counts[0]:
        return ProtectedTable(grid=(), with_totals=with_totals)
    width = len(counts[0])
    if any(len(r) != width for r in counts):
        raise ValueError("Every row of the table needs the same number of columns")
    if any(v < 0 for r in counts for v in r):
        raise ValueError("Counts cannot be negative")
    grid = _augment(counts) if with_totals else [list(r) for r in counts]
    n_rows, n_cols = len(grid), len(grid[0])
    status: dict[tuple[int, int], Status] = {
        (r, c): ("primary" if is_small(grid[r][c]) else "shown")
        for r in range(n_rows)
        for c in range(n_cols)
    }
    if with_totals:
        _secondary(grid, status)
    return ProtectedTable(
        grid=tuple(
            tuple(Cell(grid[r][c], status[(r, c)]) for c in range(n_cols)) for r in range(n_rows)
        ),
        with_totals=with_totals,
    )


def _secondary(grid: list[list[int]], status: dict[tuple[int, int], Status]) -> None:
    n_rows, n_cols = len(grid), len(grid[0])
    while True:
        hidden = [cell for cell, s in status.items() if s != "shown"]
        # A total the table does not print may be worked out: it protects nobody.
        exposed = [
            c for c in determined_cells(hidden, n_rows, n_cols) if status[c] != "unpublished"
        ]
        if not exposed:
            return
        target = exposed[0]
        choice = _complement(grid, status, target, n_rows, n_cols)
        if choice is None:  # everything in reach is hidden already
            for cell in status:
                if status[cell] == "shown":
                    status[cell] = "secondary"
            return
        status[choice] = "secondary"


def _complement(
    grid: list[list[int]],
    status: dict[tuple[int, int], Status],
    target: tuple[int, int],
    n_rows: int,
    n_cols: int,
) -> tuple[int, int] | None:
    """The cell to hide next to protect ``target``: a cell whose hiding leaves
    ``target`` undetermined, first in its row or column, then anywhere; preferring
    interior cells, then the smallest count of 5 or more (zeros protect least: a reader
    knows counts are ≥ 0). When no one cell will do, the cell that leaves the fewest
    hidden cells determined (the next step finishes the job)."""
    r0, c0 = target
    line = {(r0, c) for c in range(n_cols)} | {(r, c0) for r in range(n_rows)}
    shown = sorted(cell for cell, s in status.items() if s == "shown")
    if not shown:
        return None

    def cost(cell: tuple[int, int]) -> tuple[int, int, int, int, tuple[int, int]]:
        r, c = cell
        interior = 0 if (r < n_rows - 1 and c < n_cols - 1) else 1
        value = grid[r][c]
        return (0 if cell in line else 1, interior, 1 if value == 0 else 0, value, cell)

    hidden = [cell for cell, s in status.items() if s != "shown"]
    for cell in sorted(shown, key=cost):
        if target not in determined_cells([*hidden, cell], n_rows, n_cols):
            return cell

    def still_exposed(cell: tuple[int, int]) -> int:
        found = determined_cells([*hidden, cell], n_rows, n_cols)
        return sum(1 for c in found if c != cell and status[c] != "unpublished")

    return min(shown, key=lambda cell: (still_exposed(cell), cost(cell)))


def protect_counts(
    counts: Sequence[Sequence[int]], *, row_totals: bool, column_totals: bool
) -> ProtectedTable:
    """:func:`protect_table` for a table that prints only some of its totals.

    The grid is always the full augmented one; totals the table does not print are
    'unpublished' (unknown to a reader, so they protect like hidden cells, and are
    never suppressed themselves). With both totals this is :func:`protect_table`."""
    if row_totals and column_totals:
        return protect_table(counts)
    if not row_totals and not column_totals:
        return protect_table(counts, with_totals=False)
    if not counts or not counts[0]:
        return ProtectedTable(grid=(), with_totals=True)
    grid = _augment(counts)
    n_rows, n_cols = len(grid), len(grid[0])
    status: dict[tuple[int, int], Status] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            printed = (row_totals or c < n_cols - 1) and (column_totals or r < n_rows - 1)
            if not printed:
                status[(r, c)] = "unpublished"
            else:
                status[(r, c)] = "primary" if is_small(grid[r][c]) else "shown"
    _secondary(grid, status)
    return ProtectedTable(
        grid=tuple(
            tuple(Cell(grid[r][c], status[(r, c)]) for c in range(n_cols)) for r in range(n_rows)
        ),
        with_totals=True,
    )


# Tables typed by partners -----------------------------------------------------------------
#
# A partner's table of figures (in a quarterly update, or a pipe table in its narrative)
# is text: the public pack suppresses its cells that count people under the same rule
# as computed figures. A table counts people when the partner says so (the table's own
# flag) or, by default, when its caption or headings name people (children, victims,
# offenders, custody, arrests…). Which cells are counts: those of a column whose every
# cell is a whole number; a row headed "Total" and a column headed "Total" are the
# table's totals (secondary suppression then keeps a hidden cell from being worked out
# from them). A rate or percentage in a row with a hidden count is hidden too.

PEOPLE_WORDS = re.compile(
    r"\b(?:people|persons?|children|child|young|youths?|juveniles?|victims?|offenders?|"
    r"reoffend\w*|custody|custodial|arrests?|arrested|suspects?|individuals?|adults?|boys|"
    r"girls|men|women|clients?|residents?|famil(?:y|ies)|households?|pupils?|students?|"
    r"patients?|survivors?|perpetrators?|defendants?|entrants?|FTEs?|referrals?|cases?|"
    r"remands?|remanded|detained|detentions?|exclusions?|excluded|missing|sentences?|"
    r"sentenced|cautions?|convictions?|attendees|participants|service users)\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"^\s*(?:total|all|overall)\b", re.IGNORECASE)
_COUNT_CELL = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
_NUMERIC_CELL = re.compile(r"^[£$€]?[-+−]?\d[\d,]*(?:\.\d+)?\s?%?$")


def counts_people(caption: str, columns: Sequence[str], row_headers: Sequence[str] = ()) -> bool:
    """The default for a partner's table: do its caption or headings name people?"""
    return any(PEOPLE_WORDS.search(text) for text in (caption, *columns, *row_headers))


@dataclass(frozen=True)
class PartnerTable:
    """A partner's table as the public pack prints it."""

    rows: tuple[tuple[str, ...], ...]
    footnotes: tuple[str, ...]

    @property
    def suppressed(self) -> bool:
        return bool(self.footnotes)


def protect_partner_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> PartnerTable:
    """Primary and secondary suppression of a table of text cells (first column: row
    headings) that counts people; cells that are not counts are left as typed."""
    body = [list(r) for r in rows]
    if not body or len(columns) < 2:
        return PartnerTable(tuple(tuple(r) for r in body), ())
    width = len(columns)
    count_cols = [
        c
        for c in range(1, width)
        if any(r[c].strip() for r in body)
        and all(_COUNT_CELL.match(r[c].strip()) for r in body if r[c].strip())
    ]
    if not count_cols:
        return PartnerTable(tuple(tuple(r) for r in body), ())
    total_col = next((c for c in count_cols if _TOTAL.match(columns[c])), None)
    total_row = next((i for i, r in enumerate(body) if _TOTAL.match(r[0])), None)
    inner_cols = [c for c in count_cols if c != total_col]
    inner_rows = [i for i in range(len(body)) if i != total_row]
    if not inner_cols or not inner_rows:
        inner_cols, inner_rows, total_col, total_row = (
            count_cols,
            list(range(len(body))),
            None,
            None,
        )

    def value(text: str) -> int:
        return int(text.replace(",", "")) if text.strip() else 0

    counts = [[value(body[r][c]) for c in inner_cols] for r in inner_rows]
    table = protect_counts(
        counts, row_totals=total_col is not None, column_totals=total_row is not None
    )
    grid = table.grid
    # Where each printed count sits in the protected grid.
    places = {(r, c): (i, j) for i, r in enumerate(inner_rows) for j, c in enumerate(inner_cols)}
    if total_col is not None:
        places.update({(r, total_col): (i, len(inner_cols)) for i, r in enumerate(inner_rows)})
    if total_row is not None:
        places.update({(total_row, c): (len(inner_rows), j) for j, c in enumerate(inner_cols)})
        if total_col is not None:
            places[(total_row, total_col)] = (len(inner_rows), len(inner_cols))
    statuses: set[str] = set()
    hidden_rows: set[int] = set()
    for (r, c), (i, j) in places.items():
        cell = grid[i][j]
        if not body[r][c].strip() or not cell.hidden:
            continue
        body[r][c] = cell.text
        statuses.add(cell.status)
        hidden_rows.add(r)
    for r in hidden_rows:  # a rate or percentage beside a hidden count
        for c in range(1, width):
            text = body[r][c].strip()
            if c not in count_cols and _NUMERIC_CELL.match(text):
                body[r][c] = SECONDARY_TEXT
                statuses.add("secondary")
    notes = tuple(
        note
        for status, note in (("primary", PRIMARY_NOTE), ("secondary", SECONDARY_NOTE))
        if status in statuses
    )
    return PartnerTable(tuple(tuple(r) for r in body), notes)


def table_counts_people(
    caption: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    flag: bool | None = None,
) -> bool:
    """Whether a partner's table counts people: the partner's own answer (``flag``), or
    by default whether its caption, column headings or row headings name people."""
    if flag is not None:
        return flag
    return counts_people(caption, columns, [str(r[0]) for r in rows if r])


_HTML_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.IGNORECASE | re.DOTALL)
_HTML_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.IGNORECASE | re.DOTALL)
_HTML_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")


def protect_html_tables(html: str) -> str:
    """Suppress the small counts of the tables a partner typed in sanitised narrative
    HTML (pipe tables), when the table's headings name people; the footnotes follow the
    table as a paragraph. Anything else in ``html`` is left exactly as it was."""
    from html import escape, unescape

    def protect(table_match: re.Match[str]) -> str:
        table = table_match.group(0)
        rows = [list(_HTML_CELL.finditer(row.group(0))) for row in _HTML_ROW.finditer(table)]
        rows = [r for r in rows if r]
        if len(rows) < 2 or len({len(r) for r in rows}) != 1:
            return table  # ragged or headings only: leave it to the reader
        texts = [
            [" ".join(unescape(_HTML_TAG.sub(" ", c.group(3))).split()) for c in r] for r in rows
        ]
        if not table_counts_people("", texts[0], texts[1:]):
            return table
        protected = protect_partner_table(texts[0], texts[1:])
        if not protected.suppressed:
            return table
        out = table
        row_matches = [m for m in _HTML_ROW.finditer(table) if _HTML_CELL.search(m.group(0))]
        # Replace from the end, so earlier positions stay valid.
        for row_match, new_row, old_row in reversed(
            list(zip(row_matches[1:], protected.rows, texts[1:], strict=True))
        ):
            cells = list(_HTML_CELL.finditer(row_match.group(0)))
            row_html = row_match.group(0)
            for cell, new, old in reversed(list(zip(cells, new_row, old_row, strict=True))):
                if new != old:
                    tag, attrs = cell.group(1), cell.group(2)
                    row_html = (
                        row_html[: cell.start()]
                        + f"<{tag}{attrs}>{escape(new)}</{tag}>"
                        + row_html[cell.end() :]
                    )
            out = out[: row_match.start()] + row_html + out[row_match.end() :]
        notes = "".join(f"<p>{escape(note)}</p>" for note in protected.footnotes)
        return out + notes

    return _HTML_TABLE.sub(protect, html)
