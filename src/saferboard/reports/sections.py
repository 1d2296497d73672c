"""The section-provider interface: how each app's content plugs into the board pack.

A provider is a function ``(item, context) -> Section`` registered for an agenda item
*kind* ("minutes", "crime_dashboard"…). It reads what it needs from its app through
that app's own functions and returns plain data: a heading and a list of blocks
(paragraphs, sanitised HTML, tables with their sources, charts each with the table
behind it), plus the narratives and computed figures the figure check compares.

Nothing here renders: one template tree turns blocks into the web pack and the print
pack, and the DOCX writer turns the same blocks into Word headings and tables. A
provider whose app has no content yet returns ``Section.unavailable(...)``; the pack
then says so in its contents instead of inventing anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from saferboard.core.rag_values import status_label
from saferboard.reports.figurecheck import Narrative, ObservedFigure

if TYPE_CHECKING:
    from saferboard.core.models import User
    from saferboard.meetings.models import AgendaItem, Meeting


@dataclass(frozen=True)
class Source:
    """Where a figure came from: the import, its dates, and the measure's definition."""

    ident: str  # stable identity, e.g. 'import-12:burglary'
    label: str  # the DataImport label, e.g. 'police.uk Lambeth 2025-01'
    extract_date: date | None
    data_as_at: date | None
    measure: str
    definition: str
    unit: str = ""
    code_version: str = ""


@dataclass(frozen=True)
class Rag:
    """A RAG status in a table cell: always shown as text and colour."""

    status: str
    second_status: str = ""
    reason: str = ""

    @property
    def label(self) -> str:
        """'Amber', 'Amber/Green', or 'Not rated': the one RAG label."""
        return status_label(self.status, self.second_status or None)

    def __str__(self) -> str:
        return self.label


Cell = str | Rag


@dataclass(frozen=True)
class TableData:
    """A table as published: caption, headings, rows of text (or RAG) and provenance."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[int, ...] = ()  # columns to right-align
    row_headers: bool = True  # the first column heads each row
    sources: tuple[Source, ...] = ()
    footnotes: tuple[str, ...] = ()
    # A table typed by a partner whose cells count people: the public pack suppresses
    # its small counts (reports.disclosure.protect_partner_table). Computed tables
    # apply disclosure control in their providers and leave this False.
    counts_people: bool = False


@dataclass(frozen=True)
class Block:
    """Base of the content blocks; ``template`` renders it in the web and print pack."""

    template: ClassVar[str] = ""


@dataclass(frozen=True)
class Heading(Block):
    text: str
    level: int = 3
    template: ClassVar[str] = "reports/pack/blocks/heading.html"


@dataclass(frozen=True)
class Paragraph(Block):
    text: str
    note: bool = False  # an editorial note (shown in a quieter style)
    template: ClassVar[str] = "reports/pack/blocks/paragraph.html"


@dataclass(frozen=True)
class Html(Block):
    """A fragment already sanitised by its app (partner narratives)."""

    html: str
    template: ClassVar[str] = "reports/pack/blocks/html.html"


@dataclass(frozen=True)
class Table(Block):
    table: TableData
    template: ClassVar[str] = "reports/pack/blocks/table.html"


@dataclass(frozen=True)
class Chart(Block):
    """An inline SVG chart (the same markup as the web page) and the table behind it."""

    title: str
    svg: str
    table: TableData
    template: ClassVar[str] = "reports/pack/blocks/chart.html"


@dataclass(frozen=True)
class AppendixRef:
    """An uploaded PDF paper merged into the pack after its item."""

    title: str
    path: str
    pages: int
    sha256: str


@dataclass(frozen=True)
class Section:
    """One agenda item's content in the pack."""

    kind: str
    heading: str
    blocks: tuple[Block, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    observed: tuple[ObservedFigure, ...] = ()
    available: bool = True
    note: str = ""  # why the content is not available
    appendices: tuple[AppendixRef, ...] = ()

    @classmethod
    def unavailable(cls, kind: str, heading: str, why: str) -> Section:
        """A section whose content does not exist yet: the pack says so, plainly."""
        return cls(
            kind=kind,
            heading=heading,
            blocks=(Paragraph(f"Not available in this pack: {why}", note=True),),
            available=False,
            note=why,
        )

    def sources(self) -> list[Source]:
        found: dict[str, Source] = {}
        for block in self.blocks:
            table = getattr(block, "table", None)
            if isinstance(table, TableData):
                for source in table.sources:
                    found.setdefault(source.ident, source)
        return list(found.values())


@dataclass
class PackContext:
    """What every provider may use: the meeting, the audience and who is building."""

    meeting: Meeting
    public: bool  # True: exempt items left out and disclosure control applied
    user: User | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def as_at(self) -> date:
        """Figures are those available for the meeting: nothing after its date."""
        return self.meeting.date


Provider = Callable[["AgendaItem", PackContext], Section]

_PROVIDERS: dict[str, Provider] = {}

# What an agenda item contains, as the clerk chooses it on the agenda item form: the
# kind's value, its label, and a hint saying what the pack prints for it. "verbal" has
# no provider: a verbal item prints nothing (unless a paper is appended to it).
# "panel_aggregates" is left out until a provider is registered for it.
AGENDA_KINDS: tuple[tuple[str, str, str], ...] = (
    ("paper", "A paper", "The presenter and the item's linked papers, one per line."),
    (
        "priority_report",
        "A report of a priority",
        "The quarter's progress report: the priority named in the title (‘Priority 2’), "
        "else every priority in scope in the round.",
    ),
    (
        "crime_dashboard",
        "The crime dashboard",
        "Rolling-year crime figures for the partnership's area from its chosen crime "
        "source, against the previous year, with RAG.",
    ),
    (
        "youth_justice",
        "Youth justice performance",
        "The youth justice KPI table: latest value, comparators and rank per measure.",
    ),
    (
        "action_plans",
        "Action plans",
        "Each of the partnership's action plans (improvement plans and others, not board "
        "action logs): RAG counts and what is overdue.",
    ),
    (
        "matters_arising",
        "Matters arising",
        "The actions raised at earlier meetings, from the board's action log.",
    ),
    ("minutes", "Minutes", "The minutes of the board's previous meeting."),
    (
        "questions",
        "Questions",
        "The meeting's questions from councillors and the public, with their answers "
        "(a member of the public is named in the public pack only with their consent).",
    ),
    ("verbal", "Verbal (no paper)", "Nothing is printed: the item is taken at the meeting."),
)

# Which kind a title suggests (the form pre-fills it on a new item; the clerk decides).
# Order matters: the first pattern that matches wins.
KIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("minutes", re.compile(r"\bminutes\b", re.I)),
    ("matters_arising", re.compile(r"\bmatters arising\b", re.I)),
    ("crime_dashboard", re.compile(r"\bcrime\b.*\b(dashboard|performance)\b", re.I)),
    (
        "youth_justice",
        re.compile(r"\b(youth justice|youth offending|yos|first[- ]time entrants)\b", re.I),
    ),
    ("action_plans", re.compile(r"\b(action plan|improvement plan|action log)\b", re.I)),
    ("priority_report", re.compile(r"\b(priorit(y|ies)|progress report|partner updates?)\b", re.I)),
]


def kind_label(kind: str) -> str:
    """'The crime dashboard' for 'crime_dashboard' (the value itself if unknown)."""
    return next((label for value, label, _ in AGENDA_KINDS if value == kind), kind)


def suggest_kind(title: str) -> str:
    """The kind ``title`` suggests: the first pattern that matches, else 'paper'.

    Only a suggestion: the clerk confirms or changes it, and :func:`kind_of` reads the
    item's own kind."""
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(title):
            return kind
    return "paper"


def register(kind: str) -> Callable[[Provider], Provider]:
    """Register ``provider`` for agenda items of ``kind`` (a later registration wins,
    so an app can replace the pack's own provider with a richer one)."""

    def decorator(provider: Provider) -> Provider:
        _PROVIDERS[kind] = provider
        return provider

    return decorator


def kind_of(item: AgendaItem) -> str:
    """The item's kind: the one the clerk chose (its ``kind`` field). The title is read
    only for an item with no kind of its own (one built in memory, never saved)."""
    explicit = getattr(item, "kind", "") or ""
    return explicit or suggest_kind(item.title)


def provider_for(kind: str) -> Provider | None:
    """The registered provider for ``kind`` (:mod:`saferboard.reports.providers`
    registers them when the reports app is ready)."""
    return _PROVIDERS.get(kind)


def registered_kinds() -> list[str]:
    """Every kind with a registered provider."""
    return sorted(_PROVIDERS)
