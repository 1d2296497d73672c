"""A partner's table typed into an accepted update: the case the pack's disclosure
control must cover (issue 20: a custody count of 2 printed as-is in the public pack).
Shared by the pack's tests and the board cycle's browser journeys."""

from __future__ import annotations

from typing import Any


def type_partner_table(
    meeting: Any, caption: str, columns: list[str], rows: list[list[str]]
) -> Any:
    """Write ``rows`` as the figures table of an accepted priority 1 update in the latest
    reporting round that started by ``meeting``'s date; return the update."""
    from saferboard.strategy.models import PartnerUpdate, ReportingRound, UpdateState

    round_ = max(
        (r for r in ReportingRound.objects.all() if r.period.start <= meeting.date),
        key=lambda r: (r.financial_year, r.quarter),
    )
    update = PartnerUpdate.objects.filter(
        round=round_, commitment__priority__number=1, state=UpdateState.ACCEPTED
    ).first()
    assert update is not None, "the demo has no accepted update of priority 1 to type into"
    figures = {"caption": caption, "columns": columns, "rows": rows}
    PartnerUpdate.objects.filter(pk=update.pk).update(figures=figures)
    return update
