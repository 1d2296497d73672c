"""The questions log of a meeting: questions from councillors and the public.

Each question records who asked, what, when it arrived and the deadline the board's
standing orders set (``Board.question_clear_days`` clear working days before the
meeting, see :mod:`saferboard.meetings.working_days`), the answer and its status.

A member of the public's name is personal data. It is shown to signed-in staff; in
anything published (the public pack, the public committee site) it appears only if
they consented, else they are "A member of the public". Councillors are public
office holders: their names are always published. The audit records who changed a
question and which fields changed, but never the name or the text themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferboard.core.audit import record, record_change, snapshot
from saferboard.core.models import AuditAction, User
from saferboard.meetings.models import Meeting, Question, QuestionerKind, QuestionStatus
from saferboard.meetings.working_days import UnknownYear, question_deadline

ANONYMOUS_PUBLIC = "A member of the public"

# Audited as values (nothing personal); the name and the texts are audited only as
# "changed" (their values stay out of the audit log).
AUDITED_FIELDS = (
    "asker_kind",
    "name_public",
    "received_on",
    "deadline",
    "answered_by",
    "answered_on",
    "withdrawn_on",
)
PRIVATE_FIELDS = ("asker_name", "text", "answer")


class QuestionError(ValueError):
    """A change to a question the meeting's state does not allow."""


# Pure: what is shown of a question -----------------------------------------------------


def shown_name(asker_kind: str, name: str, *, name_public: bool, public: bool) -> str:
    """The questioner's name as a reader sees it: everyone's to staff; in anything
    published, a councillor's, or a member of the public's only with their consent."""
    if not public or asker_kind == QuestionerKind.COUNCILLOR or name_public:
        return name
    return ANONYMOUS_PUBLIC


@dataclass(frozen=True)
class QuestionLine:
    """One question as printed (the log page, the pack, the public site)."""

    number: int
    asker: str
    asker_kind: str  # 'A councillor', 'A member of the public'
    text: str
    received: date
    deadline: date
    in_time: bool
    answer: str
    answered_by: str
    answered_on: date | None
    status: str  # the label: 'Answered'
    withdrawn: bool
    pk: int | None = None

    @property
    def timing(self) -> str:
        """'In time (deadline 23 March 2027)' or 'Late (deadline …)'."""
        word = "In time" if self.in_time else "Late"
        return f"{word} (deadline {self.deadline:%-d %B %Y})"


def question_lines(questions: Iterable[Question], *, public: bool) -> list[QuestionLine]:
    """The questions numbered 1, 2, 3… in the order received (withdrawn ones keep their
    number, so numbers never move); names as :func:`shown_name` allows."""
    ordered = sorted(questions, key=lambda q: (q.received_on, q.pk or 0))
    return [
        QuestionLine(
            number=n,
            asker=shown_name(q.asker_kind, q.asker_name, name_public=q.name_public, public=public),
            asker_kind=str(QuestionerKind(q.asker_kind).label),
            text=q.text,
            received=q.received_on,
            deadline=q.deadline,
            in_time=q.in_time,
            answer=q.answer,
            answered_by=q.answered_by,
            answered_on=q.answered_on,
            status=q.get_status_display(),
            withdrawn=q.status == QuestionStatus.WITHDRAWN,
            pk=q.pk,
        )
        for n, q in enumerate(ordered, 1)
    ]


# Services ------------------------------------------------------------------------------


def deadline_for(meeting: Meeting) -> date:
    """The standing orders' deadline for questions to ``meeting``."""
    try:
        return question_deadline(meeting.date, meeting.board.question_clear_days)
    except UnknownYear as error:
        raise QuestionError(str(error)) from error


def _check_open(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise QuestionError("The minutes of this meeting are agreed: its questions are closed")
    if meeting.is_cancelled:
        raise QuestionError("The meeting was cancelled: it takes no questions")


def _audit(
    question: Question,
    before: dict[str, Any] | None,
    private_before: dict[str, Any] | None,
    *,
    actor: User | None,
    request: HttpRequest | None,
    change: str,
) -> None:
    after = snapshot(question, AUDITED_FIELDS)
    private_after = {f: getattr(question, f) for f in PRIVATE_FIELDS}
    changed = sorted(
        f for f in PRIVATE_FIELDS if private_before is None or private_before[f] != private_after[f]
    )
    event = record_change(
        question,
        before=before,
        after=after,
        actor=actor,
        request=request,
        action=AuditAction.CHANGE_PERSONAL_DATA,
        meeting=question.meeting_id,
        change=change,
        also_changed=changed,
    )
    if event is None and changed:
        record(
            AuditAction.CHANGE_PERSONAL_DATA,
            actor=actor,
            obj=question,
            request=request,
            meeting=question.meeting_id,
            change=change,
            also_changed=changed,
        )


def _apply(question: Question, fields: dict[str, Any]) -> None:
    if fields["asker_kind"] not in QuestionerKind.values:
        raise QuestionError("Choose who asked the question")
    answer = (fields.get("answer") or "").strip()
    if fields.get("answered_on") and not answer:
        raise QuestionError("Enter the answer, or leave the date it was answered empty")
    question.asker_kind = fields["asker_kind"]
    question.asker_name = fields["asker_name"].strip()
    # Consent is asked of members of the public; a councillor's name is public anyway.
    question.name_public = bool(fields.get("name_public"))
    question.text = fields["text"].strip()
    question.received_on = fields["received_on"]
    question.answer = answer
    question.answered_by = (fields.get("answered_by") or "").strip() if answer else ""
    question.answered_on = fields.get("answered_on") if answer else None


def add_question(
    meeting: Meeting,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Question:
    """Record a question (audited), with the deadline the board's rule gives."""
    _check_open(meeting)
    question = Question(meeting=meeting, deadline=deadline_for(meeting))
    _apply(question, fields)
    with transaction.atomic():
        question.save()
        _audit(question, None, None, actor=actor, request=request, change="question recorded")
    return question


def update_question(
    question: Question,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Question:
    """Change a question or record its answer (audited). The deadline stays the one
    worked out when the question was recorded."""
    _check_open(question.meeting)
    if question.withdrawn_on is not None:
        raise QuestionError("This question was withdrawn: it cannot be changed")
    before = snapshot(question, AUDITED_FIELDS)
    private_before = {f: getattr(question, f) for f in PRIVATE_FIELDS}
    _apply(question, fields)
    with transaction.atomic():
        question.save()
        _audit(
            question,
            before,
            private_before,
            actor=actor,
            request=request,
            change="question changed",
        )
    return question


def withdraw_question(
    question: Question,
    *,
    on: date,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Question:
    """Withdraw a question (kept in the log, marked withdrawn; audited)."""
    _check_open(question.meeting)
    if question.withdrawn_on is not None:
        raise QuestionError("This question was already withdrawn")
    before = snapshot(question, AUDITED_FIELDS)
    private_before = {f: getattr(question, f) for f in PRIVATE_FIELDS}
    question.withdrawn_on = on
    with transaction.atomic():
        question.save(update_fields=["withdrawn_on"])
        _audit(
            question,
            before,
            private_before,
            actor=actor,
            request=request,
            change="question withdrawn",
        )
    return question
