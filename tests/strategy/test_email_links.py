"""Emails carry absolute links built on SABO_BASE_URL, never relative paths."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from saferboard.core.links import LOCAL_BASE_URL, absolute_url, base_url
from saferboard.meetings import services as meeting_services
from saferboard.meetings.models import BoardKind, BoardMember
from saferboard.meetings.reminders import remind_owners
from saferboard.strategy.reminders import send_reminders
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory
from tests.meetings.conftest import hold

BASE = "https://saferboard.example.gov.uk"


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_base_url_is_the_setting_without_a_trailing_slash(settings) -> None:
    settings.SABO_BASE_URL = BASE + "/"
    assert base_url() == BASE
    assert absolute_url("/strategy/my-returns/") == BASE + "/strategy/my-returns/"
    with pytest.raises(ValueError, match="site-relative"):
        absolute_url("strategy/")


def test_demo_and_test_fall_back_to_the_local_address_production_refuses(settings) -> None:
    settings.SABO_BASE_URL = ""
    settings.SABO_MODE = "demo"
    assert base_url() == LOCAL_BASE_URL == "http://127.0.0.1:8000"
    settings.SABO_MODE = "production"
    with pytest.raises(ImproperlyConfigured, match="SABO_BASE_URL is not set"):
        base_url()


def test_round_reminder_links_to_my_returns_absolutely(world, settings) -> None:
    settings.SABO_BASE_URL = BASE
    round = world.open(notify=False)
    send_reminders(round)
    assert mail.outbox, "a reminder was sent"
    for message in mail.outbox:
        assert f"Open your returns: {BASE}/strategy/my-returns/" in message.body
        assert all(link.startswith(BASE + "/") for link in _links(message.body))


def test_round_opened_email_links_too(world, settings, django_capture_on_commit_callbacks) -> None:
    settings.SABO_BASE_URL = BASE
    with django_capture_on_commit_callbacks(execute=True):
        world.open()  # tells the partner leads once the round is saved
    assert len(mail.outbox) == 2  # police and council leads
    for message in mail.outbox:
        assert f"{BASE}/strategy/my-returns/" in message.body


@pytest.mark.django_db
def test_action_owner_reminder_links_each_action_and_the_meeting(settings) -> None:
    settings.SABO_BASE_URL = BASE
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership, name="Council", slug="council")
    board = meeting_services.create_board(
        partnership,
        name="Safer Partnership Board",
        slug="spb",
        kind=BoardKind.PARTNERSHIP,
        owner=council,
        first_minute_number=1,
    )
    owner = PersonFactory(organisation=council, full_name="Ann Owner", email="ann@example.org")
    member = BoardMember.objects.create(
        board=board, person=owner, organisation=council, role="Member", start_date=date(2020, 1, 1)
    )
    first = meeting_services.create_meeting(board, day=date(2025, 1, 15), place="Hall")
    hold(first, [member])
    item = meeting_services.add_minute(first, title="Dashboard")
    action = meeting_services.raise_action(
        item, description="Ward analysis", owners=[owner], due=date(2025, 4, 1)
    )
    second = meeting_services.create_meeting(board, day=date(2025, 4, 15), place="Hall")
    remind_owners(second)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"Update it: {BASE}/actions/{action.plan_id}/actions/{action.reference}/" in body
    assert f"The meeting: {BASE}/meetings/{second.pk}/" in body
    assert all(link.startswith(BASE + "/") for link in _links(body))
