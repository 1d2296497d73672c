"""Demo return templates for the police, trading standards and Victim Support.

Each template has months of accepted figures, one correction with its reason, and
gaps: Victim Support's return is late for the most recent month already due, and the
police have not yet made their return for the last month (the partner lead's journey).
Idempotent: a period that already has a return is left alone. Figures are fictional,
generated deterministically from the measure and month.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from saferboard.core.models import Organisation, Partnership, User
from saferboard.core.periods import Period, PeriodKind, month_index, month_start
from saferboard.measures.models import Direction, Measure, SourceKind, Unit
from saferboard.measures.standard import ensure_standard_rules
from saferboard.returns.models import Channel, Frequency, ReturnTemplate, TemplateMeasure
from saferboard.returns.schedule import due_date, periods_ended_by
from saferboard.returns.services import ReturnRequest, current_submission, submit_return
from saferboard.returns.validation import RawEntry, change_pct

HISTORY_MONTHS = 9  # the templates start this many months ago: 8+ ended periods


@dataclass(frozen=True)
class DemoMeasure:
    slug: str
    label: str
    description: str
    typical: int
    threshold: int | None = 50
    required: bool = True


TEMPLATES: list[tuple[str, str, str, str, list[DemoMeasure]]] = [
    (
        "police-community-impact",
        "Community impact days (police)",
        "police",
        "Outputs of the multi-agency community impact days in hotspot wards, each month.",
        [
            DemoMeasure(
                "cid-weapons-sweeps",
                "Weapons sweeps",
                "Weapons sweeps carried out on community impact days.",
                6,
            ),
            DemoMeasure(
                "cid-vehicle-stops",
                "Vehicle stops",
                "Vehicles stopped and checked on community impact days.",
                40,
            ),
            DemoMeasure(
                "cid-arrests",
                "Arrests on community impact days",
                "Arrests made on community impact days.",
                5,
                threshold=100,
            ),
            DemoMeasure(
                "cid-visits",
                "Premises visits",
                "Licensed and other premises visited on community impact days.",
                25,
            ),
        ],
    ),
    (
        "trading-standards-scams",
        "Scams and doorstep crime (trading standards)",
        "council",
        "Trading Standards' rapid response to scams and doorstep crime, and fly-tipping "
        "cleared on community impact days.",
        [
            DemoMeasure(
                "scam-rapid-response-calls",
                "Scam and doorstep crime rapid-response calls",
                "Calls attended by the rapid-response team.",
                18,
            ),
            DemoMeasure(
                "call-blockers-installed",
                "Call blockers installed",
                "Call blockers installed for vulnerable residents.",
                9,
            ),
            DemoMeasure(
                "cid-fly-tipping-kg",
                "Fly-tipping removed (kg)",
                "Kilograms of fly-tipping removed on community impact days.",
                1800,
                threshold=None,
                required=False,
            ),
        ],
    ),
    (
        "victim-support-referrals",
        "Victim referrals (Victim Support)",
        "victim-support",
        "Referrals received and restorative justice offered, each month.",
        [
            DemoMeasure(
                "victim-referrals",
                "Victim referrals",
                "Victims referred to Victim Support from the borough.",
                120,
                threshold=40,
            ),
            DemoMeasure(
                "victims-offered-rj",
                "Victims offered restorative justice",
                "Victims offered a restorative justice intervention.",
                14,
            ),
        ],
    ),
]


def _figure(slug: str, period: Period, typical: int) -> int:
    """A steady, plausible figure: the typical value give or take 20%."""
    digest = hashlib.sha256(f"{slug}:{period.key}".encode()).digest()
    spread = (digest[0] / 255 - 0.5) * 0.4
    return max(0, round(typical * (1 + spread)))


def _measure(spec: DemoMeasure, rules: dict) -> Measure:
    measure, _ = Measure.objects.update_or_create(
        source_kind=SourceKind.PARTNER_RETURN,
        slug=spec.slug,
        defaults={
            "label": spec.label,
            "description": spec.description,
            "unit": Unit.COUNT,
            "direction": Direction.NEUTRAL,
            "rag_rule": rules["manual"],
        },
    )
    return measure


def load(partnership: Partnership) -> None:
    """Create the demo templates and their accepted returns (idempotent)."""
    area = partnership.local_authority
    if area is None:
        return
    rules = ensure_standard_rules()
    today = timezone.localdate()
    first = month_start(month_index(today) - HISTORY_MONTHS)
    ended = periods_ended_by(first, PeriodKind.MONTH, today)
    due_days = 10
    late = [p for p in ended if due_date(p, due_days) < today]
    lead = User.objects.filter(username="partner.lead").first()
    with transaction.atomic():
        for slug, name, org_slug, guidance, specs in TEMPLATES:
            organisation = Organisation.objects.get(partnership=partnership, slug=org_slug)
            template, _ = ReturnTemplate.objects.update_or_create(
                slug=slug,
                defaults={
                    "organisation": organisation,
                    "name": name,
                    "frequency": Frequency.MONTHLY,
                    "area": area,
                    "due_days": due_days,
                    "guidance": guidance,
                    "active": True,
                },
                create_defaults={
                    "organisation": organisation,
                    "name": name,
                    "frequency": Frequency.MONTHLY,
                    "area": area,
                    "due_days": due_days,
                    "guidance": guidance,
                    "first_period_start": first,
                },
            )
            for position, spec in enumerate(specs):
                TemplateMeasure.objects.update_or_create(
                    template=template,
                    measure=_measure(spec, rules),
                    defaults={
                        "position": position,
                        "required": spec.required,
                        "integer": True,
                        "change_threshold_pct": (
                            Decimal(spec.threshold) if spec.threshold is not None else None
                        ),
                    },
                )
            periods = list(ended)
            if org_slug == "police":
                periods = periods[:-1]  # the partner lead's journey fills the last month
            if org_slug == "victim-support" and late:
                periods.remove(late[-1])  # one late return for the chasing page
            previous: dict[str, int] = {}
            for period in periods:
                values = {s.slug: _figure(s.slug, period, s.typical) for s in specs}
                if current_submission(template, period) is None:
                    entries = {
                        s.slug: RawEntry(values[s.slug], _comment(s, previous, values[s.slug]))
                        for s in specs
                    }
                    submit_return(
                        ReturnRequest(
                            template=template,
                            period=period,
                            entries=entries,
                            user=lead if org_slug == "police" else None,
                            channel=Channel.DEMO,
                            actor_label="demo",
                        )
                    )
                previous = values
            if org_slug == "police" and len(periods) >= 3:
                _correct_once(template, periods[-3], specs, lead)


def _comment(spec: DemoMeasure, previous: dict[str, int], value: int) -> str:
    last = previous.get(spec.slug)
    if spec.threshold is None or last is None:
        return ""
    if abs(change_pct(last, value)) > spec.threshold:
        return "Operation in a second hotspot ward this month."
    return ""


def _correct_once(
    template: ReturnTemplate, period: Period, specs: list[DemoMeasure], user: User | None
) -> None:
    """One correction, so the demo shows a version history with its reason."""
    current = current_submission(template, period)
    if current is None or current.version > 1:
        return
    given = {v.measure.slug: v for v in current.values.select_related("measure")}
    entries = {
        s.slug: RawEntry(given[s.slug].value, given[s.slug].comment or "Corrected figure.")
        for s in specs
    }
    arrests = given["cid-arrests"].value or 0
    entries["cid-arrests"] = RawEntry(arrests + 2, "Two arrests recorded late by custody.")
    submit_return(
        ReturnRequest(
            template=template,
            period=period,
            entries=entries,
            user=user,
            channel=Channel.DEMO,
            actor_label="demo",
            reason="Custody records updated after the return: two more arrests.",
        )
    )


def demo_late_period(today: date) -> Period | None:
    """The month whose Victim Support return the demo leaves late (for tests)."""
    first = month_start(month_index(today) - HISTORY_MONTHS)
    late = [p for p in periods_ended_by(first, PeriodKind.MONTH, today) if due_date(p, 10) < today]
    return late[-1] if late else None
