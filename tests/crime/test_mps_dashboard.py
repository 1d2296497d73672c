"""The Met's monthly crime dashboard extract: detection, hand-computed rolling years,
refusals, re-imports, the overlap rule, and the real Bromley figures."""
# ruff: noqa: S608 - SQL here is built only from quoted file paths and constants.

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command

from saferboard.crime.dashboard import build_dashboard
from saferboard.crime.importer import import_files, sniff
from saferboard.crime.inputs import InputFile
from saferboard.crime.measures import HATE_STRANDS
from saferboard.crime.observations import dashboard_figures
from saferboard.crime.problems import ImportRejected
from saferboard.crime.store import CrimeStore
from tests.crime.conftest import DEMO_DATA, FIXTURES, MPS_BOROUGH, store_snapshot

pytestmark = pytest.mark.django_db

TINY = FIXTURES / "mps_dashboard" / "tiny-crime-dashboard.csv"
OTHER_SHEET = DEMO_DATA / "mps" / "monthly-crime-dashboard_other-sheet_boroughs.parquet"
KNIFE_FILE = DEMO_DATA / "mps" / "monthly-crime-dashboard_knife-crime_boroughs.parquet"
DASHBOARD_SLUGS = (
    "knife-crime",
    "domestic-abuse",
    "domestic-abuse-positive-outcome-rate",
    "hate-crime",
    "gun-crime",
    "knife-injury-victims-1-24-non-da",
    *(f"hate-crime-{slug}" for slug, _, _ in HATE_STRANDS),
)


def _measure(board, slug: str):  # type: ignore[no-untyped-def]
    return next(m for m in board.measures if m.measure == slug)


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


# Detection ----------------------------------------------------------------------------
def test_auto_detects_csv_and_parquet(tmp_path: Path) -> None:
    assert sniff(InputFile(TINY, TINY.name)) == "mps-crime-dashboard"
    assert sniff(InputFile(KNIFE_FILE, KNIFE_FILE.name)) == "mps-crime-dashboard"
    # Published capitalised headers ("Month_Year", "Crime Type"…) are the same format.
    rows = _rows(TINY)
    rows[0] = [h.replace("_", " ").title() for h in rows[0]]
    spaced = _write(tmp_path / "spaced.csv", rows[:5])
    assert sniff(InputFile(spaced, spaced.name)) == "mps-crime-dashboard"
    # The recorded-crime file is still recorded crime.
    assert sniff(InputFile(MPS_BOROUGH, MPS_BOROUGH.name)) == "mps-recorded-crime"


def test_mixing_it_with_recorded_crime_is_refused(sabo_data_dir: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        import_files([MPS_BOROUGH, TINY])
    assert "import each format separately" in str(caught.value)


# Hand-computed figures on the tiny file ----------------------------------------------
def test_tiny_file_rolling_year_by_hand(sabo_data_dir: Path) -> None:
    result = import_files([TINY], format="auto")
    imp = result.data_import
    assert imp.format == "mps-crime-dashboard" and imp.source_kind == "mps"
    assert result.rows == 217 and imp.files[0]["rows"] == 217
    assert len(imp.files[0]["sha256"]) == 64
    assert result.months[0] == "2023-01" and result.months[-1] == "2024-12"
    assert imp.detail["datasets"] == ["domestic-abuse", "hate-crime", "knife-crime"]
    assert imp.detail["team_rows_not_stored"] == 1  # the Safer Neighbourhood Team row
    # Three crime types × 24 months, one partition each.
    assert len(CrimeStore().partitions("mps-dashboard/")) == 72

    board, _ = dashboard_figures("Bromley", "2024-12", "mps", details=False)
    knife = _measure(board, "knife-crime")
    # 2024: eleven months of 3 and June's 10 = 43; 2023: twelve months of 2 = 24. The
    # team row (99) and the subtype "Knife Crime with Injury" (1 a month) are not added.
    assert (knife.current, knife.previous, knife.change) == (43, 24, 19)
    assert knife.complete and knife.rag == "red"  # a 79% rise
    # Domestic abuse: 20 a month, none published for 2024-03 (a zero, not a gap).
    da = _measure(board, "domestic-abuse")
    assert (da.current, da.previous, da.complete) == (220, 240, True)
    # Hate crime: the total row (5 a month in 2023, 4 in 2024), not racist + faith.
    hate = _measure(board, "hate-crime")
    assert (hate.current, hate.previous) == (48, 60)
    # No gun crime rows in the file: shown as no data, never zero.
    gun = _measure(board, "gun-crime")
    assert (gun.current, gun.in_data) == (None, False)
    # Recorded-crime measures have no data at all here.
    assert _measure(board, "burglary").current is None

    london, stored = dashboard_figures("London", "2024-12", "mps", details=False)
    # London's window is stored too, for the London region's area row.
    assert stored["knife-crime"].area.kind == "region"
    # Bromley 43 + Bexley 12 + the Met's unallocated row (7 in 2024-02).
    assert _measure(london, "knife-crime").current == 43 + 12 + 7


def test_overlapping_subtypes_are_never_summed(sabo_data_dir: Path) -> None:
    import_files([TINY])
    board = build_dashboard("Bromley", "2024-12", "mps", details=False)
    # The strands overlap: racist (4) + faith (2) = 6 a month is more than the total of
    # 4 or 5; summing them would report 72 for 2024 where the Met counts 48.
    assert _measure(board, "hate-crime").current == 48 != 12 * (4 + 2)
    # Positive outcomes (1 a month) are a different measure of the same crime type.
    assert _measure(board, "knife-crime").current == 43 != 43 + 12


def test_missing_month_is_shown_as_missing(sabo_data_dir: Path, tmp_path: Path) -> None:
    rows = _rows(TINY)
    gap = _write(tmp_path / "gap.csv", [r for r in rows if not r[0].startswith("2023-03")])
    import_files([gap])
    board = build_dashboard("Bromley", "2024-12", "mps", details=True)
    knife = _measure(board, "knife-crime")
    assert knife.missing_previous == ["2023-03"] and knife.missing_current == []
    assert knife.previous == 22 and not knife.complete and knife.rag == "none"
    assert knife.change is None and knife.rank == {}
    assert any("2023-03" in note for note in board.notes)
    march = next(p for p in board.trends["knife-crime"] if p.month == "2024-03")
    assert (march.value, march.year_before) == (3, None)  # a gap, never a zero


# Refusals ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (5, "count", "-1", "whole number"),
        (5, "count", "2.5", "whole number"),
        (6, "count", "", "whole number"),
        (7, "month_year", "2023-13-01", "must be a month"),
        (7, "month_year", "2023-01-15", "must be a month"),
        (8, "area_code", "E09000999", "London borough"),
        (9, "measure", "Arrests", "Offences or Positive Outcomes"),
        (10, "area_type", "Ward", "Borough or Safer Neighbourhood Teams"),
        (11, "crime_subtype", "", "must not be blank"),
        # Found by the long fuzz run: a crime type is a folder name, and this was too long.
        (12, "crime_type", "Knife Crime " + "9" * 89, "at most 100 characters"),
    ],
)
def test_bad_cells_are_refused_where_they_are(
    sabo_data_dir: Path, tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    import_files([TINY])  # a store with data in it, which must not change
    before = store_snapshot(sabo_data_dir / "crime")
    imports_before = list(CrimeStore().manifest()["partitions"].items())
    rows = _rows(TINY)
    rows[row - 1][rows[0].index(column)] = value
    bad = _write(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportRejected) as caught:
        import_files([bad])
    problem = caught.value.problem
    assert (problem.file, problem.row, problem.column) == (str(bad), row, column)
    assert problem.value == (value or "(blank)")
    assert message in problem.message
    assert store_snapshot(sabo_data_dir / "crime") == before
    assert list(CrimeStore().manifest()["partitions"].items()) == imports_before


def test_repeated_row_and_missing_column_are_refused(sabo_data_dir: Path, tmp_path: Path) -> None:
    from saferboard.measures.models import DataImport

    rows = _rows(TINY)
    # Row 30 repeats row 3 (only the capitalisation of the subtype differs).
    copy = list(rows[2])
    copy[6] = copy[6].upper()
    repeated = _write(tmp_path / "repeated.csv", [*rows[:29], copy, *rows[29:]])
    with pytest.raises(ImportRejected) as caught:
        import_files([repeated])
    assert (caught.value.problem.row, caught.value.problem.column) == (30, "crime_subtype")
    assert "of row 3" in caught.value.problem.message
    # The same file twice in one import would count everything twice.
    with pytest.raises(ImportRejected) as caught:
        import_files([TINY, repeated], format="mps-crime-dashboard")
    assert caught.value.problem.file == str(repeated)
    assert caught.value.problem.row == 2 and TINY.name in caught.value.problem.message
    no_count = _write(tmp_path / "no-count.csv", [r[:10] + r[11:] for r in rows])
    with pytest.raises(ImportRejected) as caught:
        import_files([no_count], format="mps-crime-dashboard")
    assert caught.value.problem.row == 1
    assert "has no count column" in caught.value.problem.message
    assert not DataImport.objects.exists()
    assert store_snapshot(sabo_data_dir / "crime") == {}


# Re-imports ----------------------------------------------------------------------------
def test_reimport_replaces_a_crime_types_months_only(sabo_data_dir: Path, tmp_path: Path) -> None:
    import_files([TINY])
    rows = _rows(TINY)
    # A later knife-crime-only file for 2024: June revised from 10 to 4.
    knife = [rows[0]] + [
        r
        for r in rows[1:]
        if r[0].startswith("2024") and r[5] == "Knife Crime" and r[1] == "Borough"
    ]
    for r in knife:
        if r[0] == "2024-06-01" and r[2] == "Bromley" and r[6:8] == ["Knife Crime", "Offences"]:
            r[10] = "4"
    result = import_files([_write(tmp_path / "knife-2024.csv", knife)])
    assert len(result.replaced) == 12  # knife crime's twelve months of 2024, nothing else
    assert {r["partition"].split("/")[1] for r in result.replaced} == {"knife-crime"}
    board = build_dashboard("Bromley", "2024-12", "mps", details=False)
    assert _measure(board, "knife-crime").current == 43 - 10 + 4
    assert _measure(board, "hate-crime").current == 48  # untouched
    assert _measure(board, "domestic-abuse").current == 220


def test_recorded_crime_and_dashboard_never_touch_each_other(sabo_data_dir: Path) -> None:
    import_files([MPS_BOROUGH])
    before = build_dashboard("Bromley", "2026-02", "mps", details=True)
    recorded = {m.measure: m.as_json() for m in before.measures}
    import_files([OTHER_SHEET])
    import_files([KNIFE_FILE])
    after = build_dashboard("Bromley", "2026-02", "mps", details=True)
    for m in after.measures:
        # Non-domestic violence with injury is made of both (issue 17): it changes.
        if m.measure not in (*DASHBOARD_SLUGS, "non-domestic-violence-with-injury"):
            assert m.as_json() == recorded[m.measure], m.measure
    knife = _measure(after, "knife-crime").as_json()
    # Recorded crime again: its months are replaced, the dashboard's are not.
    again = import_files([MPS_BOROUGH])
    assert all(r["partition"].startswith("mps/borough/") for r in again.replaced)
    assert len(CrimeStore().partitions("mps-dashboard/")) == 4 * 48 + 7
    assert _measure(build_dashboard("Bromley", "2026-02", "mps"), "knife-crime").as_json() == knife


# The real Bromley extract, through the command line ----------------------------------
def _expected(path: Path, crime_type: str, first: str, last: str) -> int:
    """The Met's own total row for Bromley, summed over months straight from the file."""
    return int(
        duckdb.execute(
            f"SELECT coalesce(sum(count), 0) FROM read_parquet('{path}') "
            "WHERE area_type = 'Borough' AND area_code = 'E09000006' AND crime_type = ? "
            "AND crime_subtype = crime_type AND measure = 'Offences' "
            "AND month_year BETWEEN ?::DATE AND ?::DATE",
            [crime_type, f"{first}-01", f"{last}-01"],
        ).fetchone()[0]  # type: ignore[index]
    )


def _dashboard_json(to: str) -> dict:
    out = StringIO()
    call_command(
        "crime", "dashboard", "--area", "Bromley", "--to", to, "--source", "mps", "--json",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return {m["measure"]: m for m in json.loads(out.getvalue())["measures"]}


def test_cli_dashboard_has_the_real_bromley_figures(sabo_data_dir: Path) -> None:
    for path in (OTHER_SHEET, KNIFE_FILE):  # as the demo does: the later file last
        call_command("crime", "import", str(path), stdout=StringIO(), stderr=StringIO())
    measures = _dashboard_json("2025-07")
    # Rolling year Aug 2024 to Jul 2025 against Aug 2023 to Jul 2024. Knife crime comes
    # from the later knife-crime file (it revised some months: Sep 2024 34 → 32, Dec
    # 2024 32 → 33, Jun 2025 29 → 30; the year's total is the same), the others from
    # the "Other" sheet. Stated figures, checked against DuckDB on the files:
    expected = {
        "knife-crime": (312, 356, KNIFE_FILE, "Knife Crime"),
        "domestic-abuse": (2790, 2679, OTHER_SHEET, "Domestic Abuse"),
        "hate-crime": (546, 622, OTHER_SHEET, "Hate crime"),
        "gun-crime": (59, 31, OTHER_SHEET, "Gun Crime"),
    }
    for slug, (current, previous, path, crime_type) in expected.items():
        assert _expected(path, crime_type, "2024-08", "2025-07") == current
        assert _expected(path, crime_type, "2023-08", "2024-07") == previous
        m = measures[slug]
        assert (m["current"], m["previous"], m["complete"]) == (current, previous, True), slug
        # The stored figure's rank among the Met's 32 boroughs (the City has none).
        assert m["rank"]["of"] == 32 and m["observation_id"] is not None
    assert measures["domestic-abuse"]["rag"] == "amber"  # +4.1%
    assert measures["hate-crime"]["rag"] == "green"
    # To Feb 2026 only knife crime has both years; the others end in Jul 2025: their
    # missing months are listed, and they are neither rated nor compared.
    later = _dashboard_json("2026-02")
    assert (later["knife-crime"]["current"], later["knife-crime"]["previous"]) == (289, 342)
    assert later["knife-crime"]["complete"] is True
    da = later["domestic-abuse"]
    assert da["missing_months"]["current"] == [f"2025-{m:02d}" for m in range(8, 13)] + [
        "2026-01",
        "2026-02",
    ]
    assert (da["complete"], da["rag"], da["change"]) == (False, "none", None)
    assert da["current"] == _expected(OTHER_SHEET, "Domestic Abuse", "2025-03", "2025-07")


def test_ranks_among_london_boroughs(sabo_data_dir: Path) -> None:
    import_files([OTHER_SHEET])
    board = build_dashboard("Bromley", "2025-07", "mps", details=True)
    hate = _measure(board, "hate-crime")
    assert hate.peers_ranked == 32  # every borough of the Met (not the City)
    counts = duckdb.execute(
        f"SELECT area_code, sum(count) AS n FROM read_parquet('{OTHER_SHEET}') "
        "WHERE area_code LIKE 'E09%' AND crime_subtype = 'Hate crime' AND measure = 'Offences' "
        "AND month_year BETWEEN DATE '2024-08-01' AND DATE '2025-07-01' GROUP BY 1"
    ).fetchall()
    lower = sum(1 for _, n in counts if n < 546)
    assert hate.rank["count"] == lower + 1
    assert not any("No hotspots" in n for n in board.notes)
    knife_only = build_dashboard(
        "Bromley", "2025-07", "mps", details=True, hotspot_measure="knife-crime"
    )
    assert knife_only.hotspots == []
    assert any("No hotspots for Knife crime" in n for n in knife_only.notes)


def test_a_parquet_file_with_damaged_data_pages_is_refused(
    sabo_data_dir: Path, tmp_path: Path
) -> None:
    """The schema (in the footer) reads; the pages before it do not. DuckDB's error used
    to escape instead of a refusal naming the file (found by fuzzing)."""
    raw = bytearray(KNIFE_FILE.read_bytes())
    raw[4:200] = b"\xff" * 196  # the first data pages, after the PAR1 magic
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(bytes(raw))
    before = store_snapshot(sabo_data_dir)
    with pytest.raises(ImportRejected) as caught:
        import_files([damaged])
    assert caught.value.problem.file == str(damaged)
    assert "is not a readable Parquet file" in caught.value.problem.message
    assert store_snapshot(sabo_data_dir) == before


# Editions (issue 17) --------------------------------------------------------------------
def _knife_month(month: str) -> int:
    root = CrimeStore().root
    return int(
        duckdb.execute(
            f"SELECT sum(n) FROM read_parquet('{root}/mps-dashboard/knife-crime/{month}.parquet') "
            "WHERE lad = 'E09000006' AND crime_subtype = 'Knife Crime' AND measure = 'Offences'"
        ).fetchone()[0]
    )


def test_both_editions_in_one_command(sabo_data_dir: Path) -> None:
    """The two extracts in one import (refused as overlapping before): the later edition
    (refreshed 2026-03-18) supersedes the earlier one's knife crime months; domestic
    abuse, hate crime and gun crime come from the earlier file, the only one holding them."""
    result = import_files([OTHER_SHEET, KNIFE_FILE])
    assert any("superseded by the later edition" in n for n in result.notes)
    superseded = result.data_import.detail["superseded"]
    assert [(s["edition"], s["by_edition"], s["months"]) for s in superseded] == [
        ("2025-08-21", "2026-03-18", 41)  # knife crime 2022-03 … 2025-07
    ]
    assert result.data_import.data_as_at.isoformat() == "2026-03-18"
    # Bromley's revised months: Sep 2024 34 → 32, Dec 2024 32 → 33, Jun 2025 29 → 30.
    assert [_knife_month(m) for m in ("2024-09", "2024-12", "2025-06")] == [32, 33, 30]
    measures = _dashboard_json("2025-07")
    assert (measures["knife-crime"]["current"], measures["knife-crime"]["previous"]) == (312, 356)
    assert measures["domestic-abuse"]["current"] == 2790
    # The order of the files does not matter.
    again = import_files([KNIFE_FILE, OTHER_SHEET])
    assert [_knife_month(m) for m in ("2024-09", "2024-12", "2025-06")] == [32, 33, 30]
    assert again.data_import.detail["superseded"][0]["by_edition"] == "2026-03-18"


def test_an_earlier_edition_imported_later_keeps_the_revision(sabo_data_dir: Path) -> None:
    import_files([KNIFE_FILE])
    result = import_files([OTHER_SHEET])  # two commands, the later edition first
    assert len(result.data_import.detail["kept_newer_stored"]) == 41
    assert [_knife_month(m) for m in ("2024-09", "2024-12", "2025-06")] == [32, 33, 30]
    assert _knife_month("2021-09") == 19  # months only the earlier file holds are imported


def test_observations_credit_the_imports_that_supplied_them(sabo_data_dir: Path) -> None:
    from saferboard.crime.geography import ensure_boroughs
    from saferboard.crime.observations import store_dashboard
    from saferboard.measures.models import Observation

    ensure_boroughs()
    other = import_files([OTHER_SHEET]).data_import
    knife = import_files([KNIFE_FILE]).data_import
    store_dashboard("Bromley", "mps", "2025-07")
    stored = {
        o.measure.slug: o
        for o in Observation.objects.filter(area__code="E09000006").select_related("measure")
    }
    # Knife crime's year (Aug 2024 to Jul 2025) is all the later file's; domestic abuse
    # was never in it, so it is credited to the "Other" sheet (it was credited to the
    # knife-crime file before), with the data's own refresh date.
    assert stored["knife-crime"].source_id == knife.pk
    assert stored["knife-crime"].comparators["imports"] == str(knife.pk)
    assert stored["knife-crime"].data_as_at.isoformat() == "2026-03-18"
    assert stored["domestic-abuse"].source_id == other.pk
    assert stored["domestic-abuse"].comparators["imports"] == str(other.pk)
    assert stored["domestic-abuse"].data_as_at.isoformat() == "2025-08-21"
    # No recorded crime is imported: no zero is stored for its measures.
    assert "total-notifiable-offences" not in stored and "burglary" not in stored


def test_financial_year_to_date_by_hand(sabo_data_dir: Path) -> None:
    """Bromley's knife crime in the tiny file: 2 a month in 2023, 3 a month in 2024
    except June (10). April to December 2024 = 8 × 3 + 10 = 34, against April to
    December 2023 = 9 × 2 = 18: +16, +88.9%."""
    import_files([TINY])
    knife = _measure(build_dashboard("Bromley", "2024-12", "mps", details=False), "knife-crime")
    fy = knife.as_json()["fytd"]
    assert (fy["from"], fy["to"], fy["previous"]) == (
        "2024-04",
        "2024-12",
        {"from": "2023-04", "to": "2023-12"},
    )
    assert (fy["current_count"], fy["previous_count"], fy["change"]) == (34, 18, 16)
    assert fy["change_pct"] == pytest.approx(16 / 18 * 100) and fy["complete"]
    # To February 2024: April 2023 to February 2024 = 9 × 2 + 2 × 3 = 24; the same
    # months a year earlier start in April 2022, before the file: not compared.
    early = _measure(build_dashboard("Bromley", "2024-02", "mps", details=False), "knife-crime")
    assert early.fytd is not None
    assert (early.fytd["current_count"], early.fytd["complete"], early.fytd["change"]) == (
        24,
        False,
        None,
    )


def test_financial_year_to_date_is_stored_for_the_pack(sabo_data_dir: Path) -> None:
    """The stored rolling-year observation carries the financial year to date (the
    board pack's column): Bromley's knife crime to December 2024 in the tiny file,
    April to December 2024 = 34 against 18 (as worked above)."""
    from saferboard.crime.geography import ensure_boroughs
    from saferboard.crime.observations import store_dashboard
    from saferboard.measures.models import Observation

    ensure_boroughs()
    import_files([TINY])
    store_dashboard("Bromley", "mps", "2024-12")
    knife = Observation.objects.get(area__code="E09000006", measure__slug="knife-crime")
    fy = {k: v for k, v in knife.comparators.items() if k.startswith("fytd")}
    assert fy == {
        "fytd_from": "2024-04",
        "fytd_to": "2024-12",
        "fytd": 34,
        "fytd_previous": 18,
        "fytd_change_pct": pytest.approx(16 / 18 * 100),
        "fytd_complete": True,
    }


def test_non_domestic_violence_with_injury(sabo_data_dir: Path) -> None:
    """NDVWI = the Met's recorded violence with injury minus the dashboard extract's
    domestic abuse violence with injury, for the borough; complete only in months both
    sources hold (the extract ends in July 2025)."""
    from tests.crime.conftest import MPS_BOROUGH_HISTORICAL

    import_files([MPS_BOROUGH_HISTORICAL, MPS_BOROUGH])
    import_files([OTHER_SHEET])

    def vwi(first: str, last: str) -> int:
        cols = [f"{y}{m:02d}" for y in range(2023, 2026) for m in range(1, 13)]
        wanted = [c for c in cols if first.replace("-", "") <= c <= last.replace("-", "")]
        total = 0
        for path in (MPS_BOROUGH_HISTORICAL, MPS_BOROUGH):
            have = {r[0] for r in duckdb.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
            use = [c for c in wanted if c in have]
            if use:
                summed = " + ".join('coalesce("' + c + '", 0)' for c in use)
                total += duckdb.execute(
                    f"SELECT coalesce(sum({summed}), 0) FROM '{path}' "
                    "WHERE boroughname = 'Bromley' AND minortext = 'VIOLENCE WITH INJURY'"
                ).fetchone()[0]
        return int(total)

    def da_vwi(first: str, last: str) -> int:
        return int(
            duckdb.execute(
                f"SELECT coalesce(sum(count), 0) FROM '{OTHER_SHEET}' WHERE area_code = "
                "'E09000006' AND crime_subtype = 'Domestic Abuse violence with injury' AND "
                f"measure = 'Offences' AND month_year BETWEEN DATE '{first}-01' "
                f"AND DATE '{last}-01'"
            ).fetchone()[0]
        )

    board = build_dashboard("Bromley", "2025-07", "mps", details=False)
    ndvwi = _measure(board, "non-domestic-violence-with-injury")
    current = vwi("2024-08", "2025-07") - da_vwi("2024-08", "2025-07")
    previous = vwi("2023-08", "2024-07") - da_vwi("2023-08", "2024-07")
    assert 0 < current < vwi("2024-08", "2025-07")
    assert (ndvwi.current, ndvwi.previous, ndvwi.complete) == (current, previous, True)
    assert _measure(board, "violence-with-injury").current == vwi("2024-08", "2025-07")
    # To Feb 2026 the extract's months are missing: not compared.
    later = _measure(
        build_dashboard("Bromley", "2026-02", "mps", details=False),
        "non-domestic-violence-with-injury",
    )
    assert not later.complete and "2025-08" in later.missing_current


def test_knife_injury_victims_and_hate_crime_strands_by_hand(sabo_data_dir: Path) -> None:
    """Issue 17: the Met dashboard's knife injury victims aged 1-24 (non-domestic abuse)
    and hate crime strands, Bromley's rolling year to July 2025 against the year before,
    checked against the shipped "Other" sheet file (Borough rows, measure Offences):
    victims 18 against 20; racist 433 against 515; antisemitic 6 against 13;
    transphobic 4 against 13; disability 21 against 23."""
    import_files([OTHER_SHEET])
    board = build_dashboard("Bromley", "2025-07", "mps", details=False)
    expected = {
        ("knife-injury-victims-1-24-non-da", "Knife Injury Victims (non DA 1-24)"): (18, 20),
        ("hate-crime-racist", "Racist Crime"): (433, 515),
        ("hate-crime-antisemitic", "AntiSemitic"): (6, 13),
        ("hate-crime-transphobic", "Transphobic Crime"): (4, 13),
        ("hate-crime-disability", "Disability Crime"): (21, 23),
    }
    con = duckdb.connect()
    for (slug, subtype), (current, previous) in expected.items():
        by_file = con.execute(
            f"""SELECT
                  sum(count) FILTER (WHERE month_year BETWEEN '2024-08-01' AND '2025-07-01'),
                  sum(count) FILTER (WHERE month_year BETWEEN '2023-08-01' AND '2024-07-01')
                FROM '{OTHER_SHEET}' WHERE area_type = 'Borough' AND area_name = 'Bromley'
                AND crime_type IN ('Knife Crime', 'Hate crime') AND crime_subtype = ?
                AND measure = 'Offences'""",
            [subtype],
        ).fetchone()
        assert by_file == (current, previous), subtype
        result = _measure(board, slug)
        assert (result.current, result.previous, result.complete) == (current, previous, True)
    # The strands overlap, so the total is published, not their sum.
    hate = _measure(board, "hate-crime")
    strands = sum(m.current or 0 for m in board.measures if m.measure.startswith("hate-crime-"))
    assert hate.current is not None and hate.current < strands
