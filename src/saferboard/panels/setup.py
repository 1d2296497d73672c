"""Setting up panels: create, change and retire a panel, each change audited.

Setting up a panel gives nobody access to its list: seats are asked for and approved by
two different people (:func:`saferboard.panels.services.add_member` and
:func:`~saferboard.panels.services.approve_member`). Taking an organisation off a panel
ends its people's seats there and then, so putting the organisation back later does not
quietly give the old seats back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from saferboard.core import audit
from saferboard.core.models import AuditAction, Organisation, Partnership, User
from saferboard.panels.models import DEFAULT_FLAGS, Flag, Panel, PanelMembership, PanelType

PANEL_FIELDS = (
    "name",
    "type",
    "schedule",
    "legal_basis",
    "isa_reference",
    "retention_months",
    "flags",
    "population_key",
    "member_organisations",
    "is_active",
)
# Paths under /panels/ that a panel's slug must not take (its list lives at /panels/<slug>/).
RESERVED_SLUGS = {"settings", "cases", "audit", "subject-access"}
MAX_RETENTION_MONTHS = 120
POPULATION_FILE = Path(__file__).parent / "data" / "population.json"


@cache
def populations() -> dict[str, str]:
    """The populations a list's make-up can be compared with: key → label."""
    data = json.loads(POPULATION_FILE.read_text())
    return {key: value.get("label", key) for key, value in data.items()}


@dataclass(frozen=True)
class PanelDetails:
    """Everything about a panel but its seats."""

    name: str
    type: str
    legal_basis: str
    member_organisations: list[Organisation]
    schedule: str = ""
    isa_reference: str = ""
    retention_months: int = 24
    flags: list[str] = field(default_factory=list)
    population_key: str = ""


def check_details(details: PanelDetails) -> None:
    """Refuse details no panel can have (the form checks these too)."""
    if not details.name.strip():
        raise ValidationError({"name": "Enter the panel's name"})
    if details.type not in PanelType.values:
        raise ValidationError({"type": "Choose the kind of panel"})
    if not details.legal_basis.strip():
        raise ValidationError({"legal_basis": "Enter the lawful basis for sharing"})
    if not 1 <= details.retention_months <= MAX_RETENTION_MONTHS:
        raise ValidationError(
            {"retention_months": f"Enter a number of months from 1 to {MAX_RETENTION_MONTHS}"}
        )
    unknown = [f for f in details.flags if f not in Flag.values]
    if unknown:
        raise ValidationError({"flags": f"Unknown flag: {unknown[0]}"})
    if details.population_key and details.population_key not in populations():
        raise ValidationError({"population_key": "Choose a population from the list"})


def _slug(name: str) -> str:
    taken = set(Panel.objects.values_list("slug", flat=True)) | RESERVED_SLUGS
    base = slugify(name)[:70].strip("-") or "panel"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _apply(panel: Panel, details: PanelDetails) -> None:
    panel.name = details.name.strip()
    panel.type = details.type
    panel.schedule = details.schedule.strip()
    panel.legal_basis = details.legal_basis.strip()
    panel.isa_reference = details.isa_reference.strip()
    panel.retention_months = details.retention_months
    panel.flags = list(details.flags)
    panel.population_key = details.population_key


@transaction.atomic
def create_panel(
    partnership: Partnership,
    details: PanelDetails,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Panel:
    """Create a panel with its member organisations and no seats; audited."""
    check_details(details)
    panel = Panel(partnership=partnership, slug=_slug(details.name))
    _apply(panel, details)
    if not panel.flags:  # a new panel with no flags chosen starts with its kind's usual set
        panel.flags = [str(f) for f in DEFAULT_FLAGS.get(details.type, [])]
    panel.save()
    panel.member_organisations.set(details.member_organisations)
    audit.record_change(
        panel,
        before=None,
        after=audit.snapshot(panel, PANEL_FIELDS),
        actor=actor,
        request=request,
        what="panel",
    )
    return panel


@transaction.atomic
def update_panel(
    panel: Panel,
    details: PanelDetails,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> bool:
    """Change a panel's details; audited before/after. True if anything changed.

    Seats of an organisation taken off the panel end now (each audited), so the people
    lose access at once and do not regain it if the organisation is put back.
    """
    check_details(details)
    before = audit.snapshot(panel, PANEL_FIELDS)
    kept = {o.pk for o in details.member_organisations}
    _apply(panel, details)
    panel.save()
    panel.member_organisations.set(details.member_organisations)
    after = audit.snapshot(panel, PANEL_FIELDS)
    audit.record_change(panel, before=before, after=after, actor=actor, request=request)
    _end_seats(
        panel.memberships.filter(ended_at__isnull=True).exclude(organisation_id__in=kept),
        actor=actor,
        request=request,
    )
    return before != after


def _end_seats(
    seats: Any, *, actor: User | None, request: HttpRequest | None, why: str = ""
) -> None:
    now = timezone.now()
    for seat in seats.select_related("organisation"):
        seat.ended_at = now
        seat.ended_by = actor
        seat.save(update_fields=["ended_at", "ended_by"])
        audit.record(
            AuditAction.PERMISSION_CHANGE,
            actor=actor,
            request=request,
            obj=seat.panel,
            what="panel member removed",
            person=seat.person_id,
            membership=seat.pk,
            reason=why or f"{seat.organisation} is no longer a member organisation",
        )


@transaction.atomic
def retire_panel(panel: Panel, *, actor: User | None, request: HttpRequest | None = None) -> None:
    """Stop the panel: every seat ends now. Cases stay, under the retention rules."""
    audit.save_change(panel, PANEL_FIELDS, {"is_active": False}, actor=actor, request=request)
    _end_seats(
        PanelMembership.objects.filter(panel=panel, ended_at__isnull=True),
        actor=actor,
        request=request,
        why="the panel was retired",
    )
