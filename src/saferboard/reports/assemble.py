"""Assemble a meeting's pack as plain data: cover, agenda, sections, sources.

This is the only part of the pack that reads the database (through the providers);
rendering (:mod:`saferboard.reports.render`) takes the :class:`PackContent` alone, so
the same content gives the same PDF, DOCX and web pack, and its hash is the pack's
data version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from saferboard.reports.disclosure import protect_html_tables, protect_partner_table
from saferboard.reports.figurecheck import Issue, Narrative, ObservedFigure, check_all
from saferboard.reports.sections import (
    AppendixRef,
    Block,
    Html,
    PackContext,
    Section,
    Source,
    Table,
    kind_of,
    provider_for,
)

if TYPE_CHECKING:
    from saferboard.core.models import User
    from saferboard.meetings.models import AgendaItem, Meeting

# Standing items that carry no paper: they are in the agenda, with no pages.
VERBAL_ITEMS = {
    "welcome, introductions and apologies",
    "declarations of interest",
    "questions",
    "chair's update",
    "any other business",
    "date of next meeting",
    "sub-group reports",
}


@dataclass(frozen=True)
class Member:
    name: str
    organisation: str
    role: str


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda line and, if it has pages in this pack, its section."""

    number: int | str  # 7, or '7a' for a sub-item
    title: str
    presenter: str
    kind: str
    section: Section | None
    exempt: bool = False
    exempt_reason: str = ""
    withheld: bool = False  # exempt, and this is the public pack

    @property
    def anchor(self) -> str:
        return f"item-{self.number}" if self.section is not None else ""


@dataclass(frozen=True)
class PackContent:
    """Everything a rendering of the pack needs, with no database in sight."""

    partnership: str
    board: str
    meeting_date: date
    start_time: str
    venue: str
    public: bool
    members: tuple[Member, ...]
    entries: tuple[AgendaEntry, ...]
    sources: tuple[tuple[str, Source], ...]  # (key 'S1', source)
    code_version: str
    issues: tuple[Issue, ...] = field(default=(), compare=False)

    @property
    def audience_label(self) -> str:
        return "Public pack" if self.public else "Restricted pack (includes exempt items)"

    @property
    def title(self) -> str:
        audience = "public pack" if self.public else "restricted pack"
        return f"{self.board}, {self.meeting_date:%-d %B %Y}: {audience}"

    @property
    def marking(self) -> str:
        """The protective marking: 'OFFICIAL-SENSITIVE' on the restricted pack, else ''."""
        from saferboard.reports.marking import marking_for

        return marking_for(public=self.public)

    @property
    def running_header(self) -> str:
        return f"{self.board} · {self.meeting_date:%-d %B %Y}"

    @property
    def source_keys(self) -> dict[str, str]:
        return {source.ident: key for key, source in self.sources}

    @property
    def paged_entries(self) -> list[AgendaEntry]:
        return [e for e, _ in self.sections]

    @property
    def sections(self) -> list[tuple[AgendaEntry, Section]]:
        """Each entry with pages in this pack, and its section."""
        return [(e, e.section) for e in self.entries if e.section is not None]

    @property
    def unavailable(self) -> list[AgendaEntry]:
        return [e for e, section in self.sections if not section.available]

    @property
    def data_version(self) -> str:
        """SHA-256 of the content (every figure, text and source) the pack shows."""
        payload = dataclasses.asdict(self)
        payload.pop("issues", None)
        text = json.dumps(payload, sort_keys=True, default=_json_default, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Cannot hash {type(value).__name__}")


def _appendices(item: AgendaItem) -> tuple[AppendixRef, ...]:
    from saferboard.reports.files import appendix_path

    return tuple(
        AppendixRef(
            title=a.title, path=str(appendix_path(a.sha256)), pages=a.pages, sha256=a.sha256
        )
        for a in item.pack_appendices.all()
    )


def section_for(item: AgendaItem, context: PackContext) -> Section | None:
    """The item's section, or ``None`` for a verbal item with nothing to print."""
    kind = kind_of(item)
    appendices = _appendices(item)
    if kind == "paper" and not item.paper_list() and not appendices:
        return None
    # A standing verbal title prints nothing, unless the clerk chose the questions log
    # for it (the title never decides what an item contains, issue 20).
    if (
        kind != "questions"
        and item.title.strip().lower() in VERBAL_ITEMS
        and not appendices
        and not item.paper_list()
    ):
        return None
    if kind == "verbal" and not appendices:
        return None  # the clerk chose "verbal": nothing is printed
    provider = provider_for("paper" if kind == "verbal" else kind)
    if provider is None:
        section = Section.unavailable(kind, item.title, "no content provider is installed.")
    else:
        section = provider(item, context)
    if appendices:
        section = dataclasses.replace(section, appendices=section.appendices + appendices)
    return section


def protect_partner_tables(section: Section) -> Section:
    """Disclosure control of the tables partners typed, for the public pack: the small
    counts of a table that counts people are suppressed, with secondary suppression
    (see :mod:`saferboard.reports.disclosure`); tables in narrative HTML too."""
    blocks: list[Block] = []
    for block in section.blocks:
        if isinstance(block, Table) and block.table.counts_people:
            table = block.table
            protected = protect_partner_table(
                table.columns, [[str(cell) for cell in row] for row in table.rows]
            )
            if protected.suppressed:
                block = Table(
                    dataclasses.replace(
                        table,
                        rows=protected.rows,
                        footnotes=(*table.footnotes, *protected.footnotes),
                    )
                )
        elif isinstance(block, Html):
            block = Html(protect_html_tables(block.html))
        blocks.append(block)
    return dataclasses.replace(section, blocks=tuple(blocks))


def assemble(meeting: Meeting, *, public: bool, user: User | None = None) -> PackContent:
    """Gather the pack's content for ``meeting`` (public or restricted)."""
    from saferboard.core.code_version import code_version
    from saferboard.meetings.models import BoardMember

    context = PackContext(meeting=meeting, public=public, user=user)
    board = meeting.board
    members = tuple(
        Member(m.person.full_name, m.organisation.name, m.role)
        for m in BoardMember.objects.active_on(meeting.date)
        .filter(board=board)
        .select_related("person", "organisation")
        .order_by("pk")
    )
    from saferboard.meetings.services import agenda_numbers

    numbers = agenda_numbers(meeting)  # '7', '7a': sub-items carry their parent's number
    entries = []
    items = meeting.agenda_items.prefetch_related("pack_appendices").order_by("position", "pk")
    for item in items:
        withheld = public and item.exempt
        section = None if withheld else section_for(item, context)
        if public and section is not None:
            section = protect_partner_tables(section)
        entries.append(
            AgendaEntry(
                number=int(n) if (n := numbers[item.pk]).isdigit() else n,
                title=item.title,
                presenter=item.presenter,
                kind=kind_of(item),
                section=section,
                exempt=item.exempt,
                exempt_reason=item.exempt_reason,
                withheld=withheld,
            )
        )
    sources: dict[str, Source] = {}
    for entry in entries:
        if entry.section is not None:
            for source in entry.section.sources():
                sources.setdefault(source.ident, source)
    numbered = tuple((f"S{i}", s) for i, s in enumerate(sources.values(), 1))
    narratives = [n for e in entries if e.section for n in e.section.narratives]
    observed = [o for e in entries if e.section for o in e.section.observed]
    return PackContent(
        partnership=board.partnership.name,
        board=board.name,
        meeting_date=meeting.date,
        start_time=f"{meeting.start_time:%H:%M}" if meeting.start_time else "",
        venue=meeting.venue(),
        public=public,
        members=members,
        entries=tuple(entries),
        sources=numbered,
        code_version=code_version(),
        issues=tuple(_figure_check(meeting, narratives, observed, public=public)),
    )


def _figure_check(
    meeting: Meeting,
    narratives: list[Narrative],
    observed: list[ObservedFigure],
    *,
    public: bool = False,
) -> list[Issue]:
    """The narratives checked against themselves and against the stored observations
    (:mod:`saferboard.reports.figuredata`), each finding once; in a public pack, also
    each sentence giving a count of people of 1 to 4 (:mod:`.prose_disclosure`)."""
    from saferboard.reports.figuredata import check_pack_against_data
    from saferboard.reports.prose_disclosure import prose_warnings

    issues: dict[str, Issue] = {}
    for issue in (
        *check_all(narratives, observed),
        *check_pack_against_data(meeting, narratives, observed),
        *(prose_warnings(narratives) if public else ()),
    ):
        issues.setdefault(issue.key, issue)
    return list(issues.values())
