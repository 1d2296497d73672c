"""Demo youth justice data: peer groups, published and synthetic comparators, and a
synthetic case-level export for a service the size of a London borough's.

Real: the peer groups' membership, the "children cautioned or sentenced" rates of
Trafford's statistical neighbour group (incl. Bromley, YJB data via Trafford Data Lab)
and Bromley's ONS mid-2019 and mid-2020 populations aged 10-17 (see data/PROVENANCE.md).
Synthetic, and labelled so wherever shown: every child, outcome and offence, the
population estimates for other years and by ethnic group, and the comparator figures
for first time entrants, reoffending and custody.

Idempotent: each file is imported once (recognised by its checksum); the generator is
seeded, so the same records come out every time.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import numpy as np

from saferboard.core.models import Partnership
from saferboard.measures.models import DataImport
from saferboard.youthjustice.benchmarks import import_benchmark
from saferboard.youthjustice.importer import import_export
from saferboard.youthjustice.observations import ensure_measures
from saferboard.youthjustice.synthetic import ServiceSpec, generate

DATA = Path(__file__).resolve().parent / "data"
SERVICE = "Bromley"
START, END = date(2013, 4, 1), date(2025, 6, 30)
SEED = 20250331
# The 10-17 population of Bromley's ethnic groups as shares (synthetic, for the demo).
ETHNIC_SHARES = {"White": 0.66, "Black": 0.12, "Asian": 0.08, "Mixed": 0.11, "Other": 0.03}
AGGREGATE_SHIFT = {"London": 1.12, "England": 0.96}
SYNTHETIC_COMPARATOR_MEASURES = {
    # measure: (centre in 2015-16, yearly change, spread between services)
    "fte_rate_per_100k": (420.0, -0.07, 0.35),
    "binary_rate_pct": (41.0, -0.01, 0.15),
    "frequency_rate": (1.45, -0.02, 0.25),
    "custody_rate_per_1000": (0.30, -0.08, 0.45),
}


def load(partnership: Partnership) -> None:
    ensure_measures()
    _once("peer_groups.csv", (DATA / "peer_groups.csv").read_bytes(), "Youth justice peer groups")
    _once(
        "cautioned_sentenced_cssn.csv",
        (DATA / "cautioned_sentenced_cssn.csv").read_bytes(),
        "Children cautioned or sentenced per 10,000 aged 10-17: Trafford's statistical "
        "neighbour group and England (YJB, via Trafford Data Lab)",
    )
    _once(
        "synthetic_comparators.csv",
        synthetic_comparators(),
        "Synthetic comparator figures for the demonstration (not published statistics)",
    )
    files = synthetic_export()
    digest = _digest(b"".join(files[name] for name in sorted(files)))
    label = f"Synthetic demonstration case records: {SERVICE}-sized service ({digest[:12]})"
    if not DataImport.objects.filter(label=label).exists():
        import_export(files, label=label, synthetic=True)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _once(name: str, content: bytes, label: str) -> None:
    full = f"{label} ({_digest(content)[:12]})"
    if not DataImport.objects.filter(label=full).exists():
        import_benchmark(content, name, label=full)


def synthetic_export() -> dict[str, bytes]:
    """The demo service's case management export, as CSV files (deterministic)."""
    export = generate(
        [ServiceSpec(SERVICE, 1650, 4000)],
        START,
        END,
        seed=SEED,
        offences_per_child=2.6,
        decline_per_year=0.13,
    )
    folder_files: dict[str, bytes] = {}
    for name in ("children", "outcomes", "offences", "interventions", "victims"):
        table = getattr(export, name)
        folder_files[f"{name}.csv"] = _csv(
            table.column_names,
            zip(*[table.column(i).to_pylist() for i in range(table.num_columns)], strict=True),
        )
    population, by_ethnicity = _population()
    folder_files["population.csv"] = _csv(["service", "year", "age", "count"], population)
    folder_files["population_ethnicity.csv"] = _csv(
        ["service", "year", "ethnicity", "count"], by_ethnicity
    )
    return folder_files


def _csv(header: list[str], rows: object) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:  # type: ignore[attr-defined]
        writer.writerow(
            [
                "" if v is None else ("true" if v is True else "false" if v is False else v)
                for v in row
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _population() -> tuple[list[tuple], list[tuple]]:
    """ONS mid-2019 and mid-2020 for Bromley (real); other years scaled from them."""
    real: dict[int, dict[int, int]] = {}
    with (DATA / "bromley_population_10_17.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            real.setdefault(int(row["year"]), {})[int(row["age"])] = int(row["count"])
    rows, ethnic = [], []
    for year in range(START.year, END.year + 1):
        if year in real:
            ages = real[year]
        else:
            # Synthetic: the nearest real year, grown or shrunk by 1% a year.
            base = 2019 if year < 2019 else 2020
            factor = 1.01 ** (year - base)
            ages = {age: round(n * factor) for age, n in real[base].items()}
        rows += [(SERVICE, year, age, n) for age, n in sorted(ages.items())]
        total = sum(ages.values())
        ethnic += [(SERVICE, year, e, round(total * share)) for e, share in ETHNIC_SHARES.items()]
    return rows, ethnic


def synthetic_comparators() -> bytes:
    """Made-up FTE, reoffending and custody figures for the peer groups (clearly synthetic)."""
    rng = np.random.default_rng(SEED)
    services: list[str] = []
    with (DATA / "peer_groups.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["service"] not in services and row["service"] != SERVICE:
                services.append(row["service"])
    rows = []
    level = {s: rng.lognormal(0, 1, len(SYNTHETIC_COMPARATOR_MEASURES)) for s in services}
    for fy in range(2015, 2024):
        for k, (measure, (centre, trend, spread)) in enumerate(
            SYNTHETIC_COMPARATOR_MEASURES.items()
        ):
            for service in services:
                aggregate = AGGREGATE_SHIFT.get(service)
                shift = aggregate or float(level[service][k]) ** spread
                noise = 1.0 if aggregate else float(rng.normal(1, 0.05))
                value = centre * (1 + trend) ** (fy - 2015) * shift * noise
                digits = 1 if measure in ("fte_rate_per_100k", "binary_rate_pct") else 2
                rows.append(
                    (service, f"{fy}-04-01", f"{fy + 1}-03-31", measure, round(value, digits))
                )
    return _csv(["service", "period_from", "period_to", "measure", "value"], rows)
