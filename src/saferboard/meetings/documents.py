"""Agenda, minutes and matters arising as plain data, and renderers for print, PDF and DOCX.

Builders read the database once into frozen dataclasses; renderers take only those
(no request), so the web pages, the downloads and the board pack all show the same
thing. Exempt items are reduced to their number and "Exempt item" when the reader may
not see them: the builder decides, the renderers never see hidden text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from django.template.loader import render_to_string
from django.utils import timezone

from saferboard.core import docx_writer
from saferboard.meetings.agenda import ContentFacts, Slot, numbers, preview
from saferboard.meetings.arising import ArisingRow
from saferboard.meetings.declarations import DeclarationLine, declaration_lines
from saferboard.meetings.models import AttendanceKind, Meeting, MeetingStatus
from saferboard.meetings.services import current_matters_arising, latest_matters_arising

if TYPE_CHECKING:
    pass

PRINT_CSS = (Path(__file__).resolve().parent / "print.css").read_text(encoding="utf-8")
EXEMPT_TITLE = "Exempt item (not for publication)"


@dataclass(frozen=True)
class MeetingHeading:
    board: str
    day: date
    start: time | None
    venue: str
    status: str

    @property
    def when(self) -> str:
        text = f"{self.day:%A %-d %B %Y}"
        if self.start:
            text += f" at {self.start:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
        return text


@dataclass(frozen=True)
class AgendaEntry:
    number: str  # '7', or '7a' for a sub-item
    title: str
    presenter: str = ""
    papers: tuple[str, ...] = ()
    exempt: bool = False
    exempt_reason: str = ""
    sub: bool = False  # a sub-item (indented under its parent)
    kind: str = ""
    content: str = ""  # what the item will contain in the pack ('Paper: 2 linked papers')
    pk: int | None = None


@dataclass(frozen=True)
class AgendaDoc:
    heading: MeetingHeading
    items: list[AgendaEntry]
    kind: str = "agenda"
    title: str = "Agenda"


@dataclass(frozen=True)
class AttendanceLine:
    name: str
    organisation: str
    note: str = ""


@dataclass(frozen=True)
class ActionLine:
    reference: str
    description: str
    owners: str
    due: str
    status: str


@dataclass(frozen=True)
class MinuteEntry:
    number: int
    title: str
    suffix: str = ""  # the 'a' of 43a
    text: str = ""
    resolutions: tuple[str, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    exempt: bool = False
    hidden: bool = False
    amendments: tuple[str, ...] = ()
    pk: int | None = None

    @property
    def label(self) -> str:
        """The number as printed: '43' or '43a'."""
        return f"{self.number}{self.suffix}"


@dataclass(frozen=True)
class MinutesDoc:
    heading: MeetingHeading
    present: list[AttendanceLine]
    substitutes: list[AttendanceLine]
    apologies: list[AttendanceLine]
    also_present: list[AttendanceLine]
    items: list[MinuteEntry]
    agreed: str = ""
    amendments: list[str] = field(default_factory=list)
    declarations: list[DeclarationLine] = field(default_factory=list)
    kind: str = "minutes"
    title: str = "Minutes"


@dataclass(frozen=True)
class ArisingDoc:
    heading: MeetingHeading
    rows: list[ArisingRow]
    generated: datetime | None
    kind: str = "matters_arising"
    title: str = "Matters arising"


def _heading(meeting: Meeting) -> MeetingHeading:
    return MeetingHeading(
        board=meeting.board.name,
        day=meeting.date,
        start=meeting.start_time,
        venue=meeting.venue(),
        status=meeting.get_status_display(),
    )


def build_agenda(meeting: Meeting, *, show_exempt: bool) -> AgendaDoc:
    """The agenda in order, numbered 7, 7a, 7b, 8, each item with a line on what it
    will contain in the pack."""
    from saferboard.reports.sections import kind_of

    partnership = meeting.board.partnership
    area = partnership.local_authority.name if partnership.local_authority else partnership.name
    listed = list(
        meeting.agenda_items.order_by("position", "pk").prefetch_related("pack_appendices")
    )
    numbered = numbers([Slot(i.pk, i.parent_id) for i in listed])
    items = []
    for item in listed:
        number = numbered[item.pk]
        sub = item.parent_id is not None
        if item.exempt and not show_exempt:
            items.append(AgendaEntry(number, EXEMPT_TITLE, exempt=True, sub=sub))
            continue
        kind = kind_of(item)
        facts = ContentFacts(
            kind=kind,
            papers=len(item.paper_list()),
            appendices=len(item.pack_appendices.all()),
            area=area,
            title=item.title,
        )
        items.append(
            AgendaEntry(
                number=number,
                title=item.title,
                presenter=item.presenter,
                papers=tuple(item.paper_list()),
                exempt=item.exempt,
                exempt_reason=item.exempt_reason,
                sub=sub,
                kind=kind,
                content=preview(facts),
                pk=item.pk,
            )
        )
    return AgendaDoc(_heading(meeting), items)


def build_minutes(meeting: Meeting, *, show_exempt: bool) -> MinutesDoc:
    groups: dict[str, list[AttendanceLine]] = {k: [] for k in AttendanceKind.values}
    for row in meeting.attendance.select_related(
        "person", "organisation", "member", "substitute_for__person"
    ):
        note = row.member.role if row.member and row.member.role != "Member" else ""
        if row.kind == AttendanceKind.SUBSTITUTE and row.substitute_for:
            note = f"substituting for {row.substitute_for.person.full_name}"
        groups[row.kind].append(
            AttendanceLine(
                row.display_name, row.organisation.name if row.organisation else "", note
            )
        )
    items = []
    minute_items = meeting.minute_items.prefetch_related(
        "resolutions", "amendments", "actions__lead_people", "actions__lead_organisations"
    )
    for item in minute_items:
        if item.exempt and not show_exempt:
            items.append(
                MinuteEntry(item.number, EXEMPT_TITLE, suffix=item.suffix, exempt=True, hidden=True)
            )
            continue
        actions = tuple(
            ActionLine(
                reference=a.reference,
                description=a.description,
                owners=", ".join(a.leads_display()) or "Not assigned",
                due=f"{a.completion_date:%-d %B %Y}" if a.completion_date else "Not set",
                status=a.get_status_display(),
            )
            for a in item.actions.all()
        )
        items.append(
            MinuteEntry(
                number=item.number,
                suffix=item.suffix,
                title=item.title,
                text=item.text,
                resolutions=tuple(r.text for r in item.resolutions.all()),
                actions=actions,
                exempt=item.exempt,
                amendments=tuple(a.text for a in item.amendments.all()),
                pk=item.pk,
            )
        )
    agreed = ""
    if meeting.status == MeetingStatus.MINUTES_AGREED and meeting.minutes_agreed_at:
        agreed = (
            f"Agreed as a correct record at the meeting on "
            f"{meeting.minutes_agreed_at.date:%-d %B %Y}."
        )
    general = [
        a.text
        for a in meeting.amendments.all()
        if a.minute_item is None or (a.minute_item.exempt is False or show_exempt)
    ]
    declarations = declaration_lines(
        meeting.declarations.select_related("person", "agenda_item"),
        _agenda_numbers(meeting),
        show_exempt=show_exempt,
    )
    return MinutesDoc(
        heading=_heading(meeting),
        present=groups[AttendanceKind.PRESENT],
        substitutes=groups[AttendanceKind.SUBSTITUTE],
        apologies=groups[AttendanceKind.APOLOGIES],
        also_present=groups[AttendanceKind.ALSO_PRESENT],
        items=items,
        agreed=agreed,
        amendments=general,
        declarations=declarations,
    )


def _agenda_numbers(meeting: Meeting) -> dict[int, str]:
    """Each agenda item's printed number, in agenda order."""
    rows = meeting.agenda_items.order_by("position", "pk").values_list("pk", "parent_id")
    return numbers([Slot(pk, parent) for pk, parent in rows])


def build_matters_arising(meeting: Meeting, *, live: bool = False) -> ArisingDoc:
    """The generated report for the meeting (or, with ``live``, as it would be now)."""
    report = None if live else latest_matters_arising(meeting)
    if report is None:
        rows = current_matters_arising(meeting)
        generated = None
    else:
        rows = [ArisingRow(**row) for row in report.rows]
        generated = report.generated_at
    return ArisingDoc(_heading(meeting), rows, generated)


Document = AgendaDoc | MinutesDoc | ArisingDoc


def render_print_html(doc: Document) -> str:
    """A self-contained HTML page for print and PDF (its own stylesheet, no GOV.UK CSS)."""
    return render_to_string(f"meetings/print/{doc.kind}.html", {"doc": doc, "css": PRINT_CSS})


def render_pdf(doc: Document) -> bytes:
    """An A4 PDF of ``doc`` (WeasyPrint); nothing is fetched from outside."""
    from weasyprint import HTML

    def no_fetch(url: str, *args: object, **kwargs: object) -> NoReturn:
        raise ValueError(f"Refusing to fetch {url} while rendering a PDF")

    pdf: bytes = HTML(string=render_print_html(doc), url_fetcher=no_fetch).write_pdf()
    return pdf


def render_docx(doc: Document) -> bytes:
    """A Word document with real headings and tables."""
    word = docx_writer.new_document(font_size=11)
    word.core_properties.title = f"{doc.heading.board}: {doc.title}, {doc.heading.day:%-d %B %Y}"
    word.add_heading(f"{doc.heading.board}: {doc.title}", level=1)
    word.add_paragraph(f"{doc.heading.when}. {doc.heading.venue}.")
    if isinstance(doc, AgendaDoc):
        table = docx_writer.header_table(word, ["Item", "Title", "Presenter", "Papers"])
        for entry in doc.items:
            title = entry.title + (
                " (exempt)" if entry.exempt and entry.title != EXEMPT_TITLE else ""
            )
            docx_writer.add_row(
                table, [str(entry.number), title, entry.presenter, "\n".join(entry.papers)]
            )
    elif isinstance(doc, MinutesDoc):
        for label, lines in (
            ("Present", doc.present),
            ("Substitutes", doc.substitutes),
            ("Apologies", doc.apologies),
            ("Also present", doc.also_present),
        ):
            if lines:
                word.add_heading(label, level=2)
                for line in lines:
                    text = f"{line.name}, {line.organisation}" if line.organisation else line.name
                    word.add_paragraph(
                        text + (f" ({line.note})" if line.note else ""), style="List Bullet"
                    )
        word.add_heading("Declarations of interest", level=2)
        if doc.declarations:
            table = docx_writer.header_table(
                word, ["Name", "Item", "Interest", "Nature", "Took part"]
            )
            for d in doc.declarations:
                docx_writer.add_row(table, [d.name, d.item, d.kind, d.nature, d.participation])
        else:
            word.add_paragraph("None.")
        for minute in doc.items:
            word.add_heading(f"{minute.label}. {minute.title}", level=2)
            if minute.text:
                for paragraph in minute.text.split("\n\n"):
                    word.add_paragraph(paragraph.strip())
            for resolution in minute.resolutions:
                p = word.add_paragraph()
                p.add_run("RESOLVED").bold = True
                p.add_run(f" that {resolution}")
            if minute.actions:
                table = docx_writer.header_table(word, ["Action", "What", "Owner", "Due"])
                for a in minute.actions:
                    docx_writer.add_row(table, [a.reference, a.description, a.owners, a.due])
            for amendment in minute.amendments:
                word.add_paragraph(f"Amendment: {amendment}")
        if doc.agreed:
            word.add_paragraph(doc.agreed)
    else:
        if not doc.rows:
            word.add_paragraph("There are no matters arising.")
        else:
            table = docx_writer.header_table(
                word, ["Minute", "Action", "Matter", "Owner", "Due", "Update", "Status"]
            )
            for r in doc.rows:
                docx_writer.add_row(
                    table,
                    [
                        r.minute,
                        r.reference,
                        r.matter,
                        r.owners,
                        r.due,
                        r.update,
                        f"{r.status} ({r.rag})",
                    ],
                )
    return docx_writer.to_bytes(word)


def generated_label(doc: ArisingDoc) -> str:
    if doc.generated is None:
        return "Not generated yet: showing the actions as they stand now."
    return f"Generated {timezone.localtime(doc.generated):%-d %B %Y at %H:%M}."
