"""Benchmark the youth justice KPI engine against an idiomatic pandas implementation.

Computes FTE, custody (and children cautioned or sentenced) and reoffending, for every
service, for one 12-month period, with the DuckDB engine and with bench/yj_pandas.py,
from the same Parquet files; checks they agree exactly and prints both times.

    uv run python bench/yj_generate.py            # once
    uv run python bench/yj_bench.py [--data var/yj-bench] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from datetime import date
from pathlib import Path

import pandas as pd

try:
    from bench import yj_pandas
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    import yj_pandas  # type: ignore[no-redef]
from saferboard.youthjustice.engine import CaseData, kpi_table

PERIOD = (date(2021, 4, 1), date(2022, 3, 31))
COLUMNS = [
    "period_id",
    "service",
    "fte_count",
    "population_10_17",
    "fte_rate_per_100k",
    "custody_count",
    "custody_rate_per_1000",
    "cautioned_sentenced_count",
    "cautioned_sentenced_rate_per_10k",
    "cohort",
    "reoffenders",
    "reoffences",
    "binary_rate_pct",
    "frequency_rate",
    "reoffences_per_reoffender",
    "provisional",
]


def engine_run(folder: Path, data_to: date, kind: str) -> pd.DataFrame:
    data = CaseData.from_parquet_dir(folder, data_to)
    return kpi_table(data, [PERIOD], kind).to_pandas()


def pandas_run(folder: Path, data_to: date, kind: str) -> pd.DataFrame:
    names = ["children", "outcomes", "offences", "population"]
    frames = yj_pandas.load({n: str(folder / f"{n}.parquet") for n in names})
    return yj_pandas.kpis(frames, [PERIOD], kind, data_to)


def agree(ours: pd.DataFrame, theirs: pd.DataFrame) -> list[str]:
    """Exact agreement, column by column (None/NaN equal to each other only)."""
    problems = []
    if len(ours) != len(theirs):
        return [f"row counts differ: {len(ours)} against {len(theirs)}"]
    a = ours[COLUMNS].sort_values(["period_id", "service"]).reset_index(drop=True)
    b = theirs[COLUMNS].sort_values(["period_id", "service"]).reset_index(drop=True)
    for col in COLUMNS:
        for i, (x, y) in enumerate(zip(a[col].tolist(), b[col].tolist(), strict=True)):
            x_missing = x is None or (isinstance(x, float) and math.isnan(x))
            y_missing = y is None or (isinstance(y, float) and math.isnan(y))
            if x_missing and y_missing:
                continue
            if x_missing != y_missing or x != y:
                problems.append(f"{col} differs for {a['service'][i]}: {x!r} against {y!r}")
                break
    return problems


def timed(fn, repeat: int) -> tuple[float, float, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """Median wall-clock seconds, median CPU seconds (all threads), and the result."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), statistics.median(cpu), result  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("var/yj-bench"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    meta = json.loads((args.data / "meta.json").read_text())
    data_to = date.fromisoformat(meta["data_to"])
    print(
        f"dataset: {meta['services']} services, {meta['children']:,} children, "
        f"{meta['outcomes']:,} outcomes, {meta['offences']:,} offences "
        f"({meta['start']} to {meta['data_to']})"
    )
    print(f"period: {PERIOD[0]} to {PERIOD[1]}; median of {args.repeat} runs each")
    # The machine's load decides how many threads the engine uses (and how noisy the
    # figures are), so print it with them.
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    ok = True
    for kind in ("12m", "3m"):
        ours_s, ours_cpu, ours = timed(
            lambda k=kind: engine_run(args.data, data_to, k), args.repeat
        )
        theirs_s, theirs_cpu, theirs = timed(
            lambda k=kind: pandas_run(args.data, data_to, k), args.repeat
        )
        problems = agree(ours, theirs)
        ok = ok and not problems
        total = ours[["fte_count", "custody_count", "cohort", "reoffenders", "reoffences"]].sum()
        print(
            f"[{kind}] engine {ours_s:.2f} s (CPU {ours_cpu:.2f} s), "
            f"pandas {theirs_s:.2f} s (CPU {theirs_cpu:.2f} s), "
            f"ratio {theirs_s / ours_s:.1f}x wall, {theirs_cpu / ours_cpu:.1f}x CPU; agreement: "
            f"{'exact' if not problems else 'FAILED'}; totals {total.to_dict()}"
        )
        for problem in problems[:10]:
            print("   ", problem)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
