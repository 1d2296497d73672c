"""The youth justice page's section on remands, the custody snapshot and children at
high risk of serious harm: loads the service's records and lays out the figures of
:mod:`.remands`, :mod:`.rosh` and :mod:`.custody` as table rows (strings as shown,
counts of 1 to 4 suppressed in publication mode)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from saferboard.youthjustice.custody import service_snapshot
from saferboard.youthjustice.definitions import is_small
from saferboard.youthjustice.remands import (
    REMAND_LABELS,
    REMAND_TYPES,
    RemandEpisode,
    RemandFigures,
    remand_figures,
)
from saferboard.youthjustice.rosh import RoshAssessment, RoshFigures, rosh_figures

if TYPE_CHECKING:
    from saferboard.core.periods import Period
    from saferboard.youthjustice.models import Service

SUPPRESSED = "[c]"


@dataclass(frozen=True)
class Row:
    """One row of a table: its label and one shown value per period."""

    label: str
    values: list[str]
    headline: bool = True


def count(value: int, publication: bool) -> str:
    """A count as shown: ``[c]`` for 1 to 4 in publication mode."""
    return SUPPRESSED if publication and is_small(value) else f"{value:,}"


def share(pct: float | None, numerator: int, publication: bool) -> str:
    """A percentage as shown; suppressed with its numerator; "No percentage" without a
    denominator."""
    if publication and is_small(numerator):
        return SUPPRESSED
    return "No percentage" if pct is None else f"{pct:.1f}%"


def remand_rows(figures: Sequence[RemandFigures], publication: bool) -> list[Row]:
    """The remand table's rows, one value per period."""

    def counts(values: list[int]) -> list[str]:
        return [count(v, publication) for v in values]

    rows = [Row("Remand episodes started", counts([f.episodes for f in figures]))]
    rows += [
        Row(REMAND_LABELS[kind], counts([f.episodes_by_type[kind] for f in figures]), False)
        for kind in REMAND_TYPES
    ]
    rows += [
        Row("Children remanded (any remand)", counts([f.children_remanded for f in figures])),
        Row(
            "Children remanded to youth detention accommodation",
            counts([f.children_remanded_yda for f in figures]),
        ),
        Row(
            "Remands to youth detention accommodation ended",
            counts([f.yda_ended for f in figures]),
        ),
        Row(
            "Not followed by a custodial sentence (% of those with a known outcome)",
            [
                share(
                    f.yda_not_custodial_pct,
                    f.yda_ended - f.yda_ended_not_known - f.yda_ended_custodial,
                    publication,
                )
                for f in figures
            ],
            False,
        ),
        Row("Outcome not known", counts([f.yda_ended_not_known for f in figures]), False),
    ]
    return rows


def rosh_rows(figures: Sequence[RoshFigures], publication: bool) -> list[Row]:
    """The risk of serious harm table's rows, one value per period."""
    return [
        Row(
            "Children assessed, level known (denominator)",
            [count(f.known, publication) for f in figures],
        ),
        Row(
            "High or very high risk of serious harm",
            [count(f.high, publication) for f in figures],
        ),
        Row(
            "Percentage of children assessed",
            [share(f.high_pct, f.high, publication) for f in figures],
            False,
        ),
        Row("Of which very high", [count(f.very_high, publication) for f in figures], False),
        Row(
            "Level not known (not in the denominator)",
            [count(f.not_known, publication) for f in figures],
            False,
        ),
    ]


def section_context(
    service: Service, periods: Sequence[Period], on: date | None, publication: bool
) -> dict[str, Any]:
    """The section's context: the periods' tables and the snapshot on ``on``."""
    from saferboard.youthjustice.models import Remand
    from saferboard.youthjustice.models import RoshAssessment as RoshRow

    episodes = [
        RemandEpisode(*r)
        for r in Remand.objects.filter(child__service=service).values_list(
            "child_id", "remand_type", "start_date", "end_date", "outcome"
        )
    ]
    assessments = [
        RoshAssessment(*r)
        for r in RoshRow.objects.filter(child__service=service).values_list(
            "child_id", "assessment_date", "level"
        )
    ]
    context: dict[str, Any] = {
        "labels": [p.label for p in periods],
        "has_remands": bool(episodes),
        "has_rosh": bool(assessments),
    }
    if episodes:
        context["remand_rows"] = remand_rows(
            [remand_figures(episodes, p.start, p.end) for p in periods], publication
        )
    if assessments:
        context["rosh_rows"] = rosh_rows(
            [rosh_figures(assessments, p.start, p.end) for p in periods], publication
        )
    if on is not None:
        shot = service_snapshot(service, on)
        context["snapshot"] = {
            "on": on,
            "sentenced": count(shot.sentenced, publication),
            "remanded": count(shot.remanded, publication),
            "in_custody": count(shot.in_custody, publication),
            "community": [
                (REMAND_LABELS[kind], count(shot.community_remand.get(kind, 0), publication))
                for kind in REMAND_TYPES[1:]
            ],
        }
    return context
