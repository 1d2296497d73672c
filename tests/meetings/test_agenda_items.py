"""Agenda items as the clerk runs them: chosen content, sub-items, moves and removals
(audited), attendance for a meeting still to come, lettered minutes, owners of actions."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from saferboard.core.models import AuditEvent
from saferboard.meetings import boards, services
from saferboard.meetings.forms import RaiseActionForm
from saferboard.meetings.models import AgendaItem, MeetingStatus
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory, UserFactory
from tests.meetings.conftest import hold

PAST = date(2025, 1, 15)


@pytest.fixture
def meeting(setting):  # type: ignore[no-untyped-def]
    return services.create_meeting(setting["board"], day=PAST, place="Civic Centre")


@pytest.fixture
def clerk_client(client: Client, clerk) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    return client


def _agenda(meeting) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    numbered = services.agenda_numbers(meeting)
    return [(numbered[i.pk], i.title) for i in meeting.agenda_items.order_by("position")]


def _add(meeting, title, **kwargs):  # type: ignore[no-untyped-def]
    return services.add_agenda_item(meeting, title=title, **kwargs)


def test_standing_items_take_the_titles_suggestion_and_new_items_the_clerks_choice(
    meeting,
) -> None:
    kinds = {i.title: i.kind for i in meeting.agenda_items.all()}
    assert kinds["Minutes of the last meeting"] == "minutes"
    assert kinds["Matters arising"] == "matters_arising"
    assert kinds["Questions"] == "paper"
    plan = _add(meeting, "Youth Offending Service improvement plan", kind="action_plans")
    assert plan.kind == "action_plans"
    with pytest.raises(services.MeetingError, match="Select what the item contains"):
        _add(meeting, "Panel figures", kind="panel_aggregates")


def test_sub_items_are_numbered_7a_and_go_after_their_parent(meeting) -> None:
    youth = _add(meeting, "Youth justice", kind="youth_justice")
    _add(meeting, "Out of court disposals", kind="paper", parent=youth)
    _add(meeting, "Remands", kind="paper", parent=youth)
    _add(meeting, "Serious violence duty", kind="paper")
    assert _agenda(meeting) == [
        ("1", "Welcome, introductions and apologies"),
        ("2", "Declarations of interest"),
        ("3", "Minutes of the last meeting"),
        ("4", "Matters arising"),
        ("5", "Questions"),
        ("6", "Chair's update"),
        ("7", "Youth justice"),
        ("7a", "Out of court disposals"),
        ("7b", "Remands"),
        ("8", "Serious violence duty"),
        ("9", "Any other business"),
        ("10", "Date of next meeting"),
    ]
    sub = AgendaItem.objects.get(title="Remands")
    assert (youth.number, sub.number) == ("7", "7b")
    with pytest.raises(services.MeetingError, match="itself a sub-item"):
        _add(meeting, "Too deep", kind="paper", parent=sub)


def test_moving_an_item_renumbers_and_is_audited(meeting, clerk) -> None:
    youth = _add(meeting, "Youth justice", kind="youth_justice")
    _add(meeting, "Remands", kind="paper", parent=youth)
    assert services.move_agenda_item(youth, "up", actor=clerk)
    numbered = dict((t, n) for n, t in _agenda(meeting))
    assert (numbered["Youth justice"], numbered["Remands"], numbered["Chair's update"]) == (
        "6",
        "6a",
        "7",
    )
    event = AuditEvent.objects.filter(object_id=str(youth.pk)).latest("pk")
    assert event.actor == clerk
    assert event.detail["before"] == {"number": "7"} and event.detail["after"] == {"number": "6"}
    assert event.detail["change"] == "agenda item moved up"
    first = meeting.agenda_items.order_by("position").first()
    assert not services.move_agenda_item(first, "up")  # already first: nothing to audit


def test_removing_is_audited_refused_with_sub_items_and_after_minutes_are_drafted(
    setting, meeting, clerk
) -> None:
    youth = _add(meeting, "Youth justice", kind="youth_justice")
    sub = _add(meeting, "Remands", kind="paper", parent=youth)
    with pytest.raises(services.MeetingError, match="Remove the sub-items"):
        services.remove_agenda_item(youth)
    services.remove_agenda_item(sub, actor=clerk)
    services.remove_agenda_item(youth, actor=clerk)
    assert [t for _n, t in _agenda(meeting)][-3:] == [
        "Chair's update",
        "Any other business",
        "Date of next meeting",
    ]
    assert [p for p in meeting.agenda_items.values_list("position", flat=True)] == list(range(1, 9))
    event = AuditEvent.objects.filter(detail__change="agenda item removed").latest("pk")
    assert event.detail["before"]["title"] == "Youth justice" and event.detail["number"] == "7"
    assert event.actor == clerk
    hold(meeting, setting["members"].values())
    services.add_minute(meeting, title="Welcome")
    with pytest.raises(services.MeetingError, match="minutes are drafted"):
        services.remove_agenda_item(meeting.agenda_items.first())


def test_making_an_item_a_sub_item_and_back(meeting) -> None:
    youth = _add(meeting, "Youth justice", kind="youth_justice")
    remands = _add(meeting, "Remands", kind="paper")
    services.update_agenda_item(remands, title="Remands", kind="paper", parent=youth)
    assert _agenda(meeting)[6:9] == [
        ("7", "Youth justice"),
        ("7a", "Remands"),
        ("8", "Any other business"),
    ]
    services.update_agenda_item(remands, title="Remands", kind="verbal", parent=None)
    assert _agenda(meeting)[6:9] == [
        ("7", "Youth justice"),
        ("8", "Remands"),
        ("9", "Any other business"),
    ]
    assert AgendaItem.objects.get(pk=remands.pk).kind == "verbal"


def test_the_data_migration_keeps_existing_items_as_their_titles_made_them(meeting) -> None:
    migration = importlib.import_module(
        "saferboard.meetings.migrations.0003_agenda_kinds_and_sub_items"
    )
    plan = _add(meeting, "Youth Offending Service improvement plan", kind="action_plans")
    AgendaItem.objects.filter(meeting=meeting).update(kind="paper")
    migration.set_kinds_from_titles(apps, None)
    kinds = dict(meeting.agenda_items.values_list("title", "kind"))
    assert kinds["Minutes of the last meeting"] == "minutes"
    assert kinds["Questions"] == "paper"
    # Before the kind existed this item printed the KPI table: the migration keeps that.
    assert AgendaItem.objects.get(pk=plan.pk).kind == "youth_justice"


def test_a_new_item_without_a_kind_comes_back_with_the_suggestion(
    clerk_client: Client, meeting
) -> None:
    url = f"/meetings/{meeting.pk}/agenda/new/"
    data = {"title": "Youth Offending Service improvement plan"}
    response = clerk_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "We suggested ‘Youth justice performance’ from the title" in html
    assert 'value="youth_justice" aria-describedby="kind-youth_justice-hint" checked' in html
    assert not AgendaItem.objects.filter(title=data["title"]).exists()
    response = clerk_client.post(url, {**data, "kind": "action_plans"})
    assert response.status_code == 302
    assert AgendaItem.objects.get(title=data["title"]).kind == "action_plans"


def test_the_agenda_page_previews_each_item_and_offers_moves(
    clerk_client: Client, setting, meeting
) -> None:
    _add(meeting, "Crime performance dashboard", kind="crime_dashboard")
    _add(meeting, "Serious violence duty", kind="paper", papers="Needs assessment\nAction plan")
    html = clerk_client.get(f"/meetings/{meeting.pk}/").content.decode()
    area = setting["partnership"].local_authority
    where = area.name if area else setting["partnership"].name
    assert f"Crime dashboard: rolling-year figures for {where}" in html
    assert "Paper: 2 linked papers" in html
    assert "Minutes: the previous meeting" in html
    item = AgendaItem.objects.get(title="Serious violence duty")
    assert f"/meetings/{meeting.pk}/agenda/{item.pk}/move/" in html
    response = clerk_client.post(
        f"/meetings/{meeting.pk}/agenda/{item.pk}/move/", {"direction": "up"}
    )
    assert response.status_code == 302
    assert services.agenda_numbers(meeting)[item.pk] == "7"
    page = clerk_client.get(f"/meetings/{meeting.pk}/agenda/{item.pk}/remove/")
    assert "Remove item 7 from the agenda" in page.content.decode()
    clerk_client.post(f"/meetings/{meeting.pk}/agenda/{item.pk}/remove/")
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_edit_page_changes_the_kind(clerk_client: Client, meeting) -> None:
    item = meeting.agenda_items.get(title="Questions")
    url = f"/meetings/{meeting.pk}/agenda/{item.pk}/"
    assert "Change an agenda item" in clerk_client.get(url).content.decode()
    response = clerk_client.post(url, {"title": "Questions", "kind": ""})
    assert "Select what the item contains" in response.content.decode()
    clerk_client.post(url, {"title": "Questions", "kind": "verbal"})
    assert AgendaItem.objects.get(pk=item.pk).kind == "verbal"


def test_attendance_for_a_meeting_still_to_come_does_not_hold_it(setting) -> None:
    today = timezone.localdate()
    coming = services.create_meeting(
        setting["board"], day=today + timedelta(days=7), place="Civic Centre"
    )
    member = setting["members"]["police"]
    entries = [services.AttendanceEntry("apologies", person=member.person, member=member)]
    assert services.record_attendance(coming, entries) is False
    coming.refresh_from_db()
    assert coming.status == MeetingStatus.PLANNED
    assert coming.attendance.get().kind == "apologies"  # the apologies are kept
    # The same on the day itself makes it held.
    assert services.record_attendance(coming, entries, today=coming.date) is True
    coming.refresh_from_db()
    assert coming.status == MeetingStatus.HELD


def test_attendance_page_says_a_future_meeting_is_not_held(clerk_client: Client, setting) -> None:
    coming = services.create_meeting(
        setting["board"], day=timezone.localdate() + timedelta(days=7), place="Civic Centre"
    )
    response = clerk_client.post(
        f"/meetings/{coming.pk}/attendance/", {"also_present": "Ann Visitor"}, follow=True
    )
    assert "not marked as held" in response.content.decode()
    coming.refresh_from_db()
    assert coming.status == MeetingStatus.PLANNED


def test_a_minute_may_carry_a_letter_and_numbering_runs_on(setting, meeting) -> None:
    hold(meeting, setting["members"].values())
    with pytest.raises(services.MeetingError, match="follows a numbered minute"):
        services.add_minute(meeting, title="Too early", suffix="a")
    first = services.add_minute(meeting, title="Youth justice")
    lettered = services.add_minute(meeting, title="Remands", suffix="A")
    with pytest.raises(services.MeetingError, match="already taken"):
        services.add_minute(meeting, title="Again", suffix="a")
    with pytest.raises(services.MeetingError, match="a letter"):
        services.add_minute(meeting, title="Bad", suffix="1")
    after = services.add_minute(meeting, title="Any other business")
    assert [m.label for m in (first, lettered, after)] == ["36", "36a", "37"]
    assert str(lettered) == "36a. Remands"


def test_lettered_minutes_have_their_own_pages_and_amendments(
    clerk_client: Client, setting, meeting
) -> None:
    hold(meeting, setting["members"].values())
    services.add_minute(meeting, title="Youth justice")
    response = clerk_client.post(
        f"/meetings/{meeting.pk}/minutes/",
        {"form": "minute", "title": "Remands", "suffix": "a"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#minute-36a")
    page = clerk_client.get(f"/meetings/{meeting.pk}/minutes/36a/")
    assert "Edit minute 36a" in page.content.decode()
    assert clerk_client.get(f"/meetings/{meeting.pk}/minutes/36b/").status_code == 404
    html = clerk_client.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    assert "36a. Remands" in html


def test_first_minute_number_is_set_on_the_board_and_fixed_once_minutes_exist(
    setting, meeting
) -> None:
    board = setting["board"]
    fields = {"name": board.name, "kind": board.kind, "cadence": board.cadence}
    boards.update_board(board, **fields, first_minute_number=101)
    event = AuditEvent.objects.filter(object_id=str(board.pk)).latest("pk")
    assert event.detail["after"] == {"first_minute_number": 101}
    hold(meeting, setting["members"].values())
    assert services.add_minute(meeting, title="First").number == 101
    with pytest.raises(boards.BoardSetupError, match="cannot change"):
        boards.update_board(board, **fields, first_minute_number=1)
    boards.update_board(board, **fields, first_minute_number=None)  # unchanged: allowed


def test_board_settings_form_sets_the_first_minute_number(
    client: Client, setting, make_user
) -> None:
    from saferboard.core.models import Role

    admin = make_user(Role.ADMINISTRATOR, organisation=setting["orgs"]["council"])
    client.force_login(admin)
    board = setting["board"]
    url = f"/meetings/settings/boards/{board.slug}/edit/"
    assert 'name="first_minute_number"' in client.get(url).content.decode()
    data = {"name": board.name, "kind": board.kind, "cadence": board.cadence}
    client.post(url, {**data, "first_minute_number": "250"})
    board.refresh_from_db()
    assert board.first_minute_number == 250


def test_action_owners_are_any_active_person_of_the_partnership(setting, meeting) -> None:
    council = setting["orgs"]["council"]
    officer = PersonFactory(organisation=council, full_name="Aaron Officer")
    gone = PersonFactory(
        organisation=council,
        full_name="Gone Person",
        user=UserFactory(username="gone", is_active=False),
    )
    elsewhere = PersonFactory(
        organisation=OrganisationFactory(partnership=PartnershipFactory()),
        full_name="Elsewhere Person",
    )
    form = RaiseActionForm(meeting=meeting)
    owners = form.fields["owners"]
    people = list(owners.queryset)  # type: ignore[attr-defined]
    assert officer in people  # not a board member
    assert gone not in people and elsewhere not in people
    assert [p.full_name for p in people] == sorted(p.full_name for p in people)
    assert people[0] == officer
    options = {name: organisation for _pk, name, organisation, _checked in form.owner_options()}
    assert options["Aaron Officer"] == "Council" and options["Police Lead"] == "Police"


def test_the_raise_action_page_shows_each_owners_organisation(
    clerk_client: Client, setting, meeting
) -> None:
    PersonFactory(organisation=setting["orgs"]["health"], full_name="Aaron Officer")
    hold(meeting, setting["members"].values())
    services.add_minute(meeting, title="Youth justice")
    html = clerk_client.get(f"/meetings/{meeting.pk}/minutes/36/action/").content.decode()
    assert ">Aaron Officer</label>" in html
    assert 'class="govuk-hint govuk-checkboxes__hint">Health</div>' in html
    response = clerk_client.post(
        f"/meetings/{meeting.pk}/minutes/36/action/", {"description": "Do it", "due": ""}
    )
    assert "Choose who owns the action" in response.content.decode()
