"""Late and missing partner returns: who owes which period, and since when.

:func:`outstanding` is the rule, over plain values; :func:`outstanding_returns` reads
the templates and submissions and applies it. A return is outstanding once its period
has ended and no version has been accepted; it is late once its due date has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from saferboard.core.periods import Period, PeriodKind
from saferboard.returns.schedule import due_date, periods_ended_by


@dataclass(frozen=True)
class Schedule:
    """What one template asks for, as plain values."""

    template_id: int
    template_slug: str
    template_name: str
    organisation: str
    organisation_slug: str
    kind: PeriodKind
    first_period_start: date
    due_days: int


@dataclass(frozen=True)
class OutstandingReturn:
    """One period's return not yet received."""

    template_id: int
    template_slug: str
    template_name: str
    organisation: str
    organisation_slug: str
    period: Period
    due: date
    days_late: int

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def status(self) -> str:
        return "Late" if self.is_late else "Due"

    @property
    def period_slug(self) -> str:
        from saferboard.returns.schedule import period_slug

        return period_slug(self.period)


def outstanding(
    schedules: Iterable[Schedule], received: set[tuple[int, date]], on_date: date
) -> list[OutstandingReturn]:
    """Every ended period with no accepted return, most overdue first.

    ``received`` holds (template id, period start) for each period with a return.
    """
    rows = []
    for s in schedules:
        for period in periods_ended_by(s.first_period_start, s.kind, on_date):
            if (s.template_id, period.start) in received:
                continue
            due = due_date(period, s.due_days)
            rows.append(
                OutstandingReturn(
                    template_id=s.template_id,
                    template_slug=s.template_slug,
                    template_name=s.template_name,
                    organisation=s.organisation,
                    organisation_slug=s.organisation_slug,
                    period=period,
                    due=due,
                    days_late=max((on_date - due).days, 0),
                )
            )
    return sorted(rows, key=lambda r: (-r.days_late, r.organisation, r.template_name, r.period))


def outstanding_returns(
    on_date: date, organisation_ids: set[int] | None = None
) -> list[OutstandingReturn]:
    """Late and missing returns for the active templates on ``on_date``.

    ``organisation_ids`` narrows the list to those organisations (a partner's own view).
    """
    from saferboard.returns.models import ReturnTemplate, Submission

    templates = ReturnTemplate.objects.filter(active=True).select_related("organisation")
    if organisation_ids is not None:
        templates = templates.filter(organisation_id__in=organisation_ids)
    schedules = [
        Schedule(
            template_id=t.pk,
            template_slug=t.slug,
            template_name=t.name,
            organisation=t.organisation.name,
            organisation_slug=t.organisation.slug,
            kind=t.period_kind,
            first_period_start=t.first_period_start,
            due_days=t.due_days,
        )
        for t in templates
    ]
    received = set(
        Submission.objects.filter(template__in=[s.template_id for s in schedules]).values_list(
            "template_id", "period_start"
        )
    )
    return outstanding(schedules, received, on_date)
