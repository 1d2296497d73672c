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

Status = Literal["shown", "primary", "secondary"]


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
        exposed = determined_cells(hidden, n_rows, n_cols)
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
    """The cell to hide next to protect ``target``: in its row or column, preferring a
    cell whose hiding leaves ``target`` undetermined, then interior cells, then the
    smallest count of 5 or more (zeros protect least: a reader knows counts are ≥ 0)."""
    r0, c0 = target
    line = [(r0, c) for c in range(n_cols)] + [(r, c0) for r in range(n_rows)]
    candidates = sorted({cell for cell in line if status[cell] == "shown"})
    if not candidates:
        # Hide any shown cell in a line that meets one of the target's lines' hidden cells.
        candidates = sorted(cell for cell, s in status.items() if s == "shown")
        if not candidates:
            return None

    def cost(cell: tuple[int, int]) -> tuple[int, int, int, tuple[int, int]]:
        r, c = cell
        interior = 0 if (r < n_rows - 1 and c < n_cols - 1) else 1
        value = grid[r][c]
        return (interior, 1 if value == 0 else 0, value, cell)

    hidden = [cell for cell, s in status.items() if s != "shown"]
    for cell in sorted(candidates, key=cost):
        if target not in determined_cells([*hidden, cell], n_rows, n_cols):
            return cell
    return min(candidates, key=cost)
