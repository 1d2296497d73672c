"""Setting boards up by hand through the services: creation, the sub-group rule, retiring."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.actions.models import PlanKind
from saferboard.core.models import AuditAction, AuditEvent, Role
from saferboard.meetings import boards, services
from saferboard.meetings.models import Board, BoardKind, Cadence
from tests.factories import OrganisationFactory, PartnershipFactory


@pytest.fixture
def partnership(db):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    OrganisationFactory(partnership=partnership, name="Police", slug="police", type="police")
    OrganisationFactory(partnership=partnership, name="Council", slug="council")
    return partnership


@pytest.fixture
def admin(make_user, partnership):  # type: ignore[no-untyped-def]
    return make_user(Role.ADMINISTRATOR, organisation=partnership.organisations.get(slug="council"))


def _audits(board: Board) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="meetings.Board", object_id=str(board.pk)).order_by(
            "pk"
        )
    )


def test_create_board_makes_its_action_log_and_standing_agenda(partnership, admin) -> None:
    board = boards.create_board(
        partnership,
        "Safer Borough Board",
        BoardKind.PARTNERSHIP,
        cadence=Cadence.BIMONTHLY,
        actor=admin,
    )
    assert board.slug == "safer-borough-board"
    assert board.action_log.kind == PlanKind.BOARD_LOG
    assert board.action_log.title == "Safer Borough Board action log"
    # No owner named: the council runs the secretariat.
    assert board.action_log.owner.slug == "council"
    assert [i.title for i in board.standing_items.all()] == boards.DEFAULT_STANDING_AGENDA
    assert board.cadence_display() == "Every two months"
    [event] = _audits(board)
    assert event.action == AuditAction.SETTINGS_CHANGE
    assert event.actor == admin
    assert event.detail["before"]["name"] is None
    assert event.detail["after"]["name"] == "Safer Borough Board"
    assert event.detail["after"]["kind"] == "partnership"


def test_a_second_board_of_the_same_name_is_refused(partnership) -> None:
    boards.create_board(partnership, "Board", BoardKind.PARTNERSHIP)
    with pytest.raises(boards.BoardSetupError, match="already a board called") as err:
        boards.create_board(partnership, "board ", BoardKind.IMPROVEMENT)
    assert err.value.field == "name"


def test_slugs_stay_unique(partnership) -> None:
    first = boards.create_board(partnership, "Board", BoardKind.PARTNERSHIP)
    first.name = "Renamed"
    first.save()
    second = boards.create_board(partnership, "Board", BoardKind.PARTNERSHIP)
    assert (first.slug, second.slug) == ("board", "board-2")


def test_a_sub_group_needs_its_parent_and_only_a_sub_group_has_one(partnership) -> None:
    strategic = boards.create_board(partnership, "Strategic", BoardKind.PARTNERSHIP)
    with pytest.raises(boards.BoardSetupError, match="reports to") as err:
        boards.create_board(partnership, "ASB sub-group", BoardKind.SUB_GROUP)
    assert err.value.field == "parent"
    with pytest.raises(boards.BoardSetupError, match="Only a sub-group"):
        boards.create_board(partnership, "Improvement", BoardKind.IMPROVEMENT, strategic)
    sub = boards.create_board(partnership, "ASB sub-group", BoardKind.SUB_GROUP, strategic)
    assert list(strategic.sub_groups.all()) == [sub]
    # A parent from another partnership is refused.
    other = boards.create_board(
        OrganisationFactory().partnership, "Elsewhere", BoardKind.PARTNERSHIP
    )
    with pytest.raises(boards.BoardSetupError, match="this partnership"):
        boards.create_board(partnership, "Odd", BoardKind.SUB_GROUP, other)


def test_a_board_cannot_report_to_its_own_sub_group(partnership) -> None:
    top = boards.create_board(partnership, "Top", BoardKind.PARTNERSHIP)
    sub = boards.create_board(partnership, "Sub", BoardKind.SUB_GROUP, top)
    subsub = boards.create_board(partnership, "Sub-sub", BoardKind.SUB_GROUP, sub)
    with pytest.raises(boards.BoardSetupError, match="cannot report to itself"):
        boards.update_board(
            sub, name="Sub", kind=BoardKind.SUB_GROUP, parent=subsub, cadence=Cadence.QUARTERLY
        )


def test_other_cadence_needs_words(partnership) -> None:
    with pytest.raises(boards.BoardSetupError) as err:
        boards.create_board(partnership, "Board", BoardKind.PARTNERSHIP, cadence=Cadence.OTHER)
    assert err.value.field == "cadence_note"
    board = boards.create_board(
        partnership,
        "Board",
        BoardKind.PARTNERSHIP,
        cadence=Cadence.OTHER,
        cadence_note="Six weeks before each full council",
    )
    assert board.cadence_display() == "Six weeks before each full council"


def test_no_organisation_yet_is_said_plainly(db) -> None:
    with pytest.raises(boards.BoardSetupError, match="Add an organisation first"):
        boards.create_board(PartnershipFactory(), "Board", BoardKind.PARTNERSHIP)


def test_update_board_is_audited_before_and_after(partnership, admin) -> None:
    board = boards.create_board(partnership, "Board", BoardKind.PARTNERSHIP)
    boards.update_board(
        board,
        name="Safer Board",
        kind=BoardKind.PARTNERSHIP,
        cadence=Cadence.MONTHLY,
        actor=admin,
    )
    event = _audits(board)[-1]
    assert event.detail["before"] == {"name": "Board", "cadence": "quarterly"}
    assert event.detail["after"] == {"name": "Safer Board", "cadence": "monthly"}
    assert board.slug == "board"  # addresses do not move


def test_a_retired_board_keeps_its_meetings_and_takes_no_new_ones(partnership, admin) -> None:
    board = boards.create_board(partnership, "Board", BoardKind.PARTNERSHIP)
    meeting = services.create_meeting(board, day=date(2025, 1, 10), place="Hall")
    boards.retire_board(board, on=date(2025, 3, 31), actor=admin)
    board.refresh_from_db()
    assert board.retired_on == date(2025, 3, 31)
    assert list(board.meetings.all()) == [meeting]
    with pytest.raises(services.MeetingError, match="retired"):
        services.create_meeting(board, day=date(2025, 6, 1), place="Hall")
    event = _audits(board)[-1]
    assert event.detail == {"before": {"retired_on": None}, "after": {"retired_on": "2025-03-31"}}
    with pytest.raises(boards.BoardSetupError, match="already retired"):
        boards.retire_board(board)
    boards.reinstate_board(board, actor=admin)
    assert board.retired_on is None


def test_a_board_with_current_sub_groups_cannot_retire(partnership) -> None:
    top = boards.create_board(partnership, "Top", BoardKind.PARTNERSHIP)
    sub = boards.create_board(partnership, "Sub", BoardKind.SUB_GROUP, top)
    with pytest.raises(boards.BoardSetupError, match="Sub"):
        boards.retire_board(top)
    boards.retire_board(sub)
    boards.retire_board(top)
    # A retired board cannot be a new sub-group's parent.
    with pytest.raises(boards.BoardSetupError, match="retired"):
        boards.create_board(partnership, "Late", BoardKind.SUB_GROUP, top)


def test_old_stored_kinds_and_roles_stay_valid() -> None:
    assert BoardKind("partnership").label == "Strategic board"
    assert BoardKind("yos").label == "Youth justice management board"
    assert BoardKind("improvement").label == "Improvement board"
