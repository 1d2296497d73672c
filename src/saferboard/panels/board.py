"""The board's view of a panel: aggregates from its cases, and observations to store.

Reads the database and hands plain :class:`~saferboard.panels.aggregates.CaseFacts`
to the pure functions in :mod:`saferboard.panels.aggregates`. Nothing here returns an
identity: ages are worked out from dates of birth and only counted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from saferboard.core.periods import month_end, month_index
from saferboard.measures.models import Measure, SourceKind, Unit
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.panels import aggregates as agg
from saferboard.panels.models import CaseStatus, Ethnicity, Flag, Panel, RiskLevel, Sex

POPULATION_FILE = Path(__file__).resolve().parent / "data" / "population.json"
ON_LIST = (CaseStatus.REFERRED, CaseStatus.OPEN)
TREND_MONTHS = 12


@cache
def populations() -> dict[str, Any]:
    """The population figures shipped with the app (see data/PROVENANCE.md)."""
    data: dict[str, Any] = json.loads(POPULATION_FILE.read_text(encoding="utf-8"))
    return data


def population_for(panel: Panel) -> dict[str, Any] | None:
    return populations().get(panel.population_key) if panel.population_key else None


def case_facts(panel: Panel, today: date) -> list[agg.CaseFacts]:
    """Every case the panel holds, as facts for the aggregates (ages on ``today``)."""
    cases = panel.cases.select_related("identity").prefetch_related("status_history")
    return [
        agg.CaseFacts(
            status=case.status,
            risk_level=case.risk_level or "not_assessed",
            flags=tuple(case.flags),
            ethnicity=case.ethnicity,
            sex=case.sex,
            age=case.identity.age_on(today),
            history=tuple((s.effective_on, s.status) for s in case.status_history.all()),
        )
        for case in cases
    ]


@dataclass(frozen=True)
class PanelAggregates:
    panel: Panel
    as_at: date
    published: bool
    on_list: agg.Display
    headline: str
    flags: list[tuple[str, agg.Display]]
    risk: list[tuple[str, agg.Display]]
    risk_total: agg.Display
    status: list[tuple[str, agg.Display]]
    make_ups: list[agg.MakeUp]
    trend: list[tuple[date, agg.Display]]
    population_label: str
    population_sources: dict[str, str]


RISK_LABELS = {**dict(RiskLevel.choices), "not_assessed": "Not yet assessed"}
NOUNS = {"exploitation": "young people"}


def month_ends(today: date, months: int = TREND_MONTHS) -> list[date]:
    """The last ``months`` month-ends up to ``today`` (the current month ends today)."""
    last = month_index(today)
    return [min(month_end(i), today) for i in range(last - months + 1, last + 1)]


def panel_aggregates(panel: Panel, today: date, *, publish: bool = True) -> PanelAggregates:
    """Counts by flag, risk and status, make-up against the population, and the trend.

    With ``publish`` (anything leaving the panel) small numbers are suppressed.
    """
    facts = case_facts(panel, today)
    listed = [f for f in facts if f.status in ON_LIST]

    flag_codes = list(panel.flags)
    flags = agg.flag_counts(listed, flag_codes)
    risk = agg.count_by((f.risk_level for f in listed), [*RiskLevel.values, "not_assessed"])
    status = agg.count_by((f.status for f in facts), CaseStatus.values)
    flag_labels = {code: Flag(code).label for code in flag_codes if code in Flag.values}
    noun = NOUNS.get(panel.type, "people")
    population = population_for(panel) or {}
    bands = population.get("age_bands", [])
    make_ups = [
        agg.make_up(
            "Ethnicity",
            agg.count_by((f.ethnicity for f in listed), Ethnicity.values),
            dict(Ethnicity.choices),
            population.get("ethnicity_shares", {}),
            publish=publish,
        ),
        agg.make_up(
            "Sex",
            agg.count_by((f.sex for f in listed), Sex.values),
            dict(Sex.choices),
            population.get("sex_shares", {}),
            publish=publish,
        ),
    ]
    if bands:
        band_keys = [str(b["key"]) for b in bands]
        make_ups.append(
            agg.make_up(
                "Age",
                agg.count_by(
                    (agg.age_band(f.age, bands) for f in listed), [*band_keys, agg.OUTSIDE_RANGE]
                ),
                {
                    **{str(b["key"]): str(b["label"]) for b in bands},
                    agg.OUTSIDE_RANGE: "Outside the population's ages",
                },
                {str(b["key"]): b["count"] / population["total"] for b in bands},
                publish=publish,
            )
        )
    trend = agg.list_size_trend(facts, month_ends(today), ON_LIST)
    shown_flags: dict[str, agg.Display] = dict(flags)
    shown_risk: dict[str, agg.Display] = dict(risk)
    risk_total: agg.Display = len(listed)
    shown_status: dict[str, agg.Display] = dict(status)
    if publish:
        shown_flags = agg.suppress(flags, additive=False)  # flags overlap: no total
        shown_risk, risk_total = agg.suppress_table(risk, protect=["not_assessed"])
        # Referred + open add up to the published number on the list; the cases that
        # have left the list have no published total.
        on, _ = agg.suppress_table({k: status[k] for k in ON_LIST})
        left = agg.suppress({k: v for k, v in status.items() if k not in ON_LIST}, additive=False)
        shown_status = {k: {**on, **left}[k] for k in status}
    return PanelAggregates(
        panel=panel,
        as_at=today,
        published=publish,
        on_list=agg.publish_total(len(listed)) if publish else len(listed),
        headline=agg.headline(len(listed), flags, flag_labels, noun=noun),
        flags=[(flag_labels.get(k, k), v) for k, v in shown_flags.items()],
        risk=[(RISK_LABELS.get(k, k), v) for k, v in shown_risk.items()],
        risk_total=risk_total,
        status=[(CaseStatus(k).label, v) for k, v in shown_status.items()],
        make_ups=make_ups,
        trend=[(day, agg.publish_total(n) if publish else n) for day, n in trend],
        population_label=population.get("label", ""),
        population_sources=population.get("sources", {}),
    )


def _measure(slug: str, label: str, description: str) -> Measure:
    measure, _ = Measure.objects.update_or_create(
        source_kind=SourceKind.PARTNER_RETURN,
        slug=slug,
        defaults={"label": label, "description": description, "unit": Unit.COUNT},
    )
    return measure


def _month_value(area_code: str, day: date, value: float | None) -> ObservationValue:
    """A month's observation, measured on ``day``: provisional until the month ends."""
    end = month_end(month_index(day))
    return ObservationValue(area_code, day.replace(day=1), end, value, provisional=day < end)


def store_panel_observations(panel: Panel, today: date) -> int:
    """Store the published (suppressed) counts as observations, so they can appear on
    dashboards and in the board pack: people on the list at each month-end of the last
    year, and, for the current month, the count for each flag and risk level.

    A suppressed count is stored with no value. Returns the number stored.
    """
    area = panel.partnership.local_authority
    if area is None:
        return 0
    published = panel_aggregates(panel, today, publish=True)
    stored = 0

    def value(shown: agg.Display) -> float | None:
        return float(shown) if isinstance(shown, int) else None

    on_list = _measure(
        f"panel-{panel.slug}-on-list",
        f"{panel.name}: people on the list",
        f"People on the {panel.name} list (referred or open) at the end of each month. "
        "Counts of 1 to 4 are suppressed.",
    )
    stored += store_observations(
        on_list,
        [_month_value(area.code, day, value(shown)) for day, shown in published.trend],
    )
    flag_labels = dict(Flag.choices)
    for code, (label, shown) in zip(panel.flags, published.flags, strict=True):
        measure = _measure(
            f"panel-{panel.slug}-flag-{code}",
            f"{panel.name}: {label.lower()}",
            f"People on the {panel.name} list flagged for {flag_labels.get(code, code).lower()}. "
            "Counts of 1 to 4 are suppressed.",
        )
        stored += store_observations(measure, [_month_value(area.code, today, value(shown))])
    for code, (label, shown) in zip(
        [*RiskLevel.values, "not_assessed"], published.risk, strict=True
    ):
        measure = _measure(
            f"panel-{panel.slug}-risk-{code.replace('_', '-')}",
            f"{panel.name}: {label.lower()} risk",
            f"People on the {panel.name} list assessed as {label.lower()} risk. "
            "Counts of 1 to 4, and cells that would reveal them, are suppressed.",
        )
        stored += store_observations(measure, [_month_value(area.code, today, value(shown))])
    return stored
