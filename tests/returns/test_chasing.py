"""Late and missing returns."""

from __future__ import annotations

from datetime import date

from saferboard.core.periods import Period, PeriodKind
from saferboard.returns.chasing import Schedule, outstanding, outstanding_returns
from saferboard.returns.models import Channel
from saferboard.returns.services import ReturnRequest, submit_return
from saferboard.returns.validation import RawEntry
from tests.returns.factories import make_template


def schedule(template_id=1, kind=PeriodKind.MONTH, first=date(2025, 1, 1), due_days=10):
    return Schedule(
        template_id, f"t{template_id}", f"T{template_id}", "Org", "org", kind, first, due_days
    )


def test_ended_periods_without_a_return_are_outstanding() -> None:
    # On 15 April: January to March have ended. January was due 10 Feb, February 10 March,
    # March on 10 April: all late. January has a return.
    rows = outstanding([schedule()], {(1, date(2025, 1, 1))}, date(2025, 4, 15))
    assert [(r.period.key, r.due, r.days_late, r.status) for r in rows] == [
        ("2025-02", date(2025, 3, 10), 36, "Late"),
        ("2025-03", date(2025, 4, 10), 5, "Late"),
    ]


def test_a_period_not_yet_due_is_due_not_late() -> None:
    rows = outstanding(
        [schedule()], {(1, date(2025, 1, 1)), (1, date(2025, 2, 1))}, date(2025, 4, 5)
    )
    assert [(r.period.key, r.status, r.days_late) for r in rows] == [("2025-03", "Due", 0)]
    # The current period has not ended: nothing is owed for it.
    assert outstanding([schedule(first=date(2025, 4, 1))], set(), date(2025, 4, 30)) == []


def test_quarterly_templates() -> None:
    rows = outstanding(
        [schedule(kind=PeriodKind.FINANCIAL_QUARTER, first=date(2024, 4, 1), due_days=30)],
        {(1, date(2024, 4, 1))},
        date(2024, 11, 1),
    )
    assert [(r.period, r.due) for r in rows] == [
        (Period.financial_quarter(2024, 2), date(2024, 10, 30))
    ]
    assert rows[0].days_late == 2


def test_outstanding_returns_reads_the_database(db) -> None:
    template = make_template(first=date(2025, 1, 1))
    submit_return(
        ReturnRequest(
            template,
            Period.month(2025, 1),
            {
                "victim-referrals": RawEntry(4),
                "victims-offered-rj": RawEntry(1),
            },
            user=None,
            channel=Channel.API,
        )
    )
    rows = outstanding_returns(date(2025, 3, 20))
    assert [(r.template_slug, r.period.key, r.is_late) for r in rows] == [
        (template.slug, "2025-02", True)
    ]
    assert outstanding_returns(date(2025, 3, 20), organisation_ids={-1}) == []
