"""The demo YOS improvement plan after an inspection (fictional, in the register of real plans).

The plan records the inspection it answers (:data:`INSPECTION`): Example Borough is
fictional, so its ratings are illustrative and say so; the other services' ratings
beside them are HMI Probation's published ones, imported from the file Saferboard ships
(``actions/data``). One lead's proposed Blue waits for the board.

Idempotent: the plan is found by its title; if it exists nothing is added.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from saferboard.actions.completion import accept_blue
from saferboard.actions.inspection_services import import_published, save_inspection
from saferboard.actions.models import (
    ActionPlan,
    Inspectorate,
    Judgement,
    PlanKind,
    PublishedInspection,
    Recommendation,
    Response,
)
from saferboard.actions.services import add_action, close_action, record_review, record_update
from saferboard.actions.timescale import parse_timescale
from saferboard.core.models import Organisation, Partnership, Person, User
from saferboard.core.rag import RagAssessment, record_rag

TITLE = "Youth Offending Service improvement plan (post-inspection)"
PUBLISHED_RATINGS = (
    Path(__file__).resolve().parent / "data" / ("hmi_youth_justice_inspection_ratings.csv")
)

# The inspection the plan answers. Illustrative: Example Borough is not a real service,
# so it has no published reference (and no row of its own among the published ratings).
INSPECTION = {
    "inspectorate": Inspectorate.HMI_PROBATION,
    "service_name": "Example Borough Youth Offending Service (illustrative: a fictional "
    "service, not a published inspection)",
    "published_ref": "",
    "fieldwork_start": date(2023, 6, 5),
    "fieldwork_end": date(2023, 6, 16),
    "published_on": date(2023, 8, 24),
    "overall_judgement": Judgement.REQUIRES_IMPROVEMENT,
    "report_url": "",
    "reinspection_date": date(2027, 6, 1),
    "reinspection_outcome": "",
}
# Judgements by standard, numbered as HMI Probation's youth justice framework numbers them.
INSPECTION_RATINGS = [
    ("1.1 Governance and leadership", Judgement.REQUIRES_IMPROVEMENT),
    ("1.2 Staff", Judgement.GOOD),
    ("1.3 Partnerships and services", Judgement.REQUIRES_IMPROVEMENT),
    ("1.4 Information and facilities", Judgement.GOOD),
    ("2.1 Assessment", Judgement.REQUIRES_IMPROVEMENT),
    ("2.2 Planning", Judgement.GOOD),
    ("2.3 Implementation and delivery", Judgement.GOOD),
    ("2.4 Reviewing", Judgement.INADEQUATE),
    ("3.1 Out-of-court disposal policy and provision", Judgement.GOOD),
    ("4.1 Resettlement policy and provision", Judgement.REQUIRES_IMPROVEMENT),
]
# Whom the inspectorate addressed each recommendation to, by its number.
ADDRESSEES = {
    1: "YOS Management Board",
    2: "YOS Management Board; NHS South East London ICB; Example Borough Council",
    3: "Head of Youth Offending Service",
    4: "Head of Youth Offending Service; Director of Children's Services",
    5: "Head of Youth Offending Service",
}
# The action whose lead proposes Blue after the board's review (it waits for the board).
PROPOSED_BLUE = ("3a", "Monthly audits embedded and reported to the board for a year")

# area, number, wording, response, reason, actions:
# (description, outcome, leads, timescale, RAG, RAG reason, steps (text, done), update)
PLAN = [
    (
        "Leadership and partnership",
        1,
        "The YOS Management Board should ensure that members understand their roles and "
        "responsibilities and hold partners to account for the quality of services to children.",
        Response.AGREED,
        "",
        [
            (
                "Deliver an induction and development session for all board members",
                "Members understand their statutory role and challenge performance",
                ["Joanne Fairweather", "Sarah Lindqvist"],
                "Commence: September 2023 Completion: December 2023 Review: Quarterly",
                "blue",
                "Induction delivered and evaluated",
                [
                    ("Book venue and facilitator", True),
                    ("Hold the session", True),
                    ("Evaluate and repeat for new members", True),
                ],
                "Session held 14 November 2023; 9 of 11 members attended; new members inducted "
                "one to one.",
            ),
            (
                "Publish a performance report with the national indicators to every board",
                "The board sees current performance and challenges it",
                ["Owen Price"],
                "Commence: October 2023 Completion: Ongoing Review: Quarterly",
                "green",
                "Report tabled at every board since October 2023",
                [],
                "",
            ),
            (
                "Agree attendance expectations for partners and report attendance rates annually",
                "Consistent senior attendance from every statutory partner",
                ["council", "police"],
                "Commence: September 2023 Completion: March 2024 Review: Six monthly",
                "amber",
                "Police attendance has improved; health attendance is low",
                [
                    ("Write attendance expectations into the terms of reference", True),
                    ("Report rates to the board", False),
                ],
                "",
            ),
        ],
    ),
    (
        "Leadership and partnership",
        2,
        "Partners should ensure that children have access to education, health and substance "
        "misuse services that meet their needs.",
        Response.PARTLY,
        "Substance misuse provision is commissioned by public health and is "
        "outside the board's control; the board will monitor access.",
        [
            (
                "Agree a service level agreement for CAMHS in-reach to the YOS",
                "Children are seen by a mental health practitioner within four weeks",
                ["Dr Fiona Grant"],
                "Commence: January 2024 Completion: June 2024 Review: Monthly",
                "red",
                "The agreement is not yet signed and the post is vacant",
                [],
                "",
            ),
            (
                "Second an education worker to the YOS",
                "Every child of school age has a full-time education place",
                ["Anita Rao"],
                "Completion: April 2024",
                "amber",
                "Worker recruited; starts soon",
                [],
                "",
            ),
            (
                "Report education, training and employment at the end of each order",
                "The board knows how many children are in suitable ETE",
                ["Owen Price"],
                "Commence: April 2024 Completion: Ongoing Review: Quarterly",
                "green",
                "Included in the quarterly performance report",
                [],
                "",
            ),
        ],
    ),
    (
        "Quality",
        3,
        "Assessments and plans should address the child's risk of harm to others and their "
        "safety and wellbeing, and be reviewed when circumstances change.",
        Response.AGREED,
        "",
        [
            (
                "Quality assure 10% of assessments each month against the inspection criteria",
                "Assessments are of good quality",
                ["Sarah Lindqvist"],
                "Commence: November 2023 Completion: Ongoing Review: Monthly",
                "green",
                "Audit tool in use every month",
                [("Adopt the audit tool", True), ("Report audit findings to the board", True)],
                "",
            ),
            (
                "Train all case managers in risk of harm assessment",
                "Risk of harm is properly assessed and managed",
                ["Sarah Lindqvist"],
                "Commence: 01/12/2023 Completion: 31/03/2024 Review: Quarterly",
                "blue",
                "All 14 case managers trained",
                [],
                "",
            ),
            (
                "Introduce management oversight of every high risk case at each review",
                "Risk is managed consistently",
                ["Sarah Lindqvist"],
                "Commence: January 2024 Completion: September 2024 Review: Quarterly",
                "amber",
                "Oversight recorded in 70% of high risk cases",
                [],
                "",
            ),
        ],
    ),
    (
        "Looked after children",
        4,
        "The YOS and children's social care should agree a protocol for looked after children "
        "who offend, to reduce their criminalisation.",
        Response.AGREED,
        "",
        [
            (
                "Agree and launch a joint protocol with children's social care",
                "Looked after children are not criminalised for behaviour in their placement",
                ["Sarah Lindqvist", "council"],
                "Commence: February 2024 Completion: July 2024 Review: Quarterly",
                "amber",
                "Draft protocol with legal services",
                [
                    ("Draft the protocol", True),
                    ("Consult care providers", False),
                    ("Launch and train staff", False),
                ],
                "",
            ),
            (
                "Report the number of looked after children in the cohort to every board",
                "The board sees whether criminalisation is falling",
                ["Owen Price"],
                "Commence: April 2024 Completion: Ongoing Review: Quarterly",
                "green",
                "Reported since April 2024",
                [],
                "",
            ),
        ],
    ),
    (
        "Voice of the young person",
        5,
        "The YOS should seek the views of children and their parents or carers, and use them to "
        "improve services.",
        Response.AGREED,
        "",
        [
            (
                "Introduce an exit survey for every child completing an order",
                "Children's views shape services",
                ["yos"],
                "Commence: January 2024 Completion: Ongoing Review: Quarterly",
                "green",
                "Survey in use; 62% response rate",
                [],
                "",
            ),
            (
                "Report what children said and what changed to the board each year",
                "The board hears children's voices directly",
                ["Sarah Lindqvist"],
                "Commence: April 2024 Completion: Ongoing Review: Annually",
                "amber",
                "First report due at the next board",
                [],
                "",
            ),
            (
                "Recruit two young people with lived experience as YOS participation advisers",
                "Children help design the service",
                ["yos"],
                "Commence: March 2024 Completion: December 2024",
                "red",
                "Funding for the posts has not been agreed",
                [],
                "",
            ),
        ],
    ),
]


def load(partnership: Partnership) -> None:
    """Load the improvement plan (skipped if it already exists)."""
    if ActionPlan.objects.filter(partnership=partnership, title=TITLE).exists():
        return
    user = User.objects.filter(username="yos.head").first()
    if user is None:
        return
    coordinator = User.objects.filter(username="coordinator").first()
    people = {p.full_name: p for p in Person.objects.filter(organisation__partnership=partnership)}
    orgs = {o.slug: o for o in Organisation.objects.filter(partnership=partnership)}
    with transaction.atomic():
        plan = ActionPlan.objects.create(
            partnership=partnership,
            kind=PlanKind.INSPECTION,
            title=TITLE,
            owner=orgs["yos"],
            description="Actions agreed after the inspection of youth offending work, "
            "reviewed by the YOS Management Board one area at a time.",
        )
        for area, number, wording, response, reason, actions in PLAN:
            rec = Recommendation.objects.create(
                plan=plan,
                number=number,
                area=area,
                wording=wording,
                response=response,
                response_reason=reason,
                addressees=ADDRESSEES.get(number, ""),
            )
            for description, outcome, leads, timescale, rag, why, steps, update in actions:
                parsed = parse_timescale(timescale)
                action = add_action(
                    plan,
                    recommendation=rec,
                    description=description,
                    intended_outcome=outcome,
                    lead_people=[people[n] for n in leads if n in people],
                    lead_organisations=[orgs[n] for n in leads if n in orgs],
                    lead_text="\n".join(leads),
                    commence_date=parsed.commence,
                    completion_date=parsed.completion,
                    ongoing=parsed.ongoing,
                    review_cadence=parsed.review.value if parsed.review else "",
                    timescale_text=timescale,
                    steps=[text for text, _ in steps],
                )
                for step, (_, done) in zip(action.steps.all(), steps, strict=True):
                    if done:
                        step.done = True
                        step.save(update_fields=["done"])
                first = "amber" if rag == "blue" else rag
                record_rag(action, RagAssessment(status=first, reason=why), actor=user)
                if update:
                    record_update(action, user=user, text=update)
                if rag == "blue":
                    # Completed: the move to Blue went through the evidence gate.
                    action.refresh_from_db()
                    evidence = SimpleUploadedFile(
                        "completion-note.txt",
                        f"Evidence of completion: {why}.".encode(),
                        content_type="text/plain",
                    )
                    result = record_update(
                        action,
                        user=user,
                        text=f"Complete: {why}.",
                        proposed=RagAssessment(status="blue", reason=why),
                        evidence=[evidence],
                    )
                    if result.problems:  # the demo's own evidence must pass the gate
                        raise RuntimeError(f"demo action not completed: {result.problems}")
                    if result.proposal is not None and coordinator is not None:
                        # The lead's Blue went to the board, which accepted it (and so
                        # closed the action), as the coordinator recorded.
                        accept_blue(result.proposal, user=coordinator)
                    else:
                        close_action(action, user=user, reason=why)
        save_inspection(plan, dict(INSPECTION), INSPECTION_RATINGS, user=coordinator or user)
        record_review(plan, user=user, note="Reviewed at the YOS Management Board")
    # A change after the review, so 'what changed since the last review' has content.
    camhs = plan.actions.get(reference="2a")
    record_update(
        camhs,
        user=user,
        text=f"CAMHS practitioner post advertised; interviews on {timezone.localdate():%B %Y}.",
    )
    _propose_blue(plan, user)
    _published_ratings()


def _propose_blue(plan: ActionPlan, lead: User) -> None:
    """The lead proposes Blue for a finished action, with evidence; it waits for the
    board (the plan's roll-up still counts the action's accepted rating)."""
    reference, reason = PROPOSED_BLUE
    action = plan.actions.get(reference=reference)
    evidence = SimpleUploadedFile(
        "audit-reports.txt",
        b"Monthly audit reports to the YOS Management Board, November 2023 to date.",
        content_type="text/plain",
    )
    result = record_update(
        action,
        user=lead,
        text="Every monthly audit is done and reported; the audit tool is part of practice.",
        proposed=RagAssessment(status="blue", reason=reason),
        evidence=[evidence],
    )
    if result.problems or result.proposal is None:  # the demo's own proposal must pass
        raise RuntimeError(f"demo Blue not proposed: {result.problems}")


def _published_ratings() -> None:
    """Other services' published ratings (HMI Probation), the comparators beside ours:
    imported (audited) from the shipped file unless some are already held."""
    if PublishedInspection.objects.exists():
        return
    outcome = import_published(PUBLISHED_RATINGS.name, PUBLISHED_RATINGS.read_bytes())
    if outcome.problems:  # the shipped file is checked by the tests; never half-loaded
        raise RuntimeError(f"published ratings not imported: {outcome.problems[0]}")
