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


def test_the_pack_follows_the_chosen_kind_numbers_sub_items_and_prints_no_verbal_item(
    pack_setting,
) -> None:
    from saferboard.meetings import services as meetings
    from saferboard.reports.assemble import assemble

    meeting = pack_setting["meeting"]
    plan = meetings.add_agenda_item(
        meeting, title="Youth Offending Service improvement plan", kind="action_plans"
    )
    meetings.add_agenda_item(
        meeting, title="Remands", kind="paper", papers="Remand note", parent=plan
    )
    meetings.add_agenda_item(meeting, title="Crime: verbal update", kind="verbal", papers="Slides")
    numbers = meetings.agenda_numbers(meeting)
    content = assemble(meeting, public=False)
    entries = {e.title: e for e in content.entries}
    yos = entries["Youth Offending Service improvement plan"]
    assert yos.kind == "action_plans" and yos.section is not None
    assert yos.section.kind == "action_plans"  # the plan, not the youth justice KPI table
    assert yos.number == int(numbers[plan.pk])
    assert entries["Remands"].number == f"{yos.number}a"
    assert entries["Remands"].anchor == f"item-{yos.number}a"
    verbal = entries["Crime: verbal update"]
    assert verbal.kind == "verbal" and verbal.section is None
    # Items with no sub-items keep whole numbers, as before.
    assert [e.number for e in content.entries][:3] == [1, 2, 3]
