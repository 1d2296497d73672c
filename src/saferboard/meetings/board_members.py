"""Board members and their named substitutes: seats given, changed and ended (audited).

A seat is never deleted: attendance, attendance rates and past board packs refer to it.
Ending a seat ends the substitutes named for it on the same day.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from saferboard.core.audit import record_change, save_change, snapshot
from saferboard.core.models import Organisation, Person, User
from saferboard.meetings.boards import BoardSetupError
from saferboard.meetings.models import Board, BoardMember, MemberRole, NamedSubstitute

MEMBER_FIELDS = ("board", "person", "organisation", "role", "start_date", "end_date")
SUBSTITUTE_FIELDS = ("member", "person", "start_date", "end_date")


def _overlapping(start: date, end: date | None) -> Q:
    """Rows whose [start_date, end_date] overlaps [start, end] (open ends run forever)."""
    overlap = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        overlap &= Q(start_date__lte=end)
    return overlap


def _check_person(board: Board, person: Person, organisation: Organisation) -> None:
    if person.organisation.partnership_id != board.partnership_id:
        raise BoardSetupError("Select someone from this partnership", "person")
    if organisation.partnership_id != board.partnership_id:
        raise BoardSetupError("Select an organisation of this partnership", "organisation")


@transaction.atomic
def add_member(
    board: Board,
    *,
    person: Person,
    role: str = MemberRole.MEMBER,
    start_date: date,
    organisation: Organisation | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> BoardMember:
    """Give ``person`` a seat on ``board`` from ``start_date`` for ``organisation``
    (default: the person's own), audited. Refused on a retired board, or when the
    person already has a seat that overlaps."""
    if board.is_retired:
        raise BoardSetupError(f"{board.name} is retired: it takes no new members")
    organisation = organisation or person.organisation
    _check_person(board, person, organisation)
    if role not in MemberRole.values:
        raise BoardSetupError("Select the member's role", "role")
    if board.members.filter(person=person).filter(_overlapping(start_date, None)).exists():
        raise BoardSetupError(f"{person.full_name} already has a seat on {board.name}", "person")
    member = BoardMember.objects.create(
        board=board, person=person, organisation=organisation, role=role, start_date=start_date
    )
    record_change(
        member,
        before=None,
        after=snapshot(member, MEMBER_FIELDS),
        actor=actor,
        request=request,
        board=board.name,
    )
    return member


@transaction.atomic
def update_member(
    member: BoardMember,
    *,
    role: str,
    organisation: Organisation,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> BoardMember:
    """Change a seat's role or the organisation it is held for (audited)."""
    if role not in MemberRole.values and role != member.role:
        raise BoardSetupError("Select the member's role", "role")
    _check_person(member.board, member.person, organisation)
    save_change(
        member,
        MEMBER_FIELDS,
        {"role": role, "organisation": organisation},
        actor=actor,
        request=request,
        board=member.board.name,
    )
    return member


@transaction.atomic
def end_member(
    member: BoardMember,
    *,
    on: date | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> BoardMember:
    """End a seat on ``on`` (default today), and the substitutes named for it; audited.
    The seat stays on record for the meetings it was held at."""
    on = on or timezone.localdate()
    if member.end_date is not None:
        raise BoardSetupError(f"{member.person.full_name}'s seat has already ended")
    if on < member.start_date:
        raise BoardSetupError(
            f"The seat started on {member.start_date:%-d %B %Y}: enter that day or a later one",
            "end_date",
        )
    _set_end(member, on, MEMBER_FIELDS, member.board, actor, request)
    for substitute in member.named_substitutes.filter(end_date__isnull=True):
        end_substitute(substitute, on=max(on, substitute.start_date), actor=actor, request=request)
    return member


@transaction.atomic
def add_substitute(
    member: BoardMember,
    *,
    person: Person,
    start_date: date | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> NamedSubstitute:
    """Name ``person`` as a substitute for ``member`` from ``start_date`` (default:
    today, or the seat's start if later), audited."""
    board = member.board
    if member.end_date is not None:
        raise BoardSetupError("This seat has ended: name substitutes for a current member")
    if board.is_retired:
        raise BoardSetupError(f"{board.name} is retired")
    if person.pk == member.person_id:
        raise BoardSetupError("A member cannot be their own substitute", "person")
    if person.organisation.partnership_id != board.partnership_id:
        raise BoardSetupError("Select someone from this partnership", "person")
    start = max(start_date or timezone.localdate(), member.start_date)
    if member.named_substitutes.filter(person=person).filter(_overlapping(start, None)).exists():
        raise BoardSetupError(
            f"{person.full_name} is already a substitute for {member.person.full_name}", "person"
        )
    substitute = NamedSubstitute.objects.create(member=member, person=person, start_date=start)
    record_change(
        substitute,
        before=None,
        after=snapshot(substitute, SUBSTITUTE_FIELDS),
        actor=actor,
        request=request,
        board=board.name,
    )
    return substitute


@transaction.atomic
def end_substitute(
    substitute: NamedSubstitute,
    *,
    on: date | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> NamedSubstitute:
    """Stop ``substitute`` standing in from ``on`` (default today); audited, kept."""
    on = on or timezone.localdate()
    if substitute.end_date is not None:
        raise BoardSetupError(f"{substitute.person.full_name} is no longer a substitute")
    if on < substitute.start_date:
        raise BoardSetupError(
            f"They were named on {substitute.start_date:%-d %B %Y}: enter that day or later",
            "end_date",
        )
    _set_end(substitute, on, SUBSTITUTE_FIELDS, substitute.member.board, actor, request)
    return substitute


def _set_end(
    obj: BoardMember | NamedSubstitute,
    on: date,
    fields: tuple[str, ...],
    board: Board,
    actor: User | None,
    request: HttpRequest | None,
) -> None:
    """End a seat or a named substitute on ``on``, audited before and after."""
    save_change(obj, fields, {"end_date": on}, actor=actor, request=request, board=board.name)


def substitutes_on(member: BoardMember, day: date) -> list[NamedSubstitute]:
    """The substitutes named for ``member`` who may stand in on ``day``."""
    return [
        s
        for s in member.named_substitutes.select_related("person").order_by("person__full_name")
        if s.is_active_on(day)
    ]
