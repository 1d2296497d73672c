"""Import a case management system's export: validate everything, then store it or nothing.

The export is a folder (or upload) of CSV files described in docs/youth-justice-data.md
and declared in :mod:`.export_format`. Every problem is a located
:class:`~.import_problems.Problem` (file, row with the header as row 1, column and value);
if there is any, nothing is stored. On success the import runs through the shared
pipeline (:func:`saferboard.core.importing.pipeline.run_import`): the services in the
export have their case records replaced, with provenance (a DataImport) and an audit
event, in one transaction; then their observations are recomputed (the ``refresh``
step, passed in: :mod:`.refresh`).

Children are stored only under the keyed hash of ``child_id``: the raw id is used while
the files are checked (so a problem can be reported against the row the user sent) and
then dropped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from django.utils import timezone

from saferboard.core import audit
from saferboard.core.archives import bomb_reason, read_member
from saferboard.core.code_version import code_version
from saferboard.core.importing.pipeline import run_import
from saferboard.core.importing.reading import csv_rows, decode_text
from saferboard.core.models import AuditAction, User
from saferboard.core.workbooks import DAMAGED_ZIP_ERRORS
from saferboard.measures.models import DataImport, SourceKind
from saferboard.youthjustice.definitions import (
    CUSTODIAL,
    ETHNICITIES,
    OUTCOME_TYPES,
    SEXES,
)
from saferboard.youthjustice.export_format import FILES, OPTIONAL_COLUMNS, REQUIRED_FILES
from saferboard.youthjustice.import_problems import MAX_PROBLEMS, ImportFailed, Problem
from saferboard.youthjustice.kpis2023 import (
    END_REASONS,
    GRAVITY_SCORES,
    INTERVENTION_TYPES,
    NEED_STAGES,
    SUITABILITY,
    VICTIM_COLUMNS,
    WIDER_SERVICES,
)
from saferboard.youthjustice.models import (
    Child,
    Intervention,
    Offence,
    Outcome,
    Population,
    PopulationEthnicity,
    Remand,
    RoshAssessment,
    Service,
    Victim,
)
from saferboard.youthjustice.pseudonym import child_pseudonym
from saferboard.youthjustice.refresh import Refresh, refresh_services
from saferboard.youthjustice.remands import REMAND_OUTCOMES, REMAND_TYPES
from saferboard.youthjustice.rosh import ROSH_LEVELS
from saferboard.youthjustice.services import ensure_service

# Declared elsewhere, imported from here by callers since before issue 23.
__all__ = [
    "FILES",
    "MAX_PROBLEMS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_FILES",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "import_export",
    "parse_export",
    "read_folder",
    "read_zip",
]

# Statuses of interventions.csv: the column's vocabulary (the blank first entry, and the
# words below, mean "not known").
STATUS_COLUMNS: dict[str, tuple[str, ...]] = {
    "accommodation": SUITABILITY,
    "ete": SUITABILITY,
    "mental_health": NEED_STAGES,
    "substance_misuse": NEED_STAGES,
    "wider_services": WIDER_SERVICES,
}
_NOT_KNOWN = {"", "not known", "unknown", "not_known", "n/k", "nk"}
MAX_FILE_BYTES = 100 * 1024 * 1024
EARLIEST_DATE = date(1900, 1, 1)
LATEST_RELEASE_DATE = date(2100, 12, 31)

_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_SEX = {s.lower(): s for s in SEXES} | {"m": "Male", "f": "Female", "u": "Unknown"}
_ETHNICITY = {e.lower(): e for e in ETHNICITIES}


@dataclass
class ImportReport:
    """What an import stored, for the CLI and the import page."""

    data_import: DataImport
    services: list[str]
    rows: dict[str, int]
    warnings: list[Problem]
    data_to: date | None
    period_start: date | None


@dataclass
class _Parsed:
    children: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    offences: list[dict[str, Any]] = field(default_factory=list)
    population: list[dict[str, Any]] = field(default_factory=list)
    population_ethnicity: list[dict[str, Any]] = field(default_factory=list)
    interventions: list[dict[str, Any]] = field(default_factory=list)
    victims: list[dict[str, Any]] = field(default_factory=list)
    remands: list[dict[str, Any]] = field(default_factory=list)
    rosh_assessments: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)


class _Checker:
    """Collects located problems while the files are read."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.errors: list[Problem] = []
        self.more = 0
        self.warnings: list[Problem] = []

    def error(self, file: str, row: int | None, column: str, value: str, message: str) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(Problem(file, row, column, value, message))
        else:
            self.more += 1

    def warn(self, file: str, row: int | None, column: str, value: str, message: str) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(file, row, column, value, message))

    # Cell parsers: return None (and record an error) when the value is not valid.
    def date(
        self, file: str, row: int, column: str, value: str, *, future: bool = False
    ) -> date | None:
        """A date no earlier than 1900 and, unless ``future``, not after today.

        A year mistyped (0024, 2204) would otherwise be stored and stretch the service's
        reporting periods over centuries.
        """
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                parsed = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if parsed < EARLIEST_DATE:
                self.error(file, row, column, value, "is before 1900: check the year")
                return None
            latest = LATEST_RELEASE_DATE if future else self.today
            if parsed > latest:
                message = "is after 2100: check the year" if future else "is in the future"
                self.error(file, row, column, value, message)
                return None
            return parsed
        self.error(file, row, column, value, "is not a date (use YYYY-MM-DD)")
        return None

    def identifier(
        self, file: str, row: int, column: str, value: str, seen: dict[str, int], what: str
    ) -> str:
        """The id in ``value`` (stripped), an error if it is blank or already in ``seen``
        (id → the row it was first given in); a new id is added to ``seen``."""
        ident = value.strip()
        if not ident:
            self.error(file, row, column, value, "is blank")
        elif ident in seen:
            self.error(file, row, column, ident, f"repeats the {what} in row {seen[ident]}")
        else:
            seen[ident] = row
        return ident

    def boolean(self, file: str, row: int, column: str, value: str) -> bool | None:
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.error(file, row, column, value, "is not true or false")
        return None

    def integer(
        self, file: str, row: int, column: str, value: str, low: int, high: int
    ) -> int | None:
        text = value.strip().replace(",", "")
        try:
            number = int(text)
        except ValueError:
            self.error(file, row, column, value, "is not a whole number")
            return None
        if not low <= number <= high:
            self.error(file, row, column, value, f"must be between {low} and {high}")
            return None
        return number

    def choice(
        self, file: str, row: int, column: str, value: str, vocabulary: tuple[str, ...]
    ) -> str:
        """A word of ``vocabulary`` (case, spaces and hyphens ignored); blank or "not
        known" give "" (not known, never "no"); anything else is an error."""
        text = "_".join(value.strip().lower().replace("-", " ").split())
        if text.replace("_", " ") in _NOT_KNOWN:
            return ""
        if text in vocabulary:
            return text
        words = ", ".join(v for v in vocabulary if v)
        self.error(file, row, column, value, f"must be one of {words} (or blank: not known)")
        return ""

    def yes_no(self, file: str, row: int, column: str, value: str) -> bool | None:
        """True, False, or None for blank or "not known"."""
        if value.strip().lower() in _NOT_KNOWN:
            return None
        return self.boolean(file, row, column, value)

    def text(self, file: str, row: int, column: str, value: str, max_length: int) -> str | None:
        text = " ".join(value.split())
        if not text:
            self.error(file, row, column, value, "is blank")
            return None
        if len(text) > max_length:
            self.error(file, row, column, value, f"is longer than {max_length} characters")
            return None
        return text


def _rows(name: str, content: bytes, check: _Checker) -> list[tuple[int, dict[str, str]]]:
    """The data rows of one CSV file with their row numbers (the header is row 1)."""
    try:
        # UTF-8 only (not the shared fallbacks): the export format says so, and a
        # mis-saved file is better refused than read with its accents wrong.
        text = decode_text(content, ("utf-8-sig",)).text
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        check.error(name, line, "", "", "is not UTF-8 text (save the file as CSV UTF-8)")
        return []
    reader = csv_rows(text)
    try:
        header = next(reader)
    except StopIteration:
        check.error(name, 1, "", "", "is empty: the header row is missing")
        return []
    except csv.Error as error:  # a header field over the csv module's size limit
        check.error(name, 1, "", "", f"cannot be read as CSV: {error}")
        return []
    columns = [h.strip().lower() for h in header]
    if not _check_header(name, columns, check):
        return []
    rows = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                check.error(
                    name, number, "", "", f"has {len(cells)} cells, the header has {len(columns)}"
                )
                continue
            cell_of = dict(zip(columns, cells, strict=True))
            for column in OPTIONAL_COLUMNS.get(name, ()):
                cell_of.setdefault(column, "")
            rows.append((number, cell_of))
    except csv.Error as error:
        check.error(name, getattr(reader, "line_num", 0), "", "", f"cannot be read as CSV: {error}")
    return rows


def _check_header(name: str, columns: list[str], check: _Checker) -> bool:
    """Report missing columns (errors) and unused ones (a warning); False if any is missing."""
    expected = FILES[name]
    optional = OPTIONAL_COLUMNS.get(name, ())
    missing = [c for c in expected if c not in columns]
    for column in missing:
        check.error(name, 1, column, "", "the column is missing from the header")
    extra = [c for c in columns if c not in expected and c not in optional]
    if extra:
        check.warn(name, 1, ", ".join(extra), "", "these columns are not used and were ignored")
    return not missing


def parse_export(files: dict[str, bytes], *, today: date | None = None) -> _Parsed:
    """Check every file of an export; raise :class:`ImportFailed` with every problem found.

    ``today`` (default: the local date) is the latest date of birth, outcome or offence
    accepted; a release from custody may be later (an expected release date).
    """
    check = _Checker(today or timezone.localdate())
    parsed = _Parsed()
    _check_files(files, check, parsed)
    births, child_ids = _parse_children(files["children.csv"], check, parsed)
    outcome_of = _parse_outcomes(files["outcomes.csv"], check, parsed, births, child_ids)
    offence_child = _parse_offences(
        files["offences.csv"], check, parsed, births, child_ids, outcome_of
    )
    for name, key_column, target in (
        ("population.csv", "age", parsed.population),
        ("population_ethnicity.csv", "ethnicity", parsed.population_ethnicity),
    ):
        if name in files:
            _parse_population(name, files[name], check, key_column, target)
    if "interventions.csv" in files:
        _parse_interventions(files["interventions.csv"], check, parsed, births)
    if "victims.csv" in files:
        _parse_victims(files["victims.csv"], check, parsed, births, offence_child)
    if "remands.csv" in files:
        _parse_remands(files["remands.csv"], check, parsed, births)
    if "rosh_assessments.csv" in files:
        _parse_rosh(files["rosh_assessments.csv"], check, parsed, births)
    _count_rows(parsed)
    if check.errors:
        raise ImportFailed(check.errors, check.more)
    _warn_services_without_population(files, check, parsed)
    parsed.warnings = check.warnings
    return parsed


def _check_files(files: dict[str, bytes], check: _Checker, parsed: _Parsed) -> None:
    """The export's files: unknown ones (a warning), required ones missing (errors, raised
    at once: nothing else can be checked), and each known file's size and checksum."""
    for name in sorted(set(files) - set(FILES)):
        check.warn(name, None, "", "", "is not part of the export format and was ignored")
    for name in REQUIRED_FILES:
        if name not in files:
            check.error(name, None, "", "", "the file is missing from the export")
    for name, content in files.items():
        if name in FILES:
            parsed.files.append(
                {
                    "name": name,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "bytes": len(content),
                }
            )
    if check.errors:
        raise ImportFailed(check.errors, check.more)
    if "population.csv" not in files:
        check.warn(
            "population.csv",
            None,
            "",
            "",
            "not in the export: the population estimates already held are kept",
        )


def _parse_children(
    content: bytes, check: _Checker, parsed: _Parsed
) -> tuple[dict[str, date], set[str]]:
    """children.csv: each child; returns the dates of birth by id and the ids given."""
    name = "children.csv"
    births: dict[str, date] = {}
    seen_rows: dict[str, int] = {}
    for row, cells in _rows(name, content, check):
        child_id = check.identifier(name, row, "child_id", cells["child_id"], seen_rows, "child")
        dob = check.date(name, row, "date_of_birth", cells["date_of_birth"])
        sex = _SEX.get(cells["sex"].strip().lower())
        if sex is None:
            check.error(name, row, "sex", cells["sex"], "must be Male, Female or Unknown")
        ethnicity = _ethnicity(check, name, row, cells["ethnicity"])
        service = check.text(name, row, "service", cells["service"], 120)
        looked_after = check.boolean(name, row, "looked_after", cells["looked_after"])
        if child_id and dob is not None:
            births[child_id] = dob
        parsed.children.append(
            {
                "child_id": child_id,
                "date_of_birth": dob,
                "sex": sex,
                "ethnicity": ethnicity,
                "service": service,
                "looked_after": looked_after,
            }
        )
    if not parsed.children and not check.errors:
        check.error(name, None, "", "", "has no children: an export needs at least one")
    return births, set(seen_rows)


def _ethnicity(check: _Checker, name: str, row: int, value: str) -> str | None:
    ethnicity = _ETHNICITY.get(value.strip().lower())
    if ethnicity is None:
        check.error(
            name,
            row,
            "ethnicity",
            value,
            "must be one of White, Black, Asian, Mixed, Other or Unknown",
        )
    return ethnicity


def _parse_outcomes(
    content: bytes,
    check: _Checker,
    parsed: _Parsed,
    births: dict[str, date],
    child_ids: set[str],
) -> dict[str, dict[str, Any]]:
    """outcomes.csv: each outcome; returns the outcomes by id (for offences.csv)."""
    name = "outcomes.csv"
    outcome_rows: dict[str, int] = {}
    outcome_of: dict[str, dict[str, Any]] = {}
    for row, cells in _rows(name, content, check):
        outcome_id = check.identifier(
            name, row, "outcome_id", cells["outcome_id"], outcome_rows, "outcome"
        )
        child_id = cells["child_id"].strip()
        if child_id not in child_ids:
            check.error(name, row, "child_id", child_id, "is not a child in children.csv")
        outcome_date = check.date(name, row, "outcome_date", cells["outcome_date"])
        outcome_type = cells["outcome_type"].strip().lower()
        if outcome_type not in OUTCOME_TYPES:
            check.error(name, row, "outcome_type", cells["outcome_type"], "is not an outcome type")
        release = _release(check, row, cells, outcome_type, outcome_date)
        _check_outcome_age(check, row, cells, births.get(child_id), outcome_date)
        record = {
            "outcome_id": outcome_id,
            "child_id": child_id,
            "outcome_date": outcome_date,
            "outcome_type": outcome_type,
            "release_date": release,
        }
        parsed.outcomes.append(record)
        if outcome_id:
            outcome_of[outcome_id] = record
    return outcome_of


def _release(
    check: _Checker, row: int, cells: dict[str, str], outcome_type: str, outcome_date: date | None
) -> date | None:
    """An outcome's release date: only for custodial outcomes, not before the sentence."""
    name = "outcomes.csv"
    release_text = cells["release_date"].strip()
    if not release_text:
        return None
    release = check.date(name, row, "release_date", release_text, future=True)
    if outcome_type in OUTCOME_TYPES and outcome_type not in CUSTODIAL:
        check.error(
            name,
            row,
            "release_date",
            release_text,
            "is given for an outcome that is not a custodial sentence",
        )
    elif release and outcome_date and release < outcome_date:
        check.error(
            name,
            row,
            "release_date",
            release_text,
            f"is before the sentence on {outcome_date.isoformat()}",
        )
    return release


def _check_outcome_age(
    check: _Checker, row: int, cells: dict[str, str], dob: date | None, outcome_date: date | None
) -> None:
    """An outcome before birth is an error; before the 10th birthday, a warning."""
    if not dob or not outcome_date:
        return
    name = "outcomes.csv"
    if outcome_date < dob:
        check.error(
            name,
            row,
            "outcome_date",
            cells["outcome_date"],
            "is before the child's date of birth",
        )
    elif outcome_date < _birthday(dob, 10):
        check.warn(
            name,
            row,
            "outcome_date",
            cells["outcome_date"],
            "is before the child's 10th birthday (age of criminal responsibility)",
        )


def _parse_offences(
    content: bytes,
    check: _Checker,
    parsed: _Parsed,
    births: dict[str, date],
    child_ids: set[str],
    outcome_of: dict[str, dict[str, Any]],
) -> dict[str, str]:
    """offences.csv: each offence; returns the child of each offence id (for victims.csv)."""
    name = "offences.csv"
    offence_rows: dict[str, int] = {}
    offence_child: dict[str, str] = {}
    for row, cells in _rows(name, content, check):
        offence_id = check.identifier(
            name, row, "offence_id", cells["offence_id"], offence_rows, "offence"
        )
        child_id = cells["child_id"].strip()
        if child_id not in child_ids:
            check.error(name, row, "child_id", child_id, "is not a child in children.csv")
        offence_date = check.date(name, row, "offence_date", cells["offence_date"])
        offence_type = check.text(name, row, "offence_type", cells["offence_type"], 100)
        breach_text = cells["is_breach"].strip()
        is_breach = check.boolean(name, row, "is_breach", breach_text) if breach_text else False
        outcome_id = cells["outcome_id"].strip()
        if outcome_id:
            _check_proving_outcome(
                check, row, cells, child_id, offence_date, outcome_of.get(outcome_id)
            )
        dob = births.get(child_id)
        if dob and offence_date and offence_date < dob:
            check.error(
                name,
                row,
                "offence_date",
                cells["offence_date"],
                "is before the child's date of birth",
            )
        if offence_id:
            offence_child[offence_id] = child_id
        parsed.offences.append(
            {
                "offence_id": offence_id,
                "child_id": child_id,
                "offence_date": offence_date,
                "offence_type": offence_type,
                "is_breach": is_breach,
                "outcome_id": outcome_id or None,
                "gravity_score": _gravity(check, row, cells["gravity_score"]),
            }
        )
    return offence_child


def _check_proving_outcome(
    check: _Checker,
    row: int,
    cells: dict[str, str],
    child_id: str,
    offence_date: date | None,
    outcome: dict[str, Any] | None,
) -> None:
    """The outcome that proves an offence: in outcomes.csv, the same child's, not before it."""
    name = "offences.csv"
    outcome_id = cells["outcome_id"].strip()
    if outcome is None:
        check.error(name, row, "outcome_id", outcome_id, "is not an outcome in outcomes.csv")
    elif outcome["child_id"] != child_id:
        check.error(name, row, "outcome_id", outcome_id, "is an outcome for a different child")
    elif offence_date and outcome["outcome_date"] and offence_date > outcome["outcome_date"]:
        check.error(
            name,
            row,
            "offence_date",
            cells["offence_date"],
            "is after the date of the outcome that proves it",
        )


def _gravity(check: _Checker, row: int, value: str) -> int | None:
    """The optional gravity score, 1 to 8 (blank or "not known": None)."""
    text = value.strip()
    if text.lower() in _NOT_KNOWN:
        return None
    return check.integer(
        "offences.csv", row, "gravity_score", text, GRAVITY_SCORES[0], GRAVITY_SCORES[-1]
    )


def _parse_population(
    name: str, content: bytes, check: _Checker, key_column: str, target: list[dict[str, Any]]
) -> None:
    """population.csv (by age) or population_ethnicity.csv (by ethnic group): each
    (service, year, age or group) once."""
    seen: dict[tuple[str, int, Any], int] = {}
    for row, cells in _rows(name, content, check):
        service = check.text(name, row, "service", cells["service"], 120)
        year = check.integer(name, row, "year", cells["year"], 1900, 2100)
        count = check.integer(name, row, "count", cells["count"], 0, 100_000_000)
        key: int | str | None
        if key_column == "age":
            key = check.integer(name, row, "age", cells["age"], 0, 120)
        else:
            key = _ethnicity(check, name, row, cells["ethnicity"])
        if service and year is not None and key is not None:
            ident = (service, year, key)
            if ident in seen:
                check.error(
                    name, row, key_column, str(key), f"repeats the figure in row {seen[ident]}"
                )
            seen[ident] = row
        target.append({"service": service, "year": year, key_column: key, "count": count})


def _count_rows(parsed: _Parsed) -> None:
    """Each file entry's row count, for the provenance."""
    counts = {
        "children.csv": len(parsed.children),
        "outcomes.csv": len(parsed.outcomes),
        "offences.csv": len(parsed.offences),
        "population.csv": len(parsed.population),
        "population_ethnicity.csv": len(parsed.population_ethnicity),
        "interventions.csv": len(parsed.interventions),
        "victims.csv": len(parsed.victims),
        "remands.csv": len(parsed.remands),
        "rosh_assessments.csv": len(parsed.rosh_assessments),
    }
    for entry in parsed.files:
        entry["rows"] = counts[entry["name"]]


def _warn_services_without_population(
    files: dict[str, bytes], check: _Checker, parsed: _Parsed
) -> None:
    if "population.csv" not in files:
        return
    services_with_population = {p["service"] for p in parsed.population}
    for service in sorted({c["service"] for c in parsed.children}):
        if service not in services_with_population:
            check.warn(
                "population.csv",
                None,
                "service",
                service,
                "has no population figures: its rates will be blank until they are loaded",
            )


def _episode(
    check: _Checker,
    name: str,
    row: int,
    cells: dict[str, str],
    known: tuple[set[str], dict[str, date]],
    typed: tuple[str, tuple[str, ...]],
) -> tuple[str, str, date | None, date | None, str]:
    """The checks an episode's row shares (an intervention's, a remand's): its child is
    in children.csv, its type is known (blank only when the file leaves it blank), it
    starts on or after the child's birth and ends on or after its start. Returns the
    child id, type, start, end and the end as written."""
    children, births = known
    type_column, types = typed
    child_id = cells["child_id"].strip()
    if child_id not in children:
        check.error(name, row, "child_id", child_id, "is not a child in children.csv")
    kind = check.choice(name, row, type_column, cells[type_column], ("", *types))
    if not kind and cells[type_column].strip().lower() in _NOT_KNOWN:
        check.error(name, row, type_column, cells[type_column], "is blank")
    start = check.date(name, row, "start_date", cells["start_date"])
    end_text = cells["end_date"].strip()
    end = check.date(name, row, "end_date", end_text) if end_text else None
    if start and end and end < start:
        check.error(name, row, "end_date", end_text, f"is before the start on {start.isoformat()}")
    dob = births.get(child_id)
    if dob and start and start < dob:
        check.error(
            name, row, "start_date", cells["start_date"], "is before the child's date of birth"
        )
    return child_id, kind, start, end, end_text


def _parse_interventions(
    content: bytes, check: _Checker, parsed: _Parsed, births: dict[str, date]
) -> None:
    """interventions.csv: each intervention, its dates and the statuses at its end."""
    name = "interventions.csv"
    seen: dict[str, int] = {}
    children = _known_children(parsed)
    for row, cells in _rows(name, content, check):
        check.identifier(
            name, row, "intervention_id", cells["intervention_id"], seen, "intervention"
        )
        child_id, kind, start, end, end_text = _episode(
            check, name, row, cells, (children, births), ("intervention_type", INTERVENTION_TYPES)
        )
        reason = check.choice(name, row, "end_reason", cells["end_reason"], END_REASONS)
        if reason and not end_text:
            check.error(
                name,
                row,
                "end_reason",
                cells["end_reason"],
                "is given for an intervention with no end date",
            )
        statuses = {
            column: check.choice(name, row, column, cells[column], vocabulary)
            for column, vocabulary in STATUS_COLUMNS.items()
        }
        send_need = check.yes_no(name, row, "send_need", cells["send_need"])
        send_plan = check.yes_no(name, row, "send_plan", cells["send_plan"])
        if send_plan and send_need is False:
            check.error(
                name,
                row,
                "send_plan",
                cells["send_plan"],
                "is yes for a child recorded with no SEND/ALN need (send_need is no)",
            )
        recorded = [c for c in (*STATUS_COLUMNS, "send_need", "send_plan") if cells[c].strip()]
        if not end_text and recorded:
            check.warn(
                name,
                row,
                ", ".join(recorded),
                "",
                "statuses at the end are given for an intervention that has not ended: "
                "they are not used until it ends",
            )
        parsed.interventions.append(
            {
                "child_id": child_id,
                "intervention_type": kind,
                "start_date": start,
                "end_date": end,
                "end_reason": reason,
                "send_need": send_need,
                "send_plan": send_plan,
                **statuses,
            }
        )


def _known_children(parsed: _Parsed) -> set[str]:
    return {c["child_id"] for c in parsed.children}


def _parse_victims(
    content: bytes,
    check: _Checker,
    parsed: _Parsed,
    births: dict[str, date],
    offence_child: dict[str, str],
) -> None:
    """victims.csv: each victim (no name, and the id is dropped after checking) and what
    was offered to them."""
    name = "victims.csv"
    seen: dict[str, int] = {}
    children = _known_children(parsed)
    for row, cells in _rows(name, content, check):
        check.identifier(name, row, "victim_id", cells["victim_id"], seen, "victim")
        child_id = cells["child_id"].strip()
        if child_id not in children:
            check.error(name, row, "child_id", child_id, "is not a child in children.csv")
        offence_id = cells["offence_id"].strip()
        if offence_id:
            owner = offence_child.get(offence_id)
            if owner is None:
                check.error(
                    name, row, "offence_id", offence_id, "is not an offence in offences.csv"
                )
            elif owner != child_id:
                check.error(
                    name, row, "offence_id", offence_id, "is an offence by a different child"
                )
        contact = check.date(name, row, "contact_date", cells["contact_date"])
        answers = {c: check.yes_no(name, row, c, cells[c]) for c in VICTIM_COLUMNS}
        if answers["consented_to_contact"] is False:
            for column in ("views_sought", "rj_offered", "rj_participated"):
                if answers[column]:
                    check.error(
                        name,
                        row,
                        column,
                        cells[column],
                        "is yes for a victim who did not consent to contact",
                    )
        if answers["rj_participated"] and answers["rj_offered"] is not True:
            check.error(
                name,
                row,
                "rj_participated",
                cells["rj_participated"],
                "is yes but restorative justice was not recorded as offered (rj_offered)",
            )
        parsed.victims.append(
            {"child_id": child_id, "offence_id": offence_id or None, "contact_date": contact}
            | answers
        )


def _parse_remands(
    content: bytes, check: _Checker, parsed: _Parsed, births: dict[str, date]
) -> None:
    """remands.csv: each remand episode, its type, dates and what the case ended in."""
    name = "remands.csv"
    seen: dict[str, int] = {}
    children = _known_children(parsed)
    for row, cells in _rows(name, content, check):
        check.identifier(name, row, "remand_id", cells["remand_id"], seen, "remand")
        child_id, kind, start, end, end_text = _episode(
            check, name, row, cells, (children, births), ("remand_type", REMAND_TYPES)
        )
        outcome = check.choice(name, row, "outcome", cells["outcome"], REMAND_OUTCOMES)
        if outcome and not end_text:
            check.error(
                name, row, "outcome", cells["outcome"], "is given for a remand with no end date"
            )
        parsed.remands.append(
            {
                "child_id": child_id,
                "remand_type": kind,
                "start_date": start,
                "end_date": end,
                "outcome": outcome,
            }
        )


def _parse_rosh(content: bytes, check: _Checker, parsed: _Parsed, births: dict[str, date]) -> None:
    """rosh_assessments.csv: each risk of serious harm assessment, its date and level
    (blank: not known). One assessment per child and day, so "the latest" is one."""
    name = "rosh_assessments.csv"
    seen: dict[tuple[str, date], int] = {}
    children = _known_children(parsed)
    for row, cells in _rows(name, content, check):
        child_id = cells["child_id"].strip()
        if child_id not in children:
            check.error(name, row, "child_id", child_id, "is not a child in children.csv")
        on = check.date(name, row, "assessment_date", cells["assessment_date"])
        level = check.choice(name, row, "rosh_level", cells["rosh_level"], ROSH_LEVELS)
        dob = births.get(child_id)
        if dob and on and on < dob:
            check.error(
                name,
                row,
                "assessment_date",
                cells["assessment_date"],
                "is before the child's date of birth",
            )
        if on is not None:
            if (child_id, on) in seen:
                check.error(
                    name,
                    row,
                    "assessment_date",
                    cells["assessment_date"],
                    f"repeats the assessment of this child in row {seen[child_id, on]}",
                )
            seen.setdefault((child_id, on), row)
        parsed.rosh_assessments.append(
            {"child_id": child_id, "assessment_date": on, "level": level}
        )


def _birthday(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February: the birthday falls on 1 March
        return date(dob.year + years, 3, 1)


def read_folder(folder: Path) -> dict[str, bytes]:
    """The export files in a folder (only the known names are read)."""
    if not folder.is_dir():
        raise ImportFailed([Problem(str(folder), None, "", "", "is not a folder")])
    files = {}
    for name in FILES:
        path = folder / name
        if path.is_file():
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ImportFailed([Problem(name, None, "", "", "is too large (over 100 MB)")])
            files[name] = path.read_bytes()
    return files


def read_zip(content: bytes) -> dict[str, bytes]:
    """The export files inside a ZIP archive (by base name; nothing is extracted to disk)."""
    files = {}
    member = ""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for info in archive.infolist():
                base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
                if base not in FILES or info.is_dir():
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    raise ImportFailed([Problem(base, None, "", "", "is too large (over 100 MB)")])
                bomb = bomb_reason(info)
                if bomb:
                    raise ImportFailed([Problem(base, None, "", "", bomb)])
                member = base
                files[base] = read_member(archive, info)
    except DAMAGED_ZIP_ERRORS as error:
        # A damaged archive can fail on its directory or on any member (found by fuzzing).
        where = member or "upload"
        message = "is damaged in the ZIP archive" if member else "is not a ZIP archive"
        raise ImportFailed([Problem(where, None, "", "", f"{message} ({error})")]) from None
    return files


def import_export(
    files: dict[str, bytes],
    *,
    user: User | None = None,
    label: str = "",
    synthetic: bool = False,
    request: Any = None,
    refresh: Refresh = refresh_services,
) -> ImportReport:
    """Check and store an export (all or nothing), then recompute the services' figures
    with ``refresh`` (given the names of the services imported)."""
    steps = _CaseImport(files, user, label, synthetic, request, refresh)
    return steps.report(run_import(steps))


@dataclass
class _Staged:
    """What an import will write, computed from the parsed export before writing."""

    parsed: _Parsed
    keys: dict[str, str]
    services: list[str]
    rows: dict[str, int]
    data_to: date | None
    period_start: date | None


@dataclass
class _Written:
    """What the commit wrote; the provenance step adds its DataImport."""

    staged: _Staged
    service_of: dict[str, Service]
    data_import: DataImport | None = None


class _CaseImport:
    """The case record export as :class:`~saferboard.core.importing.pipeline.ImportSteps`."""

    def __init__(
        self,
        files: dict[str, bytes],
        user: User | None,
        label: str,
        synthetic: bool,
        request: Any,
        refresh: Refresh,
    ) -> None:
        self.files = files
        self.user = user
        self.label = label
        self.synthetic = synthetic
        self.request = request
        self.refresh_step = refresh
        self.parsed = _Parsed()

    def check(self) -> Sequence[Problem]:
        """Every file checked; the problems are raised as :class:`ImportFailed` (as the
        importer always has), so nothing is returned."""
        self.parsed = parse_export(self.files)
        return []

    def stage(self) -> _Staged:
        parsed = self.parsed
        dates = [o["outcome_date"] for o in parsed.outcomes]
        dates += [o["release_date"] for o in parsed.outcomes if o["release_date"]]
        dates += [f["offence_date"] for f in parsed.offences]
        return _Staged(
            parsed=parsed,
            keys={c["child_id"]: child_pseudonym(c["child_id"]) for c in parsed.children},
            services=sorted({c["service"] for c in parsed.children}),
            rows={
                "children": len(parsed.children),
                "outcomes": len(parsed.outcomes),
                "offences": len(parsed.offences),
                "population": len(parsed.population),
                "population_ethnicity": len(parsed.population_ethnicity),
                "interventions": len(parsed.interventions),
                "victims": len(parsed.victims),
                "remands": len(parsed.remands),
                "rosh_assessments": len(parsed.rosh_assessments),
            },
            data_to=max(dates) if dates else None,
            period_start=min(dates) if dates else None,
        )

    def commit(self, staged: _Staged) -> _Written:
        parsed = staged.parsed
        service_of = {name: ensure_service(name) for name in staged.services}
        for p in parsed.population + parsed.population_ethnicity:
            if p["service"] not in service_of:
                service_of[p["service"]] = ensure_service(p["service"])
        _replace_records(parsed, staged.keys, {s: service_of[s] for s in staged.services})
        _replace_population(parsed, service_of)
        return _Written(staged, service_of)

    def provenance(self, result: _Written) -> None:
        staged = result.staged
        result.data_import = DataImport.objects.create(
            source_kind=SourceKind.YOUTH_JUSTICE,
            format="yj-case-export-csv",
            label=self.label or f"Youth justice case records: {', '.join(staged.services)}",
            files=staged.parsed.files,
            rows=sum(staged.rows.values()),
            period_start=staged.period_start,
            period_end=staged.data_to,
            data_as_at=staged.data_to,
            imported_by=self.user,
            code_version=code_version(),
            detail={
                "services": staged.services,
                "rows": staged.rows,
                "synthetic": self.synthetic,
                "warnings": [str(w) for w in staged.parsed.warnings],
            },
        )
        for name in staged.services:
            Service.objects.filter(pk=result.service_of[name].pk).update(
                data_to=staged.data_to, last_import=result.data_import, synthetic=self.synthetic
            )

    def audit(self, result: _Written) -> None:
        audit.record(
            AuditAction.IMPORT,
            actor=self.user,
            obj=result.data_import,
            request=self.request,
            what="youth justice case records",
            services=result.staged.services,
            rows=result.staged.rows,
        )

    def refresh(self, result: _Written) -> None:
        self.refresh_step(result.staged.services)

    def report(self, result: _Written) -> ImportReport:
        staged = result.staged
        if result.data_import is None:  # provenance() sets it before any report
            raise RuntimeError("the import's provenance was not recorded")
        return ImportReport(
            data_import=result.data_import,
            services=staged.services,
            rows=staged.rows,
            warnings=staged.parsed.warnings,
            data_to=staged.data_to,
            period_start=staged.period_start,
        )


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _replace_records(parsed: _Parsed, keys: dict[str, str], services: dict[str, Service]) -> None:
    service_ids = [s.pk for s in services.values()]
    pseudonyms = list(keys.values())
    stale = set(Child.objects.filter(service_id__in=service_ids).values_list("pk", flat=True))
    for chunk in _chunks(pseudonyms):
        stale.update(Child.objects.filter(pseudonym__in=chunk).values_list("pk", flat=True))
    for chunk in _chunks(sorted(stale)):
        Victim.objects.filter(child_id__in=chunk).delete()
        Remand.objects.filter(child_id__in=chunk).delete()
        RoshAssessment.objects.filter(child_id__in=chunk).delete()
        Intervention.objects.filter(child_id__in=chunk).delete()
        Offence.objects.filter(child_id__in=chunk).delete()
        Outcome.objects.filter(child_id__in=chunk).delete()
        Child.objects.filter(pk__in=chunk).delete()
    children = Child.objects.bulk_create(
        [
            Child(
                service=services[c["service"]],
                pseudonym=keys[c["child_id"]],
                date_of_birth=c["date_of_birth"],
                sex=c["sex"],
                ethnicity=c["ethnicity"],
                looked_after=c["looked_after"],
            )
            for c in parsed.children
        ],
        batch_size=1000,
    )
    child_pk = {c["child_id"]: obj.pk for c, obj in zip(parsed.children, children, strict=True)}
    outcomes = Outcome.objects.bulk_create(
        [
            Outcome(
                child_id=child_pk[o["child_id"]],
                outcome_date=o["outcome_date"],
                outcome_type=o["outcome_type"],
                release_date=o["release_date"],
            )
            for o in parsed.outcomes
        ],
        batch_size=1000,
    )
    outcome_pk = {o["outcome_id"]: obj.pk for o, obj in zip(parsed.outcomes, outcomes, strict=True)}
    offences = Offence.objects.bulk_create(
        [
            Offence(
                child_id=child_pk[f["child_id"]],
                offence_date=f["offence_date"],
                offence_type=f["offence_type"],
                is_breach=f["is_breach"],
                outcome_id=outcome_pk[f["outcome_id"]] if f["outcome_id"] else None,
                gravity_score=f["gravity_score"],
            )
            for f in parsed.offences
        ],
        batch_size=1000,
    )
    offence_pk = {f["offence_id"]: obj.pk for f, obj in zip(parsed.offences, offences, strict=True)}
    Intervention.objects.bulk_create(
        [
            Intervention(
                child_id=child_pk[i["child_id"]],
                **{k: v for k, v in i.items() if k != "child_id"},
            )
            for i in parsed.interventions
        ],
        batch_size=1000,
    )
    Victim.objects.bulk_create(
        [
            Victim(
                child_id=child_pk[v["child_id"]],
                offence_id=offence_pk[v["offence_id"]] if v["offence_id"] else None,
                **{k: v[k] for k in ("contact_date", *VICTIM_COLUMNS)},
            )
            for v in parsed.victims
        ],
        batch_size=1000,
    )
    Remand.objects.bulk_create(
        [Remand(child_id=child_pk[r["child_id"]], **_fields(r)) for r in parsed.remands],
        batch_size=1000,
    )
    RoshAssessment.objects.bulk_create(
        [
            RoshAssessment(child_id=child_pk[r["child_id"]], **_fields(r))
            for r in parsed.rosh_assessments
        ],
        batch_size=1000,
    )


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    """A parsed record's fields but its raw child id (the row points at the child's row)."""
    return {k: v for k, v in record.items() if k != "child_id"}


def _replace_population(parsed: _Parsed, service_of: dict[str, Service]) -> None:
    """Population figures replace those held for the same service and year."""
    _replace_population_rows(parsed.population, Population, "age", service_of)
    _replace_population_rows(
        parsed.population_ethnicity, PopulationEthnicity, "ethnicity", service_of
    )


_PopulationModel = TypeVar("_PopulationModel", Population, PopulationEthnicity)


def _replace_population_rows(
    rows: list[dict[str, Any]],
    model: type[_PopulationModel],
    column: str,
    service_of: dict[str, Service],
) -> None:
    if not rows:
        return
    pairs = Counter((r["service"], r["year"]) for r in rows)
    for service, year in pairs:
        model.objects.filter(service=service_of[service], year=year).delete()
    model.objects.bulk_create(
        [
            model(
                service=service_of[r["service"]],
                year=r["year"],
                count=r["count"],
                **{column: r[column]},
            )
            for r in rows
        ],
        batch_size=1000,
    )
