"""The board settings pages: who may use them, what they change, what they audit."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from saferboard.core.models import AuditEvent, Role, User
from saferboard.meetings import boards, services
from saferboard.meetings.models import Board, BoardKind, BoardMember, NamedSubstitute
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory, UserFactory


@pytest.fixture
def place(db):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership, name="Council", slug="council")
    police = OrganisationFactory(
        partnership=partnership, name="Police", slug="police", type="police"
    )
    return {"partnership": partnership, "council": council, "police": police}


@pytest.fixture
def admin(make_user, place) -> User:  # type: ignore[no-untyped-def]
    return make_user(Role.ADMINISTRATOR, organisation=place["council"], username="admin")


@pytest.fixture
def admin_client(client: Client, admin) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    return client


def _title_and_h1(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()  # type: ignore[union-attr]
    h1 = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()  # type: ignore[union-attr]
    return title, h1


def _pages(board: Board) -> list[str]:
    member = board.members.first()
    item = board.standing_items.first()
    base = f"/meetings/settings/boards/{board.slug}"
    pages = [
        "/meetings/settings/boards/",
        "/meetings/settings/boards/new/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/retire/",
        f"{base}/members/new/",
        f"{base}/standing/new/",
        f"{base}/standing/{item.pk}/",
        f"{base}/standing/{item.pk}/remove/",
    ]
    if member is not None:
        pages += [
            f"{base}/members/{member.pk}/",
            f"{base}/members/{member.pk}/end/",
            f"{base}/members/{member.pk}/substitutes/new/",
        ]
    return pages


def test_coordinator_and_administrator_see_every_page_others_get_403(client: Client, demo) -> None:
    board = Board.objects.get(slug="safer-partnership-board")
    pages = _pages(board)
    for username in ("administrator", "coordinator"):
        client.force_login(User.objects.get(username=username))
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (username, path)
            title, h1 = _title_and_h1(response.content.decode())
            assert title.startswith(h1), (path, title, h1)
    for username in ("board.member", "analyst"):
        client.force_login(User.objects.get(username=username))
        for path in pages:
            assert client.get(path).status_code == 403, (username, path)
        assert client.post(pages[1], {"name": "Mine"}).status_code == 403
    client.logout()
    assert client.get(pages[0]).status_code in {302, 403}


def test_create_a_board_in_the_browser(admin_client: Client, place, admin) -> None:
    response = admin_client.post(
        "/meetings/settings/boards/new/",
        {"name": "Safer Borough Board", "kind": "partnership", "cadence": "quarterly"},
    )
    board = Board.objects.get(name="Safer Borough Board")
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/settings/boards/{board.slug}/"
    assert board.action_log.owner == place["council"]
    assert board.standing_items.count() == len(boards.DEFAULT_STANDING_AGENDA)
    event = AuditEvent.objects.get(object_type="meetings.Board", object_id=str(board.pk))
    assert event.actor == admin and event.detail["after"]["name"] == "Safer Borough Board"
    page = admin_client.get(response["Location"]).content.decode()
    assert "Safer Borough Board action log" in page and "Quarterly" in page


def test_sub_group_parent_rule_is_shown_on_the_form(admin_client: Client, place) -> None:
    response = admin_client.post(
        "/meetings/settings/boards/new/",
        {"name": "ASB sub-group", "kind": "sub_group", "cadence": "monthly"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select the board this sub-group reports to" in html
    assert 'href="#id_parent"' in html
    assert html.count("<title>Error: Add a board") == 1
    top = boards.create_board(place["partnership"], "Top", BoardKind.PARTNERSHIP)
    response = admin_client.post(
        "/meetings/settings/boards/new/",
        {"name": "Improvement", "kind": "improvement", "cadence": "monthly", "parent": top.pk},
    )
    assert "Only a sub-group reports to another board" in response.content.decode()
    response = admin_client.post(
        "/meetings/settings/boards/new/",
        {"name": "ASB sub-group", "kind": "sub_group", "cadence": "monthly", "parent": top.pk},
    )
    assert response.status_code == 302
    assert Board.objects.get(name="ASB sub-group").parent == top


def test_empty_installation_says_what_is_missing(client: Client, db) -> None:
    from saferboard.core.models import Partnership

    client.force_login(UserFactory(is_superuser=True))  # no person, so no partnership
    assert not Partnership.objects.exists()
    for path in ("/meetings/settings/boards/", "/meetings/settings/boards/new/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "The partnership has not been set up yet" in response.content.decode()


def test_no_organisation_yet_links_to_set_up(client: Client, db, make_user) -> None:
    partnership = PartnershipFactory()
    user = make_user(superuser=True)
    # make_user gives the user an organisation of another partnership; the first
    # partnership is the one the installation serves.
    assert user.person.organisation.partnership != partnership
    client.force_login(user)
    html = client.get("/meetings/settings/boards/new/").content.decode()
    assert "Add an organisation first" in html


def test_edit_and_retire_a_board(admin_client: Client, place) -> None:
    board = boards.create_board(place["partnership"], "Board", BoardKind.PARTNERSHIP)
    base = f"/meetings/settings/boards/{board.slug}"
    admin_client.post(
        f"{base}/edit/",
        {"name": "Board", "kind": "improvement", "cadence": "other", "cadence_note": "Termly"},
    )
    board.refresh_from_db()
    assert (board.kind, board.cadence_display()) == ("improvement", "Termly")
    services.create_meeting(board, day=date(2025, 1, 1), place="Hall")
    response = admin_client.post(f"{base}/retire/", {"retired_on": "31/03/2025"})
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.retired_on == date(2025, 3, 31)
    assert board.meetings.count() == 1
    # The board's meeting pages still read; scheduling a new meeting is refused kindly.
    assert admin_client.get(f"/meetings/boards/{board.slug}/").status_code == 200
    response = admin_client.post(
        f"/meetings/boards/{board.slug}/new/", {"date": "1/06/2025", "place": "Hall"}
    )
    assert response.status_code == 200
    assert "was retired" in response.content.decode()
    assert board.meetings.count() == 1
    # Reinstating is a POST on the same page.
    admin_client.post(f"{base}/retire/")
    board.refresh_from_db()
    assert board.retired_on is None


def test_members_substitutes_and_ending_a_seat(admin_client: Client, place) -> None:
    board = boards.create_board(place["partnership"], "Board", BoardKind.PARTNERSHIP)
    chair = PersonFactory(organisation=place["council"], full_name="Ada Chair")
    deputy = PersonFactory(organisation=place["council"], full_name="Dee Deputy")
    base = f"/meetings/settings/boards/{board.slug}"
    # The form pre-selects no person.
    form = admin_client.get(f"{base}/members/new/").content.decode()
    assert " selected>Ada Chair" not in form and "checked" not in form
    response = admin_client.post(
        f"{base}/members/new/",
        {"person": chair.pk, "role": "Chair", "start_date": "1/04/2025", "organisation": ""},
    )
    assert response.status_code == 302
    seat = BoardMember.objects.get(board=board, person=chair)
    assert (seat.role, seat.organisation) == ("Chair", place["council"])
    # A second overlapping seat is refused on the form.
    response = admin_client.post(
        f"{base}/members/new/", {"person": chair.pk, "role": "Member", "start_date": "1/05/2025"}
    )
    assert "already has a seat" in response.content.decode()
    admin_client.post(
        f"{base}/members/{seat.pk}/", {"role": "Vice-chair", "organisation": place["police"].pk}
    )
    seat.refresh_from_db()
    assert (seat.role, seat.organisation) == ("Vice-chair", place["police"])
    admin_client.post(
        f"{base}/members/{seat.pk}/substitutes/new/",
        {"person": deputy.pk, "start_date": "1/04/2025"},
    )
    substitute = NamedSubstitute.objects.get(member=seat)
    assert substitute.person == deputy
    assert "Dee Deputy" in admin_client.get(f"{base}/").content.decode()
    # Ending too early is refused; ending the seat ends its substitutes too.
    response = admin_client.post(f"{base}/members/{seat.pk}/end/", {"end_date": "1/01/2025"})
    assert "enter that day or a later one" in response.content.decode()
    admin_client.post(f"{base}/members/{seat.pk}/end/", {"end_date": "30/06/2025"})
    seat.refresh_from_db()
    substitute.refresh_from_db()
    assert seat.end_date == substitute.end_date == date(2025, 6, 30)
    kinds = list(
        AuditEvent.objects.filter(
            object_type__in=["meetings.BoardMember", "meetings.NamedSubstitute"]
        )
        .order_by("pk")
        .values_list("object_type", flat=True)
    )
    assert kinds == [
        "meetings.BoardMember",  # added
        "meetings.BoardMember",  # role and organisation changed
        "meetings.NamedSubstitute",  # named
        "meetings.BoardMember",  # seat ended
        "meetings.NamedSubstitute",  # substitute ended with it
    ]


def test_standing_items_add_edit_reorder_remove(admin_client: Client, place) -> None:
    board = boards.create_board(
        place["partnership"], "Board", BoardKind.PARTNERSHIP, standing_items=["A", "B", "C"]
    )
    past = services.create_meeting(board, day=date(2025, 1, 1), place="Hall")
    base = f"/meetings/settings/boards/{board.slug}"
    admin_client.post(f"{base}/standing/new/", {"title": "D", "presenter": "Analyst"})
    items = {i.title: i for i in board.standing_items.all()}
    admin_client.post(f"{base}/standing/{items['D'].pk}/move/", {"direction": "up"})
    admin_client.post(f"{base}/standing/{items['A'].pk}/move/", {"direction": "up"})  # top
    admin_client.post(f"{base}/standing/{items['A'].pk}/move/", {"direction": "down"})
    titles = list(board.standing_items.order_by("position").values_list("title", flat=True))
    assert titles == ["B", "A", "D", "C"]
    admin_client.post(f"{base}/standing/{items['C'].pk}/", {"title": "C, renamed"})
    response = admin_client.post(f"{base}/standing/{items['B'].pk}/remove/")
    assert response.status_code == 302
    assert list(board.standing_items.order_by("position").values_list("position", "title")) == [
        (1, "A"),
        (2, "D"),
        (3, "C, renamed"),
    ]
    # The agenda already made is untouched; the next one follows the new template.
    assert [a.title for a in past.agenda_items.all()] == ["A", "B", "C"]
    future = services.create_meeting(board, day=date(2025, 4, 1), place="Hall")
    assert [a.title for a in future.agenda_items.all()] == ["A", "D", "C, renamed"]
    reorder = AuditEvent.objects.filter(object_type="meetings.Board", object_id=str(board.pk))
    assert reorder.order_by("pk").last().detail == {
        "before": {"standing_items": ["A", "B", "D", "C"]},
        "after": {"standing_items": ["B", "A", "D", "C"]},
    }
    removed = AuditEvent.objects.filter(
        object_type="meetings.StandingItem", object_id=str(items["B"].pk)
    ).latest("pk")
    assert removed.detail["before"]["title"] == "B"
    assert removed.detail["after"]["title"] is None
