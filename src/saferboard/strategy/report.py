"""The priority progress report: built once as plain data, rendered to HTML, PDF or DOCX.

:func:`build_priority_report` reads the database and returns a :class:`PriorityReport`
of frozen dataclasses (no models, no request). The renderers take only that, so the
board pack can build the reports for a meeting and render them into its own document.

Only *accepted* content reaches the report. For each partner on each commitment it
shows the round's accepted update, or says none has been accepted yet and shows the
rating still in force (the latest accepted at or before the round).
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from saferboard.core import docx_writer, formats
from saferboard.core.docx_writer import HtmlToDocx
from saferboard.core.presenters import TagPresentation, rag_tags
from saferboard.core.rag import (
    NOT_RATED_LABEL,
    RAG_ORDER,
    RagAssessment,
    status_label,
    status_rank,
)
from saferboard.strategy.content import Figures
from saferboard.strategy.models import (
    Commitment,
    LineRating,
    PartnerUpdate,
    Priority,
    ReportingRound,
    SuccessIndicator,
    UpdateState,
)
from saferboard.strategy.services import is_active_in, partner_range, round_order_q

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import _Cell

    from saferboard.core.models import Organisation, Partnership, User

PRINT_CSS = Path(__file__).resolve().parent / "static" / "strategy" / "print.css"


@dataclass(frozen=True)
class RagView:
    """A RAG rating ready to show: statuses, label ('Amber/Green') and reason."""

    status: str
    second_status: str
    label: str
    reason: str

    @classmethod
    def of(cls, assessment: RagAssessment | None) -> RagView | None:
        if assessment is None:
            return None
        return cls(
            status=assessment.status,
            second_status=assessment.second_status or "",
            label=assessment.label,
            reason=assessment.reason,
        )

    @property
    def tags(self) -> list[TagPresentation]:
        return rag_tags(self.status, self.second_status or None)

    @property
    def rank(self) -> float:
        return status_rank(self.status, self.second_status or None)


@dataclass(frozen=True)
class PartnerEntry:
    """One partner's contribution to one commitment in the report."""

    organisation: str
    state: str  # the round's update state, as a label ('Accepted', 'Not started'…)
    has_update: bool  # an accepted update for this round is shown
    narrative_html: str
    case_study_html: str
    figures: Figures | None
    rag: RagView | None
    rag_round: str  # the round the rating comes from ('' if never rated)
    carried_forward: bool
    late: bool
    note: str
    # "Entered by A Coordinator on behalf of Police" when a coordinator typed it in.
    entered_by: str = ""
    # "Corrected on 3 May 2021 by A Coordinator: figure checked" for each correction.
    corrections: tuple[str, ...] = ()
    update_id: int | None = None  # the accepted update shown (where it is corrected)


@dataclass(frozen=True)
class TimelineRow:
    name: str
    cells: tuple[RagView | None, ...]


class Timeline(TypedDict):
    """A commitment's ratings round by round (part of its :class:`CommitmentSection`)."""

    timeline_rounds: tuple[str, ...]
    timeline: tuple[TimelineRow, ...]


@dataclass(frozen=True)
class LineRatingView:
    """One partner's rating of one sub-commitment, as in force at the round."""

    organisation: str
    rag: RagView
    rag_round: str


@dataclass(frozen=True)
class SubCommitmentLine:
    """A sub-commitment ('1.2.1'), with each partner's rating of it, if any."""

    number: str
    text: str
    ratings: tuple[LineRatingView, ...] = ()
    rollup: RagView | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class IndicatorLine:
    """'How we will know we are on track': the line and, if it names a measure, the
    measure's latest stored figure."""

    text: str
    measure: str = ""
    figure: str = ""  # '1,070' ('' when the measure has no stored figure yet)
    period: str = ""  # 'April 2025 to January 2026'
    area: str = ""
    rag: RagView | None = None
    rag_rule: str = ""  # the rule version that rated the figure ('slug@version')

    @property
    def has_measure(self) -> bool:
        return bool(self.measure)


@dataclass(frozen=True)
class CommitmentSection:
    number: int
    title: str
    sub_commitments: tuple[SubCommitmentLine, ...]
    partners: tuple[PartnerEntry, ...]
    rollup: RagView | None
    timeline_rounds: tuple[str, ...]
    timeline: tuple[TimelineRow, ...]
    display_number: str = ""  # '3.1'
    indicators: tuple[IndicatorLine, ...] = ()


@dataclass(frozen=True)
class RagCount:
    label: str
    status: str
    second_status: str
    count: int

    @property
    def tags(self) -> list[TagPresentation]:
        return rag_tags(self.status or None, self.second_status or None)


@dataclass(frozen=True)
class CountRow:
    """One status with its count on the priority and across the strategy."""

    label: str
    status: str
    second_status: str
    priority: int
    strategy: int


@dataclass(frozen=True)
class PriorityReport:
    partnership: str
    strategy_title: str
    round_label: str
    round_period: str
    deadline: date
    round_is_open: bool
    is_end_of_year: bool
    is_substantive: bool
    priority_number: int
    priority_title: str
    aim: str
    lead_partners: tuple[str, ...]
    sub_priorities: tuple[str, ...]
    commitments: tuple[CommitmentSection, ...]
    priority_counts: tuple[RagCount, ...]
    strategy_counts: tuple[RagCount, ...]
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def title(self) -> str:
        return (
            f"{self.round_label}: progress against Priority {self.priority_number} – "
            f"{self.priority_title}"
        )

    @property
    def priority_total(self) -> int:
        return sum(c.count for c in self.priority_counts)

    @property
    def strategy_total(self) -> int:
        return sum(c.count for c in self.strategy_counts)

    @property
    def count_rows(self) -> list[CountRow]:
        """The two sets of counts side by side (a status in either appears in both)."""
        strategy = {c.label: c for c in self.strategy_counts}
        priority = {c.label: c for c in self.priority_counts}
        rows = []
        for count in self.strategy_counts:  # a superset of the priority's statuses
            rows.append(
                CountRow(
                    label=count.label,
                    status=count.status,
                    second_status=count.second_status,
                    priority=priority[count.label].count if count.label in priority else 0,
                    strategy=strategy[count.label].count,
                )
            )
        for count in self.priority_counts:
            if count.label not in strategy:
                rows.append(
                    CountRow(count.label, count.status, count.second_status, count.count, 0)
                )
        return rows


# Building ---------------------------------------------------------------------------------


def _counts(ratings: list[RagView | None]) -> tuple[RagCount, ...]:
    """Counts by status, Red to Blue with splits between their parts, then not rated.
    The four plain statuses always appear (with 0) so reports compare at a glance."""
    buckets: dict[tuple[str, str], int] = {(s, ""): 0 for s in RAG_ORDER}
    unrated = 0
    for rating in ratings:
        if rating is None:
            unrated += 1
            continue
        key = (rating.status, rating.second_status)
        buckets[key] = buckets.get(key, 0) + 1

    def order(key: tuple[str, str]) -> tuple[float, int]:
        return (status_rank(key[0], key[1] or None), 1 if key[1] else 0)

    counts = [
        RagCount(
            label=status_label(s, t or None),
            status=s,
            second_status=t,
            count=n,
        )
        for (s, t), n in sorted(buckets.items(), key=lambda item: order(item[0]))
    ]
    if unrated:
        counts.append(RagCount(label=NOT_RATED_LABEL, status="", second_status="", count=unrated))
    return tuple(counts)


def _accepted_history(round: ReportingRound) -> dict[tuple[int, int], list[PartnerUpdate]]:
    """Accepted updates of the round's strategy up to and including the round, per
    (commitment, organisation), oldest round first."""
    rounds = ReportingRound.objects.filter(round_order_q(round, inclusive=True))
    history: dict[tuple[int, int], list[PartnerUpdate]] = defaultdict(list)
    for update in (
        PartnerUpdate.objects.filter(round__in=rounds, state=UpdateState.ACCEPTED)
        .select_related("round", "entered_by")
        .prefetch_related("corrections__actor")
        .order_by("round__financial_year", "round__quarter")
    ):
        history[(update.commitment_id, update.organisation_id)].append(update)
    return history


def _effective(history: list[PartnerUpdate]) -> tuple[RagView | None, str]:
    """The rating in force: the newest accepted one, and the round it came from."""
    if not history:
        return None, ""
    latest = history[-1]
    return RagView.of(latest.proposed_rag), latest.round.label


def build_priority_report(round: ReportingRound, priority: Priority) -> PriorityReport:
    """Everything the priority progress report shows for ``priority`` in ``round``."""
    strategy = round.strategy
    history = _accepted_history(round)
    rounds = list(
        ReportingRound.objects.filter(round_order_q(round, inclusive=True)).order_by(
            "financial_year", "quarter"
        )
    )
    this_round = {
        (u.commitment_id, u.organisation_id): u
        for u in round.updates.select_related("organisation").filter(commitment__priority=priority)
    }
    today = timezone.localdate()
    sections = []
    priority_ratings: list[RagView | None] = []
    commitments = (
        priority.commitments.filter(parent__isnull=True)
        # A commitment retired before this quarter is no longer reported on.
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=round.period.start))
        .prefetch_related("contributors", "children", "indicators__measure")
        .order_by("number")
    )
    lines = _line_ratings(round, priority)
    figures = _FigureFinder(strategy.partnership)
    for commitment in commitments:
        organisations = {o.pk: o for o in commitment.contributors.all() if is_active_in(o, round)}
        for (c_id, o_id), update in this_round.items():
            if c_id == commitment.pk:
                organisations.setdefault(o_id, update.organisation)
        partners = []
        ratings = []
        for organisation in sorted(organisations.values(), key=lambda o: o.name):
            key = (commitment.pk, organisation.pk)
            rating, rating_round = _effective(history.get(key, []))
            partners.append(
                _partner_entry(organisation.name, this_round.get(key), rating, rating_round, today)
            )
            ratings.append(rating)
        priority_ratings.extend(ratings)
        sections.append(
            CommitmentSection(
                number=commitment.number,
                title=commitment.title,
                sub_commitments=_sub_commitment_lines(commitment, round, lines),
                partners=tuple(partners),
                rollup=_rollup(ratings),
                display_number=f"{priority.number}.{commitment.number}",
                indicators=tuple(
                    figures.line(i)
                    for i in sorted(commitment.indicators.all(), key=lambda i: (i.order, i.pk))
                    if i.retired_on is None
                ),
                **_timeline(commitment, organisations, history, rounds),
            )
        )
    return PriorityReport(
        partnership=strategy.partnership.name,
        strategy_title=strategy.title,
        round_label=round.label,
        round_period=f"{round.period.start:%B %Y} to {round.period.end:%B %Y}",
        deadline=round.deadline,
        round_is_open=round.is_open,
        is_end_of_year=round.is_end_of_year,
        is_substantive=round.substantive_priorities.filter(pk=priority.pk).exists(),
        priority_number=priority.number,
        priority_title=priority.title,
        aim=priority.aim,
        lead_partners=tuple(o.name for o in priority.lead_organisations.order_by("name")),
        sub_priorities=tuple(s.title for s in priority.sub_priorities.all()),
        commitments=tuple(sections),
        priority_counts=_counts(priority_ratings),
        strategy_counts=_counts(_strategy_ratings(round, history)),
    )


def _partner_entry(
    name: str,
    update: PartnerUpdate | None,
    rating: RagView | None,
    rating_round: str,
    today: date,
) -> PartnerEntry:
    accepted = update if update is not None and update.state == UpdateState.ACCEPTED else None
    if accepted is not None:
        note = ""
    elif update is None:
        note = "No update was asked for in this round."
    else:
        note = f"No update accepted for this quarter yet ({update.get_state_display().lower()})."
    if accepted is None and rating is not None:
        note += f" The rating shown is from {rating_round}."
    entered_by = ""
    corrections: tuple[str, ...] = ()
    if accepted is not None:
        if accepted.entered_by is not None:
            entered_by = f"Entered by {_person(accepted.entered_by)} on behalf of {name}."
        corrections = tuple(
            f"{c.get_field_display()} corrected on {timezone.localtime(c.at):%-d %B %Y} by "
            f"{_person(c.actor)}: {c.reason}"
            for c in accepted.corrections.all()
        )
    return PartnerEntry(
        organisation=name,
        state=update.get_state_display() if update else "Not asked",
        has_update=accepted is not None,
        narrative_html=accepted.narrative_html if accepted else "",
        case_study_html=accepted.case_study_html if accepted else "",
        figures=Figures.from_json(accepted.figures) if accepted else None,
        rag=rating,
        rag_round=rating_round,
        carried_forward=bool(accepted and accepted.carried_forward),
        late=bool(update is not None and update.is_late(today)),
        note=note.strip(),
        entered_by=entered_by,
        corrections=corrections,
        update_id=accepted.pk if accepted else None,
    )


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _line_ratings(round: ReportingRound, priority: Priority) -> dict[tuple[int, int], LineRating]:
    """The latest accepted rating of each (sub-commitment, organisation) up to the round."""
    latest: dict[tuple[int, int], LineRating] = {}
    for line in (
        LineRating.objects.filter(
            update__round__in=ReportingRound.objects.filter(round_order_q(round, inclusive=True)),
            update__state=UpdateState.ACCEPTED,
            sub_commitment__priority=priority,
        )
        .select_related("update__round", "update__organisation")
        .order_by("update__round__financial_year", "update__round__quarter", "pk")
    ):
        latest[(line.sub_commitment_id, line.update.organisation_id)] = line
    return latest


def _sub_commitment_lines(
    commitment: Commitment,
    round: ReportingRound,
    lines: dict[tuple[int, int], LineRating],
) -> tuple[SubCommitmentLine, ...]:
    result = []
    children = sorted(commitment.children.all(), key=lambda c: c.number)
    for child in children:
        if child.retired_on is not None and child.retired_on <= round.period.start:
            continue
        ratings = sorted(
            (
                LineRatingView(
                    organisation=line.update.organisation.name,
                    rag=RagView.of(line.proposed_rag),  # type: ignore[arg-type]
                    rag_round=line.update.round.label,
                )
                for (sub_id, _org), line in lines.items()
                if sub_id == child.pk
            ),
            key=lambda v: v.organisation,
        )
        result.append(
            SubCommitmentLine(
                number=f"{commitment.priority.number}.{commitment.number}.{child.number}",
                text=child.title,
                ratings=tuple(ratings),
                rollup=_rollup([r.rag for r in ratings]) if ratings else None,
            )
        )
    return tuple(result)


class _FigureFinder:
    """Finds a measure's latest stored observation, preferring the partnership's area."""

    def __init__(self, partnership: Partnership) -> None:
        self.area_id = partnership.local_authority_id

    def line(self, indicator: SuccessIndicator) -> IndicatorLine:
        from saferboard.measures.models import Observation

        measure = indicator.measure
        if measure is None:
            return IndicatorLine(text=indicator.text)
        observations = Observation.objects.filter(measure=measure, value__isnull=False)
        if self.area_id is not None and observations.filter(area_id=self.area_id).exists():
            observations = observations.filter(area_id=self.area_id)
        latest = observations.select_related("area").order_by("-period_end", "-pk").first()
        if latest is None:
            return IndicatorLine(text=indicator.text, measure=measure.label)
        return IndicatorLine(
            text=indicator.text,
            measure=measure.label,
            figure=_format_value(latest.value, measure.unit),  # type: ignore[arg-type]
            period=f"{latest.period_start:%B %Y} to {latest.period_end:%B %Y}",
            area=latest.area.name,
            # The rating stored with the figure when it was stored (issue 19): never a
            # rule applied again here, so the report says what the measure pages say.
            rag=RagView.of(latest.rag),
            rag_rule=latest.rag_rule,
        )


def _format_value(value: float, unit: str) -> str:
    return formats.plain_figure(value, unit)


def _rollup(ratings: list[RagView | None]) -> RagView | None:
    assessments = [
        RagAssessment(status=r.status, second_status=r.second_status or None)
        for r in ratings
        if r is not None
    ]
    return RagView.of(partner_range(assessments))


def _timeline(
    commitment: Commitment,
    organisations: dict[int, Organisation],
    history: dict[tuple[int, int], list[PartnerUpdate]],
    rounds: list[ReportingRound],
) -> Timeline:
    """A commitment's ratings round by round: a row per partner and one for the roll-up,
    over the rounds in which any partner's update on it was accepted (and this round)."""
    per_round: dict[int, dict[int, RagView | None]] = defaultdict(dict)
    for org_id in organisations:
        for update in history.get((commitment.pk, org_id), []):
            per_round[update.round_id][org_id] = RagView.of(update.proposed_rag)
    shown = [r for r in rounds if r.pk in per_round or r is rounds[-1]]
    rows = []
    for org_id, organisation in sorted(organisations.items(), key=lambda i: i[1].name):
        rows.append(
            TimelineRow(
                name=organisation.name,
                cells=tuple(per_round[r.pk].get(org_id) for r in shown),
            )
        )
    # The roll-up in each round uses every partner's rating in force then.
    rollups = []
    for r in shown:
        in_force = []
        for org_id in organisations:
            earlier = [
                u
                for u in history.get((commitment.pk, org_id), [])
                if (u.round.financial_year, u.round.quarter) <= (r.financial_year, r.quarter)
            ]
            in_force.append(RagView.of(earlier[-1].proposed_rag) if earlier else None)
        rollups.append(_rollup(in_force))
    rows.append(TimelineRow(name="All partners (range)", cells=tuple(rollups)))
    return {"timeline_rounds": tuple(r.label for r in shown), "timeline": tuple(rows)}


def _strategy_ratings(
    round: ReportingRound, history: dict[tuple[int, int], list[PartnerUpdate]]
) -> list[RagView | None]:
    """The rating in force for every partner on every commitment of the strategy."""
    ratings = []
    commitments = (
        Commitment.objects.filter(priority__strategy=round.strategy, parent__isnull=True)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=round.period.start))
        .filter(
            Q(priority__retired_on__isnull=True) | Q(priority__retired_on__gt=round.period.start)
        )
        .prefetch_related("contributors")
    )
    for commitment in commitments:
        for organisation in commitment.contributors.all():
            if is_active_in(organisation, round):
                ratings.append(_effective(history.get((commitment.pk, organisation.pk), []))[0])
    return ratings


# HTML and PDF ----------------------------------------------------------------------------


def render_html(report: PriorityReport) -> str:
    """A standalone HTML document of the report, for print (WeasyPrint) or the pack."""
    return render_to_string("strategy/report/print.html", {"report": report})


def render_pdf(report: PriorityReport) -> bytes:
    """The report as an A4 PDF, laid out by the print stylesheet."""
    from weasyprint import CSS, HTML

    pdf: bytes = HTML(string=render_html(report)).write_pdf(
        stylesheets=[CSS(filename=str(PRINT_CSS))]
    )
    return pdf


# DOCX -------------------------------------------------------------------------------------


def render_docx(report: PriorityReport) -> bytes:
    """The report as a Word document with real headings and tables."""
    from docx.shared import Cm

    document = docx_writer.new_document(font_size=10.5, font_name="Arial", a4_margins_cm=2)
    document.core_properties.title = report.title
    document.core_properties.subject = report.strategy_title

    document.add_paragraph(f"{report.partnership} – {report.strategy_title}", style="Subtitle")
    document.add_heading(report.title, level=1)
    document.add_paragraph(
        f"{report.round_period}. "
        + ("End-of-year round. " if report.is_end_of_year else "")
        + ("Substantive item this quarter." if report.is_substantive else "")
    )
    if report.aim:
        paragraph = document.add_paragraph()
        paragraph.add_run("Aim: ").bold = True
        paragraph.add_run(report.aim)
    if report.lead_partners:
        paragraph = document.add_paragraph()
        paragraph.add_run("Lead partners: ").bold = True
        paragraph.add_run(", ".join(report.lead_partners))
    if report.sub_priorities:
        document.add_heading("What we will tackle", level=2)
        for title in report.sub_priorities:
            document.add_paragraph(title, style="List Bullet")

    document.add_heading("RAG summary", level=2)
    _docx_counts(document, "Partners' ratings on this priority", report.priority_counts)
    _docx_counts(document, "Partners' ratings across the strategy", report.strategy_counts)

    document.add_heading("How we will do it: progress by commitment", level=2)
    for section_ in report.commitments:
        document.add_heading(f"{section_.number}. {section_.title}", level=3)
        for sub in section_.sub_commitments:
            line = f"{sub.number} {sub.text}"
            if sub.ratings:
                line += " – " + "; ".join(f"{r.organisation}: {r.rag.label}" for r in sub.ratings)
            document.add_paragraph(line, style="List Bullet")
        if section_.indicators:
            document.add_paragraph().add_run("How we will know we are on track").bold = True
            for indicator in section_.indicators:
                document.add_paragraph(indicator_text(indicator), style="List Bullet")
        if section_.rollup:
            paragraph = document.add_paragraph()
            paragraph.add_run("All partners: ").bold = True
            paragraph.add_run(f"{section_.rollup.label} – {section_.rollup.reason}")
        table = docx_writer.header_table(document, ["Partner and update", "RAG status"])
        for entry in section_.partners:
            left, right = table.add_row().cells
            left.paragraphs[0].add_run(entry.organisation).bold = True
            if entry.carried_forward:
                left.add_paragraph("Carried forward from the last accepted update.")
            if entry.note:
                left.add_paragraph(entry.note).runs[0].italic = True
            if entry.entered_by:
                left.add_paragraph(entry.entered_by).runs[0].italic = True
            if entry.narrative_html:
                HtmlToDocx(left).feed(entry.narrative_html)
            if entry.case_study_html:
                left.add_paragraph().add_run("Case study").bold = True
                HtmlToDocx(left).feed(entry.case_study_html)
            if entry.figures:
                _docx_figures(left, entry.figures)
            for correction in entry.corrections:
                left.add_paragraph(correction).runs[0].italic = True
            _docx_rag_cell(right, entry.rag, entry.rag_round if not entry.has_update else "")
            left.width, right.width = Cm(12.5), Cm(4.5)
        document.add_heading(f"RAG history: commitment {section_.number}", level=4)
        _docx_timeline(document, section_)

    document.add_paragraph(
        f"Produced by Saferboard on {timezone.localtime(report.generated_at):%-d %B %Y at %H:%M}."
    ).runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def indicator_figure(indicator: IndicatorLine) -> str:
    """An on-track line's linked measure and its latest figure, or why there is none."""
    if not indicator.has_measure:
        return ""
    if not indicator.figure:
        return f"{indicator.measure}: no figure yet"
    text = f"{indicator.measure}: {indicator.figure} ({indicator.period}"
    text += f", {indicator.area})" if indicator.area else ")"
    return text + (f", {indicator.rag.label}" if indicator.rag else "")


def indicator_text(indicator: IndicatorLine) -> str:
    """One on-track line as plain text, with the measure's figure when it has one."""
    figure = indicator_figure(indicator)
    return f"{indicator.text} – {figure}" if figure else indicator.text


def _docx_rag_cell(cell: _Cell, rag: RagView | None, from_round: str) -> None:
    if rag is None:
        docx_writer.rag_cell(cell, NOT_RATED_LABEL, None)
        return
    docx_writer.rag_cell(cell, rag.label, rag.status)
    if rag.reason:
        cell.add_paragraph(rag.reason)
    if from_round:
        cell.add_paragraph(f"Rating from {from_round}.").runs[0].italic = True


def _docx_counts(document: WordDocument, caption: str, counts: tuple[RagCount, ...]) -> None:
    document.add_paragraph(caption, style="Caption")
    table = docx_writer.header_table(document, [*(c.label for c in counts), "Total"])
    cells = table.add_row().cells
    for cell, count in zip(cells, counts, strict=False):
        cell.text = str(count.count)
        if count.status and not count.second_status:
            docx_writer.shade_status(table.rows[0].cells[cells.index(cell)], count.status)
    cells[-1].text = str(sum(c.count for c in counts))


def _docx_figures(cell: _Cell, figures: Figures) -> None:
    if figures.caption:
        cell.add_paragraph().add_run(figures.caption).bold = True
    table = docx_writer.header_table(cell, figures.columns)
    for row in figures.rows:
        docx_writer.add_row(table, row)
    cell.add_paragraph()


def _docx_timeline(document: WordDocument, section: CommitmentSection) -> None:
    table = docx_writer.header_table(document, ["Partner", *section.timeline_rounds])
    for row in section.timeline:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(row.name).bold = row.name.startswith("All partners")
        for cell, rag in zip(cells[1:], row.cells, strict=True):
            cell.text = rag.label if rag else "No update"
            if rag:
                docx_writer.shade_status(cell, rag.status)
