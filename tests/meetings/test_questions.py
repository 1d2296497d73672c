"""The questions log: deadlines and in time by hand, consent never pre-ticked, names of
members of the public withheld from everything published unless they consented."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, Role
from saferboard.meetings import services
from saferboard.meetings.clerk_forms import QuestionForm
from saferboard.meetings.models import QuestionerKind
from saferboard.meetings.questions import (
    ANONYMOUS_PUBLIC,
    QuestionError,
    add_question,
    question_lines,
    shown_name,
    update_question,
    withdraw_question,
)
from saferboard.reports.providers import questions as questions_provider
from saferboard.reports.sections import PackContext

# Tuesday 5 January 2027: three clear working days back over Christmas and New Year
# (Mon 4 Jan; Fri 1 Jan a holiday; Thu 31, Wed 30 Dec) put the deadline on Tue 29 Dec.
MEETING_DAY = date(2027, 1, 5)
DEADLINE = date(2026, 12, 29)


def _question(meeting, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "asker_kind": QuestionerKind.PUBLIC,
        "asker_name": "Priya Resident",
        "name_public": False,
        "text": "What is being done about speeding on Acre Lane?",
        "received_on": date(2026, 12, 21),
    }
    return add_question(meeting, **{**fields, **overrides})


@pytest.fixture
def meeting(setting):  # type: ignore[no-untyped-def]
    return services.create_meeting(setting["board"], day=MEETING_DAY, place="Town Hall")


def test_names_are_published_for_councillors_and_consenting_members_of_the_public() -> None:
    public, councillor = QuestionerKind.PUBLIC, QuestionerKind.COUNCILLOR
    assert shown_name(public, "Priya", name_public=False, public=False) == "Priya"
    assert shown_name(public, "Priya", name_public=False, public=True) == ANONYMOUS_PUBLIC
    assert shown_name(public, "Priya", name_public=True, public=True) == "Priya"
    assert shown_name(councillor, "Cllr Okafor", name_public=False, public=True) == "Cllr Okafor"


def test_the_deadline_is_set_by_the_boards_rule_and_in_time_is_on_or_before_it(meeting) -> None:  # type: ignore[no-untyped-def]
    on_time = _question(meeting, received_on=DEADLINE)
    late = _question(meeting, received_on=date(2026, 12, 30))
    assert on_time.deadline == late.deadline == DEADLINE
    assert on_time.in_time and not late.in_time
    lines = question_lines([late, on_time], public=False)
    assert [q.number for q in lines] == [1, 2]
    assert lines[0].timing == "In time (deadline 29 December 2026)"
    assert lines[1].timing == "Late (deadline 29 December 2026)"
    # Five clear days, set on the board: back past 28 and 25 December to Wed 23 December.
    meeting.board.question_clear_days = 5
    meeting.board.save()
    assert _question(meeting).deadline == date(2026, 12, 23)


def test_status_follows_the_answer_and_withdrawal_and_changes_are_audited_without_names(
    meeting, clerk
) -> None:  # type: ignore[no-untyped-def]
    question = _question(meeting)
    assert question.get_status_display() == "Awaiting an answer"
    fields = {
        "asker_kind": QuestionerKind.PUBLIC,
        "asker_name": "Priya Resident",
        "name_public": True,
        "text": question.text,
        "received_on": question.received_on,
        "answer": "Average speeds will be checked in January.",
        "answered_by": "Cllr Okafor, chair",
        "answered_on": date(2027, 1, 5),
    }
    update_question(question, actor=clerk, **fields)
    assert question.get_status_display() == "Answered"
    withdraw_question(question, on=date(2027, 1, 4), actor=clerk)
    assert question.get_status_display() == "Withdrawn"
    with pytest.raises(QuestionError, match="withdrawn"):
        update_question(question, actor=clerk, **fields)
    events = AuditEvent.objects.filter(
        action=AuditAction.CHANGE_PERSONAL_DATA, object_id=str(question.pk)
    ).order_by("pk")
    assert [e.detail["change"] for e in events] == [
        "question recorded",
        "question changed",
        "question withdrawn",
    ]
    assert events[1].detail["after"]["name_public"] is True
    assert events[1].detail["also_changed"] == ["answer"]
    for event in events:
        assert "Priya" not in str(event.detail) and "speeding" not in str(event.detail)
    with pytest.raises(QuestionError, match="Enter the answer"):
        _question(meeting, answered_on=date(2027, 1, 5))


def test_the_consent_box_is_never_ticked_to_start_with(setting, clerk, meeting) -> None:  # type: ignore[no-untyped-def]
    assert QuestionForm().fields["name_public"].initial is False
    assert not QuestionForm().initial.get("name_public")
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("meetings:question-new", args=[meeting.pk])).content.decode()
    box = page[page.index('name="name_public"') - 200 : page.index('name="name_public"') + 200]
    assert "checked" not in box
    # Sent without the box, the question is stored without consent.
    response = client.post(
        reverse("meetings:question-new", args=[meeting.pk]),
        {
            "asker_kind": "public",
            "asker_name": "Sam Street",
            "text": "When will the CCTV be mended?",
            "received_on": "1/12/2026",
        },
    )
    assert response.status_code == 302
    stored = meeting.questions.get()
    assert stored.name_public is False and stored.in_time


def test_readers_see_names_managers_change_and_others_may_not(
    setting, clerk, meeting, make_user
) -> None:  # type: ignore[no-untyped-def]
    _question(meeting)
    reader = make_user(Role.BOARD_MEMBER, organisation=setting["orgs"]["police"])
    client = Client()
    client.force_login(reader)
    page = client.get(reverse("meetings:questions", args=[meeting.pk]))
    assert page.status_code == 200 and "Priya Resident" in page.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.READ_PERSONAL_DATA, actor=reader, detail__what="questions log"
    ).exists()
    assert client.get(reverse("meetings:question-new", args=[meeting.pk])).status_code == 403
    assert Client().get(reverse("meetings:questions", args=[meeting.pk])).status_code == 302


def test_the_public_site_and_public_pack_name_only_who_consented(setting, meeting) -> None:  # type: ignore[no-untyped-def]
    _question(meeting, asker_name="Priya Resident", name_public=False)
    _question(meeting, asker_name="Tom Consenting", name_public=True, text="About parks?")
    _question(
        meeting, asker_kind=QuestionerKind.COUNCILLOR, asker_name="Cllr Okafor", text="Knives?"
    )
    gone = _question(meeting, asker_name="Wanda Withdrawn", text="Withdrawn question")
    withdraw_question(gone, on=date(2026, 12, 22))
    services.set_status(meeting, "agenda_published")

    url = reverse("public:meeting", args=[meeting.board.slug, f"{meeting.date:%Y-%m-%d}"])
    html = Client().get(url).content.decode()
    assert "Priya" not in html and "Wanda" not in html and "Withdrawn question" not in html
    assert "Tom Consenting" in html and "Cllr Okafor" in html
    assert "Question 1, from A member of the public" in html
    assert "speeding on Acre Lane" in html

    item = services.add_agenda_item(meeting, title="Public questions", kind="questions")
    public = questions_provider(item, PackContext(meeting=meeting, public=True))
    texts = " ".join(getattr(b, "text", "") for b in public.blocks)
    assert "Priya" not in texts and "Wanda" not in texts
    assert "Question 1, from A member of the public" in texts
    assert "Question 4 was withdrawn." in texts
    assert "3 clear working days" in texts and "in time (deadline 29 December 2026)" in texts
    restricted = questions_provider(item, PackContext(meeting=meeting, public=False))
    assert "Question 1, from Priya Resident" in " ".join(
        getattr(b, "text", "") for b in restricted.blocks
    )


def test_the_standing_questions_item_prints_the_log_once_the_clerk_chooses_it(meeting) -> None:  # type: ignore[no-untyped-def]
    from saferboard.reports.assemble import assemble

    _question(meeting, name_public=False)
    standing = meeting.agenda_items.get(title="Questions")
    assert standing.kind == "paper"  # the title does not choose the questions log
    entry = next(e for e in assemble(meeting, public=True).entries if e.title == "Questions")
    assert entry.section is None  # a paper with nothing linked prints nothing, as before
    services.update_agenda_item(standing, title="Questions", kind="questions")
    entry = next(e for e in assemble(meeting, public=True).entries if e.title == "Questions")
    assert entry.section is not None and entry.section.kind == "questions"
    texts = " ".join(getattr(b, "text", "") for b in entry.section.blocks)
    assert "Question 1, from A member of the public" in texts and "Priya" not in texts
