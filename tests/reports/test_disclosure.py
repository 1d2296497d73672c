"""Disclosure control: primary suppression of 1–4, secondary so no cell is recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from saferboard.reports.disclosure import (
    SECONDARY_TEXT,
    SMALL_TEXT,
    determined_cells,
    is_small,
    protect_count,
    protect_rate,
    protect_table,
)


def test_small_counts_and_rates_built_on_them_are_suppressed() -> None:
    assert [is_small(v) for v in (0, 1, 4, 5, None)] == [False, True, True, False, False]
    assert protect_count(0) == "0"
    assert protect_count(3) == "<5"
    assert protect_count(1280) == "1,280"
    assert protect_rate(3, "12.5 per 100,000") == "<5"
    assert protect_rate(12, "50.0 per 100,000") == "50.0 per 100,000"


def test_a_table_with_no_small_cells_is_shown_whole() -> None:
    table = protect_table([[10, 20], [30, 40]])
    assert [[c.text for c in row] for row in table.grid] == [
        ["10", "20", "30"],
        ["30", "40", "70"],
        ["40", "60", "100"],
    ]
    assert table.footnotes == []


def test_hand_made_table_primary_and_secondary() -> None:
    # Flags by risk level: 3 is small; with totals shown it could be recovered
    # (12 - 9 = 3), so a second cell in its row and column must be hidden too.
    counts = [
        [3, 9, 14],
        [8, 10, 6],
        [7, 12, 20],
    ]
    table = protect_table(counts)
    texts = [[c.text for c in row] for row in table.grid]
    assert texts[0][0] == SMALL_TEXT
    hidden = [
        (r, c) for r, row in enumerate(table.grid) for c, cell in enumerate(row) if cell.hidden
    ]
    # The row and the column of the small cell each hold another hidden cell.
    assert sum(1 for r, c in hidden if r == 0) >= 2
    assert sum(1 for r, c in hidden if c == 0) >= 2
    assert any(cell.status == "secondary" for row in table.grid for cell in row)
    assert SECONDARY_TEXT in {c.text for row in table.grid for c in row}
    assert determined_cells(hidden, 4, 4) == []
    assert len(table.footnotes) == 2
    # Totals always agree with the cells.
    assert table.grid[3][3].value == sum(map(sum, counts))


def test_a_small_total_is_itself_suppressed() -> None:
    table = protect_table([[1, 2, 0], [10, 20, 30]])
    assert table.row_totals[0].text == SMALL_TEXT
    assert [c.text for c in table.grid[0][:2]] == [SMALL_TEXT, SMALL_TEXT]
    # The column totals would give 1 = 11 - 10: the rows below are protected too.
    hidden = [
        (r, c) for r, row in enumerate(table.grid) for c, cell in enumerate(row) if cell.hidden
    ]
    assert determined_cells(hidden, 3, 4) == []
    assert any(cell.status == "secondary" for cell in table.grid[1])


def test_without_totals_only_primary_suppression() -> None:
    table = protect_table([[1, 10], [20, 30]], with_totals=False)
    assert [[c.text for c in row] for row in table.grid] == [["<5", "10"], ["20", "30"]]


def recover_by_subtraction(shown: list[list[int | None]]) -> dict[tuple[int, int], int]:
    """What a reader can work out: repeatedly, a line (row or column of the augmented
    table) with one hidden cell gives that cell as total minus the others."""
    grid = [row[:] for row in shown]
    n_rows, n_cols = len(grid), len(grid[0])
    recovered: dict[tuple[int, int], int] = {}
    lines = [[(r, c) for c in range(n_cols)] for r in range(n_rows)] + [
        [(r, c) for r in range(n_rows)] for c in range(n_cols)
    ]
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [cell for cell in line if grid[cell[0]][cell[1]] is None]
            if len(unknown) != 1:
                continue
            r, c = unknown[0]
            total_cell = line[-1]
            parts = line[:-1]
            if unknown[0] == total_cell:
                value = sum(grid[pr][pc] for pr, pc in parts)  # type: ignore[misc]
            else:
                total = grid[total_cell[0]][total_cell[1]]
                value = total - sum(  # type: ignore[operator]
                    grid[pr][pc] for pr, pc in parts if (pr, pc) != (r, c)
                )
            grid[r][c] = value
            recovered[(r, c)] = value
            progress = True
    return recovered


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda cols: st.lists(
        st.lists(st.one_of(st.integers(0, 6), st.integers(0, 200)), min_size=cols, max_size=cols),
        min_size=1,
        max_size=5,
    )
)


@given(tables)
def test_no_suppressed_cell_can_be_recovered(counts: list[list[int]]) -> None:
    table = protect_table(counts)
    grid = table.grid
    # Every small count, interior or total, is hidden.
    for row in grid:
        for cell in row:
            if is_small(cell.value):
                assert cell.hidden
    shown = table.shown()
    recovered = recover_by_subtraction(shown)
    exposed = {cell: value for cell, value in recovered.items() if grid[cell[0]][cell[1]].hidden}
    assert exposed == {}, f"recovered {exposed} from {shown}"
    # And the stronger attacker: no hidden cell is fixed by the sum equations at all.
    hidden = [(r, c) for r, row in enumerate(grid) for c, cell in enumerate(row) if cell.hidden]
    assert determined_cells(hidden, len(grid), len(grid[0])) == []


@given(tables)
def test_cells_that_are_shown_are_true(counts: list[list[int]]) -> None:
    table = protect_table(counts)
    for r, row in enumerate(table.interior):
        for c, cell in enumerate(row):
            assert cell.value == counts[r][c]
            if not cell.hidden:
                assert cell.text == f"{counts[r][c]:,}"
