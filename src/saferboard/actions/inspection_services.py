"""Recording the inspection a plan answers, and importing published comparators.

Changes are audited (before and after); the published ratings import all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferboard.actions.importing import Problem
from saferboard.actions.inspections import (
    HMI_STANDARDS,
    PublishedRow,
    StandardComparison,
    compare,
    judgement,
    read_published_ratings,
    standard_key,
)
from saferboard.actions.models import (
    ActionPlan,
    Inspection,
    InspectionRating,
    Inspectorate,
    PublishedInspection,
)
from saferboard.core import audit
from saferboard.core.importing.pipeline import ImportRefused, run_import
from saferboard.core.models import AuditAction, User

INSPECTION_FIELDS = (
    "inspectorate",
    "service_name",
    "published_ref",
    "fieldwork_start",
    "fieldwork_end",
    "published_on",
    "overall_judgement",
    "report_url",
    "reinspection_date",
    "reinspection_outcome",
)


def parse_rating_lines(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """'Standard: Judgement' per line → ([(standard, judgement)], problems by line)."""
    ratings: list[tuple[str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        standard, sep, rated = line.rpartition(":")
        standard = " ".join(standard.split())
        word = judgement(rated) if sep else None
        if not standard or word is None:
            problems.append(
                f"Line {number}: write the standard, a colon and Outstanding, Good, "
                f"Requires improvement or Inadequate (found ‘{line[:60]}’)"
            )
        elif standard.lower() in seen:
            problems.append(f"Line {number}: {standard} is rated twice")
        else:
            seen.add(standard.lower())
            ratings.append((standard, word))
    return ratings, problems


def rating_lines(inspection: Inspection | None) -> str:
    """The ratings as the form shows them, one 'Standard: Judgement' per line."""
    if inspection is None:
        return ""
    return "\n".join(f"{r.standard}: {r.rating}" for r in inspection.ratings.all())


@transaction.atomic
def save_inspection(
    plan: ActionPlan,
    values: dict[str, Any],
    ratings: Sequence[tuple[str, str]],
    *,
    user: User,
    request: HttpRequest | None = None,
) -> Inspection:
    """Create or change the plan's inspection and its ratings; audited before → after."""
    inspection = Inspection.objects.filter(plan=plan).first()
    before = None
    if inspection is not None:
        before = {
            **audit.snapshot(inspection, INSPECTION_FIELDS),
            "ratings": rating_lines(inspection),
        }
    else:
        inspection = Inspection(plan=plan)
    for name in INSPECTION_FIELDS:
        setattr(inspection, name, values.get(name) or ("" if _is_text(name) else None))
    inspection.full_clean(exclude=["plan"])
    inspection.save()
    inspection.ratings.all().delete()
    InspectionRating.objects.bulk_create(
        InspectionRating(inspection=inspection, standard=s, rating=r, position=i)
        for i, (s, r) in enumerate(ratings, start=1)
    )
    after = {**audit.snapshot(inspection, INSPECTION_FIELDS), "ratings": rating_lines(inspection)}
    audit.record_change(inspection, before=before, after=after, actor=user, request=request)
    return inspection


def _is_text(name: str) -> bool:
    return name not in {
        "fieldwork_start",
        "fieldwork_end",
        "published_on",
        "reinspection_date",
    }


@dataclass(frozen=True)
class ImportOutcome:
    problems: list[Problem]
    created: int = 0
    updated: int = 0


def import_published(
    file_name: str,
    data: bytes,
    *,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> ImportOutcome:
    """Store HMI Probation's published youth justice ratings: all the file or, if any
    row has a problem, nothing. A service's inspection already held (same reference and
    publication date) is replaced by the file's."""
    try:
        return run_import(_PublishedRatingsImport(file_name, data, user, request))
    except ImportRefused as refused:
        return ImportOutcome(problems=refused.problems)


class _PublishedRatingsImport:
    """The published ratings file's steps for :func:`run_import`."""

    def __init__(
        self, file_name: str, data: bytes, user: User | None, request: HttpRequest | None
    ) -> None:
        self.file_name = file_name
        self.data = data
        self.user = user
        self.request = request
        self.rows: list[PublishedRow] = []

    def check(self) -> Sequence[Problem]:
        read = read_published_ratings(self.file_name, self.data)
        self.rows = read.rows
        return read.problems

    def stage(self) -> list[PublishedRow]:
        return self.rows

    def commit(self, rows: list[PublishedRow]) -> ImportOutcome:
        # Each row records its own provenance (file and time), as the comparison shows it.
        created = updated = 0
        now = timezone.now()
        for row in rows:
            _, made = PublishedInspection.objects.update_or_create(
                inspectorate=Inspectorate.HMI_PROBATION,
                service_ref=row.service_ref,
                published_on=row.published_on,
                defaults={
                    "service_name": row.service_name,
                    "score_percent": row.score_percent,
                    "overall_judgement": row.overall,
                    "report_url": row.report_url,
                    "ratings": row.ratings,
                    "source_file": self.file_name[:255],
                    "imported_at": now,
                },
            )
            created += made
            updated += not made
        return ImportOutcome(problems=[], created=created, updated=updated)

    def provenance(self, result: ImportOutcome) -> None:
        """Recorded on each row by :meth:`commit` (``source_file``, ``imported_at``)."""

    def audit(self, result: ImportOutcome) -> None:
        audit.record(
            AuditAction.IMPORT,
            actor=self.user,
            request=self.request,
            actor_label="" if self.user or self.request else "command line",
            what="HMI Probation youth justice inspection ratings",
            file=self.file_name,
            created=result.created,
            updated=result.updated,
        )

    def refresh(self, result: ImportOutcome) -> None:
        """Nothing to recompute: comparisons read the published rows when shown."""


@dataclass(frozen=True)
class InspectionComparison:
    standards: list[StandardComparison]
    peers: list[PublishedInspection]
    ours_published: PublishedInspection | None


def comparison_for(inspection: Inspection) -> InspectionComparison:
    """Our ratings beside the latest published inspection of every other service."""
    latest: dict[str, PublishedInspection] = {}
    for row in PublishedInspection.objects.filter(inspectorate=Inspectorate.HMI_PROBATION):
        held = latest.get(row.service_ref)
        if held is None or row.published_on > held.published_on:
            latest[row.service_ref] = row
    # Our own published row is ours, not a peer's.
    ours_published = latest.pop(inspection.published_ref, None)
    peers = sorted(latest.values(), key=lambda r: r.service_name)
    ours = {standard_key(r.standard): r.rating for r in inspection.ratings.all()}
    known = {key for key, _ in HMI_STANDARDS}
    extra = [(standard_key(r.standard), r.standard) for r in inspection.ratings.all()]
    standards = [*HMI_STANDARDS, *[(k, label) for k, label in extra if k not in known]]
    return InspectionComparison(
        standards=compare(ours, (p.ratings for p in peers), standards),
        peers=peers,
        ours_published=ours_published,
    )
