"""The demo's reporting rounds: two completed quarters and one open, told as they happened.

Q3 2020-21 asked for updates on Priority 3; Q4 2020-21 was the end-of-year round (every
partner, every commitment); Q1 2021-22 is open for Priority 1, its deadline passed, with
a realistic spread of returns. Every step goes through :mod:`saferboard.strategy.services`
(backdated with ``at=``), so states, evidence, RAG history and audit are all real.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from saferboard.core.models import Organisation, User
from saferboard.strategy.content import Figures
from saferboard.strategy.models import (
    PartnerUpdate,
    Reminder,
    ReminderKind,
    ReportingRound,
    Strategy,
)
from saferboard.strategy.reminders import partner_lead_emails
from saferboard.strategy.services import (
    UpdateChanges,
    close_round,
    open_round,
    review_update,
    save_update,
)
from saferboard.strategy.workflow import Action

LONDON = ZoneInfo("Europe/London")

# What each partner did on each commitment: (priority, commitment, organisation) → text.
WORK = {
    (1, 1, "police"): "Officers visited 212 repeat burglary victims and fitted "
    "target-hardening packs (door chains, window locks, timer switches) at 148 homes.",
    (1, 1, "council"): "Trading Standards installed 96 call blockers for residents targeted "
    "by scam callers. The blockers stopped 4,310 nuisance and scam calls, an estimated "
    "**£212,000** kept in residents' pockets.",
    (1, 1, "victim-support"): "Caseworkers supported 389 victims of burglary and fraud, 61% "
    "of them aged over 65, with safety planning and practical help.",
    (1, 2, "police"): "Ward teams ran 14 hotspot patrol plans and led three multi-agency "
    "community impact days in Cray Valley East, Mottingham and Penge.",
    (1, 2, "council"): "The ASB team took 212 cases through the monthly ASB risk panel; 38 "
    "acceptable behaviour contracts and 11 community protection warnings were issued.",
    (1, 2, "housing"): "Example Homes ran estate walkabouts with residents on six estates and "
    "removed 3.2 tonnes of fly-tipping with the council.",
    (1, 2, "fire"): "Crews carried out 420 home fire safety visits in hotspot wards and "
    "cleared rubbish from 18 bin stores after deliberate fires.",
    (1, 3, "police"): "The licensing team and the night-time economy unit visited 54 "
    "high-risk premises jointly; two licence reviews were brought.",
    (1, 3, "council"): "Licensing officers joined police on late-night visits and brought in "
    "the Ask for Angela scheme at 31 venues.",
    (1, 4, "council"): "Trading Standards ran 9 test-purchase operations for age-restricted "
    "products (knives, alcohol, vapes): 4 sales were made, and every one was followed up.",
    (1, 4, "police"): "Police supported 12 doorstep crime rapid-response call-outs with "
    "Trading Standards; two rogue traders were arrested.",
    (2, 1, "council"): "The IDVA service took 463 referrals; MARAC heard 318 cases, within "
    "the SafeLives recommended range for the borough.",
    (2, 1, "victim-support"): "The service supported 157 victims of domestic abuse referred "
    "by the police; 82% said they felt safer when their case closed.",
    (2, 2, "probation"): "21 men started the Building Better Relationships programme and 14 "
    "completed it.",
    (2, 2, "police"): "Officers served 46 domestic violence protection notices and applied "
    "for 38 orders.",
    (2, 3, "education"): "Healthy relationships sessions reached 14 of the 17 secondary "
    "schools; the other three are booked for the autumn term.",
    (2, 3, "council"): "The council ran White Ribbon workplace training for 120 managers "
    "across the partnership.",
    (3, 1, "yos"): "The exploitation panel met monthly and reviewed 27 children. Every child "
    "on the list was offered a mentor through the YOS.",
    (3, 1, "council"): "Children's social care held strategy meetings for every child "
    "identified at risk of exploitation within five working days.",
    (3, 1, "police"): "Officers made 19 referrals to the exploitation panel and used Child "
    "Abduction Warning Notices on four occasions.",
    (3, 2, "police"): "Intelligence shared at the gangs panel led to 11 warrants; weekly "
    "weapons sweeps in parks and estates recovered 23 knives.",
    (3, 2, "yos"): "YOS case managers attended every gangs panel and brought a safety plan "
    "for each child discussed.",
    (3, 2, "housing"): "Example Homes agreed two managed moves for families at risk from "
    "gang-related violence.",
    (3, 3, "yos"): "Triage diverted 42 children from the formal youth justice system; 88% "
    "did not reoffend within six months.",
    (3, 3, "police"): "Officers referred every eligible child to YOS triage, and out-of-court "
    "disposals were reviewed at the joint decision panel.",
    (3, 4, "education"): "Permanent exclusions of children known to the YOS fell from 9 to 4, "
    "and two alternative provision places were commissioned.",
    (3, 4, "yos"): "The YOS education worker supported 31 children back into school, college "
    "or training.",
    (4, 1, "council"): "The council refreshed its third-party hate crime reporting guidance "
    "and trained 40 library and community centre staff.",
    (4, 1, "police"): "Hate crime reporting rose by 14% on the previous year, and every "
    "victim was contacted by a dedicated officer within 48 hours.",
    (4, 1, "snb"): "The Safer Neighbourhood Board held two community confidence events with "
    "faith and community groups.",
    (4, 2, "council"): "Prevent training was delivered to 612 frontline staff; 9 Channel "
    "referrals were discussed at the panel.",
    (4, 2, "education"): "Every secondary school has a trained Prevent lead, and 11 schools "
    "used the council's online safety resources.",
}

GREEN_EOY = "Green for achievements in 2020-21 – more to do in 2021-22"
RED_COVID = "Red due to COVID restrictions – due to be delivered in 2021-22"

# Ratings per round: (priority, commitment, organisation) → (status, second, reason).
Q3_2020 = {
    (3, 1, "yos"): (
        "amber",
        "",
        "Amber: mentors are in place for two thirds of the children on the panel list",
    ),
    (3, 1, "council"): ("green", "", "Green: every strategy meeting held on time"),
    (3, 1, "police"): ("amber", "", "Amber: referrals are rising but not yet from every ward"),
    (3, 2, "police"): (
        "amber",
        "",
        "Amber: knife crime with injury for under-25s rose in the quarter",
    ),
    (3, 2, "yos"): ("green", "", "Green: attendance and safety plans in place"),
    (3, 2, "housing"): ("amber", "", "Amber: managed moves take too long to agree"),
    (3, 3, "yos"): ("green", "", "Green: triage working well"),
    (3, 3, "police"): ("green", "", "Green: every eligible child referred"),
    (3, 4, "education"): (
        "red",
        "",
        "Red due to COVID restrictions – schools closed to most pupils",
    ),
    (3, 4, "yos"): ("amber", "", "Amber: the education worker post was vacant for a month"),
}
Q4_2020 = {
    (1, 1, "police"): ("green", "", GREEN_EOY),
    (1, 1, "council"): (
        "amber",
        "",
        "Amber: call blockers installed, but the waiting list grew over the winter",
    ),
    (1, 1, "victim-support"): ("green", "", GREEN_EOY),
    (1, 2, "police"): (
        "amber",
        "",
        "Amber: community impact days were postponed under COVID "
        "restrictions; two of the planned five took place",
    ),
    (1, 2, "council"): ("amber", "", "Amber: the risk panel is working but cases wait too long"),
    (1, 2, "housing"): ("green", "", GREEN_EOY),
    (1, 2, "fire"): ("green", "", GREEN_EOY),
    (1, 3, "police"): ("red", "", RED_COVID),
    (1, 3, "council"): (
        "amber",
        "",
        "Amber: Ask for Angela launched, joint visits paused while venues were closed",
    ),
    (1, 4, "council"): ("amber", "", "Amber: test purchasing resumed in March after a pause"),
    (1, 4, "police"): ("green", "", GREEN_EOY),
    (2, 1, "council"): ("green", "", GREEN_EOY),
    (2, 1, "victim-support"): ("green", "", GREEN_EOY),
    (2, 2, "probation"): ("amber", "", "Amber: programme groups ran online with fewer places"),
    (2, 2, "police"): ("green", "", GREEN_EOY),
    (2, 3, "education"): ("amber", "", "Amber: three schools still to be reached"),
    (2, 3, "council"): ("green", "", GREEN_EOY),
    (3, 1, "yos"): ("green", "", GREEN_EOY),
    (3, 1, "council"): ("green", "", GREEN_EOY),
    (3, 1, "police"): ("amber", "", "Amber: referrals still uneven across the wards"),
    (3, 2, "police"): (
        "amber",
        "",
        "Amber: knife crime with injury for under-25s still above last year's level",
    ),
    (3, 2, "yos"): ("green", "", GREEN_EOY),
    (3, 2, "housing"): ("amber", "", "Amber: managed moves still take too long to agree"),
    (3, 3, "yos"): ("green", "", GREEN_EOY),
    (3, 3, "police"): ("green", "", GREEN_EOY),
    (3, 4, "education"): (
        "amber",
        "",
        "Amber: exclusions fell but alternative provision is still short",
    ),
    (3, 4, "yos"): ("amber", "", "Amber: the education worker is in post; results to follow"),
    (4, 1, "council"): (
        "red",
        "",
        "Red due to COVID restrictions – the third-party reporting "
        "centres in libraries stayed closed; due to reopen in 2021-22",
    ),
    (4, 1, "police"): (
        "amber",
        "green",
        "Amber/Green: reporting rose by 14%, but the "
        "third-party reporting centres stayed closed under COVID restrictions",
    ),
    (4, 1, "snb"): ("amber", "", "Amber: events held online with low attendance"),
    (4, 2, "council"): ("green", "", GREEN_EOY),
    (4, 2, "education"): ("green", "", GREEN_EOY),
}
# Improvements on the last accepted rating carry evidence: (round, key) → (file, text).
EVIDENCE = {
    ("q4", (3, 1, "yos")): (
        "exploitation-panel-mentoring-q4.csv",
        "month,children on list,offered a mentor\nJan,26,26\nFeb,27,27\nMar,27,27\n",
    ),
    ("q4", (3, 4, "education")): (
        "exclusions-yos-cohort-2020-21.csv",
        "year,permanent exclusions\n2019-20,9\n2020-21,4\n",
    ),
    ("q1", (1, 1, "council")): (
        "call-blockers-q1-2021-22.csv",
        "month,installed,calls blocked\nApr,14,702\nMay,15,655\nJun,12,590\n",
    ),
    ("q1", (1, 4, "council")): (
        "test-purchase-results-q1-2021-22.csv",
        "operation,premises tested,sales\nKnives,12,0\nAlcohol,9,1\nVapes,8,0\n",
    ),
}
# Case studies and tables of figures: (round, key) → content.
CASE_STUDIES = {
    ("q1", (1, 1, "council")): "Mrs D, 84, was losing money to a caller posing as her bank. "
    "After a call blocker was fitted she received no further scam calls, and her son said "
    "she felt safe answering the phone again.",
    ("q4", (3, 3, "yos")): "A 15-year-old stopped with cannabis was referred to triage "
    "instead of being charged. He completed a six-week programme, returned to school full "
    "time and has not come to police attention since.",
}
FIGURES = {
    ("q4", (3, 3, "yos")): Figures(
        caption="Triage outcomes, 2020-21",
        columns=("Quarter", "Children triaged", "Not reoffended at six months"),
        rows=(("Q1", "9", "8"), ("Q2", "11", "10"), ("Q3", "12", "10"), ("Q4", "10", "9")),
    ),
    ("q1", (1, 1, "council")): Figures(
        caption="Call blockers, April to June 2021",
        columns=("Month", "Installed", "Calls blocked"),
        rows=(("April", "14", "702"), ("May", "15", "655"), ("June", "12", "590")),
    ),
}
NEXT_STEPS = {
    "q3": "Next quarter we will keep this going and report the year's figures to the board.",
    "q4": "In 2021-22 we will build on this, and report progress each quarter.",
    "q1": "Over the summer we will keep this going and report again in the autumn.",
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def _narrative(key: tuple[int, int, str], round_key: str, extra: str = "") -> UpdateChanges:
    text = WORK[key] + "\n\n" + (extra + "\n\n" if extra else "") + NEXT_STEPS[round_key]
    figures = FIGURES.get((round_key, key))
    return UpdateChanges(
        narrative=text,
        case_study=CASE_STUDIES.get((round_key, key), ""),
        figures=figures.to_json() if figures else {},
    )


class _Loader:
    def __init__(self, strategy: Strategy, coordinator: User) -> None:
        self.strategy = strategy
        self.coordinator = coordinator
        orgs = Organisation.objects.filter(partnership=strategy.partnership)
        self.orgs = {o.pk: o.slug for o in orgs}
        self.leads = {
            "police": User.objects.filter(username="partner.lead").first(),
            "yos": User.objects.filter(username="yos.head").first(),
            "probation": User.objects.filter(username="probation.lead").first(),
        }

    def author(self, slug: str) -> User:
        """The partner lead's account, or the coordinator entering an emailed update."""
        return self.leads.get(slug) or self.coordinator

    def key(self, update: PartnerUpdate) -> tuple[int, int, str]:
        c = update.commitment
        return (c.priority.number, c.number, self.orgs[update.organisation_id])

    def updates(self, round: ReportingRound) -> list[PartnerUpdate]:
        return list(
            round.updates.select_related("commitment__priority", "round__strategy").order_by(
                "commitment__priority__number", "commitment__number", "organisation__name"
            )
        )

    def write(
        self,
        update: PartnerUpdate,
        round_key: str,
        rating: tuple[str, str, str] | None,
        *,
        when: datetime,
        submit: bool,
        extra: str = "",
    ) -> PartnerUpdate:
        key = self.key(update)
        changes = _narrative(key, round_key, extra)
        if rating:
            changes.rag_status, changes.rag_second_status, changes.rag_reason = rating
        upload = None
        if (round_key, key) in EVIDENCE:
            name, content = EVIDENCE[(round_key, key)]
            upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
        outcome = save_update(
            update,
            changes,
            version=update.version,
            actor=self.author(key[2]),
            submit=submit,
            upload=upload,
            upload_description="Monthly figures" if upload else "",
            at=when,
        )
        if submit and not outcome.submitted:
            raise RuntimeError(f"demo update {key} refused: {outcome.problems}")
        return outcome.update

    def accept(self, update: PartnerUpdate, when: datetime) -> PartnerUpdate:
        return review_update(
            update, action=Action.ACCEPT, actor=self.coordinator, version=update.version, at=when
        )

    def completed_round(
        self,
        round_key: str,
        *,
        fy: int,
        quarter: int,
        deadline: date,
        substantive: int,
        end_of_year: bool,
        ratings: dict,
        late: set,
    ) -> ReportingRound:
        round = open_round(
            self.strategy,
            financial_year=fy,
            quarter=quarter,
            deadline=deadline,
            substantive=self.strategy.priorities.filter(number=substantive),
            is_end_of_year=end_of_year,
            actor=self.coordinator,
            notify=False,
            at=_at(date.fromordinal(deadline.toordinal() - 30)),
        )
        self.log_opened(round)
        end = deadline.toordinal()
        for index, update in enumerate(self.updates(round)):
            key = self.key(update)
            # Most arrive in the week before the deadline; the late ones four days after.
            day = end + 4 if key in late else end - 6 + index % 5
            update = self.write(
                update, round_key, ratings[key], when=_at(date.fromordinal(day)), submit=True
            )
            self.accept(update, _at(date.fromordinal(end + 7), 15))
        close_round(round, actor=self.coordinator, at=_at(date.fromordinal(end + 20)))
        return round

    def log_opened(self, round: ReportingRound) -> None:
        """Record the emails the round's opening sent (the demo does not send old mail)."""
        organisations = {u.organisation for u in round.updates.select_related("organisation")}
        for organisation in sorted(organisations, key=lambda o: o.name):
            Reminder.objects.create(
                round=round,
                organisation=organisation,
                kind=ReminderKind.OPENED,
                recipients=", ".join(partner_lead_emails(organisation)),
                outstanding=round.updates.filter(organisation=organisation).count(),
                sent_by=self.coordinator,
                via="demo",
                sent_at=round.opened_at,
            )


def load_rounds(strategy: Strategy, coordinator: User) -> None:
    """Create the three demo rounds (the caller checks none exist yet)."""
    loader = _Loader(strategy, coordinator)
    with transaction.atomic():
        loader.completed_round(
            "q3",
            fy=2020,
            quarter=3,
            deadline=date(2021, 1, 8),
            substantive=3,
            end_of_year=False,
            ratings=Q3_2020,
            late={(3, 2, "housing"), (3, 4, "education")},
        )
        loader.completed_round(
            "q4",
            fy=2020,
            quarter=4,
            deadline=date(2021, 4, 16),
            substantive=4,
            end_of_year=True,
            ratings=Q4_2020,
            late={(1, 2, "fire"), (2, 2, "probation"), (4, 1, "snb")},
        )
        _open_round(loader)


def _open_round(loader: _Loader) -> None:
    deadline = date(2021, 7, 9)
    round = open_round(
        loader.strategy,
        financial_year=2021,
        quarter=1,
        deadline=deadline,
        substantive=loader.strategy.priorities.filter(number=1),
        actor=loader.coordinator,
        notify=False,
        at=_at(date(2021, 6, 14)),
    )
    loader.log_opened(round)
    updates = {loader.key(u): u for u in loader.updates(round)}
    q1 = "q1"
    # Accepted: an improvement with evidence, a steady rating, and one in late.
    update = loader.write(
        updates[(1, 1, "council")],
        q1,
        ("green", "", "Green: the call-blocker waiting list is cleared"),
        when=_at(date(2021, 7, 5)),
        submit=True,
        extra="The waiting list for call blockers has been cleared: 41 more were installed "
        "between April and June.",
    )
    loader.accept(update, _at(date(2021, 7, 12), 14))
    update = loader.write(
        updates[(1, 3, "council")],
        q1,
        ("amber", "", "Amber: joint visits restarted when venues reopened on 21 June"),
        when=_at(date(2021, 7, 7)),
        submit=True,
    )
    loader.accept(update, _at(date(2021, 7, 12), 14))
    update = loader.write(
        updates[(1, 4, "police")],
        q1,
        ("green", "", "Green: on track for 2021-22"),
        when=_at(date(2021, 7, 12)),
        submit=True,
    )
    loader.accept(update, _at(date(2021, 7, 13), 9))
    # Submitted, waiting for review: a worsening, an improvement with evidence, one late.
    loader.write(
        updates[(1, 1, "victim-support")],
        q1,
        ("amber", "", "Amber: police referrals fell in May while the referral system changed"),
        when=_at(date(2021, 7, 8)),
        submit=True,
    )
    loader.write(
        updates[(1, 4, "council")],
        q1,
        ("green", "", "Green: test purchasing back to the planned level; one sale in 29 tests"),
        when=_at(date(2021, 7, 9)),
        submit=True,
    )
    loader.write(
        updates[(1, 2, "fire")],
        q1,
        ("green", "", "Green: home fire safety visits on target"),
        when=_at(date(2021, 7, 14)),
        submit=True,
    )
    # Returned with a comment.
    update = loader.write(
        updates[(1, 2, "housing")],
        q1,
        ("green", "", "Green: estate walkabouts restarted"),
        when=_at(date(2021, 7, 6)),
        submit=True,
    )
    review_update(
        update,
        action=Action.RETURN,
        actor=loader.coordinator,
        version=update.version,
        comment="Please add the number of ASB cases closed on your estates and say which "
        "wards the walkabouts covered.",
        at=_at(date(2021, 7, 8), 16),
    )
    # Drafts: one proposing Red → Amber with no evidence yet.
    loader.write(
        updates[(1, 3, "police")],
        q1,
        ("amber", "", "Amber: venues reopened on 21 June and joint visits have restarted"),
        when=_at(date(2021, 7, 2)),
        submit=False,
        extra="Joint visits restarted in the last week of June.",
    )
    loader.write(
        updates[(1, 2, "council")],
        q1,
        None,
        when=_at(date(2021, 7, 1)),
        submit=False,
        extra="The ASB risk panel is now meeting fortnightly to clear the backlog.",
    )
    # Police (1.1, 1.2) and the rest have not started: carried forward, and now late.
    emails_late = {
        u.organisation for u in round.updates.outstanding().select_related("organisation")
    }
    for organisation in sorted(emails_late, key=lambda o: o.name):
        Reminder.objects.create(
            round=round,
            organisation=organisation,
            kind=ReminderKind.REMINDER,
            recipients=", ".join(partner_lead_emails(organisation)),
            outstanding=round.updates.outstanding().filter(organisation=organisation).count(),
            sent_by=loader.coordinator,
            via="demo",
            sent_at=_at(date(2021, 7, 12), 9),
        )
