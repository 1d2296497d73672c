"""The pack's section providers: each reads its app through that app's functions.

Each provider guards its imports: an app that is not installed or not yet built gives
an *unavailable* section (the pack says so) rather than breaking the whole pack.
Figures come only from stored data (observations, accepted updates, the action log);
nothing is made up to fill a gap.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from html import unescape
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from saferboard.core.rag import NOT_RATED_LABEL
from saferboard.reports.charts import grouped_bar_chart
from saferboard.reports.disclosure import (
    PRIMARY_NOTE,
    is_small,
    protect_count,
    protect_rate,
    table_counts_people,
)
from saferboard.reports.figurecheck import Narrative, ObservedFigure
from saferboard.reports.sections import (
    Block,
    Chart,
    Heading,
    Html,
    PackContext,
    Paragraph,
    Rag,
    Section,
    Source,
    Table,
    TableData,
    register,
)
from saferboard.strategy.report import indicator_figure

if TYPE_CHECKING:
    from saferboard.measures.models import Observation
    from saferboard.meetings.arising import ProposedCompletion
    from saferboard.meetings.models import AgendaItem

_TAGS = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """Text of a sanitised HTML fragment, for the figure check."""
    return " ".join(unescape(_TAGS.sub(" ", html)).split())


def _anchor(item: AgendaItem) -> str:
    return f"#item-{item.number}"


def _rag_from_label(label: str) -> Rag:
    """'Amber/Green' → Rag('amber', 'green'); 'Not rated' → Rag('')."""
    parts = [p.strip().lower() for p in (label or "").split("/")]
    known = {"red", "amber", "green", "blue"}
    first = parts[0] if parts and parts[0] in known else ""
    second = parts[1] if len(parts) > 1 and parts[1] in known else ""
    return Rag(first, second)


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not recorded"


# Minutes of the last meeting -----------------------------------------------------------


@register("minutes")
def minutes(item: AgendaItem, context: PackContext) -> Section:
    """The previous meeting's minutes: attendance, numbered items, resolutions, actions."""
    from saferboard.meetings.models import AttendanceKind
    from saferboard.meetings.services import previous_meeting

    before = previous_meeting(context.meeting)
    if before is None:
        return Section.unavailable("minutes", item.title, "this is the board's first meeting.")
    entries = list(
        before.minute_items.prefetch_related("resolutions", "actions").order_by("number", "suffix")
    )
    if not entries:
        return Section.unavailable(
            "minutes", item.title, f"no minutes were recorded for {_day(before.date)}."
        )
    state = (
        "Agreed minutes"
        if before.minutes_locked
        else "Draft minutes, for the board to agree as a correct record"
    )
    blocks: list[Block] = [Paragraph(f"{state} of the meeting held on {_day(before.date)}.")]
    attendance = list(before.attendance.select_related("person", "organisation"))
    for kind, label in (
        (AttendanceKind.PRESENT, "Present"),
        (AttendanceKind.SUBSTITUTE, "Substitutes"),
        (AttendanceKind.APOLOGIES, "Apologies"),
        (AttendanceKind.ALSO_PRESENT, "Also present"),
    ):
        names = [
            a.display_name + (f" ({a.organisation.name})" if a.organisation else "")
            for a in attendance
            if a.kind == kind
        ]
        if names:
            blocks.append(Paragraph(f"{label}: {'; '.join(names)}."))
    narratives = []
    for entry in entries:
        blocks.append(Heading(f"{entry.label}. {entry.title}", level=3))
        if entry.exempt and context.public:
            blocks.append(
                Paragraph("Exempt item: the minute is in the restricted pack only.", note=True)
            )
            continue
        if entry.text:
            blocks.append(Paragraph(entry.text))
            narratives.append(
                Narrative(
                    location=f"Item {item.number}: minute {entry.label}",
                    text=entry.text,
                    link=_anchor(item),
                    edit_url=reverse("meetings:minute-edit", args=[before.pk, entry.label]),
                )
            )
        for resolution in entry.resolutions.all():
            blocks.append(Paragraph(f"RESOLVED that {resolution.text}"))
        actions = list(entry.actions.all())
        if actions:
            rows = tuple(
                (
                    a.reference,
                    a.description,
                    ", ".join(a.leads_display()) or "Not assigned",
                    _day(a.completion_date),
                )
                for a in actions
            )
            blocks.append(
                Table(
                    TableData(
                        caption=f"Actions raised at minute {entry.label}",
                        columns=("Action", "What", "Owner", "Due"),
                        rows=rows,
                    )
                )
            )
    return Section("minutes", item.title, tuple(blocks), narratives=tuple(narratives))


# Matters arising -----------------------------------------------------------------------


@register("matters_arising")
def matters_arising(item: AgendaItem, context: PackContext) -> Section:
    """The matters arising report: the frozen copy generated for the meeting if there is
    one (what the board was sent), else the report as it stands."""
    from saferboard.meetings.services import current_matters_arising, latest_matters_arising

    report = latest_matters_arising(context.meeting)
    if report is not None:
        rows = report.rows
        when = f"Generated from the board's action log on {_day(report.generated_at.date())}."
    else:
        rows = [row.as_dict() for row in current_matters_arising(context.meeting)]
        when = "Generated from the board's action log for this pack."
    proposed, proposed_narratives = _proposed_completions(item, context)
    if not rows:
        return Section(
            "matters_arising",
            item.title,
            (Paragraph(when), Paragraph("There are no matters arising."), *proposed),
            narratives=proposed_narratives,
        )
    table = TableData(
        caption="Matters arising from earlier minutes",
        columns=("Minute", "Matter", "Owner", "Due", "Status", "RAG", "Update"),
        rows=tuple(
            (
                r["minute"],
                r["matter"],
                r["owners"],
                r["due"],
                r["status"],
                _rag_from_label(r["rag"]),
                r["update"],
            )
            for r in rows
        ),
    )
    narratives = tuple(
        Narrative(
            location=f"Item {item.number}: matters arising, {r['minute']}",
            text=r["update"],
            link=_anchor(item),
        )
        for r in rows
        if r.get("update")
    )
    return Section(
        "matters_arising",
        item.title,
        (Paragraph(when), Table(table), *proposed),
        narratives=(*narratives, *proposed_narratives),
    )


Completions = tuple[tuple[Block, ...], tuple[Narrative, ...]]


def _proposed_completions(item: AgendaItem, context: PackContext) -> Completions:
    """The Blues awaiting this board on its own action log (issue 20): a lead's
    "complete" is for the board to accept, so the board sees each at its next meeting."""
    from saferboard.actions.completion import awaiting_board

    plan = context.meeting.board.action_log
    proposals = awaiting_board([plan], public=context.public).get(plan.pk, [])
    return _completions(item, proposals, context, f"{item.title}: proposed completions")


def _completions(
    item: AgendaItem,
    proposals: list[ProposedCompletion],
    context: PackContext,
    caption: str,
    level: int = 3,
) -> Completions:
    """A "Proposed completions for acceptance" heading and table (or nothing), and the
    leads' evidence as narratives: it is prose the pack prints, so the figure check
    (and, in the public pack, the small-number check) reads it."""
    from saferboard.meetings.arising import completion_rows

    rows = completion_rows(proposals, context.meeting.date)
    if not rows:
        return (), ()
    noun = "action is" if len(rows) == 1 else "actions are"
    narratives = tuple(
        Narrative(
            location=f"Item {item.number}: proposed completion of action {r.action}",
            text=r.evidence,
            link=_anchor(item),
        )
        for r in rows
    )
    blocks: tuple[Block, ...] = (
        Heading("Proposed completions for acceptance", level=level),
        Paragraph(
            f"{len(rows)} {noun} proposed complete (Blue) by the lead, for the board to "
            "accept. Until accepted, each counts at its previous rating. The chair, "
            "vice-chair or a coordinator records the decision at the address given."
        ),
        Table(
            TableData(
                caption=caption,
                columns=("Action", "Matter", "Proposed by", "Lead's evidence", "Decision page"),
                rows=tuple((r.action, r.matter, r.proposed, r.evidence, r.decision) for r in rows),
            )
        ),
    )
    return blocks, narratives


# Priority progress reports -------------------------------------------------------------

_PRIORITY_NUMBER = re.compile(r"\bpriority\s+(\d+)", re.I)


@register("priority_report")
def priority_report(item: AgendaItem, context: PackContext) -> Section:
    """The round's progress report: the priority named in the item's title, else the
    round's substantive priorities (all of them at the end of the year)."""
    from saferboard.strategy.models import ReportingRound, Strategy
    from saferboard.strategy.report import build_priority_report

    partnership = context.meeting.board.partnership
    strategy = Strategy.objects.filter(partnership=partnership).order_by("-pk").first()
    if strategy is None:
        return Section.unavailable("priority_report", item.title, "no strategy is set up.")
    rounds = [
        r
        for r in ReportingRound.objects.filter(strategy=strategy)
        if r.period.start <= context.as_at
    ]
    if not rounds:
        return Section.unavailable(
            "priority_report", item.title, "no reporting round has opened before this meeting."
        )
    round_ = max(rounds, key=lambda r: (r.financial_year, r.quarter))
    named = _PRIORITY_NUMBER.search(item.title)
    priorities = strategy.priorities.order_by("number")
    if named:
        chosen = list(priorities.filter(number=int(named.group(1))))
    else:
        chosen = list(round_.priorities_in_scope().order_by("number"))
    if not chosen:
        return Section.unavailable(
            "priority_report", item.title, f"{round_.label} has no priority in scope."
        )
    blocks: list[Block] = []
    narratives: list[Narrative] = []
    for priority in chosen:
        report = build_priority_report(round_, priority)
        blocks.extend(_priority_blocks(report, item, narratives))
    return Section("priority_report", item.title, tuple(blocks), narratives=tuple(narratives))


def _priority_blocks(report: Any, item: AgendaItem, narratives: list[Narrative]) -> list[Block]:
    blocks: list[Block] = [
        Heading(report.title, level=3),
        Paragraph(f"{report.round_period}." + (f" Aim: {report.aim}" if report.aim else "")),
    ]
    if report.lead_partners:
        blocks.append(Paragraph(f"Lead partners: {', '.join(report.lead_partners)}."))
    blocks.append(
        Table(
            TableData(
                caption=f"Partners' ratings on priority {report.priority_number}, by status",
                columns=("Status", "Commitments rated"),
                rows=(
                    *(
                        (
                            Rag(c.status, c.second_status) if c.status else NOT_RATED_LABEL,
                            str(c.count),
                        )
                        for c in report.priority_counts
                    ),
                    ("Total", str(report.priority_total)),
                ),
                numeric=(1,),
            )
        )
    )
    for commitment in report.commitments:
        number = commitment.display_number or str(commitment.number)
        blocks.append(Heading(f"{number}. {commitment.title}", level=4))
        if commitment.sub_commitments:
            blocks.append(
                Table(
                    TableData(
                        caption=f"Commitment {number}: sub-commitments and partners' ratings",
                        columns=("Sub-commitment", "Partners' ratings"),
                        rows=tuple(
                            (
                                f"{sub.number} {sub.text}",
                                "; ".join(
                                    f"{r.organisation}: {r.rag.label}"
                                    + (f" ({r.rag.reason})" if r.rag.reason else "")
                                    for r in sub.ratings
                                )
                                or NOT_RATED_LABEL,
                            )
                            for sub in commitment.sub_commitments
                        ),
                    )
                )
            )
        if commitment.indicators:
            blocks.append(
                Table(
                    TableData(
                        caption=f"Commitment {number}: how we will know we are on track",
                        columns=("On track when", "Latest figure"),
                        rows=tuple(
                            (indicator.text, indicator_figure(indicator) or "No measure linked")
                            for indicator in commitment.indicators
                        ),
                    )
                )
            )
        rows = []
        for entry in commitment.partners:
            rag = (
                Rag(entry.rag.status, entry.rag.second_status, entry.rag.reason)
                if entry.rag
                else Rag("")
            )
            rows.append((entry.organisation, rag, entry.rag.reason if entry.rag else entry.note))
        blocks.append(
            Table(
                TableData(
                    caption=f"Commitment {number}: RAG by partner",
                    columns=("Partner", "RAG status", "Reason"),
                    rows=tuple(rows),
                )
            )
        )
        for entry in commitment.partners:
            if not entry.has_update:
                continue
            blocks.append(Paragraph(f"{entry.organisation}:", note=False))
            if entry.entered_by:
                blocks.append(Paragraph(entry.entered_by, note=True))
            blocks.append(Html(entry.narrative_html))
            for correction in entry.corrections:
                blocks.append(Paragraph(correction, note=True))
            location = (
                f"Item {item.number}: priority {report.priority_number}, commitment "
                f"{number}, {entry.organisation}"
            )
            # Where a coordinator corrects the accepted update (the figure check's
            # "correct at source").
            fix = (
                reverse("strategy:update-correct", args=[entry.update_id])
                if entry.update_id
                else ""
            )
            narratives.append(
                Narrative(
                    location, plain_text(entry.narrative_html), link=_anchor(item), edit_url=fix
                )
            )
            if entry.case_study_html:
                blocks.append(Paragraph("Case study", note=True))
                blocks.append(Html(entry.case_study_html))
                narratives.append(
                    Narrative(
                        f"{location} (case study)",
                        plain_text(entry.case_study_html),
                        link=_anchor(item),
                        edit_url=fix,
                    )
                )
            if entry.figures:
                blocks.append(
                    Table(
                        TableData(
                            caption=entry.figures.caption or f"Figures from {entry.organisation}",
                            columns=tuple(entry.figures.columns),
                            rows=tuple(tuple(r) for r in entry.figures.rows),
                            numeric=tuple(sorted(entry.figures.numeric_columns())),
                            counts_people=table_counts_people(
                                entry.figures.caption,
                                entry.figures.columns,
                                entry.figures.rows,
                                entry.figures.counts_people,
                            ),
                        )
                    )
                )
    return blocks


# Measures: crime dashboard and youth justice -------------------------------------------


def _source(obs: Observation) -> Source:
    """Provenance of one observation, with its measure's definition."""
    imp = obs.source
    measure = obs.measure
    return Source(
        ident=f"import-{imp.pk if imp else 'none'}:{measure.source_kind}:{measure.slug}",
        label=imp.label if imp else "No import recorded (entered or computed directly)",
        extract_date=imp.data_as_at if imp else None,
        data_as_at=obs.data_as_at or (imp.data_as_at if imp else None),
        measure=measure.label,
        definition=measure.description or "No definition recorded.",
        unit=measure.get_unit_display(),
        code_version=obs.code_version,
    )


NO_AREA = (
    "the partnership's local authority is not set, so there is no one area to report. "
    "Set the partnership's local authority (an administrator, on the partnership "
    "settings page), then build the pack again."
)
"""Why a measures section is unavailable without an area: figures of several areas
would be mixed, one arbitrary area per measure (issue 19)."""


def _latest_observations(
    source_kinds: list[str],
    context: PackContext,
    *,
    months: int | None = None,
    keep: Callable[[Observation], bool] | None = None,
) -> list[Observation] | None:
    """The latest observation per measure, to the meeting date, for the partnership's
    local authority (of ``months`` months, and only those ``keep`` accepts); ``None``
    when the partnership has none set."""
    from saferboard.measures.models import Observation

    partnership = context.meeting.board.partnership
    if not partnership.local_authority_id:
        return None
    qs = Observation.objects.filter(
        measure__source_kind__in=source_kinds,
        period_end__lt=context.as_at,
        area_id=partnership.local_authority_id,
    ).select_related("measure", "source", "area")
    latest: dict[int, Observation] = {}
    for obs in qs.order_by("measure_id", "period_end", "period_start"):
        if months is not None and _months(obs.period_start, obs.period_end) != months:
            continue
        if keep is not None and not keep(obs):
            continue
        latest[obs.measure_id] = obs  # ordered, so the last one per measure is the latest
    return sorted(latest.values(), key=lambda o: (o.measure.display_order, o.measure.label))


def _stored_rag(obs: Observation) -> Rag:
    """The rating stored with the figure (set by a rule version when it was stored, or
    on an explicit re-rating); the pack never applies a rule itself."""
    rating = obs.rag
    if rating is None:
        return Rag("")
    return Rag(rating.status, rating.second_status or "", rating.reason)


def _rule_note(observations: list[Observation]) -> str:
    """The footnote naming the rule versions that set the table's RAG statuses."""
    versions: dict[str, list[str]] = {}
    unrated: list[str] = []
    for obs in observations:
        if obs.rag_status and obs.rag_rule:
            versions.setdefault(obs.rag_rule, []).append(obs.measure.label)
        elif not obs.rag_status:
            unrated.append(obs.measure.label)
    parts = [f"{ref} ({', '.join(labels)})" for ref, labels in sorted(versions.items())]
    note = "RAG: the rating stored with each figure"
    note += f", set by rule {'; '.join(parts)}." if parts else "."
    if unrated:
        note += f" Not rated: {', '.join(unrated)}."
    return note


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _previous(obs: Observation) -> float | None:
    value = (obs.comparators or {}).get("previous_period")
    if value is None:
        value = (obs.comparators or {}).get("previous")
    return float(value) if value is not None else None


def _pct(current: float | None, previous: float | None) -> str:
    if current is None or previous is None or previous == 0:
        return "Not available"
    return f"{(current - previous) / previous * 100:+.0f}%"


def _period_label(obs: Observation) -> str:
    from saferboard.core.periods import Period

    try:
        return Period(obs.period_start, obs.period_end).label
    except (TypeError, ValueError):
        return f"{obs.period_start:%b %Y} to {obs.period_end:%b %Y}"


def _period_key(obs: Observation) -> str:
    return f"{obs.period_start.isoformat()}/{obs.period_end.isoformat()}"


def _month_span(first: str, last: str) -> str:
    """'2025-04', '2025-12' → 'Apr to Dec 2025'; across years 'Apr 2025 to Jan 2026'."""
    a, b = date.fromisoformat(f"{first}-01"), date.fromisoformat(f"{last}-01")
    if a == b:
        return f"{a:%b %Y}"
    if a.year == b.year:
        return f"{a:%b} to {b:%b %Y}"
    return f"{a:%b %Y} to {b:%b %Y}"


def _fytd_cell(obs: Observation, public: bool) -> tuple[str, bool]:
    """The financial year to date stored with a rolling-year observation: 'count against
    the same months last year, % difference (months)'; and whether a small count was
    withheld from a public pack."""
    comparators = obs.comparators or {}
    if not comparators.get("fytd_from") or not comparators.get("fytd_to"):
        return "Not available", False
    months = _month_span(str(comparators["fytd_from"]), str(comparators["fytd_to"]))
    current, previous = comparators.get("fytd"), comparators.get("fytd_previous")
    if current is None:
        return f"No data ({months})", False
    if obs.measure.unit == "percent":
        # A rate: the year's parts are not stored for the year to date, so a public pack
        # shows it only when the rolling year's parts are not small.
        if public and _rate_hidden(obs):
            return f"Not shown: small numbers ({months})", True
        if not comparators.get("fytd_complete") or previous is None:
            return f"{current:.1f}%, not compared ({months})", False
        return (
            f"{current:.1f}% against {previous:.1f}%, {current - previous:+.1f} points ({months})",
            False,
        )
    if public and (is_small(current) or (comparators.get("fytd_complete") and is_small(previous))):
        return f"<5 ({months})", True
    if not comparators.get("fytd_complete") or previous is None:
        return f"{current:,.0f}, not compared ({months})", False
    return f"{current:,.0f} against {previous:,.0f}, {_pct(current, previous)} ({months})", False


def _rate_hidden(obs: Observation) -> bool:
    """Whether a public pack withholds a rate: when its numerator or denominator (the
    counts it is made of) is small."""
    return is_small(obs.numerator) or is_small(obs.denominator)


def _crime_cells(
    obs: Observation, previous: float | None, public: bool
) -> tuple[str, str, str, bool]:
    """(value, previous year, difference, withheld) of one crime observation: a count as
    a whole number and % difference, a rate as a percentage and its change in points."""
    if obs.measure.unit == "percent":
        if public and _rate_hidden(obs):
            hidden = "Not shown: small numbers"
            return hidden, hidden, hidden, True
        value = f"{obs.value or 0:.1f}%"
        if obs.numerator is not None and obs.denominator:
            value += f" ({obs.numerator:,.0f} of {obs.denominator:,.0f})"
        before = f"{previous:.1f}%" if previous is not None else "Not available"
        change = (
            f"{(obs.value or 0) - previous:+.1f} points"
            if previous is not None
            else "Not available"
        )
        return value, before, change, False
    hide = public and (is_small(obs.value) or is_small(previous))
    value = protect_count(obs.value) if public else f"{obs.value or 0:,.0f}"
    before = (
        (protect_count(previous) if public else f"{previous:,.0f}")
        if previous is not None
        else "Not available"
    )
    return value, before, "<5" if hide else _pct(obs.value, previous), hide


@register("crime_dashboard")
def crime_dashboard(item: AgendaItem, context: PackContext) -> Section:
    """Rolling 12 months to the latest month with data, per crime measure: the count,
    the previous rolling year, the % difference and the RAG stored with the figure."""
    from saferboard.crime.sources import preferred_source

    # The partnership's chosen crime source only: two sources' figures side by side
    # would answer the same question twice, differently (issue 17).
    partnership = context.meeting.board.partnership
    source = preferred_source(partnership) or "mps"
    observations = _latest_observations([source], context, months=12)
    if observations is None:
        return Section.unavailable("crime_dashboard", item.title, NO_AREA)
    if not observations:
        return Section.unavailable(
            "crime_dashboard",
            item.title,
            "no rolling-year crime figures have been computed for this area before the "
            "meeting date.",
        )
    rows = []
    labels, current_values, previous_values = [], [], []
    observed = []
    small = False
    for obs in observations:
        previous = _previous(obs)
        rag = _stored_rag(obs)
        value, before, change, hide = _crime_cells(obs, previous, context.public)
        fytd, fytd_hidden = _fytd_cell(obs, context.public)
        small = small or hide or fytd_hidden
        rows.append((obs.measure.label, _period_label(obs), value, before, change, fytd, rag))
        if obs.measure.unit != "percent":  # a rate is not drawn on the counts' scale
            labels.append(obs.measure.label)
            current_values.append(None if hide else obs.value)
            previous_values.append(None if hide else previous)
        if obs.value is not None:
            observed.append(
                ObservedFigure(
                    obs.measure.slug,
                    _period_key(obs),
                    obs.value,
                    previous,
                    label=f"{obs.measure.label}, {_period_label(obs)}",
                )
            )
    sources = tuple({_source(o).ident: _source(o) for o in observations}.values())
    table = TableData(
        caption="Crime performance: rolling 12 months against the previous rolling year",
        columns=(
            "Measure",
            "Rolling year",
            "Count",
            "Previous year",
            "Difference",
            "Financial year to date",
            "RAG",
        ),
        rows=tuple(rows),
        numeric=(2, 3, 4),
        sources=sources,
        footnotes=(_rule_note(observations), *((PRIMARY_NOTE,) if small else ())),
    )
    chart = grouped_bar_chart(
        "Crime: rolling 12 months against the previous rolling year",
        labels,
        [("Rolling year", current_values), ("Previous rolling year", previous_values)],
        ident=f"chart-item-{item.number}",
    )
    narratives = tuple(
        Narrative(
            location=f"Item {item.number}: {row[0]}",
            text=f"{row[0]}: {row[2]} {row[4]} ({row[3]}).",
            link=_anchor(item),
        )
        for row in rows
        if row[4] not in ("Not available", "<5", "Not shown: small numbers")
    )
    return Section(
        "crime_dashboard",
        item.title,
        (
            Paragraph(
                "Figures for the latest rolling year with data before the meeting, and the "
                "financial year to date (April to the rolling year's last month) against the "
                "same months a year earlier. Each RAG status is the rating stored with the "
                "figure by the version of its measure's rule named below the table."
            ),
            Chart("Crime: rolling year against the previous year", chart, table),
        ),
        narratives=narratives,
        observed=tuple(observed),
    )


# Peer groups a youth justice figure is compared with, by their comparator key, in the
# order the board reads them; the first with a figure gives the sentence.
YJ_GROUPS = (
    ("london", "London"),
    ("statistical_neighbours", "Statistical neighbours"),
    ("england_wales", "England and Wales"),
)


def _financial_year(obs: Observation) -> bool:
    """A whole financial year (April to March) of a measure by the MoJ method: what the
    board reads, not a quarter, a window someone asked for on the page, or the 12-month
    cohort variant of a reoffending measure."""
    return (
        obs.period_start.month == 4
        and obs.period_start.day == 1
        and _months(obs.period_start, obs.period_end) == 12
        and (obs.measure.definition or {}).get("cohort_kind") != "12m"
    )


def yj_sentence(obs: Observation) -> str:
    """What a board reads of one figure: '12% below London, ranked 9th of 31 in
    London' (the first peer group with a figure; the rank where there is one)."""
    from saferboard.core.formats import ordinal
    from saferboard.youthjustice.comparators import GROUP_PHRASES

    comparators = obs.comparators or {}
    if obs.value is None:
        return ""
    for key, label in YJ_GROUPS:
        group = comparators.get(key)
        if group is None:
            continue
        group = float(group)
        if group == 0:
            compared = f"{label}: 0"
        elif abs(obs.value - group) / group < 0.005:
            compared = f"the same as {label}"
        else:
            pct = (obs.value - group) / group * 100
            compared = f"{abs(pct):.0f}% {'below' if pct < 0 else 'above'} {label}"
        rank, size = comparators.get(f"{key}_rank"), comparators.get(f"{key}_size")
        if rank and size:
            phrase = GROUP_PHRASES.get(key.replace("_", "-"), f"in {label}")
            compared += f", ranked {ordinal(int(rank))} of {int(size)} {phrase}"
        return compared
    return ""


@register("youth_justice")
def youth_justice(item: AgendaItem, context: PackContext) -> Section:
    """The youth justice KPIs for the latest financial year before the meeting: value,
    count, the London, statistical neighbour and England and Wales figures, the rank and
    the RAG stored with each, and the sentence a board reads ("12% below London, ranked
    9th of 31 in London"); provisional figures marked."""
    observations = _latest_observations(["youth-justice"], context, keep=_financial_year)
    if observations is None:
        return Section.unavailable("youth_justice", item.title, NO_AREA)
    if not observations:
        return Section.unavailable(
            "youth_justice",
            item.title,
            "no youth justice figures for a whole financial year have been computed before "
            "the meeting date.",
        )
    rows: list[tuple[str | Rag, ...]] = []
    sentences: list[Block] = []
    small = False
    for obs in observations:
        value = "Not available" if obs.value is None else _format_value(obs)
        count = "" if obs.numerator is None else f"{obs.numerator:,.0f}"
        hidden = context.public and is_small(obs.numerator)
        if hidden:
            value, count, small = protect_rate(obs.numerator, value), "<5", True
        comparators = obs.comparators or {}
        label = obs.measure.label + (" (provisional)" if obs.provisional else "")
        rows.append(
            (
                label,
                _period_label(obs),
                value,
                count,
                *(_fmt_comparator(comparators.get(key)) for key, _ in YJ_GROUPS),
                f"{obs.rank} of {obs.peer_group_size}" if obs.rank and obs.peer_group_size else "",
                _stored_rag(obs),
            )
        )
        sentence = "" if hidden else yj_sentence(obs)
        if sentence:
            sentences.append(Paragraph(f"{label}: {value}, {sentence}."))
    sources = tuple({_source(o).ident: _source(o) for o in observations}.values())
    table = TableData(
        caption="Youth justice key performance indicators: latest financial year",
        columns=(
            "Indicator",
            "Period",
            "Value",
            "Count",
            *(label for _, label in YJ_GROUPS),
            "Rank",
            "RAG",
        ),
        rows=tuple(rows),
        numeric=(2, 3, 4, 5, 6),
        sources=sources,
        footnotes=(_rule_note(observations), *((PRIMARY_NOTE,) if small else ())),
    )
    return Section(
        "youth_justice",
        item.title,
        (Table(table), *sentences, *_yj_published(observations, context), *_kpis2023(context)),
    )


def _yj_published(observations: list[Observation], context: PackContext) -> tuple[Block, ...]:
    """Local figures beside the published ones, and a warning where comparators are
    synthetic (issue 21)."""
    from saferboard.youthjustice.published import pack_table

    found = pack_table(observations, context.public)
    if found is None:
        return ()
    table = TableData(
        caption=found.caption,
        columns=found.columns,
        rows=found.rows,
        numeric=(1, 2),
        footnotes=found.footnotes,
    )
    warning = (Paragraph(found.synthetic_warning),) if found.synthetic_warning else ()
    return (*warning, Table(table))


def _kpis2023(context: PackContext) -> tuple[Block, ...]:
    """The ten 2023 YJB KPIs for the latest whole quarter before the meeting (issue 21)."""
    from saferboard.youthjustice.kpis2023_pack import pack_table

    area_id = context.meeting.board.partnership.local_authority_id
    found = pack_table(area_id, context.as_at, context.public) if area_id else None
    if found is None:
        return ()
    return (
        Heading("Key performance indicators from April 2023"),
        Table(
            TableData(
                caption=found.caption,
                columns=found.columns,
                rows=found.rows,
                numeric=(1, 2, 3),
                footnotes=found.footnotes,
            )
        ),
    )


def _format_value(obs: Observation) -> str:
    unit = obs.measure.unit
    if unit == "percent":
        return f"{obs.value:.1f}%"
    if unit in {"rate_per_1000", "rate_per_100000", "ratio"}:
        return f"{obs.value:,.2f}"
    return f"{obs.value:,.0f}"


def _fmt_comparator(value: Any) -> str:
    if value is None:
        return ""
    try:
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return str(value)


# Action plans ---------------------------------------------------------------------------


@register("action_plans")
def action_plans(item: AgendaItem, context: PackContext) -> Section:
    """Roll-up of the partnership's action plans (not board logs): RAG counts by area and
    what is overdue at the meeting date. Restricted plans only in the restricted pack."""
    from saferboard.actions.models import ActionPlan, PlanKind
    from saferboard.actions.services import plan_summary

    plans = ActionPlan.objects.filter(partnership=context.meeting.board.partnership).exclude(
        kind=PlanKind.BOARD_LOG
    )
    if context.public:
        plans = plans.filter(restricted=False)
    listed = list(plans.order_by("title", "pk"))
    if not listed:
        return Section.unavailable("action_plans", item.title, "no action plans are recorded.")
    blocks: list[Block] = []
    narratives = []
    from saferboard.actions.completion import awaiting_board

    awaiting = awaiting_board(listed, public=context.public)
    for plan in listed:
        summary = plan_summary(plan, today=context.as_at)
        blocks.append(Heading(plan.title, level=3))
        sentence = f"Of the plan's actions: {summary.counts.sentence()}."
        blocks.append(Paragraph(sentence[0].upper() + sentence[1:]))
        narratives.append(
            Narrative(f"Item {item.number}: {plan.title}", summary.counts.sentence(), _anchor(item))
        )
        rows = [
            (
                area,
                str(c.red),
                str(c.amber),
                str(c.green),
                str(c.blue),
                str(c.not_rated),
                str(c.total),
            )
            for area, c in summary.by_area.items()
        ]
        c = summary.counts
        rows.append(
            (
                "Whole plan",
                str(c.red),
                str(c.amber),
                str(c.green),
                str(c.blue),
                str(c.not_rated),
                str(c.total),
            )
        )
        blocks.append(
            Table(
                TableData(
                    caption=f"{plan.title}: actions by RAG status",
                    columns=("Area", "Red", "Amber", "Green", "Blue", NOT_RATED_LABEL, "Total"),
                    rows=tuple(rows),
                    numeric=(1, 2, 3, 4, 5, 6),
                )
            )
        )
        late = len(summary.overdue.for_completion)
        if late:
            noun = "action was" if late == 1 else "actions were"
            blocks.append(
                Paragraph(f"{late} {noun} past completion at the meeting date.", note=True)
            )
        proposed, proposed_narratives = _completions(
            item,
            awaiting.get(plan.pk, []),
            context,
            f"{plan.title}: proposed completions",
            level=4,
        )
        blocks.extend(proposed)
        narratives.extend(proposed_narratives)
    return Section("action_plans", item.title, tuple(blocks), narratives=tuple(narratives))


# Any other paper -----------------------------------------------------------------------


@register("paper")
def paper(item: AgendaItem, context: PackContext) -> Section:
    """An item with listed papers but no app content: its presenter and papers."""
    blocks: list[Block] = []
    if item.presenter:
        blocks.append(Paragraph(f"Presented by {item.presenter}."))
    for line in item.paper_list():
        blocks.append(Paragraph(line))
    return Section("paper", item.title, tuple(blocks))


# Questions, declarations of interest and cover sheets (meetings) -----------------------

_plain_paper = paper
_plain_minutes = minutes


@register("questions")
def questions(item: AgendaItem, context: PackContext) -> Section:
    """The meeting's questions log: each question, who asked (a member of the public
    by name only with their consent, in the public pack), when it arrived against the
    deadline, and the answer. Withdrawn questions are listed as withdrawn."""
    from saferboard.meetings.questions import question_lines

    lines = question_lines(context.meeting.questions.all(), public=context.public)
    board = context.meeting.board
    rule = (
        f"Questions must arrive {board.question_clear_days} clear working days before the "
        "meeting (England and Wales bank holidays excluded)."
    )
    if not lines:
        return Section(
            "questions", item.title, (Paragraph(rule), Paragraph("No questions were received."))
        )
    blocks: list[Block] = [Paragraph(rule)]
    narratives = []
    for line in lines:
        if line.withdrawn:
            blocks.append(Paragraph(f"Question {line.number} was withdrawn.", note=True))
            continue
        blocks.append(Heading(f"Question {line.number}, from {line.asker}", level=4))
        blocks.append(
            Paragraph(
                f"{line.asker_kind}. Received {line.received:%-d %B %Y}: "
                f"{line.timing[0].lower()}{line.timing[1:]}."
            )
        )
        blocks.append(Paragraph(line.text))
        if line.answer:
            by = f" from {line.answered_by}" if line.answered_by else ""
            when = f", {line.answered_on:%-d %B %Y}" if line.answered_on else ""
            blocks.append(Paragraph(f"Answer{by}{when}: {line.answer}"))
            narratives.append(
                Narrative(
                    location=f"Item {item.number}: answer to question {line.number}",
                    text=line.answer,
                    link=_anchor(item),
                )
            )
        else:
            blocks.append(Paragraph("Answer: to be given at the meeting.", note=True))
    return Section("questions", item.title, tuple(blocks), narratives=tuple(narratives))


@register("paper")
def paper_with_cover_sheet(item: AgendaItem, context: PackContext) -> Section:
    """A paper, with its report cover sheet as its first page when it has one (its
    summary and recommendations go to the figure check)."""
    from saferboard.meetings.cover_sheets import cover_sheet_of, cover_sheet_page

    section = _plain_paper(item, context)
    sheet = cover_sheet_of(item)
    if sheet is None:
        return section
    page = cover_sheet_page(sheet)
    narratives = [
        Narrative(
            location=f"Item {item.number}: cover sheet summary",
            text=page.summary,
            link=_anchor(item),
        )
    ]
    if page.recommendations:
        narratives.append(
            Narrative(
                location=f"Item {item.number}: cover sheet recommendations",
                text=" ".join(page.recommendations),
                link=_anchor(item),
            )
        )
    return dataclasses.replace(
        section,
        blocks=(page, *section.blocks),
        narratives=(*narratives, *section.narratives),
    )


@register("minutes")
def minutes_with_declarations(item: AgendaItem, context: PackContext) -> Section:
    """The previous meeting's minutes with its declarations of interest after the
    attendance (as the minutes document prints them)."""
    from saferboard.meetings.declarations import declaration_lines
    from saferboard.meetings.services import agenda_numbers, previous_meeting

    section = _plain_minutes(item, context)
    before = previous_meeting(context.meeting)
    if not section.available or before is None:
        return section
    lines = declaration_lines(
        before.declarations.select_related("person", "agenda_item"),
        agenda_numbers(before),
        show_exempt=not context.public,
    )
    if lines:
        block: Block = Table(
            TableData(
                caption="Declarations of interest",
                columns=("Name", "Item", "Interest", "Nature", "Took part"),
                rows=tuple((d.name, d.item, d.kind, d.nature, d.participation) for d in lines),
            )
        )
    else:
        block = Paragraph("Declarations of interest: none.")
    blocks = list(section.blocks)
    at = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))
    blocks.insert(at, block)
    return dataclasses.replace(section, blocks=tuple(blocks))
