"""A start without a developer: the export template and a synthetic sample to try.

``saferboard yj template --out DIR`` writes a header-only CSV for every file the importer
accepts, with ``NOTES.md`` explaining each column; ``saferboard yj sample --out DIR``
writes a small, clearly synthetic export that imports cleanly. Both are also ZIP
downloads on the import page. The files and columns are read from the importer's own
declaration (:data:`saferboard.youthjustice.export_format.FILES`), so a file or column added
there appears here without a change.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

from saferboard.youthjustice.mapping import expected_columns

SAMPLE_SERVICE = "SYNTHETIC Sampletown"
SAMPLE_SEED = 20260401
SAMPLE_START, SAMPLE_END = date(2021, 4, 1), date(2025, 3, 31)
SYNTHETIC_NOTICE = (
    "SYNTHETIC SAMPLE: every row was generated at random by Saferboard for trying the "
    "import. These are not real children and not the figures of any service."
)

# What each column holds (docs/youth-justice-data.md is the full reference). A column
# the importer declares that is not listed here is still templated, with a pointer there.
COLUMN_NOTES: dict[str, str] = {
    "child_id": "the case management system's id for the child; never stored (replaced by "
    "a keyed pseudonym as the file is read); unique in children.csv",
    "date_of_birth": "a date, YYYY-MM-DD or DD/MM/YYYY",
    "sex": "Male, Female or Unknown (also M, F, U)",
    "ethnicity": "ONS high-level group: White, Black, Asian, Mixed, Other or Unknown",
    "service": "the youth justice service's name, e.g. Bromley (the same in every file)",
    "looked_after": "true or false (also yes/no, y/n, 1/0)",
    "outcome_id": "the outcome's id, unique in outcomes.csv",
    "outcome_date": "the date of the caution, disposal or sentence",
    "outcome_type": "community_resolution, no_further_action, youth_caution, "
    "youth_conditional_caution, absolute_discharge, conditional_discharge, fine, "
    "referral_order, youth_rehabilitation_order, detention_and_training_order, "
    "section_250_detention or other_custody",
    "release_date": "release from custody, only for the three custodial types; blank while "
    "the child is in custody",
    "offence_id": "the offence's id, unique in offences.csv",
    "offence_date": "the date the offence was committed",
    "offence_type": "offence group, e.g. Violence against the person (up to 100 characters)",
    "is_breach": "true if the offence is a breach of a statutory order; blank means false",
    "year": "the mid-year the estimate is for, e.g. 2024",
    "age": "single year of age (10 to 17 are used)",
    "count": "the number of people",
    "gravity_score": "the YJB gravity score of the offence, 1 to 8; blank when not known "
    "(an optional column)",
    "remand_id": "the remand episode's id, unique in remands.csv; never stored",
    "remand_type": "youth_detention_accommodation, local_authority_accommodation, bail_iss "
    "(bail with intensive supervision and surveillance), conditional_bail or "
    "unconditional_bail",
    "start_date": "the date it started",
    "end_date": "the date it ended; blank while it runs",
    "outcome": "for a remand: what the case ended in, custodial_sentence, "
    "community_sentence, acquitted or other; blank when not known (only with an end date)",
    "assessment_date": "the date of the risk of serious harm assessment (AssetPlus); one "
    "per child and day",
    "rosh_level": "low, medium, high or very_high; blank when not known",
}


def template_files() -> dict[str, bytes]:
    """A header-only CSV for every export file, and NOTES.md."""
    files = {name: _csv(list(columns), []) for name, columns in expected_columns().items()}
    files["NOTES.md"] = notes().encode("utf-8")
    return files


def notes() -> str:
    """NOTES.md: what each file and column of the export holds."""
    from saferboard.youthjustice.export_format import REQUIRED_FILES

    lines = [
        "# The youth justice case record export: template",
        "",
        "Fill one CSV file per table below (UTF-8, comma-separated, the header row first),",
        "then upload them (or a ZIP of them) on Saferboard's youth justice import page, or",
        "run `saferboard yj import DIR`. If your case management system names the columns",
        "differently, keep its names: the import asks once which header is which column,",
        "and remembers it for your service (or give `--mapping FILE.json`).",
        "Full reference: docs/youth-justice-data.md.",
        "",
    ]
    for name, columns in expected_columns().items():
        status = "required" if name in REQUIRED_FILES else "optional"
        lines += [f"## {name} ({status})", "", "| column | what it holds |", "| --- | --- |"]
        for column in columns:
            note = COLUMN_NOTES.get(column, "see docs/youth-justice-data.md")
            lines.append(f"| `{column}` | {note} |")
        lines.append("")
    return "\n".join(lines)


def sample_files(children: int = 120) -> dict[str, bytes]:
    """A small synthetic export for one made-up service, named SYNTHETIC everywhere,
    with a README saying so. Deterministic (fixed seed)."""
    from saferboard.youthjustice.synthetic import ServiceSpec, generate

    export = generate(
        [ServiceSpec(SAMPLE_SERVICE, children, 600)],
        SAMPLE_START,
        SAMPLE_END,
        seed=SAMPLE_SEED,
        offences_per_child=2.5,
    )
    files: dict[str, bytes] = {}
    for name, columns in expected_columns().items():
        table = getattr(export, name.removesuffix(".csv"), None)
        if table is None:
            continue  # a file the generator does not make (optional): left out
        data = {c: table.column(c).to_pylist() for c in table.column_names}
        count = table.num_rows
        # A declared column the generator does not fill is left blank.
        rows = zip(*[data.get(c, [None] * count) for c in columns], strict=True)
        files[name] = _csv(list(columns), rows)
    files.update(_remands_and_rosh(files))
    files["SYNTHETIC-README.md"] = (
        f"# {SYNTHETIC_NOTICE}\n\nService: {SAMPLE_SERVICE}. Records from {SAMPLE_START} to "
        f"{SAMPLE_END}. Import them with `saferboard yj import DIR` or on the youth justice "
        "import page, to see how Saferboard shows a service's figures.\n"
    ).encode()
    return files


def _remands_and_rosh(files: dict[str, bytes]) -> dict[str, bytes]:
    """remands.csv and rosh_assessments.csv for the sample, made from its court outcomes
    (the generator does not make them): a remand before some court outcomes, ending on
    the outcome's date, and a risk of serious harm assessment at each court outcome."""
    import random

    from saferboard.youthjustice.definitions import CUSTODIAL

    rng = random.Random(SAMPLE_SEED)  # noqa: S311  # nosec B311 (a made-up sample, not a secret)
    outcomes = list(csv.DictReader(io.StringIO(files["outcomes.csv"].decode("utf-8"))))
    court = [o for o in outcomes if o["outcome_type"] not in _OUT_OF_COURT]
    remands: list[list[object]] = []
    assessments: dict[tuple[str, str], str] = {}
    for outcome in court:
        day = date.fromisoformat(outcome["outcome_date"])
        custodial = outcome["outcome_type"] in CUSTODIAL
        assessments[outcome["child_id"], outcome["outcome_date"]] = rng.choices(
            ["low", "medium", "high", "very_high", ""], [45, 35, 12, 3, 5]
        )[0]
        if rng.random() > (0.8 if custodial else 0.25):
            continue
        start = day - timedelta(days=rng.randint(14, 120))
        if start < SAMPLE_START:
            continue
        kind = rng.choice(
            ["youth_detention_accommodation"] * (4 if custodial else 1)
            + ["local_authority_accommodation", "bail_iss", "conditional_bail"]
        )
        result = "custodial_sentence" if custodial else rng.choice(["community_sentence", "other"])
        remands.append([f"R{len(remands) + 1:07d}", outcome["child_id"], kind, start, day, result])
    if court:  # one child still on remand at the end of the records
        remands.append(
            [
                f"R{len(remands) + 1:07d}",
                court[-1]["child_id"],
                "youth_detention_accommodation",
                SAMPLE_END - timedelta(days=20),
                None,
                None,
            ]
        )
    rosh = [[child, day, level] for (child, day), level in sorted(assessments.items())]
    return {
        "remands.csv": _csv(list(expected_columns()["remands.csv"]), remands),
        "rosh_assessments.csv": _csv(list(expected_columns()["rosh_assessments.csv"]), rosh),
    }


_OUT_OF_COURT = {
    "community_resolution",
    "no_further_action",
    "youth_caution",
    "youth_conditional_caution",
}


def write_files(files: dict[str, bytes], out: Path) -> list[Path]:
    """Write the files into folder ``out`` (created if missing); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        path = out / name
        path.write_bytes(content)
        written.append(path)
    return written


def as_zip(files: dict[str, bytes], folder: str) -> bytes:
    """The files in a ZIP archive, inside one folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    return buffer.getvalue()


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
