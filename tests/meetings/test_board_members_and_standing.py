"""Members, named substitutes and the standing agenda, by hand through the services."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import AuditEvent
from saferboard.meetings import board_members, boards, services, standing_agenda
from saferboard.meetings.forms import AttendanceForm
from saferboard.meetings.models import BoardKind, MemberRole
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory


@pytest.fixture
def board(db):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    OrganisationFactory(partnership=partnership, name="Council", slug="council")
    return boards.create_board(
        partnership, "Board", BoardKind.PARTNERSHIP, standing_items=["One", "Two", "Three"]
    )


@pytest.fixture
def people(board):  # type: ignore[no-untyped-def]
    council = board.partnership.organisations.get()
    return {
        name: PersonFactory(organisation=council, full_name=name)
        for name in ("Ada Chair", "Dee Deputy", "Eve Adviser")
    }


def test_a_seat_is_given_once_and_ended_not_deleted(board, people) -> None:
    ada = people["Ada Chair"]
    seat = board_members.add_member(
        board, person=ada, role=MemberRole.CHAIR, start_date=date(2025, 4, 1)
    )
    assert seat.organisation == ada.organisation
    with pytest.raises(boards.BoardSetupError, match="already has a seat"):
        board_members.add_member(board, person=ada, start_date=date(2026, 1, 1))
    board_members.end_member(seat, on=date(2025, 12, 31))
    # After the seat ended, a new one may start the next day; the old one is kept.
    board_members.add_member(board, person=ada, start_date=date(2026, 1, 1))
    assert board.members.filter(person=ada).count() == 2
    with pytest.raises(boards.BoardSetupError, match="already ended"):
        board_members.end_member(seat)
    # An overlap with the ended seat is still refused.
    with pytest.raises(boards.BoardSetupError, match="already has a seat"):
        board_members.add_member(board, person=ada, start_date=date(2025, 6, 1))


def test_people_from_another_partnership_cannot_sit(board) -> None:
    stranger = PersonFactory()
    with pytest.raises(boards.BoardSetupError, match="this partnership"):
        board_members.add_member(board, person=stranger, start_date=date(2025, 1, 1))


def test_a_retired_board_takes_no_members(board, people) -> None:
    boards.retire_board(board, on=date(2025, 1, 1))
    with pytest.raises(boards.BoardSetupError, match="retired"):
        board_members.add_member(board, person=people["Ada Chair"], start_date=date(2025, 2, 1))


def test_named_substitutes(board, people) -> None:
    seat = board_members.add_member(
        board, person=people["Ada Chair"], role=MemberRole.CHAIR, start_date=date(2025, 4, 1)
    )
    with pytest.raises(boards.BoardSetupError, match="own substitute"):
        board_members.add_substitute(seat, person=people["Ada Chair"])
    # Named before the seat starts: from the seat's start.
    deputy = board_members.add_substitute(
        seat, person=people["Dee Deputy"], start_date=date(2025, 1, 1)
    )
    assert deputy.start_date == date(2025, 4, 1)
    with pytest.raises(boards.BoardSetupError, match="already a substitute"):
        board_members.add_substitute(seat, person=people["Dee Deputy"])
    assert board_members.substitutes_on(seat, date(2025, 5, 1)) == [deputy]
    assert board_members.substitutes_on(seat, date(2025, 3, 1)) == []
    board_members.end_substitute(deputy, on=date(2025, 9, 30))
    assert board_members.substitutes_on(seat, date(2025, 10, 1)) == []
    with pytest.raises(boards.BoardSetupError, match="no longer a substitute"):
        board_members.end_substitute(deputy)


def test_attendance_form_names_the_substitutes_without_choosing_one(board, people) -> None:
    seat = board_members.add_member(board, person=people["Ada Chair"], start_date=date(2025, 1, 1))
    form = AttendanceForm(members=[seat], named_substitutes={seat.pk: ["Dee Deputy"]})
    field = form.fields[f"substitute_{seat.pk}"]
    assert "Named substitutes: Dee Deputy" in field.help_text
    assert form[f"substitute_{seat.pk}"].value() in (None, "")


def test_member_changes_are_audited(board, people) -> None:
    seat = board_members.add_member(board, person=people["Ada Chair"], start_date=date(2025, 1, 1))
    board_members.update_member(seat, role=MemberRole.VICE_CHAIR, organisation=seat.organisation)
    events = list(
        AuditEvent.objects.filter(object_type="meetings.BoardMember", object_id=str(seat.pk))
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert events[0]["after"]["person"] == "Ada Chair"
    assert events[1]["before"] == {"role": "Member"}
    assert events[1]["after"] == {"role": "Vice-chair"}
    assert events[1]["board"] == "Board"


def test_old_free_text_roles_still_read(board, people) -> None:
    seat = board_members.add_member(board, person=people["Ada Chair"], start_date=date(2025, 1, 1))
    type(seat).objects.filter(pk=seat.pk).update(role="Co-opted member")
    seat.refresh_from_db()
    assert seat.get_role_display() == "Co-opted member"
    # Changing its organisation keeps a role outside the choices.
    board_members.update_member(seat, role=seat.role, organisation=seat.organisation)


def _titles(board) -> list[str]:  # type: ignore[no-untyped-def]
    return standing_agenda.standing_titles(board)


def test_standing_agenda_reorder_and_remove(board) -> None:
    items = {i.title: i for i in board.standing_items.all()}
    standing_agenda.move_standing_item(items["Three"], up=True)
    assert _titles(board) == ["One", "Three", "Two"]
    standing_agenda.move_standing_item(items["Two"], up=False)  # already last
    assert _titles(board) == ["One", "Three", "Two"]
    standing_agenda.move_standing_item(items["One"], up=False)
    assert _titles(board) == ["Three", "One", "Two"]
    added = standing_agenda.add_standing_item(board, title="  Four ", presenter="Analyst")
    assert (added.position, added.title) == (4, "Four")
    standing_agenda.remove_standing_item(items["One"])
    assert list(board.standing_items.values_list("position", "title")) == [
        (1, "Three"),
        (2, "Two"),
        (3, "Four"),
    ]
    with pytest.raises(boards.BoardSetupError, match="title"):
        standing_agenda.update_standing_item(added, title=" ")


def test_standing_agenda_of_a_retired_board_is_frozen(board) -> None:
    meeting = services.create_meeting(board, day=date(2025, 1, 1), place="Hall")
    boards.retire_board(board)
    with pytest.raises(boards.BoardSetupError, match="retired"):
        standing_agenda.add_standing_item(board, title="Late")
    assert [a.title for a in meeting.agenda_items.all()] == ["One", "Two", "Three"]


def test_member_form_offers_current_people_and_partners(board, people, make_user) -> None:
    from saferboard.meetings.board_forms import MemberForm

    council = board.partnership.organisations.get()
    left = OrganisationFactory(
        partnership=board.partnership, name="Gone", slug="gone", end_date=date(2020, 1, 1)
    )
    deactivated = make_user(organisation=council, username="gone.user")
    deactivated.is_active = False
    deactivated.save()
    form = MemberForm(partnership=board.partnership)
    offered = set(form.fields["person"].queryset)
    assert set(people.values()) <= offered  # people without accounts stay
    assert deactivated.person not in offered
    assert left not in set(form.fields["organisation"].queryset)
