"""An agenda item's kind is the clerk's choice; the title only suggests one."""

from __future__ import annotations

from saferboard.meetings.models import AgendaItem
from saferboard.reports.sections import (
    AGENDA_KINDS,
    KIND_PATTERNS,
    kind_label,
    kind_of,
    registered_kinds,
    suggest_kind,
)


def test_the_yos_improvement_plan_prints_the_plan_not_the_kpi_table() -> None:
    # Issue 20: "youth offending" matched first, so the KPI table replaced the plan.
    title = "Youth Offending Service improvement plan"
    assert suggest_kind(title) == "youth_justice"  # what the title alone would say
    item = AgendaItem(title=title, kind="action_plans")
    assert kind_of(item) == "action_plans"


def test_kind_of_returns_the_items_own_kind_whatever_the_title_says() -> None:
    assert kind_of(AgendaItem(title="Crime performance dashboard", kind="verbal")) == "verbal"
    assert kind_of(AgendaItem(title="Minutes of the last meeting", kind="paper")) == "paper"


def test_an_item_without_a_kind_falls_back_to_the_titles_suggestion() -> None:
    item = AgendaItem(title="Matters arising")
    item.kind = ""
    assert kind_of(item) == "matters_arising"


def test_suggestions_by_title() -> None:
    cases = {
        "Minutes of the last meeting": "minutes",
        "Matters arising": "matters_arising",
        "Crime performance dashboard": "crime_dashboard",
        "First-time entrants": "youth_justice",
        "Domestic abuse action plan": "action_plans",
        "Priority 2: violence against women and girls": "priority_report",
        "Serious violence duty": "paper",
    }
    assert {title: suggest_kind(title) for title in cases} == cases


def test_every_kind_but_verbal_has_a_provider_and_every_pattern_a_kind() -> None:
    kinds = [value for value, _label, _hint in AGENDA_KINDS]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) - {"verbal"} <= set(registered_kinds())
    assert "panel_aggregates" not in kinds  # no provider yet: not offered
    assert {kind for kind, _ in KIND_PATTERNS} <= set(kinds)
    assert kind_label("crime_dashboard") == "The crime dashboard"
    assert kind_label("unknown") == "unknown"
