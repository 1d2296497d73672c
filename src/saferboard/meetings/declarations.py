"""The register of declarations of interest made at a meeting.

The clerk records who declared what interest (in the code of conduct's terms:
disclosable pecuniary, other registrable, non-registrable), in which agenda item, its
nature and whether they left the room. Declarations are part of the minutes: once
the minutes are agreed they are locked like the minutes. Every change is audited; a
declaration recorded in error is withdrawn, never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from saferboard.core.audit import record_change, snapshot
from saferboard.core.models import AuditAction, Person, User
from saferboard.meetings.models import (
    AgendaItem,
    Declaration,
    InterestKind,
    Meeting,
    MinutesLocked,
)

AUDITED_FIELDS = ("person", "name", "agenda_item", "kind", "nature", "left_room", "withdrawn_on")
EXEMPT_NATURE = "Not shown: the item is exempt from publication."


class DeclarationError(ValueError):
    """A declaration that cannot be recorded as given."""


@dataclass(frozen=True)
class DeclarationLine:
    """One declaration as printed (the meeting page, the minutes, the pack)."""

    name: str
    item: str  # '7. Budget' (or '7' for an exempt item the reader may not see)
    kind: str  # 'Disclosable pecuniary interest'
    nature: str
    left_room: bool
    pk: int | None = None

    @property
    def participation(self) -> str:
        return "Left the room" if self.left_room else "Stayed"


def declaration_lines(
    declarations: Iterable[Declaration],
    numbers: Mapping[int, str],
    *,
    show_exempt: bool,
) -> list[DeclarationLine]:
    """The meeting's standing declarations in agenda order (then as recorded).

    ``numbers`` maps agenda item ids to their printed numbers. For an exempt item the
    reader may not see, the item is its number alone and the nature is withheld (it
    could say what the exempt item is about); who declared and the kind are shown."""
    rows = [d for d in declarations if d.withdrawn_on is None]
    order = {pk: i for i, pk in enumerate(numbers)}

    def key(d: Declaration) -> tuple[int, int]:
        where = order.get(d.agenda_item_id, -1) if d.agenda_item_id else -1
        return (where, d.pk or 0)

    lines = []
    for d in sorted(rows, key=key):
        item = d.agenda_item
        hidden = bool(item is not None and item.exempt and not show_exempt)
        if item is None:
            where = "General"
        elif hidden:
            where = numbers.get(item.pk, "")
        else:
            where = f"{numbers.get(item.pk, '')}. {item.title}"
        lines.append(
            DeclarationLine(
                name=d.display_name,
                item=where,
                kind=str(InterestKind(d.kind).label),
                nature=EXEMPT_NATURE if hidden else d.nature,
                left_room=d.left_room,
                pk=d.pk,
            )
        )
    return lines


def _check_open(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise MinutesLocked("These minutes have been agreed: record an amendment instead")
    if meeting.is_cancelled:
        raise DeclarationError("The meeting was cancelled: it has no declarations")


def _apply(declaration: Declaration, fields: dict[str, Any]) -> None:
    person: Person | None = fields.get("person")
    name = (fields.get("name") or "").strip()
    if person is None and not name:
        raise DeclarationError("Choose who declared the interest, or enter their name")
    if fields["kind"] not in InterestKind.values:
        raise DeclarationError("Choose the kind of interest")
    item: AgendaItem | None = fields.get("agenda_item")
    if item is not None and item.meeting_id != declaration.meeting_id:
        raise DeclarationError("Choose an item on this meeting's agenda")
    declaration.person = person
    declaration.name = "" if person is not None else name
    declaration.agenda_item = item
    declaration.kind = fields["kind"]
    declaration.nature = fields["nature"].strip()
    declaration.left_room = bool(fields.get("left_room"))


def _save(
    declaration: Declaration,
    before: dict[str, Any] | None,
    what: str,
    *,
    actor: User | None,
    request: HttpRequest | None,
    update_fields: list[str] | None = None,
) -> None:
    """Save ``declaration`` and audit the change from ``before`` in one transaction (a
    declaration names a person, so it is audited as personal data)."""
    with transaction.atomic():
        declaration.save(update_fields=update_fields)
        record_change(
            declaration,
            before=before,
            after=snapshot(declaration, AUDITED_FIELDS),
            actor=actor,
            request=request,
            action=AuditAction.CHANGE_PERSONAL_DATA,
            meeting=declaration.meeting_id,
            change=f"declaration of interest {what}",
        )


def add_declaration(
    meeting: Meeting,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Declaration:
    """Record a declaration (audited)."""
    _check_open(meeting)
    declaration = Declaration(meeting=meeting)
    _apply(declaration, fields)
    _save(declaration, None, "recorded", actor=actor, request=request)
    return declaration


def update_declaration(
    declaration: Declaration,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Declaration:
    """Change a declaration (audited: before and after)."""
    _check_open(declaration.meeting)
    if declaration.withdrawn_on is not None:
        raise DeclarationError("This declaration was withdrawn: it cannot be changed")
    before = snapshot(declaration, AUDITED_FIELDS)
    _apply(declaration, fields)
    _save(declaration, before, "changed", actor=actor, request=request)
    return declaration


def withdraw_declaration(
    declaration: Declaration,
    *,
    on: date,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Declaration:
    """Withdraw a declaration recorded in error (kept, no longer printed; audited)."""
    _check_open(declaration.meeting)
    if declaration.withdrawn_on is not None:
        raise DeclarationError("This declaration was already withdrawn")
    before = snapshot(declaration, AUDITED_FIELDS)
    declaration.withdrawn_on = on
    _save(
        declaration,
        before,
        "withdrawn",
        actor=actor,
        request=request,
        update_fields=["withdrawn_on"],
    )
    return declaration


def people_for(meeting: Meeting) -> list[Person]:
    """Who may declare: the board's members on the day, and those who attended."""
    from saferboard.meetings.models import BoardMember

    ids = set(
        BoardMember.objects.active_on(meeting.date)
        .filter(board_id=meeting.board_id)
        .values_list("person_id", flat=True)
    )
    ids |= set(meeting.attendance.filter(person__isnull=False).values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=ids).order_by("full_name"))
