"""The demo shows the board cycle's records to a newcomer (issue 20): answered questions
(a councillor's, and the public's with and without consent to be named), a declaration
of interest, a paper's cover sheet, the improvement plan's inspection beside other
services' published ratings, and a proposed Blue awaiting the board. Each was made
through its audited service."""

from __future__ import annotations

from saferboard.core.management.commands.demo import load_demo
from saferboard.core.models import AuditEvent


def _counts() -> tuple[int, ...]:
    from saferboard.actions.models import BlueProposal, Inspection, PublishedInspection
    from saferboard.meetings.models import CoverSheet, Declaration, Question

    return tuple(
        model.objects.count()
        for model in (
            Question,
            Declaration,
            CoverSheet,
            Inspection,
            PublishedInspection,
            BlueProposal,
        )
    )


def test_the_partnership_boards_meetings_hold_questions_a_declaration_and_a_cover_sheet(
    demo,
) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings.models import Board, MeetingStatus, QuestionerKind
    from saferboard.meetings.questions import ANONYMOUS_PUBLIC, question_lines

    board = Board.objects.get(slug="safer-partnership-board")
    upcoming = board.meetings.order_by("-date").first()
    assert upcoming.status == MeetingStatus.AGENDA_PUBLISHED
    questions = list(upcoming.questions.all())
    kinds = sorted((q.asker_kind, q.name_public) for q in questions)
    assert kinds == [
        (QuestionerKind.COUNCILLOR, True),
        (QuestionerKind.PUBLIC, False),
        (QuestionerKind.PUBLIC, True),
    ]
    assert all(q.answer and q.answered_on and q.in_time for q in questions)
    # Published, only the member of the public who did not consent is anonymous.
    published = {line.asker for line in question_lines(questions, public=True)}
    assert published == {"Councillor David Osei", "Amira Haddad", ANONYMOUS_PUBLIC}

    assert upcoming.agenda_items.get(title="Questions").kind == "questions"  # printed
    sheet = upcoming.agenda_items.get(title__startswith="Serious violence duty").cover_sheet
    assert (sheet.report_number, sheet.purpose) == ("SPB/26/031", "decision")
    assert len(sheet.recommendation_list()) == 2

    held = board.meetings.get(status=MeetingStatus.MINUTES_DRAFT)
    declaration = held.declarations.get()
    assert declaration.person.full_name == "Councillor Margaret Okafor"
    assert declaration.agenda_item.title == "Sub-group reports" and declaration.left_room

    audited = AuditEvent.objects.filter(object_type="meetings.Question").count()
    assert audited == 3


def test_the_improvement_plan_records_its_inspection_beside_published_ratings(demo) -> None:  # type: ignore[no-untyped-def]
    """By hand: of the shipped file's 83 inspections, those held for 'Reviewing' count
    each way; ours is Inadequate, and our service has no row among them."""
    from saferboard.actions.demo import TITLE
    from saferboard.actions.inspection_services import comparison_for
    from saferboard.actions.models import ActionPlan, ProposalState

    plan = ActionPlan.objects.get(title=TITLE)
    inspection = plan.inspection
    assert inspection.overall_judgement == "Requires improvement"
    assert "illustrative" in inspection.service_name
    comparison = comparison_for(inspection)
    assert len(comparison.peers) == 83 and comparison.ours_published is None
    reviewing = next(s for s in comparison.standards if s.key == "reviewing")
    assert reviewing.ours == "Inadequate"
    held = [p.ratings.get("reviewing") for p in comparison.peers]
    assert reviewing.rated == sum(1 for r in held if r)
    assert sum(reviewing.counts.values()) == reviewing.rated
    assert plan.recommendations.get(number=2).addressees.startswith("YOS Management Board;")

    pending = [
        p
        for a in plan.actions.all()
        for p in a.blue_proposals.all()
        if p.state == ProposalState.PENDING
    ]
    assert [(p.action.reference, p.proposed_by.username) for p in pending] == [("3a", "yos.head")]
    assert pending[0].action.rag_status == "green"  # not Blue until the board accepts


def test_loading_the_demo_again_adds_none_of_them_twice(demo) -> None:  # type: ignore[no-untyped-def]
    before = _counts()
    assert all(before)
    load_demo()
    assert _counts() == before
