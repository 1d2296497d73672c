"""The column-mapping step: an export whose headers are the case management system's own.

A case management system names its columns its own way ("Client ID", "DOB"). Before
the importer parses an export, each file whose header row lacks some of the columns the
importer declares (:data:`saferboard.youthjustice.export_format.FILES`) has its header row
renamed by a mapping: expected column → the file's header. Only the header row changes;
the data rows are passed through byte for byte, so the importer still locates every
problem by the file's own row numbers.

A mapping is remembered per service (:class:`~saferboard.youthjustice.models.ColumnMapping`)
and found again by the file's exact header row, so the next export with the same headers
loads without asking. ``saferboard yj import DIR --mapping FILE.json`` takes one as JSON::

    {"children.csv": {"child_id": "Client ID", "date_of_birth": "DOB", ...}, ...}
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from saferboard.core.models import User
from saferboard.youthjustice.export_format import FILES, OPTIONAL_COLUMNS

# Expected column → the header it is called in the file, for one file.
FileMapping = dict[str, str]


def expected_columns() -> dict[str, tuple[str, ...]]:
    """The columns of the export format, by file, its optional columns last (files and
    columns added there appear here without a change). Every one is offered in the
    mapping step and in the template."""
    return {name: (*columns, *OPTIONAL_COLUMNS.get(name, ())) for name, columns in FILES.items()}


def optional_columns(name: str) -> tuple[str, ...]:
    """The columns file ``name`` may lack (an export made before they existed): offered
    in the mapping, never asked for."""
    return OPTIONAL_COLUMNS.get(name, ())


def split_header(content: bytes) -> tuple[list[str], bytes, bytes]:
    """The header cells of a CSV file, its header line (with its line ending) and the
    rest of the file untouched. An unreadable file gives no cells (the importer reports
    it)."""
    bom = b"\xef\xbb\xbf" if content.startswith(b"\xef\xbb\xbf") else b""
    body = content[len(bom) :]
    end = body.find(b"\n")
    line, rest = (body, b"") if end < 0 else (body[: end + 1], body[end + 1 :])
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return [], line, rest
    try:
        cells = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return [], line, rest
    return [c.strip() for c in cells], bom + line, rest


def header_signature(headers: list[str]) -> str:
    """A stable key for a header row (case and surrounding spaces ignored)."""
    joined = "\x1f".join(h.strip().lower() for h in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def missing_columns(name: str, headers: list[str]) -> list[str]:
    """The declared columns of file ``name`` that its header row lacks (optional ones
    aside: a file without them loads as it is)."""
    have = {h.strip().lower() for h in headers}
    optional = optional_columns(name)
    return [c for c in expected_columns().get(name, ()) if c not in have and c not in optional]


def needing_mapping(files: Mapping[str, bytes]) -> dict[str, list[str]]:
    """The known files whose headers lack declared columns: file → its headers."""
    found = {}
    for name, content in files.items():
        if name not in expected_columns():
            continue
        headers, _, _ = split_header(content)
        if headers and missing_columns(name, headers):
            found[name] = headers
    return found


@dataclass(frozen=True)
class MappingProblem:
    """A mapping that cannot be applied, located by file and column."""

    file: str
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, column {self.column}: {self.message}"


def check_mapping(name: str, headers: list[str], mapping: FileMapping) -> list[MappingProblem]:
    """Problems with a mapping for one file: unknown columns, headers not in the file,
    one header used twice, declared columns still missing after it."""
    problems = []
    declared = expected_columns().get(name, ())
    lower = {h.strip().lower() for h in headers}
    used: dict[str, str] = {}
    for column, header in mapping.items():
        if column not in declared:
            problems.append(MappingProblem(name, column, "is not a column of this file"))
            continue
        key = header.strip().lower()
        if key not in lower:
            problems.append(MappingProblem(name, column, f"the file has no header {header!r}"))
        elif key in used:
            problems.append(
                MappingProblem(name, column, f"{header!r} is already used for {used[key]}")
            )
        used[key] = column
    renamed = rename_headers(headers, mapping)
    counts = Counter(h.strip().lower() for h in renamed)
    for column, header in mapping.items():
        if column in declared and counts[column] > 1:
            problems.append(
                MappingProblem(
                    name,
                    column,
                    f"the file also has a column called {column}: choose it, not {header!r}",
                )
            )
    for column in missing_columns(name, renamed):
        if column not in mapping:
            problems.append(MappingProblem(name, column, "no header is chosen for it"))
    return problems


def rename_headers(headers: list[str], mapping: FileMapping) -> list[str]:
    """The header row with each mapped header renamed to its declared column."""
    to_column = {h.strip().lower(): c for c, h in mapping.items() if h}
    return [to_column.get(h.strip().lower(), h) for h in headers]


def apply_mapping(content: bytes, mapping: FileMapping) -> bytes:
    """The file with its header row renamed; every other byte unchanged."""
    headers, _, rest = split_header(content)
    if not headers or not mapping:
        return content
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n" if b"\r\n" in content[:4096] else "\n").writerow(
        rename_headers(headers, mapping)
    )
    return out.getvalue().encode("utf-8") + rest


def apply_mappings(
    files: Mapping[str, bytes], mappings: Mapping[str, FileMapping]
) -> dict[str, bytes]:
    """Every file of an export with its mapping (if any) applied."""
    return {
        name: apply_mapping(content, mappings[name]) if name in mappings else content
        for name, content in files.items()
    }


def read_mapping_json(path: Path) -> dict[str, FileMapping]:
    """A mapping file for ``yj import --mapping``: ``{file: {column: header}}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: cannot be read as JSON ({error})") from None
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and all(isinstance(h, str) for h in v.values()) for v in data.values()
    ):
        raise ValueError(f'{path}: must be {{"file.csv": {{"column": "header", ...}}, ...}}')
    unknown = sorted(set(data) - set(expected_columns()))
    if unknown:
        raise ValueError(f"{path}: not files of the export: {', '.join(unknown)}")
    return {name: dict(columns) for name, columns in data.items()}


# --------------------------------------------------------------------------------------
# Remembered mappings
# --------------------------------------------------------------------------------------


def remembered(name: str, headers: list[str], service: str = "") -> FileMapping | None:
    """The mapping saved for a file with exactly these headers: the service's own if it
    has one, else the most recently saved by any service."""
    from saferboard.youthjustice.models import ColumnMapping

    rows = ColumnMapping.objects.filter(file=name, header_signature=header_signature(headers))
    own = rows.filter(service_name=service).first() if service else None
    found = own or rows.order_by("-updated_at").first()
    return dict(found.mapping) if found else None


def remember(
    name: str,
    headers: list[str],
    mapping: FileMapping,
    *,
    service: str = "",
    user: User | None = None,
    request: object = None,
) -> None:
    """Save a service's mapping for a file with these headers (audited)."""
    from saferboard.core import audit
    from saferboard.youthjustice.models import ColumnMapping

    signature = header_signature(headers)
    before = (
        ColumnMapping.objects.filter(service_name=service, file=name, header_signature=signature)
        .values_list("mapping", flat=True)
        .first()
    )
    row, _ = ColumnMapping.objects.update_or_create(
        service_name=service,
        file=name,
        header_signature=signature,
        defaults={"headers": headers, "mapping": mapping, "updated_by": user},
    )
    audit.record_change(
        row,
        before={"mapping": before} if before is not None else None,
        after={"mapping": mapping},
        actor=user,
        request=request,  # type: ignore[arg-type]
        what="youth justice column mapping",
        file=name,
    )


def resolve(
    files: Mapping[str, bytes],
    given: Mapping[str, FileMapping] | None = None,
    service: str = "",
) -> tuple[dict[str, bytes], dict[str, list[str]]]:
    """Apply the given mappings, then the remembered ones; return the files and those
    still needing a mapping (file → its headers)."""
    mappings: dict[str, FileMapping] = dict(given or {})
    for name, headers in needing_mapping(files).items():
        if name not in mappings:
            saved = remembered(name, headers, service)
            if saved is not None:
                mappings[name] = saved
    mapped = apply_mappings(files, mappings)
    return mapped, needing_mapping(mapped)
