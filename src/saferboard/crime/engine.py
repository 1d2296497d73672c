"""The query engine: monthly aggregates built from the store, compared in DuckDB SQL.

Row-level data stay in Parquet. On first use (and again whenever an import changes the
store) the engine reads them once into small tables, per source; the first process to
need a version of the store builds them and keeps them for the others in a DuckDB file
under the data directory's ``.cache`` (see :mod:`.engine_files`):

* ``<src>_series(kind, area, month, category, n)``: monthly counts per local authority
  (``kind='lad'``), per police force (``'force'``, police.uk, unlocated rows included)
  and for London as a whole (``'region'``, Met);
* ``<src>_cover(kind, area, month, dataset)``: the months for which an area's data are
  complete, per dataset (police.uk: ``street``; Met: ``borough`` for recorded crime and
  ``dashboard-<crime type>`` for each crime type of the Met's crime dashboard extract);
* ``<src>_catset(category, dataset)``: the dataset each category comes from, so that a
  measure's months are those of *its* data (knife crime's months are not recorded
  crime's);
* ``<src>_sub(area, level, code, month, category, n)``: wards and LSOAs within each
  local authority (hotspots), with ``<src>_sub_cover(area, level, month)``.

A local authority's police.uk months come from its LSOAs (never from the force that
reported them). An LA month counts as present only when every *principal* force of the
LA (one reporting at least 5% of its located crimes) has that month imported: a month
missing from the store is missing, never zero.

Every figure is then one SQL query over those tables, for all areas and measures at
once (see :meth:`Engine.compare`), so ranking every local authority costs the same
query as one dashboard.
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import duckdb
from django.conf import settings

from saferboard.crime.categories import (
    CATEGORY_ERAS,
    DASHBOARD_CATEGORY_PREFIX,
    DASHBOARD_DATASET_PREFIX,
    DASHBOARD_FOLDER,
    FORCES,
    FULL_MONTH_MIN_TYPES,
    LONDON_BOROUGHS,
    PARTIAL_MIN_OTHER_MONTHS,
    PARTIAL_SHARE_OF_USUAL,
    signed,
)
from saferboard.crime.engine_files import engine_file, open_or_build
from saferboard.crime.geography import force_areas, shipped_lookups
from saferboard.crime.store import CrimeStore, one_row, sql_string
from saferboard.crime.windows import Comparison, month_key, parse_month

T = TypeVar("T")

SOURCE_TABLES = {"police-uk": "pu", "mps": "mps"}
LONDON_REGION = "E12000007"


@dataclass(frozen=True)
class AreaCounts:
    """One area × measure comparison as the SQL returns it (a ratio measure's row holds
    the ratio, see :mod:`.ratios`)."""

    area: str
    measure: str
    current: float
    previous: float
    current_months: int
    previous_months: int


def _month(key: str) -> str:
    return f"DATE '{month_key(parse_month(key))}-01'"


class Engine:
    """The aggregates of one version of the store (in memory, or the kept file opened
    read-only). Use :func:`engine` to get one."""

    def __init__(self, store: CrimeStore) -> None:
        self.store = store
        self.version = store.version()
        # Built once per store version for every process (see .engine_files).
        kept = engine_file(store.root, self.version) if settings.CRIME_ENGINE_FILES else None
        self.con = open_or_build(kept, self._build)
        self.lookups = dict(self.con.execute("SELECT kind, origin FROM engine_lookups").fetchall())
        # Answers that depend only on the store (months, areas…): the store does not
        # change under an engine, so each is asked once.
        self._memo: dict[tuple[object, ...], object] = {}
        # The aggregates are small: one thread answers each query in about a
        # millisecond, where waking a second worker thread costs tens of milliseconds.
        self.con.execute("SET threads = 1")

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread's queries (the connection itself is shared)."""
        return self.con.cursor()

    # Building --------------------------------------------------------------------------
    def _parquet(self, pattern: str) -> str | None:
        return (
            f"read_parquet({sql_string(self.store.glob(pattern))})"
            if self.store.has(pattern)
            else None
        )

    def _build(self, c: duckdb.DuckDBPyConnection) -> None:
        c.execute("SET preserve_insertion_order = false")
        l21 = self._parquet("geography/lsoa21.parquet")
        l11 = self._parquet("geography/lsoa11.parquet")
        c.execute(
            "CREATE TABLE l21 (lsoa21 VARCHAR, ward VARCHAR, lad VARCHAR, lsoa_name VARCHAR, "
            "ward_name VARCHAR, lad_name VARCHAR)"
        )
        # A lookup the store holds (a `geography import`, say a newer edition) wins;
        # otherwise the one shipped with the package is used.
        shipped11, shipped21 = shipped_lookups()
        lookups = {"lsoa11": "imported" if l11 else "shipped",
                   "lsoa21": "imported" if l21 else "shipped"}  # fmt: skip
        c.execute("CREATE TABLE engine_lookups (kind VARCHAR, origin VARCHAR)")
        c.executemany("INSERT INTO engine_lookups VALUES (?, ?)", list(lookups.items()))
        if not l21:
            c.register("shipped_l21", shipped21)
            l21 = "shipped_l21"
        if not l11:
            c.register("shipped_l11", shipped11)
            l11 = "shipped_l11"
        c.execute(
            f"INSERT INTO l21 SELECT lsoa21, ward, lad, lsoa_name, ward_name, lad_name FROM {l21}"  # nosec B608  # identifiers validated, paths quoted, values bound
        )
        c.execute("CREATE TABLE l11 (lsoa11 VARCHAR, lsoa21 VARCHAR, lad VARCHAR)")
        c.execute(
            f"INSERT INTO l11 SELECT lsoa11, min(lsoa21), min(lad) FROM {l11} GROUP BY lsoa11"  # nosec B608  # identifiers validated, paths quoted, values bound
        )
        for kind, view in (("lsoa21", "shipped_l21"), ("lsoa11", "shipped_l11")):
            if lookups[kind] == "shipped":
                c.unregister(view)
        c.execute(
            """
            CREATE TABLE lookup AS
            SELECT lsoa21 AS code, lsoa21, ward, lad FROM l21
            UNION ALL
            SELECT l11.lsoa11, l11.lsoa21, l21.ward, coalesce(l21.lad, l11.lad)
            FROM l11 LEFT JOIN l21 USING (lsoa21)
            WHERE l11.lsoa11 NOT IN (SELECT lsoa21 FROM l21)
            """
        )
        c.execute(
            """
            CREATE TABLE names AS
            SELECT DISTINCT lad AS code, lad_name AS name FROM l21 WHERE lad_name IS NOT NULL
            UNION SELECT DISTINCT ward, ward_name FROM l21 WHERE ward_name IS NOT NULL
            UNION SELECT lsoa21, lsoa_name FROM l21 WHERE lsoa_name IS NOT NULL
            """
        )
        force_names: dict[str, str] = {}
        for name, slug in FORCES.items():
            force_names.setdefault(slug, name)
        c.executemany("INSERT INTO names VALUES (?, ?)", list(force_names.items()))
        c.executemany(
            "INSERT INTO names SELECT ?, ? WHERE ? NOT IN (SELECT code FROM names)",
            [(code, name, code) for name, code in LONDON_BOROUGHS.items()],
        )
        self._build_police_uk(c)
        c.execute("CREATE TABLE pu_catset (category VARCHAR, dataset VARCHAR)")
        c.executemany(
            "INSERT INTO pu_catset VALUES (?, 'street')",
            [[key] for key in sorted({era.key for era in CATEGORY_ERAS})],
        )
        self._build_mps(c)
        pop = self._parquet("population/*.parquet")
        if pop:
            c.execute(
                f"CREATE TABLE pop AS SELECT code, year, persons FROM {pop} WHERE age IS NULL"  # nosec B608  # identifiers validated, paths quoted, values bound
            )
        else:
            c.execute("CREATE TABLE pop (code VARCHAR, year INTEGER, persons BIGINT)")

    def _build_police_uk(self, c: duckdb.DuckDBPyConnection) -> None:
        rows = self._parquet("police-uk/*/*.parquet")
        if rows:
            c.execute(
                f"""
                CREATE TABLE pu_lsoa AS
                SELECT (r.period || '-01')::DATE AS month, r.force, k.lsoa21 AS lsoa, k.ward,
                       k.lad, r.category, r.lsoa_code IS NOT NULL AS located,
                       count(*)::BIGINT AS n
                FROM (SELECT period, force, lsoa_code, category FROM {rows}) r
                LEFT JOIN lookup k ON k.code = r.lsoa_code
                GROUP BY ALL
                """  # nosec B608  # identifiers validated, paths quoted, values bound
            )
        else:
            c.execute(
                "CREATE TABLE pu_lsoa (month DATE, force VARCHAR, lsoa VARCHAR, ward VARCHAR, "
                "lad VARCHAR, category VARCHAR, located BOOLEAN, n BIGINT)"
            )
        c.execute("CREATE TABLE pu_force_table (lad VARCHAR, force VARCHAR)")
        c.executemany("INSERT INTO pu_force_table VALUES (?, ?)", list(force_areas().items()))
        # The forces that police an authority: from the shipped table where it has the
        # authority; otherwise from the data, a force counting only when it reports at
        # least 5% of the authority's located crimes and the authority holds at least
        # 0.5% of the force's (a few stray rows never make a force an area's police).
        c.execute(
            f"""
            CREATE TABLE pu_force_month AS
              SELECT force, month, count(DISTINCT category) AS types, sum(n) AS n
              FROM pu_lsoa GROUP BY force, month;
            CREATE TABLE pu_force_partial AS
              SELECT m.force, m.month FROM pu_force_month m
              WHERE m.types < {FULL_MONTH_MIN_TYPES}
                 OR m.n < {PARTIAL_SHARE_OF_USUAL} * (
                      SELECT CASE WHEN count(*) >= {PARTIAL_MIN_OTHER_MONTHS} THEN median(o.n) END
                      FROM pu_force_month o
                      WHERE o.force = m.force AND o.month <> m.month
                        AND o.types >= {FULL_MONTH_MIN_TYPES});
            CREATE TABLE pu_force_cover AS
              SELECT DISTINCT force, month FROM pu_lsoa
              WHERE (force, month) NOT IN (SELECT (force, month) FROM pu_force_partial);
            CREATE TABLE pu_lad_forces AS
              WITH t AS (SELECT lad, force, sum(n) AS n FROM pu_lsoa
                         WHERE lad IS NOT NULL GROUP BY ALL),
              guessed AS (
                SELECT lad, force FROM t
                WHERE lad NOT IN (SELECT lad FROM pu_force_table)
                QUALIFY n >= 0.05 * sum(n) OVER (PARTITION BY lad)
                    AND n >= 0.005 * sum(n) OVER (PARTITION BY force)),
              known AS (
                SELECT lad, force FROM pu_force_table
                WHERE lad IN (SELECT lad FROM t))
              SELECT lad, force, count(*) OVER (PARTITION BY lad) AS forces
              FROM (SELECT * FROM known UNION ALL SELECT * FROM guessed);
            CREATE TABLE pu_cover AS
              SELECT 'lad' AS kind, f.lad AS area, c.month, 'street' AS dataset
              FROM pu_lad_forces f JOIN pu_force_cover c USING (force)
              GROUP BY f.lad, c.month, f.forces HAVING count(*) = f.forces
              UNION ALL
              SELECT 'force', force, month, 'street' FROM pu_force_cover;
            CREATE TABLE pu_series AS
              SELECT 'lad' AS kind, lad AS area, month, category, sum(n)::BIGINT AS n
              FROM pu_lsoa WHERE lad IS NOT NULL GROUP BY ALL
              UNION ALL
              SELECT 'force', force, month, category, sum(n)::BIGINT FROM pu_lsoa GROUP BY ALL
              ORDER BY 1, 2, 3;
            CREATE TABLE pu_sub AS
              SELECT lad AS area, 'ward' AS level, ward AS code, month, category,
                     sum(n)::BIGINT AS n
              FROM pu_lsoa WHERE lad IS NOT NULL AND ward IS NOT NULL GROUP BY ALL
              UNION ALL
              SELECT lad, 'lsoa', lsoa, month, category, sum(n)::BIGINT
              FROM pu_lsoa WHERE lad IS NOT NULL GROUP BY ALL
              ORDER BY 1, 2;
            CREATE TABLE pu_sub_cover AS
              SELECT area, level, month FROM pu_cover, (VALUES ('ward'), ('lsoa')) l(level)
              WHERE kind = 'lad';
            CREATE TABLE pu_partial AS
              SELECT 'force' AS kind, force AS area, month FROM pu_force_partial
              UNION
              SELECT 'lad', f.lad, p.month
              FROM pu_lad_forces f JOIN pu_force_partial p USING (force);
            CREATE TABLE pu_unlocated AS
              SELECT force, month, sum(n)::BIGINT AS n FROM pu_lsoa
              WHERE NOT located GROUP BY ALL;
            CREATE TABLE pu_unplaced AS
              SELECT force, month, sum(n)::BIGINT AS n FROM pu_lsoa
              WHERE located AND lad IS NULL GROUP BY ALL;
            """  # nosec B608  # numbers from module constants
        )

    def _build_mps(self, c: duckdb.DuckDBPyConnection) -> None:
        rows = self._parquet("mps/*/*.parquet")
        c.execute(
            "CREATE TABLE mps_raw (month DATE, dataset VARCHAR, lad VARCHAR, code VARCHAR, "
            "name VARCHAR, category VARCHAR, n BIGINT)"
        )
        if rows:
            c.execute(
                f"""INSERT INTO mps_raw
                    SELECT (period || '-01')::DATE, dataset, lad, area_code, area_name,
                           major || '|' || minor, n FROM {rows}"""  # nosec B608  # identifiers validated, paths quoted, values bound
            )
        dashboard = self._parquet(f"{DASHBOARD_FOLDER}/*/*.parquet")
        if dashboard:
            # Each (crime type, subtype, measure) is its own category: subtypes overlap
            # (a hate crime may be racist and faith-based), so none is ever summed.
            c.execute(
                f"""INSERT INTO mps_raw
                    SELECT (period || '-01')::DATE,
                           {sql_string(DASHBOARD_DATASET_PREFIX)} || dataset,
                           lad, area_code, area_name,
                           {sql_string(DASHBOARD_CATEGORY_PREFIX)} || crime_type || '|'
                             || crime_subtype || '|' || measure, n
                    FROM {dashboard}"""  # nosec B608  # identifiers validated, paths quoted, values bound
            )
        # Months come from the manifest: a month published with no crimes in it is
        # still a month with data.
        months = [
            (rel.split("/")[1], rel.split("/")[2][:7]) for rel in self.store.partitions("mps/")
        ] + [
            (DASHBOARD_DATASET_PREFIX + rel.split("/")[1], rel.split("/")[2][:7])
            for rel in self.store.partitions(f"{DASHBOARD_FOLDER}/")
        ]
        c.execute("CREATE TABLE mps_months (dataset VARCHAR, month DATE)")
        if months:
            c.executemany(
                "INSERT INTO mps_months VALUES (?, (? || '-01')::DATE)", [list(m) for m in months]
            )
        # The datasets with borough-level monthly series: recorded crime's borough file
        # and each crime type of the dashboard extract. An authority's months for a
        # dataset are that dataset's months, for every authority in that family of files.
        series = f"(dataset = 'borough' OR dataset LIKE '{DASHBOARD_DATASET_PREFIX}%')"
        family = (
            f"CASE WHEN dataset LIKE '{DASHBOARD_DATASET_PREFIX}%' THEN 'dashboard' "
            "ELSE dataset END"
        )
        c.execute(
            f"""
            CREATE TABLE mps_series AS
              SELECT 'lad' AS kind, lad AS area, month, category, sum(n)::BIGINT AS n
              FROM mps_raw WHERE {series} AND lad IS NOT NULL GROUP BY ALL
              UNION ALL
              SELECT 'region', '{LONDON_REGION}', month, category, sum(n)::BIGINT
              FROM mps_raw WHERE {series} GROUP BY ALL
              ORDER BY 1, 2, 3;
            CREATE TABLE mps_catset AS
              SELECT DISTINCT category, dataset FROM mps_raw WHERE {series};
            CREATE TABLE mps_cover AS
              WITH m AS (SELECT dataset, month, {family} AS family FROM mps_months
                         WHERE {series}),
                   a AS (SELECT DISTINCT {family} AS family, lad FROM mps_raw
                         WHERE {series} AND lad IS NOT NULL)
              SELECT 'lad' AS kind, a.lad AS area, m.month, m.dataset
              FROM a JOIN m USING (family)
              UNION ALL
              SELECT 'region', '{LONDON_REGION}', month, dataset FROM m;
            CREATE TABLE mps_sub AS
              SELECT lad AS area, dataset AS level, code, month, category, sum(n)::BIGINT AS n
              FROM mps_raw WHERE dataset IN ('ward', 'lsoa') AND lad IS NOT NULL
              GROUP BY ALL ORDER BY 1, 2;
            CREATE TABLE mps_sub_cover AS
              SELECT a.area, m.dataset AS level, m.month
              FROM (SELECT DISTINCT lad AS area FROM mps_raw
                    WHERE lad IS NOT NULL AND dataset IN ('borough', 'ward', 'lsoa')) a
              JOIN mps_months m ON m.dataset IN ('ward', 'lsoa');
            INSERT INTO names
              SELECT code, any_value(name) FROM mps_raw
              WHERE dataset IN ('ward', 'lsoa') AND name IS NOT NULL
                AND code NOT IN (SELECT code FROM names)
              GROUP BY code;
            INSERT INTO names VALUES ('{LONDON_REGION}', 'London');
            """  # nosec B608  # identifiers validated, paths quoted, values bound
        )

    # Facts about the data ----------------------------------------------------------------
    def _remember(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = compute()
        # Each key is only ever filled by the one computation that asks for it.
        return cast(T, self._memo[key])

    def categories(self, source: str) -> list[str]:
        """Category keys a measure definition may use for ``source``."""
        return self._remember(("categories", source), lambda: self._categories(source))

    def _categories(self, source: str) -> list[str]:
        if source == "police-uk":
            return sorted({era.key for era in CATEGORY_ERAS})
        rows = self.cursor().execute("SELECT DISTINCT category FROM mps_raw").fetchall()
        return sorted(r[0] for r in rows)

    def months(self, source: str, kind: str = "lad", area: str | None = None) -> list[str]:
        """Months with complete data for an area (or any area of the kind), ascending."""
        return self._remember(
            ("months", source, kind, area), lambda: self._months(source, kind, area)
        )

    def _months(self, source: str, kind: str, area: str | None) -> list[str]:
        t = SOURCE_TABLES[source]
        sql = f"SELECT DISTINCT strftime(month, '%Y-%m') FROM {t}_cover WHERE kind = ?"  # nosec B608  # identifiers validated, paths quoted, values bound
        params: list[object] = [kind]
        if area is not None:
            sql += " AND area = ?"
            params.append(area)
        return sorted(r[0] for r in self.cursor().execute(sql, params).fetchall())

    def measure_months(self, source: str, kind: str, area: str, categories: list[str]) -> list[str]:
        """Months in which the data of every dataset holding ``categories`` are complete
        for an area: a measure's own months (the Met dashboard's crime types have other
        months than recorded crime)."""
        plain = sorted({signed(c)[0] for c in categories})
        key = ("measure_months", source, kind, area, tuple(plain))
        return self._remember(key, lambda: self._measure_months(source, kind, area, plain))

    def _measure_months(
        self, source: str, kind: str, area: str, categories: list[str]
    ) -> list[str]:
        t = SOURCE_TABLES[source]
        rows = (
            self.cursor()
            .execute(
                f"""
                WITH mm(measure, category) AS (SELECT 'm', unnest(?::VARCHAR[])),
                {self._measure_cover(t, "v.kind = ? AND v.area = ?")}
                SELECT DISTINCT strftime(month, '%Y-%m') FROM mcov""",  # nosec B608  # identifiers validated, paths quoted, values bound
                [categories, kind, area],
            )
            .fetchall()
        )
        return sorted(r[0] for r in rows)

    @staticmethod
    def _measure_cover(t: str, where: str) -> str:
        """CTEs after ``mm(measure, category)``: ``mcov(area, measure, month)``, the
        months in which every dataset holding one of a measure's categories is present
        for the area (``where`` filters ``{t}_cover v``)."""
        return f"""
            md AS (SELECT DISTINCT mm.measure, k.dataset
                   FROM mm JOIN {t}_catset k ON k.category = mm.category),
            mdn AS (SELECT measure, count(*) AS n FROM md GROUP BY measure),
            mcov AS (
              SELECT v.area, md.measure, v.month
              FROM {t}_cover v JOIN md ON md.dataset = v.dataset
              JOIN mdn ON mdn.measure = md.measure
              WHERE {where}
              GROUP BY v.area, md.measure, v.month, mdn.n HAVING count(*) = mdn.n)"""  # nosec B608  # identifiers validated, paths quoted, values bound

    def areas(self, source: str, kind: str = "lad") -> list[tuple[str, str]]:
        """(code, name) of every area with data for ``source``, by name."""
        return self._remember(("areas", source, kind), lambda: self._areas(source, kind))

    def _areas(self, source: str, kind: str) -> list[tuple[str, str]]:
        t = SOURCE_TABLES[source]
        rows = (
            self.cursor()
            .execute(
                f"""SELECT DISTINCT c.area, coalesce(n.name, c.area) FROM {t}_cover c
                LEFT JOIN names n ON n.code = c.area WHERE c.kind = ? ORDER BY 2""",  # nosec B608  # identifiers validated, paths quoted, values bound
                [kind],
            )
            .fetchall()
        )
        return [(r[0], r[1]) for r in rows]

    def partial_months(self, source: str, kind: str, area: str) -> set[str]:
        """Months whose police.uk files for the area hold fewer than 8 crime types: a
        derived extract (say burglary only), from which no total can be made."""
        return self._remember(
            ("partial", source, kind, area), lambda: self._partial_months(source, kind, area)
        )

    def _partial_months(self, source: str, kind: str, area: str) -> set[str]:
        if source != "police-uk":
            return set()
        rows = (
            self.cursor()
            .execute(
                "SELECT strftime(month, '%Y-%m') FROM pu_partial WHERE kind = ? AND area = ?",
                [kind, area],
            )
            .fetchall()
        )
        return {r[0] for r in rows}

    def name(self, code: str) -> str | None:
        row = self.cursor().execute("SELECT name FROM names WHERE code = ?", [code]).fetchone()
        return row[0] if row else None

    def find_area(self, text: str) -> tuple[str, str] | None:
        """(code, name) of an area in the lookups matching a code or name exactly."""
        row = (
            self.cursor()
            .execute(
                "SELECT code, name FROM names "
                "WHERE upper(code) = upper(?) OR lower(name) = lower(?) "
                "ORDER BY code LIMIT 1",
                [text.strip(), text.strip()],
            )
            .fetchone()
        )
        return (row[0], row[1]) if row else None

    def population(self, codes: list[str], year: int) -> dict[str, tuple[int, int]]:
        """All-ages residents per area from the latest estimate up to mid-``year`` (the
        earliest estimate for windows older than any): ``{code: (persons, mid-year)}``."""
        every = self._remember(("population", year), lambda: self._population(year))
        return {code: every[code] for code in codes if code in every}

    def _population(self, year: int) -> dict[str, tuple[int, int]]:
        rows = (
            self.cursor()
            .execute(
                """SELECT code,
                          coalesce(arg_max(persons, year) FILTER (WHERE year <= ?),
                                   arg_min(persons, year)),
                          coalesce(max(year) FILTER (WHERE year <= ?), min(year))
                   FROM pop GROUP BY code""",
                [year, year],
            )
            .fetchall()
        )
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def _force_year_rows(
        self, table: Literal["pu_unlocated", "pu_unplaced"], force: str, comparison: Comparison
    ) -> int:
        """The force's rows in ``table`` over the current year of ``comparison``."""
        row = (
            self.cursor()
            .execute(
                f"""SELECT coalesce(sum(n), 0) FROM {table} WHERE force = ?
                AND month BETWEEN {_month(comparison.current.first)}
                AND {_month(comparison.current.last)}""",  # nosec B608  # identifiers validated, paths quoted, values bound
                [force],
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def unlocated(self, force: str, comparison: Comparison) -> int:
        """Rows of the force in the current year with no location (a blank LSOA)."""
        return self._force_year_rows("pu_unlocated", force, comparison)

    def unplaced(self, force: str, comparison: Comparison) -> int:
        """Rows of the force in the current year with an LSOA code that no lookup holds
        (placed in no local authority, counted for the force only)."""
        return self._force_year_rows("pu_unplaced", force, comparison)

    def policing_forces(self, lad: str) -> list[str]:
        """The police.uk forces whose street files make a month of ``lad`` complete."""
        table = force_areas()
        if lad in table:
            return [table[lad]]
        rows = (
            self.cursor()
            .execute("SELECT force FROM pu_lad_forces WHERE lad = ? ORDER BY force", [lad])
            .fetchall()
        )
        return [r[0] for r in rows]

    def force_months(self, force: str) -> list[str]:
        """Months for which the force's street files are imported."""
        rows = (
            self.cursor()
            .execute(
                "SELECT strftime(month, '%Y-%m') FROM pu_force_cover WHERE force = ? ORDER BY 1",
                [force],
            )
            .fetchall()
        )
        return [r[0] for r in rows]

    def supplying_partitions(
        self, source: str, area: str, kind: str, categories: list[str]
    ) -> list[str]:
        """Store path prefixes of the partitions a measure's figures for an area come
        from: for police.uk, every force with rows in the area (its own and any other
        that reported crimes there); for the Met, the datasets holding the categories.
        Asked once per engine (every stored dashboard figure asks)."""
        key = ("supplying", source, area, kind, tuple(categories))
        return self._remember(
            key, lambda: self._supplying_partitions(source, area, kind, categories)
        )

    def partitions(self) -> dict[str, Any]:
        """The store's manifest entries as this engine's version of the store has them
        (read once per engine)."""
        return self._remember(("partitions",), self.store.partitions)

    def _supplying_partitions(
        self, source: str, area: str, kind: str, categories: list[str]
    ) -> list[str]:
        cur = self.cursor()
        if source == "police-uk":
            if kind == "force":
                forces = [area]
            else:
                forces = [
                    r[0]
                    for r in cur.execute(
                        "SELECT DISTINCT force FROM pu_lsoa WHERE lad = ? ORDER BY 1", [area]
                    ).fetchall()
                ]
            return [f"police-uk/{force}/" for force in forces]
        datasets = [
            r[0]
            for r in cur.execute(
                "SELECT DISTINCT dataset FROM mps_catset WHERE category IN (SELECT unnest(?)) "
                "ORDER BY 1",
                [[signed(c)[0] for c in categories]],
            ).fetchall()
        ]
        return [
            f"{DASHBOARD_FOLDER}/{d.removeprefix(DASHBOARD_DATASET_PREFIX)}/"
            if d.startswith(DASHBOARD_DATASET_PREFIX)
            else f"mps/{d}/"
            for d in datasets
        ]

    # Queries ---------------------------------------------------------------------------
    @staticmethod
    def _measure_values(measure_categories: dict[str, list[str]]) -> str:
        """``VALUES (measure, category, sign)``: a category subtracted by the measure's
        definition (``minus``) has sign -1."""
        triples = [
            f"({sql_string(m)}, {sql_string(cat)}, {sign})"
            for m, cats in measure_categories.items()
            for cat, sign in map(signed, cats)
        ]
        if not triples:
            triples = ["(NULL, NULL, 1)"]
        return "VALUES " + ", ".join(triples)

    def compare(
        self,
        source: str,
        comparison: Comparison,
        measure_categories: dict[str, list[str]],
        *,
        kind: str = "lad",
        areas: list[str] | None = None,
    ) -> list[AreaCounts]:
        """Rolling-year counts for every area (or ``areas``) × measure, in one query.

        Every area with any month of data in the two windows is returned for every
        measure, with the number of months present in each window.
        """
        t = SOURCE_TABLES[source]
        cf, ct = _month(comparison.current.first), _month(comparison.current.last)
        pf, pt = _month(comparison.previous.first), _month(comparison.previous.last)
        area_filter = ""
        params: list[object] = [kind, kind]
        if areas is not None:
            area_filter = "AND area IN (SELECT unnest(?))"
            params = [kind, areas, kind, areas]
        where = (
            f"v.kind = ? {area_filter.replace('area', 'v.area')} AND v.month BETWEEN {pf} AND {ct}"
        )
        sql = f"""
            WITH mm(measure, category, sign) AS ({self._measure_values(measure_categories)}),
            {self._measure_cover(t, where)},
            cov AS (
              SELECT area, measure,
                     count(*) FILTER (WHERE month BETWEEN {cf} AND {ct}) AS cur_months,
                     count(*) FILTER (WHERE month BETWEEN {pf} AND {pt}) AS prev_months
              FROM mcov GROUP BY ALL),
            agg AS (
              SELECT s.area, mm.measure,
                     sum(s.n * mm.sign) FILTER (WHERE s.month BETWEEN {cf} AND {ct}) AS cur,
                     sum(s.n * mm.sign) FILTER (WHERE s.month BETWEEN {pf} AND {pt}) AS prev
              FROM {t}_series s JOIN mm ON mm.category = s.category
              WHERE s.kind = ? {area_filter.replace("area", "s.area")}
                AND s.month BETWEEN {pf} AND {ct}
              GROUP BY ALL)
            SELECT cov.area, cov.measure, coalesce(agg.cur, 0)::BIGINT,
                   coalesce(agg.prev, 0)::BIGINT, cov.cur_months, cov.prev_months
            FROM cov LEFT JOIN agg ON agg.area = cov.area AND agg.measure = cov.measure
            ORDER BY cov.area, cov.measure
        """  # nosec B608  # identifiers validated, paths quoted, values bound
        return [AreaCounts(*row) for row in self.cursor().execute(sql, params).fetchall()]

    def monthly(
        self,
        source: str,
        area: str,
        first: str,
        last: str,
        measure_categories: dict[str, list[str]],
        *,
        kind: str = "lad",
    ) -> dict[str, dict[str, int]]:
        """{measure: {month: count}} for months with data from ``first`` to ``last``
        (months without data are absent, so a caller shows them as missing)."""
        t = SOURCE_TABLES[source]
        where = f"v.kind = ? AND v.area = ? AND v.month BETWEEN {_month(first)} AND {_month(last)}"
        rows = (
            self.cursor()
            .execute(
                f"""
            WITH mm(measure, category, sign) AS ({self._measure_values(measure_categories)}),
            {self._measure_cover(t, where)}
            SELECT cov.measure, strftime(cov.month, '%Y-%m'), coalesce(sum(s.n), 0)::BIGINT
            FROM mcov cov
            LEFT JOIN (SELECT s.month, mm.measure, s.n * mm.sign AS n FROM {t}_series s
                       JOIN mm ON mm.category = s.category
                       WHERE s.kind = ? AND s.area = ?) s
              ON s.month = cov.month AND s.measure = cov.measure
            GROUP BY ALL
            """,  # nosec B608  # identifiers validated, paths quoted, values bound
                [kind, area, kind, area],
            )
            .fetchall()
        )
        out: dict[str, dict[str, int]] = {}
        for measure, month, n in rows:
            out.setdefault(measure, {})[month] = int(n)
        return out

    def hotspots(
        self,
        source: str,
        area: str,
        level: str,
        comparison: Comparison,
        categories: list[str],
    ) -> tuple[list[tuple[str, str, int, int]], int, int]:
        """(code, name, current, previous) of each ward or LSOA in ``area``, with the
        months present in each window for that level."""
        t = SOURCE_TABLES[source]
        cf, ct = _month(comparison.current.first), _month(comparison.current.last)
        pf, pt = _month(comparison.previous.first), _month(comparison.previous.last)
        cur = self.cursor()
        cover = one_row(
            cur.execute(
                f"""SELECT count(*) FILTER (WHERE month BETWEEN {cf} AND {ct}),
                       count(*) FILTER (WHERE month BETWEEN {pf} AND {pt})
                FROM {t}_sub_cover WHERE area = ? AND level = ?""",  # nosec B608  # identifiers validated, paths quoted, values bound
                [area, level],
            )
        )
        rows = cur.execute(
            f"""
            SELECT s.code, coalesce(any_value(nm.name), s.code),
                   coalesce(sum(s.n) FILTER (WHERE s.month BETWEEN {cf} AND {ct}), 0)::BIGINT,
                   coalesce(sum(s.n) FILTER (WHERE s.month BETWEEN {pf} AND {pt}), 0)::BIGINT
            FROM {t}_sub s LEFT JOIN names nm ON nm.code = s.code
            WHERE s.area = ? AND s.level = ? AND s.category IN (SELECT unnest(?))
              AND s.month BETWEEN {pf} AND {ct}
            GROUP BY s.code
            """,  # nosec B608  # identifiers validated, paths quoted, values bound
            [area, level, categories],
        ).fetchall()
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows], int(cover[0]), int(cover[1])


_engines: dict[Path, Engine] = {}
_lock = threading.Lock()


def engine(store: CrimeStore | None = None) -> Engine:
    """The engine for the store as it is now: built on first use, rebuilt after an
    import (the store's version changes), shared by every request in the process."""
    store = store or CrimeStore()
    key = store.root.resolve()
    with _lock:
        current = _engines.get(key)
        if current is None or current.version != store.version():
            # The old engine is not closed: a request may still be reading from it.
            current = Engine(store)
            _engines[key] = current
        return current


def forget_engines() -> None:
    """Drop every cached engine (tests use a fresh data directory each)."""
    with _lock:
        for e in _engines.values():
            e.con.close()
        _engines.clear()
