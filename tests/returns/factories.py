"""Return templates for tests: an organisation's monthly template with three measures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from saferboard.core.models import Area, AreaKind, Organisation
from saferboard.measures.models import Measure, SourceKind
from saferboard.returns.models import Frequency, ReturnTemplate, TemplateMeasure
from tests.factories import OrganisationFactory

MEASURES = [
    # slug, label, required, threshold %
    ("victim-referrals", "Victim referrals", True, Decimal(50)),
    ("victims-offered-rj", "Victims offered restorative justice", True, None),
    ("call-blockers-installed", "Call blockers installed", False, None),
]


def borough() -> Area:
    area, _ = Area.objects.get_or_create(
        code="E09000006", defaults={"name": "Bromley", "kind": AreaKind.LOCAL_AUTHORITY}
    )
    return area


def make_template(
    organisation: Organisation | None = None,
    *,
    slug: str = "victim-support-referrals",
    first: date = date(2024, 4, 1),
    frequency: str = Frequency.MONTHLY,
    measures: list[tuple[str, str, bool, Decimal | None]] | None = None,
) -> ReturnTemplate:
    """A template with the measures above (partner-return measures, created as needed)."""
    organisation = organisation or OrganisationFactory(slug="victim-support")
    template = ReturnTemplate.objects.create(
        organisation=organisation,
        name="Victim referrals",
        slug=slug,
        frequency=frequency,
        area=borough(),
        first_period_start=first,
        due_days=10,
    )
    for position, (m_slug, label, required, threshold) in enumerate(measures or MEASURES):
        measure, _ = Measure.objects.get_or_create(
            source_kind=SourceKind.PARTNER_RETURN, slug=m_slug, defaults={"label": label}
        )
        TemplateMeasure.objects.create(
            template=template,
            measure=measure,
            position=position,
            required=required,
            change_threshold_pct=threshold,
        )
    return template
