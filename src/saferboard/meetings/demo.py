"""The demo boards: the Safer Partnership Board and the YOS Management Board.

Each has members, a standing agenda and three meetings: the first with agreed minutes,
the second with draft minutes (agreed at nothing yet), the third coming up with its
agenda published and its matters arising generated. Minute numbers on the partnership
board continue from 36, as its paper minutes did. The partnership board also shows the
cycle's other records (:func:`_board_cycle_records`): answered questions from a
councillor and from the public, a declaration of interest and a paper's cover sheet.
The YOS board also met once a quarter over the demo's youth justice case records
(:func:`_yos_board_history`, held meetings with attendance, no minutes), so that the
youth justice page's KPI 7 has meetings to count. Idempotent: a board that exists is
left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from saferboard.actions.services import close_action, record_update
from saferboard.core.models import Organisation, Partnership, Person, User
from saferboard.core.periods import add_months
from saferboard.meetings import services
from saferboard.meetings.cover_sheets import save_cover_sheet
from saferboard.meetings.declarations import add_declaration
from saferboard.meetings.models import (
    AttendanceKind,
    Board,
    BoardKind,
    BoardMember,
    InterestKind,
    Meeting,
    MeetingStatus,
    Purpose,
    QuestionerKind,
)
from saferboard.meetings.questions import add_question


@dataclass(frozen=True)
class DemoMinute:
    title: str
    text: str
    resolutions: tuple[str, ...] = ()
    # (description, owner names, months after the meeting it is due)
    actions: tuple[tuple[str, tuple[str, ...], int], ...] = ()
    exempt: bool = False


CSP_MEMBERS = [
    ("Councillor Margaret Okafor", "Chair"),
    ("Chief Superintendent Alan Price", "Vice-chair"),
    ("Joanne Fairweather", "Member"),
    ("Claire Doherty", "Member"),
    ("Dr Fiona Grant", "Member"),
    ("Mark Adeyemi", "Member"),
    ("Sarah Lindqvist", "Member"),
    ("Peter Danso", "Member"),
]
YOS_MEMBERS = [
    ("Joanne Fairweather", "Chair"),
    ("Sarah Lindqvist", "Member"),
    ("Tom Hughes", "Member"),
    ("Mark Adeyemi", "Member"),
    ("Anita Rao", "Member"),
    ("Dr Fiona Grant", "Member"),
    ("Councillor Margaret Okafor", "Member"),
]
CSP_STANDING = [
    *services.DEFAULT_STANDING_AGENDA[:6],
    "Crime performance dashboard",
    "Sub-group reports",
    *services.DEFAULT_STANDING_AGENDA[6:],
]
YOS_STANDING = [
    *services.DEFAULT_STANDING_AGENDA[:6],
    "Youth justice performance report",
    "Improvement plan: progress",
    *services.DEFAULT_STANDING_AGENDA[6:],
]

CSP_FIRST = [
    DemoMinute(
        "Welcome, introductions and apologies",
        "The Chair welcomed members. Apologies are recorded above.",
    ),
    DemoMinute("Declarations of interest", "There were no declarations of interest."),
    DemoMinute(
        "Crime performance dashboard",
        "The Community Safety Analyst presented the dashboard. Total notifiable offences fell "
        "12% on the previous rolling year; non-domestic violence with injury rose in the "
        "night-time economy over the summer. Members asked for the hotspot analysis by ward.",
        (
            "the dashboard be noted",
            "a ward-level analysis of violence with injury be brought to the next meeting",
        ),
        (
            (
                "Bring a ward-level analysis of violence with injury in the night-time economy",
                ("Chief Superintendent Alan Price",),
                3,
            ),
        ),
    ),
    DemoMinute(
        "Priority 1: Safer neighbourhoods",
        "Partners reported on the commitments under priority 1. Burglary has fallen; "
        "call blockers have been installed for 140 residents targeted by scam callers.",
        ("the Amber rating for priority 1 be agreed",),
        (
            ("Circulate the call blocker evaluation to members", ("Joanne Fairweather",), 2),
            ("Confirm health's representation at the licensing sub-group", ("Dr Fiona Grant",), 3),
        ),
    ),
    DemoMinute(
        "Exploitation panel: named cases",
        "The panel coordinator summarised three cases of children at risk of exploitation.",
        ("the actions agreed by the panel be endorsed",),
        exempt=True,
    ),
    DemoMinute("Any other business", "There was no other business."),
]
CSP_SECOND = [
    DemoMinute(
        "Minutes of the last meeting",
        "The minutes of the previous meeting were agreed as a correct record.",
    ),
    DemoMinute(
        "Matters arising",
        "Members reviewed the matters arising report. The call blocker evaluation "
        "had been circulated and that action was closed.",
    ),
    DemoMinute(
        "Priority 2: Violence against women and girls",
        "The domestic abuse lead reported that MARAC referrals are at the SafeLives "
        "recommended level. The refuge capacity review is delayed.",
        ("the report be noted", "refuge capacity be added to the risk register"),
        (("Report the refuge capacity review to the board", ("Joanne Fairweather",), 3),),
    ),
    DemoMinute("Date of next meeting", "The next meeting will be held in three months."),
]
YOS_FIRST = [
    DemoMinute("Welcome, introductions and apologies", "The Chair welcomed members."),
    DemoMinute(
        "Youth justice performance report",
        "The YOS Performance Officer presented first-time entrants, reoffending and custody. "
        "The binary reoffending rate fell to 31%; custody remains low.",
        ("the performance report be noted",),
        (
            (
                "Break down the reoffending cohort by ethnicity for the next meeting",
                ("Sarah Lindqvist",),
                3,
            ),
        ),
    ),
    DemoMinute(
        "Improvement plan: progress",
        "The Head of Service presented the roll-up of the improvement plan and the two Red "
        "actions on CAMHS in-reach and participation advisers.",
        ("the Blue rating for the board induction action be accepted on the evidence given",),
        (("Escalate the CAMHS in-reach agreement to the ICB", ("Dr Fiona Grant",), 2),),
    ),
]
YOS_SECOND = [
    DemoMinute("Matters arising", "Members reviewed the matters arising report."),
    DemoMinute(
        "Education, training and employment",
        "The Head of Inclusion reported that the seconded education worker is in post.",
        ("the report be noted",),
        (("Report ETE at the end of orders by school year", ("Anita Rao",), 3),),
    ),
]


def load(partnership: Partnership) -> None:
    clerk = User.objects.filter(username="coordinator").first()
    if clerk is None:
        return
    people = {p.full_name: p for p in Person.objects.filter(organisation__partnership=partnership)}
    orgs = {o.slug: o for o in Organisation.objects.filter(partnership=partnership)}
    today = timezone.localdate()
    dates = [add_months(today, -6), add_months(today, -3), today + timedelta(days=14)]
    csp = _board(
        partnership,
        clerk,
        people,
        orgs,
        name="Example Borough Safer Partnership Board",
        slug="safer-partnership-board",
        kind=BoardKind.PARTNERSHIP,
        members=CSP_MEMBERS,
        standing=CSP_STANDING,
        first_number=36,
        dates=dates,
        first=CSP_FIRST,
        second=CSP_SECOND,
        place="Civic Centre, Committee Room 2",
    )
    if csp is not None:
        _board_cycle_records(csp, clerk, people)
        yos = _board(
            partnership,
            clerk,
            people,
            orgs,
            name="Youth Offending Service Management Board",
            slug="yos-management-board",
            kind=BoardKind.YOS,
            members=YOS_MEMBERS,
            standing=YOS_STANDING,
            first_number=1,
            dates=[d + timedelta(days=7) for d in dates],
            first=YOS_FIRST,
            second=YOS_SECOND,
            place="YOS offices, Meeting Room 1",
        )
        if yos is not None:
            _yos_board_history(yos, people)


def _board(
    partnership,
    clerk,
    people,
    orgs,
    *,
    name,
    slug,
    kind,
    members,
    standing,  # type: ignore[no-untyped-def]
    first_number,
    dates,
    first,
    second,
    place,
    parent=None,
) -> Board | None:
    existing = Board.objects.filter(partnership=partnership, slug=slug).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        board = services.create_board(
            partnership,
            name=name,
            slug=slug,
            kind=kind,
            owner=orgs["council"],
            parent=parent,
            first_minute_number=first_number,
            standing_items=standing,
        )
        seats = {}
        for full_name, role in members:
            person = people[full_name]
            seats[full_name] = BoardMember.objects.create(
                board=board,
                person=person,
                organisation=person.organisation,
                role=role,
                start_date=date(2020, 4, 1),
            )
        meetings = [
            services.create_meeting(
                board, day=d, start_time=time(14, 0), place=place, online=i == 1
            )
            for i, d in enumerate(dates)
        ]
        # First meeting: one member sends a substitute, one sends apologies.
        absent = list(seats.values())
        _attend(
            meetings[0], absent, apologies={absent[-1]}, substitute={absent[3]: None}, people=people
        )
        _minute(meetings[0], first, people)
        # Second meeting agrees the first's minutes.
        _attend(meetings[1], absent, apologies={absent[2]}, substitute={}, people=people)
        services.agree_minutes(meetings[0], at=meetings[1], user=clerk)
        _generate(meetings[1], clerk)
        log_actions = list(board.action_log.actions.order_by("position"))
        if log_actions:
            record_update(
                log_actions[0], user=clerk, text="Analysis under way; due at the next meeting."
            )
        if len(log_actions) > 1:
            close_action(
                log_actions[1], user=clerk, reason="Evaluation circulated to members by email."
            )
        _minute(meetings[1], second, people)
        # Third meeting: coming up, agenda published, matters arising generated.
        services.set_status(meetings[2], "agenda_published")
        services.add_agenda_item(
            meetings[2],
            title="Serious violence duty: strategic needs assessment",
            presenter="Daniel Kowalski",
            papers="Strategic needs assessment (draft)\nAction plan",
        )
        _generate(meetings[2], clerk)
    return board


def _attend(meeting: Meeting, seats, *, apologies, substitute, people) -> None:  # type: ignore[no-untyped-def]
    entries = []
    for seat in seats:
        if seat in apologies:
            entries.append(
                services.AttendanceEntry(AttendanceKind.APOLOGIES, person=seat.person, member=seat)
            )
        elif seat in substitute:
            entries.append(
                services.AttendanceEntry(AttendanceKind.APOLOGIES, person=seat.person, member=seat)
            )
            entries.append(
                services.AttendanceEntry(
                    AttendanceKind.SUBSTITUTE,
                    name="Deputy " + seat.person.full_name.split()[-1],
                    organisation=seat.organisation,
                    substitute_for=seat,
                )
            )
        else:
            entries.append(
                services.AttendanceEntry(AttendanceKind.PRESENT, person=seat.person, member=seat)
            )
    for name in ("Priya Shah", "Daniel Kowalski"):
        if name in people:
            entries.append(
                services.AttendanceEntry(AttendanceKind.ALSO_PRESENT, person=people[name])
            )
    services.record_attendance(meeting, entries)


def _minute(meeting: Meeting, minutes: list[DemoMinute], people) -> None:  # type: ignore[no-untyped-def]
    agenda = {a.title: a for a in meeting.agenda_items.all()}
    for entry in minutes:
        item = services.add_minute(
            meeting,
            title=entry.title,
            text=entry.text,
            agenda_item=agenda.get(entry.title),
            exempt=entry.exempt,
            resolutions=entry.resolutions,
        )
        for description, owners, months in entry.actions:
            services.raise_action(
                item,
                description=description,
                owners=[people[n] for n in owners if n in people],
                due=add_months(meeting.date, months),
            )


def _generate(meeting: Meeting, clerk: User) -> None:
    services.generate_matters_arising(meeting, user=clerk)


# The partnership board's questions log: (asker kind, name, consented to be named,
# question, answered by, answer).
CSP_QUESTIONS = [
    (
        QuestionerKind.COUNCILLOR,
        "Councillor David Osei",
        True,
        "How many of the 140 call blockers installed for scam victims are still in use, and "
        "how many calls have they stopped?",
        "Joanne Fairweather",
        "Trading standards checked every unit in October: 131 are in use and they stopped "
        "about 9,800 unwanted calls in the year. The nine not in use were returned after the "
        "residents moved.",
    ),
    (
        QuestionerKind.PUBLIC,
        "Amira Haddad",
        True,
        "Residents of the Northgate estate report motorbikes ridden on the footpaths at "
        "night. What will the partnership do about it?",
        "Chief Superintendent Alan Price",
        "The safer neighbourhoods team has made Northgate a priority for the winter, with "
        "patrols on Friday and Saturday nights; the council will fit barriers at two "
        "footpath entrances by March.",
    ),
    (
        QuestionerKind.PUBLIC,
        "Robert Fenn",
        False,
        "Why are the park gates at Victoria Park left unlocked overnight?",
        "Joanne Fairweather",
        "The parks team now locks the gates at dusk; a contractor's error left them open "
        "for two weeks in October.",
    ),
]


def _board_cycle_records(board: Board, clerk: User, people: dict[str, Person]) -> None:
    """What a clerk records around a meeting, through the same audited services the
    pages use: the coming meeting's questions (answered in writing) and a paper's cover
    sheet; a declaration of interest at the last meeting held. Skipped if the coming
    meeting already has questions (the demo loads idempotently)."""
    meetings = list(board.meetings.order_by("date"))
    held = next((m for m in reversed(meetings) if m.status == MeetingStatus.MINUTES_DRAFT), None)
    upcoming = meetings[-1]
    if upcoming.questions.exists() or upcoming.status != MeetingStatus.AGENDA_PUBLISHED:
        return
    today = timezone.localdate()
    for days_ago, (kind, name, consent, text, by, answer) in enumerate(CSP_QUESTIONS, 3):
        add_question(
            upcoming,
            actor=clerk,
            asker_kind=kind,
            asker_name=name,
            name_public=consent,
            text=text,
            received_on=today - timedelta(days=days_ago),
            answer=answer,
            answered_by=by,
            answered_on=today,
        )
    standing = upcoming.agenda_items.filter(title="Questions", parent=None).first()
    if standing is not None:
        # The clerk chooses what the standing item prints: the log with its answers.
        services.update_agenda_item(
            standing,
            title=standing.title,
            kind="questions",
            presenter=standing.presenter,
            papers=standing.papers,
            actor=clerk,
        )
    paper = upcoming.agenda_items.filter(title__startswith="Serious violence duty").first()
    if paper is not None:
        save_cover_sheet(
            paper,
            actor=clerk,
            report_number="SPB/26/031",
            author="Daniel Kowalski, Community Safety Analyst",
            purpose=Purpose.DECISION,
            summary="The draft strategic needs assessment for the serious violence duty: "
            "where serious violence happens, who it affects and what drives it, with the "
            "partnership's response for the next year.",
            recommendations="The board agrees the strategic needs assessment.\n"
            "The board agrees the response strategy's three priorities.",
            financial="The response is funded from the serious violence duty grant "
            "(£94,000 in 2026/27); no new money is asked for.",
            legal="The duty (Police, Crime, Sentencing and Courts Act 2022, Part 2) requires "
            "the partnership to publish an assessment and a strategy and review them yearly.",
            equalities="Young Black men are over-represented among victims of knife crime; "
            "the equality impact assessment is a background paper.",
            children="Half of the assessment's victims and suspects are under 25; the "
            "youth offending service contributed to it.",
            background_papers="Serious violence duty: statutory guidance (Home Office, 2022)\n"
            "Equality impact assessment (draft)",
        )
    if held is not None and "Councillor Margaret Okafor" in people:
        item = held.agenda_items.filter(title="Sub-group reports").first()
        add_declaration(
            held,
            actor=clerk,
            person=people["Councillor Margaret Okafor"],
            agenda_item=item,
            kind=InterestKind.OTHER_REGISTRABLE,
            nature="Trustee of Example Borough Women's Aid, which reports to the domestic "
            "abuse sub-group and receives partnership funding",
            left_room=True,
        )


# The YOS management board's earlier meetings: one a quarter over the last two years of
# the demo's case records (to the quarter they end in), so that the youth justice page's
# KPI 7 (statutory partners at the right seniority) has meetings to count in every
# quarter it offers. Who did not come in person, by quarter (0 = the earliest):
# "apologies", an unnamed "deputy" (present, not at the right seniority) or the seat's
# "named" substitute (at the right seniority).
YOS_HISTORY_QUARTERS = 9
YOS_HISTORY_ABSENCES: dict[int, dict[str, str]] = {
    0: {"Dr Fiona Grant": "apologies"},
    1: {"Mark Adeyemi": "deputy"},
    3: {"Tom Hughes": "named"},
    4: {"Anita Rao": "apologies", "Dr Fiona Grant": "deputy"},
    6: {"Mark Adeyemi": "apologies"},
    7: {"Tom Hughes": "named", "Dr Fiona Grant": "deputy"},
}
# Tom Hughes's named substitute on the YOS management board.
YOS_NAMED_SUBSTITUTE = ("Tom Hughes", "Chief Superintendent Alan Price")


def yos_history_dates() -> list[date]:
    """A meeting day in the middle month of each of the last
    :data:`YOS_HISTORY_QUARTERS` quarters of the demo's case records (oldest first)."""
    from saferboard.youthjustice.demo import END as RECORDS_END

    last = date(RECORDS_END.year, (RECORDS_END.month - 1) // 3 * 3 + 1, 1)
    return [
        add_months(last, -3 * back + 1) + timedelta(days=14)
        for back in reversed(range(YOS_HISTORY_QUARTERS))
    ]


def _yos_board_history(board: Board, people: dict[str, Person]) -> None:
    """The YOS board's held meetings in the case records' quarters, with attendance.
    Skipped if the board already has a meeting on the first day (idempotent)."""
    from saferboard.meetings.board_members import add_substitute

    days = yos_history_dates()
    if board.meetings.filter(date=days[0]).exists():
        return
    seats = {s.person.full_name: s for s in board.members.select_related("person")}
    member, deputy = YOS_NAMED_SUBSTITUTE
    if member in seats and deputy in people:
        add_substitute(seats[member], person=people[deputy], start_date=days[0])
    for index, day in enumerate(days):
        meeting = services.create_meeting(
            board, day=day, start_time=time(14, 0), place="YOS offices, Meeting Room 1"
        )
        absences = YOS_HISTORY_ABSENCES.get(index, {})
        entries = []
        for name, seat in seats.items():
            how = absences.get(name)
            if how is None:
                entries.append(
                    services.AttendanceEntry(
                        AttendanceKind.PRESENT, person=seat.person, member=seat
                    )
                )
                continue
            entries.append(
                services.AttendanceEntry(AttendanceKind.APOLOGIES, person=seat.person, member=seat)
            )
            if how == "named" and deputy in people:
                entries.append(
                    services.AttendanceEntry(
                        AttendanceKind.SUBSTITUTE, person=people[deputy], substitute_for=seat
                    )
                )
            elif how == "deputy":
                entries.append(
                    services.AttendanceEntry(
                        AttendanceKind.SUBSTITUTE,
                        name="Deputy " + seat.person.full_name.split()[-1],
                        organisation=seat.organisation,
                        substitute_for=seat,
                    )
                )
        services.record_attendance(meeting, entries)
