# ruff: noqa: S608 - the SQL is assembled from this module's own constants; values that
# come from outside (service names, dates) are always bound parameters.
"""The youth justice KPI engine: pure functions over columnar case data (DuckDB SQL).

Input is five tables (Arrow tables or Parquet files), pseudonymous throughout: a child
is an integer ``child_key`` (the database row of the pseudonymised child), never a name
or a case management system's id.

- ``children``: child_key, service, date_of_birth, sex, ethnicity, looked_after
- ``outcomes``: outcome_key, child_key, outcome_date, outcome_type, release_date
- ``offences``: child_key, offence_date, offence_type, is_breach, outcome_key (null: unproven)
- ``population``: service, year, age, count (mid-year estimates)
- ``population_ethnicity`` (optional): service, year, ethnicity, count (aged 10-17)

Nothing here knows about Django, requests or the database: the same functions serve the
CLI, the web pages, the board pack and the national benchmark. Every rule is written
once, as SQL, and documented in docs/methodology.md.

Ages are whole years computed as ``(yyyymmdd(day) - yyyymmdd(birth)) // 10000``, so a
child born on 29 February turns a year older on 1 March in other years. "n months
after" a date is calendar-month arithmetic clamped to the month's end (31 August + 18
months is 28 February), as DuckDB's ``date + INTERVAL n MONTH`` does.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import pyarrow as pa

from saferboard.core.periods import add_months, month_index
from saferboard.youthjustice.definitions import (
    CUSTODIAL,
    FOLLOW_UP_MONTHS,
    MAX_AGE,
    MIN_AGE,
    NOT_RECORDED,
    PROVEN_BY_MONTHS,
    SUBSTANTIVE,
)

TableSource: TypeAlias = pa.Table | str | Path

CHILDREN_SCHEMA = pa.schema(
    [
        ("child_key", pa.int64()),
        ("service", pa.string()),
        ("date_of_birth", pa.date32()),
        ("sex", pa.string()),
        ("ethnicity", pa.string()),
        ("looked_after", pa.bool_()),
    ]
)
OUTCOMES_SCHEMA = pa.schema(
    [
        ("outcome_key", pa.int64()),
        ("child_key", pa.int64()),
        ("outcome_date", pa.date32()),
        ("outcome_type", pa.string()),
        ("release_date", pa.date32()),
    ]
)
OFFENCES_SCHEMA = pa.schema(
    [
        ("child_key", pa.int64()),
        ("offence_date", pa.date32()),
        ("offence_type", pa.string()),
        ("is_breach", pa.bool_()),
        ("outcome_key", pa.int64()),
    ]
)
POPULATION_SCHEMA = pa.schema(
    [("service", pa.string()), ("year", pa.int32()), ("age", pa.int32()), ("count", pa.int64())]
)
POPULATION_ETHNICITY_SCHEMA = pa.schema(
    [
        ("service", pa.string()),
        ("year", pa.int32()),
        ("ethnicity", pa.string()),
        ("count", pa.int64()),
    ]
)
SCHEMAS = {
    "children": CHILDREN_SCHEMA,
    "outcomes": OUTCOMES_SCHEMA,
    "offences": OFFENCES_SCHEMA,
    "population": POPULATION_SCHEMA,
    "population_ethnicity": POPULATION_ETHNICITY_SCHEMA,
}


@dataclass(frozen=True)
class CaseData:
    """The engine's input: five tables and the date the data run to."""

    children: TableSource
    outcomes: TableSource
    offences: TableSource
    population: TableSource
    data_to: date
    population_ethnicity: TableSource | None = None

    @classmethod
    def from_parquet_dir(cls, folder: Path, data_to: date) -> CaseData:
        ethnicity = folder / "population_ethnicity.parquet"
        return cls(
            children=folder / "children.parquet",
            outcomes=folder / "outcomes.parquet",
            offences=folder / "offences.parquet",
            population=folder / "population.parquet",
            data_to=data_to,
            population_ethnicity=ethnicity if ethnicity.exists() else None,
        )


@dataclass(frozen=True)
class Window:
    """One cohort window inside a reporting period (the period itself, or a quarter)."""

    period_id: int
    window_id: int
    start: date
    end: date


def cohort_windows(periods: Sequence[tuple[date, date]], kind: str) -> list[Window]:
    """The cohort windows of each period: the period itself (12m) or its quarters (3m).

    A ``3m`` period must start on the first of a month and span whole months, a multiple
    of three: it is cut into consecutive three-month cohorts from its start.
    """
    if kind not in ("12m", "3m"):
        raise ValueError(f"cohort kind must be 12m or 3m, not {kind!r}")
    windows: list[Window] = []
    for pid, (start, end) in enumerate(periods):
        if end < start:
            raise ValueError(f"period ends ({end}) before it starts ({start})")
        if kind == "12m":
            windows.append(Window(pid, len(windows), start, end))
            continue
        months = month_index(end) - month_index(start) + 1
        if start.day != 1 or not _is_month_end(end) or months % 3:
            raise ValueError(
                "the 3m method needs a period of whole quarters: starting on the 1st of a "
                f"month and a multiple of three months long ({start} to {end} is not)"
            )
        for q in range(months // 3):
            q_start = add_months(start, 3 * q)
            q_end = add_months(q_start, 3) - _ONE_DAY
            windows.append(Window(pid, len(windows), q_start, q_end))
    return windows


def _is_month_end(day: date) -> bool:
    return (day + _ONE_DAY).day == 1


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def provisional_for(period_end: date, data_to: date) -> bool:
    """True when the last possible index date's follow-up and waiting run past the data."""
    return add_months(period_end, PROVEN_BY_MONTHS) > data_to


# --------------------------------------------------------------------------------------
# SQL
# --------------------------------------------------------------------------------------


def _sql_list(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


_SUBSTANTIVE = _sql_list(SUBSTANTIVE)
_CUSTODIAL = _sql_list(CUSTODIAL)


def _ymd(column: str) -> str:
    return f"(year({column}) * 10000 + month({column}) * 100 + day({column}))"


def _age(day: str, dob_ymd: str) -> str:
    return f"(({_ymd(day)} - {dob_ymd}) // 10000)"


def _threads_for_load() -> int:
    """How many threads DuckDB should use, given how busy the machine is now.

    DuckDB's parallelism only pays off on idle cores: when other processes keep the
    cores busy its workers wait on each other, and the same question took both longer
    and more CPU (on the shared 2-core machine at load average 4 to 5: 0.55 s wall and
    0.50 s CPU with two threads against 0.32 s and 0.32 s with one; even at load 1.2 a
    two-thread run once took 0.50 s against one thread's steady 0.30 s). So use as many
    threads as the 1-minute load average leaves cores idle, rounded, and at least one.
    """
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform
        return cores
    return max(1, min(cores, round(cores - load)))


_DATABASES: dict[tuple[int, int], duckdb.DuckDBPyConnection] = {}
_DATABASES_LOCK = threading.Lock()


def _connection(threads: int) -> duckdb.DuckDBPyConnection:
    """A fresh connection to this process's in-memory DuckDB database for ``threads``.

    Opening an in-memory database costs about 10 ms and closing it 8 ms, as much as
    several of the engine's steps, so each process keeps one database per thread count
    (a database-wide setting) and every session opens a cursor on it: a connection of
    its own whose temporary tables and views nobody else sees and which vanish when it
    closes. Keyed by process id too, so a forked child never uses its parent's.
    """
    key = (os.getpid(), threads)
    with _DATABASES_LOCK:
        database = _DATABASES.get(key)
        if database is None:
            # Row order never matters here (results are sorted at the end), and letting
            # DuckDB drop it makes building the intermediate tables several times faster.
            database = duckdb.connect(
                ":memory:", config={"preserve_insertion_order": False, "threads": threads}
            )
            _DATABASES[key] = database
        return database.cursor()


class Session:
    """A DuckDB connection with the case tables registered and the shared steps built.

    Build one per question; it is cheap (the tables are not copied for Arrow inputs, and
    the connection is a cursor on a database the process keeps). Everything it creates
    is temporary, private to this session.
    """

    def __init__(
        self,
        data: CaseData,
        services: Sequence[str] | None = None,
        *,
        attributes: bool = False,
        threads: int | None = None,
    ) -> None:
        self.data = data
        self.attributes = attributes
        self.con = _connection(int(threads) if threads else _threads_for_load())
        for name in SCHEMAS:
            source = getattr(data, name)
            if source is None:
                source = SCHEMAS[name].empty_table()
            self._register(name, source)
        where = ""
        self.services = services
        if services is not None:
            self.con.execute("CREATE TEMP TABLE wanted (service VARCHAR)")
            if services:
                self.con.executemany("INSERT INTO wanted VALUES (?)", [[s] for s in services])
            where = "WHERE service IN (SELECT service FROM wanted)"
        # Services by number (integers are cheaper to carry than names), then the
        # children of the services asked for, with their birth date as yyyymmdd.
        self.con.execute(
            f"""
            CREATE TEMP TABLE svc AS
            SELECT service, CAST(row_number() OVER (ORDER BY service) AS INTEGER) AS service_no
            FROM (SELECT DISTINCT service FROM src_children {where})
            """  # nosec B608  # SQL from module constants; values bound
        )
        self.con.execute(
            f"""
            CREATE TEMP TABLE ch AS
            SELECT child_key, s.service_no,
                   {"sex, ethnicity, looked_after," if attributes else ""}
                   {_ymd("date_of_birth")} AS dob_ymd
            FROM src_children JOIN svc s USING (service)
            """  # nosec B608  # SQL from module constants; values bound
        )

    def _register(self, name: str, source: TableSource) -> None:
        if isinstance(source, pa.Table):
            self.con.register(f"arrow_{name}", source)
            self.con.execute(f"CREATE TEMP VIEW src_{name} AS SELECT * FROM arrow_{name}")  # nosec B608  # SQL from module constants; values bound
        else:
            path = str(source).replace("'", "''")
            self.con.execute(f"CREATE TEMP VIEW src_{name} AS SELECT * FROM read_parquet('{path}')")  # nosec B608  # SQL from module constants; values bound

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------------
    def set_periods(
        self, periods: Sequence[tuple[date, date]], kind: str, follow_to: date | None = None
    ) -> None:
        windows = cohort_windows(periods, kind)
        self.con.execute("DROP TABLE IF EXISTS periods")
        self.con.execute("DROP TABLE IF EXISTS win")
        self.con.execute(
            "CREATE TEMP TABLE periods (period_id INTEGER, p_from DATE, p_to DATE, "
            "provisional BOOLEAN)"
        )
        self.con.execute(
            "CREATE TEMP TABLE win (period_id INTEGER, window_id INTEGER, w_from DATE, "
            "w_to DATE, follow_to DATE)"
        )
        rows = []
        for pid, (start, end) in enumerate(periods):
            if follow_to is None:
                provisional = provisional_for(end, self.data.data_to)
            else:
                provisional = add_months(end, PROVEN_BY_MONTHS) > min(follow_to, self.data.data_to)
            rows.append([pid, start, end, provisional])
        if rows:
            self.con.executemany("INSERT INTO periods VALUES (?, ?, ?, ?)", rows)
        if windows:
            self.con.executemany(
                "INSERT INTO win VALUES (?, ?, ?, ?, ?)",
                [[w.period_id, w.window_id, w.start, w.end, follow_to] for w in windows],
            )
        bounds = self.con.execute("SELECT min(w_from), max(w_to) FROM win").fetchone()
        low, top = bounds if bounds and bounds[0] is not None else (date(1, 1, 1),) * 2
        self._build_outcomes(low, top)
        # Every day of every period and cohort window, so that "dated in the period" is
        # an equality join (hashed, parallel) rather than a range join.
        self.con.execute("DROP TABLE IF EXISTS period_days")
        self.con.execute("DROP TABLE IF EXISTS win_days")
        self.con.execute(
            """
            CREATE TEMP TABLE period_days AS
            SELECT CAST(unnest(generate_series(p_from, p_to, INTERVAL 1 DAY)) AS DATE) AS day,
                   period_id
            FROM periods
            """
        )
        self.con.execute(
            """
            CREATE TEMP TABLE win_days AS
            SELECT CAST(unnest(generate_series(w_from, w_to, INTERVAL 1 DAY)) AS DATE) AS day,
                   period_id, window_id, follow_to
            FROM win
            """
        )
        self._build_units(low, top)

    def _build_outcomes(self, low: date, top: date) -> None:
        """The substantive outcomes the periods ``low``..``top`` can reach, and firsts.

        ``so``: substantive outcomes dated from ``low`` to 18 months after ``top`` (the
        last that can prove a reoffence) or released from custody from ``low`` to
        ``top``, each carrying its child's service and birth date (joined once here, not
        in every unit; the inner join also keeps only the services asked for). Every unit
        but first time entrants needs only these: about half of all outcomes for one
        year of five, so half the rows to materialise.

        ``first_so``: each child's first-ever substantive outcome (date, and its key for
        breakdowns), aggregated straight from the source without keeping its rows.
        Outcomes after ``top`` cannot be the first in any period, so they are skipped.
        """
        attrs = self.attributes
        proven_by = add_months(top, PROVEN_BY_MONTHS)
        self.con.execute("DROP TABLE IF EXISTS so")
        self.con.execute("DROP TABLE IF EXISTS first_so")
        self.con.execute("DROP TABLE IF EXISTS outcome_type_of")
        self.con.execute(
            f"""
            CREATE TEMP TABLE so AS
            SELECT o.outcome_key, o.child_key, o.outcome_date, o.release_date,
                   o.outcome_type IN ({_CUSTODIAL}) AS custodial, c.service_no, c.dob_ymd
                   {", c.sex, c.ethnicity, c.looked_after" if attrs else ""}
            FROM src_outcomes o JOIN ch c USING (child_key)
            WHERE o.outcome_type IN ({_SUBSTANTIVE})
              AND (o.outcome_date BETWEEN DATE '{low.isoformat()}'
                                      AND DATE '{proven_by.isoformat()}'
                   OR o.release_date BETWEEN DATE '{low.isoformat()}'
                                         AND DATE '{top.isoformat()}')
            """  # nosec B608  # SQL from module constants; values bound
        )
        # The first outcome's key (for breakdowns by offence type): the earliest, then the
        # lowest key, as a struct's min compares field by field.
        first_key = "min({'d': outcome_date, 'k': outcome_key}).k" if attrs else "NULL::BIGINT"
        self.con.execute(
            f"""
            CREATE TEMP TABLE first_so AS
            SELECT child_key, min(outcome_date) AS event_date, {first_key} AS outcome_key
            FROM src_outcomes
            WHERE outcome_type IN ({_SUBSTANTIVE})
              AND outcome_date <= DATE '{top.isoformat()}'
            GROUP BY child_key
            """  # nosec B608  # SQL from module constants; values bound
        )
        if attrs:
            # The outcome's primary offence: its earliest, then alphabetically first type.
            # Every unit's outcome (first, custodial, index) is in ``so``.
            self.con.execute(
                f"""
                CREATE TEMP TABLE outcome_type_of AS
                SELECT outcome_key, offence_type FROM (
                    SELECT outcome_key, offence_type,
                           row_number() OVER (PARTITION BY outcome_key
                                              ORDER BY offence_date, offence_type) AS n
                    FROM src_offences
                    WHERE outcome_key IN (SELECT outcome_key FROM so)
                ) WHERE n = 1
                UNION ALL
                SELECT outcome_key, '{NOT_RECORDED}' FROM so
                WHERE outcome_key NOT IN (SELECT outcome_key FROM src_offences
                                          WHERE outcome_key IS NOT NULL)
                """  # nosec B608  # SQL from module constants; values bound
            )

    def _build_units(self, low: date, top: date) -> None:
        attrs = self.attributes
        # Every row of ``so`` already carries its child's service, birth date (and, for
        # breakdowns, attributes): no unit below joins the children again.
        extra = ", sex, ethnicity, looked_after" if attrs else ""
        # First time entrants: the child's first-ever substantive outcome in a period.
        first = f"""
            SELECT f.child_key, c.service_no, c.dob_ymd, f.event_date, f.outcome_key
                   {", c.sex, c.ethnicity, c.looked_after" if attrs else ""}
            FROM first_so f JOIN ch c USING (child_key)
            """  # nosec B608  # SQL from module constants; values bound
        self.con.execute("DROP TABLE IF EXISTS fte_units")
        self.con.execute(
            f"""
            CREATE TEMP TABLE fte_units AS
            SELECT * FROM (
                SELECT p.period_id, f.service_no, f.child_key, f.event_date,
                       {_age("f.event_date", "f.dob_ymd")} AS age, f.outcome_key {extra}
                FROM ({first}) f
                JOIN period_days p ON f.event_date = p.day
            ) WHERE age BETWEEN {MIN_AGE} AND {MAX_AGE}
            """  # nosec B608  # SQL from module constants; values bound
        )
        # Use of custody: custodial outcomes dated in a period, aged 10-17 at sentence.
        self.con.execute("DROP TABLE IF EXISTS custody_units")
        self.con.execute(
            f"""
            CREATE TEMP TABLE custody_units AS
            SELECT * FROM (
                SELECT p.period_id, s.service_no, s.child_key, s.outcome_date AS event_date,
                       {_age("s.outcome_date", "s.dob_ymd")} AS age, s.outcome_key {extra}
                FROM so s JOIN period_days p ON s.outcome_date = p.day
                WHERE s.custodial
            ) WHERE age BETWEEN {MIN_AGE} AND {MAX_AGE}
            """  # nosec B608  # SQL from module constants; values bound
        )
        # Children cautioned or sentenced: any substantive outcome in the period, 10-17.
        self.con.execute("DROP TABLE IF EXISTS cs_units")
        self.con.execute(
            f"""
            CREATE TEMP TABLE cs_units AS
            SELECT DISTINCT p.period_id, s.service_no, s.child_key
            FROM so s JOIN period_days p ON s.outcome_date = p.day
            WHERE {_age("s.outcome_date", "s.dob_ymd")} BETWEEN {MIN_AGE} AND {MAX_AGE}
            """  # nosec B608  # SQL from module constants; values bound
        )
        # Reoffending: index events are substantive non-custodial outcomes and releases
        # from custody, aged 10-17 at the event.
        high = add_months(top, FOLLOW_UP_MONTHS)
        proven_by = add_months(top, PROVEN_BY_MONTHS)
        index_pick = (
            """
            SELECT * EXCLUDE (n) FROM (
                SELECT *, row_number() OVER (PARTITION BY window_id, child_key
                                             ORDER BY index_date, outcome_key,
                                                      is_release) AS n
                FROM evw
            ) WHERE n = 1
            """
            if attrs
            else """
            SELECT any_value(period_id) AS period_id, window_id,
                   any_value(follow_to) AS follow_to, any_value(service_no) AS service_no,
                   child_key, min(index_date) AS index_date, arg_min(age, index_date) AS age,
                   NULL::BIGINT AS outcome_key, NULL::BOOLEAN AS is_release
            FROM evw
            GROUP BY window_id, child_key  -- a window belongs to one period
            """
        )
        self.con.execute("DROP TABLE IF EXISTS cohort_units")
        self.con.execute(
            f"""
            CREATE TEMP TABLE cohort_units AS
            WITH ev AS (
                SELECT child_key, service_no, dob_ymd, outcome_date AS event_date, outcome_key,
                       FALSE AS is_release {extra}
                FROM so WHERE NOT custodial
                  AND outcome_date BETWEEN DATE '{low.isoformat()}' AND DATE '{top.isoformat()}'
                UNION ALL
                SELECT child_key, service_no, dob_ymd, release_date, outcome_key, TRUE {extra}
                FROM so WHERE custodial
                  AND release_date BETWEEN DATE '{low.isoformat()}' AND DATE '{top.isoformat()}'
            ),
            evw AS (
                SELECT * FROM (
                    SELECT w.period_id, w.window_id, w.follow_to, e.service_no, e.child_key,
                           e.event_date AS index_date, {_age("e.event_date", "e.dob_ymd")} AS age,
                           e.outcome_key, e.is_release {extra}
                    FROM ev e JOIN win_days w ON e.event_date = w.day
                ) WHERE age BETWEEN {MIN_AGE} AND {MAX_AGE}
            ),
            idx AS ({index_pick}),
            bounds AS (
                SELECT *,
                    CAST(index_date + INTERVAL {FOLLOW_UP_MONTHS} MONTH AS DATE) AS follow_end,
                    CAST(index_date + INTERVAL {PROVEN_BY_MONTHS} MONTH AS DATE) AS proven_end
                FROM idx
            ),
            capped AS (
                SELECT * REPLACE (
                    CASE WHEN follow_to IS NULL THEN follow_end
                         ELSE least(follow_end, follow_to) END AS follow_end,
                    CASE WHEN follow_to IS NULL THEN proven_end
                         ELSE least(proven_end, follow_to) END AS proven_end)
                FROM bounds
            ),
            candidate AS (
                SELECT child_key, offence_date, outcome_key FROM src_offences
                WHERE NOT is_breach AND outcome_key IS NOT NULL
                  AND offence_date > DATE '{low.isoformat()}'
                  AND offence_date <= DATE '{high.isoformat()}'
            ),
            proofs AS (
                SELECT outcome_key, outcome_date FROM so
                WHERE outcome_date > DATE '{low.isoformat()}'
                  AND outcome_date <= DATE '{proven_by.isoformat()}'
            ),
            reoffences AS (
                SELECT k.window_id, k.child_key, count(*) AS reoffences
                FROM capped k
                JOIN candidate f ON f.child_key = k.child_key
                JOIN proofs p ON p.outcome_key = f.outcome_key
                WHERE f.offence_date > k.index_date AND f.offence_date <= k.follow_end
                  AND p.outcome_date <= k.proven_end
                GROUP BY k.window_id, k.child_key
            )
            SELECT k.* EXCLUDE (follow_to, follow_end, proven_end),
                   coalesce(r.reoffences, 0) AS reoffences
            FROM capped k
            LEFT JOIN reoffences r USING (window_id, child_key)
            """  # nosec B608  # SQL from module constants; values bound
        )

    # ----------------------------------------------------------------------------------
    def headline(self) -> pa.Table:
        """One row per period and service: every KPI's count, denominator and rate."""
        names = (
            "SELECT service, service_no FROM svc UNION ALL "
            "SELECT service, NULL FROM wanted WHERE service NOT IN (SELECT service FROM svc)"
            if self.services is not None
            else "SELECT service, service_no FROM svc"
        )
        return self.con.execute(
            f"""
            WITH names AS ({names}),
            grid AS (SELECT p.period_id, p.p_from, p.p_to, p.provisional, s.service,
                            s.service_no
                     FROM periods p CROSS JOIN names s),
            pop AS (SELECT service, year, CAST(sum(count) AS BIGINT) AS population
                    FROM src_population WHERE age BETWEEN 10 AND 17 GROUP BY service, year),
            fte AS (SELECT period_id, service_no, count(*) AS n FROM fte_units
                    GROUP BY period_id, service_no),
            cus AS (SELECT period_id, service_no, count(*) AS n FROM custody_units
                    GROUP BY period_id, service_no),
            cs AS (SELECT period_id, service_no, count(*) AS n FROM cs_units
                   GROUP BY period_id, service_no),
            reo AS (SELECT period_id, service_no, count(*) AS cohort,
                           count(*) FILTER (WHERE reoffences > 0) AS reoffenders,
                           sum(reoffences) AS reoffences
                    FROM cohort_units GROUP BY period_id, service_no)
            SELECT g.period_id, g.p_from AS period_from, g.p_to AS period_to, g.service,
                   coalesce(fte.n, 0) AS fte_count,
                   pop.population AS population_10_17,
                   CASE WHEN pop.population > 0
                        THEN CAST(coalesce(fte.n, 0) AS DOUBLE) * 100000 / pop.population
                   END AS fte_rate_per_100k,
                   coalesce(cus.n, 0) AS custody_count,
                   CASE WHEN pop.population > 0
                        THEN CAST(coalesce(cus.n, 0) AS DOUBLE) * 1000 / pop.population
                   END AS custody_rate_per_1000,
                   coalesce(cs.n, 0) AS cautioned_sentenced_count,
                   CASE WHEN pop.population > 0
                        THEN CAST(coalesce(cs.n, 0) AS DOUBLE) * 10000 / pop.population
                   END AS cautioned_sentenced_rate_per_10k,
                   coalesce(reo.cohort, 0) AS cohort,
                   coalesce(reo.reoffenders, 0) AS reoffenders,
                   CAST(coalesce(reo.reoffences, 0) AS BIGINT) AS reoffences,
                   CASE WHEN reo.cohort > 0
                        THEN CAST(reo.reoffenders AS DOUBLE) * 100 / reo.cohort
                   END AS binary_rate_pct,
                   CASE WHEN reo.cohort > 0
                        THEN CAST(reo.reoffences AS DOUBLE) / reo.cohort
                   END AS frequency_rate,
                   CASE WHEN reo.reoffenders > 0
                        THEN CAST(reo.reoffences AS DOUBLE) / reo.reoffenders
                   END AS reoffences_per_reoffender,
                   g.provisional
            FROM grid g
            LEFT JOIN pop ON pop.service = g.service AND pop.year = year(g.p_to)
            LEFT JOIN fte ON fte.period_id = g.period_id AND fte.service_no = g.service_no
            LEFT JOIN cus ON cus.period_id = g.period_id AND cus.service_no = g.service_no
            LEFT JOIN cs ON cs.period_id = g.period_id AND cs.service_no = g.service_no
            LEFT JOIN reo ON reo.period_id = g.period_id AND reo.service_no = g.service_no
            ORDER BY g.period_id, g.service
            """  # nosec B608  # SQL from module constants; values bound
        ).fetch_arrow_table()

    def table(self, name: str) -> pa.Table:
        """One of the unit tables (fte_units, custody_units, cohort_units) as Arrow."""
        if name not in {"fte_units", "custody_units", "cohort_units", "cs_units"}:
            raise ValueError(name)
        return self.con.execute(
            f"SELECT u.*, s.service FROM {name} u JOIN svc s USING (service_no)"  # nosec B608  # SQL from module constants; values bound
        ).fetch_arrow_table()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --------------------------------------------------------------------------------------
# The public functions
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiResult:
    """The three KPIs for one service and one period (rates unrounded; None if /0)."""

    service: str
    period_from: date
    period_to: date
    cohort_kind: str
    fte_count: int
    population_10_17: int | None
    fte_rate_per_100k: float | None
    custody_count: int
    custody_rate_per_1000: float | None
    cautioned_sentenced_count: int
    cautioned_sentenced_rate_per_10k: float | None
    cohort: int
    reoffenders: int
    reoffences: int
    binary_rate_pct: float | None
    frequency_rate: float | None
    reoffences_per_reoffender: float | None
    provisional: bool
    data_to: date
    follow_to: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_contract(self) -> dict[str, Any]:
        """The ``saferboard yj kpis --json`` document: exactly the keys of the contract."""
        return {
            "service": self.service,
            "from": self.period_from.isoformat(),
            "to": self.period_to.isoformat(),
            "fte": {
                "count": self.fte_count,
                "population_10_17": self.population_10_17,
                "rate_per_100k": self.fte_rate_per_100k,
            },
            "custody": {"count": self.custody_count, "rate_per_1000": self.custody_rate_per_1000},
            "reoffending": {
                "cohort_kind": self.cohort_kind,
                "cohort": self.cohort,
                "reoffenders": self.reoffenders,
                "reoffences": self.reoffences,
                "binary_rate_pct": self.binary_rate_pct,
                "frequency_rate": self.frequency_rate,
                "reoffences_per_reoffender": self.reoffences_per_reoffender,
                "provisional": self.provisional,
                "data_to": self.data_to.isoformat(),
            },
        }


def kpi_table(
    data: CaseData,
    periods: Sequence[tuple[date, date]],
    kind: str = "12m",
    services: Sequence[str] | None = None,
    follow_to: date | None = None,
    threads: int | None = None,
) -> pa.Table:
    """Every KPI for every service (or those named) and every period, as one Arrow table."""
    with Session(data, services, threads=threads) as session:
        session.set_periods(periods, kind, follow_to)
        return session.headline()


def kpis(
    data: CaseData,
    periods: Sequence[tuple[date, date]],
    kind: str = "12m",
    services: Sequence[str] | None = None,
    follow_to: date | None = None,
) -> list[KpiResult]:
    """:func:`kpi_table` as value objects, in period then service order."""
    table = kpi_table(data, periods, kind, services, follow_to)
    results = []
    for row in table.to_pylist():
        results.append(
            KpiResult(
                service=row["service"],
                period_from=row["period_from"],
                period_to=row["period_to"],
                cohort_kind=kind,
                fte_count=row["fte_count"],
                population_10_17=row["population_10_17"],
                fte_rate_per_100k=row["fte_rate_per_100k"],
                custody_count=row["custody_count"],
                custody_rate_per_1000=row["custody_rate_per_1000"],
                cautioned_sentenced_count=row["cautioned_sentenced_count"],
                cautioned_sentenced_rate_per_10k=row["cautioned_sentenced_rate_per_10k"],
                cohort=row["cohort"],
                reoffenders=row["reoffenders"],
                reoffences=row["reoffences"],
                binary_rate_pct=row["binary_rate_pct"],
                frequency_rate=row["frequency_rate"],
                reoffences_per_reoffender=row["reoffences_per_reoffender"],
                provisional=row["provisional"],
                data_to=data.data_to,
                follow_to=follow_to,
            )
        )
    return results


def kpis_for(data: CaseData, service: str, start: date, end: date, kind: str = "12m") -> KpiResult:
    """The KPIs of one service for one period."""
    (result,) = [r for r in kpis(data, [(start, end)], kind, [service]) if r.service == service]
    return result


def tracker(
    data: CaseData, service: str, start: date, end: date, follow_to: date, kind: str = "12m"
) -> KpiResult:
    """The local "tracker": the cohort of a period followed only up to ``follow_to``.

    Reoffences count when committed by ``follow_to`` (and within 12 months of the index
    date) and proven by ``follow_to`` (and within 18 months).
    """
    results = kpis(data, [(start, end)], kind, [service], follow_to=follow_to)
    (result,) = [r for r in results if r.service == service]
    return result
