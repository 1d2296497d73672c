"""Benchmark the 2023 KPIs for every service of the national-scale generator against an
idiomatic pandas implementation (bench/yj_kpis2023_pandas.py).

Generates the national-scale synthetic export (about 150 services and 200,000 children,
2019 to 2023, with interventions, victims and gravity scores), computes the ten KPIs
(all but KPI 7, which comes from recorded meetings) for every service for one quarter
with saferboard.youthjustice.kpis2023 and with pandas, checks every numerator,
denominator and sub-measure agree, and prints both times.

    uv run python bench/yj_kpis2023_bench.py [--repeat 5] [--seed 20240401]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date

import numpy as np

try:
    from bench import yj_kpis2023_pandas
except ModuleNotFoundError:  # run as a script: bench/ itself is on the path
    import yj_kpis2023_pandas  # type: ignore[no-redef]
from saferboard.youthjustice.kpis2023 import compute
from saferboard.youthjustice.synthetic import ServiceSpec, generate, kpi_data

START, END = date(2019, 1, 1), date(2023, 12, 31)
PERIOD = (date(2023, 7, 1), date(2023, 9, 30))
SERVICES = 150
CHILDREN = 200_000


def specs(seed: int) -> list[ServiceSpec]:
    """The same 150 services as bench/yj_generate.py."""
    rng = np.random.default_rng(seed)
    weights = rng.lognormal(0, 0.5, SERVICES)
    sizes = np.floor(weights / weights.sum() * CHILDREN).astype(int)
    sizes[0] += CHILDREN - sizes.sum()
    return [
        ServiceSpec(f"Service {i + 1:03d}", int(n), int(n * rng.uniform(2.0, 3.2)))
        for i, n in enumerate(sizes)
    ]


def as_figures(result) -> dict:  # type: ignore[no-untyped-def]
    """The engine's KPIs in the pandas implementation's shape (KPI 7 left out)."""
    out = {}
    for service, kpis in result.items():
        figures = {}
        for k in kpis:
            if k.number == 7:
                continue
            figures[(k.number, "headline")] = (k.numerator, k.denominator)
            for s in k.sub_measures:
                figures[(k.number, s.slug)] = (s.count, s.denominator)
        out[service] = figures
    return out


def timed(repeat: int, run) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240401)
    args = parser.parse_args()
    started = time.perf_counter()
    export = generate(specs(args.seed), START, END, seed=args.seed, offences_per_child=11.4)
    generated = time.perf_counter() - started
    assert export.interventions is not None and export.victims is not None

    to_arrays, data = timed(args.repeat, lambda: kpi_data(export, *PERIOD))
    engine, result = timed(args.repeat, lambda: compute(data, *PERIOD))  # type: ignore[arg-type]
    to_frames, tables = timed(args.repeat, lambda: yj_kpis2023_pandas.frames(export))
    pandas_time, expected = timed(
        args.repeat,
        lambda: yj_kpis2023_pandas.kpis(tables, *PERIOD),  # type: ignore[arg-type]
    )
    ours = as_figures(result)
    assert ours.keys() == expected.keys(), "different services"  # type: ignore[union-attr]
    mismatches = [
        (service, key, value, expected[service].get(key))  # type: ignore[index]
        for service, figures in ours.items()
        for key, value in figures.items()
        if expected[service].get(key) != value  # type: ignore[index]
    ]
    assert not mismatches, mismatches[:10]
    print(
        json.dumps(
            {
                "services": len(ours),
                "children": export.children.num_rows,
                "interventions": export.interventions.num_rows,
                "victims": export.victims.num_rows,
                "offences": export.offences.num_rows,
                "figures_compared": sum(len(f) for f in ours.values()),
                "period": [PERIOD[0].isoformat(), PERIOD[1].isoformat()],
                "generate_s": round(generated, 2),
                "numpy_compute_s": round(engine, 4),
                "numpy_with_arrays_s": round(engine + to_arrays, 4),
                "pandas_compute_s": round(pandas_time, 4),
                "pandas_with_frames_s": round(pandas_time + to_frames, 4),
                "speed_up_compute": round(pandas_time / engine, 1),
                "speed_up_with_conversion": round(
                    (pandas_time + to_frames) / (engine + to_arrays), 1
                ),
                "repeat": args.repeat,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
