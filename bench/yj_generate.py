"""Write a national-scale synthetic youth justice dataset for bench/yj_bench.py.

About 150 services, 200,000 children and 1.5 million offences over 5 years, in the
engine's columnar schema (Parquet, pseudonymous keys). Deterministic for a seed.

    uv run python bench/yj_generate.py [--out var/yj-bench] [--seed 20240401]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from saferboard.youthjustice.synthetic import ServiceSpec, engine_tables, generate

START, END = date(2019, 1, 1), date(2023, 12, 31)
SERVICES = 150
CHILDREN = 200_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/yj-bench"))
    parser.add_argument("--seed", type=int, default=20240401)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    weights = rng.lognormal(0, 0.5, SERVICES)
    sizes = np.floor(weights / weights.sum() * CHILDREN).astype(int)
    sizes[0] += CHILDREN - sizes.sum()
    specs = [
        ServiceSpec(f"Service {i + 1:03d}", int(n), int(n * rng.uniform(2.0, 3.2)))
        for i, n in enumerate(sizes)
    ]
    started = time.perf_counter()
    export = generate(specs, START, END, seed=args.seed, offences_per_child=11.4)
    tables = engine_tables(export)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        pq.write_table(table, args.out / f"{name}.parquet")
    meta = {
        "services": len(specs),
        "children": tables["children"].num_rows,
        "outcomes": tables["outcomes"].num_rows,
        "offences": tables["offences"].num_rows,
        "start": START.isoformat(),
        "data_to": END.isoformat(),
        "seed": args.seed,
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2))
    print(json.dumps(meta))
    print(f"generated in {time.perf_counter() - started:.1f} s into {args.out}")


if __name__ == "__main__":
    main()
