"""Inviting a person by email: an account, a one-time link that works once (issue 16)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from saferboard.core.invitations import username_for_email
from saferboard.core.models import AuditAction, AuditEvent, Role, User
from tests.core.test_password_reset import CHOSEN, link_in, set_password
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory, UserFactory


@pytest.fixture
def council(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(
        partnership=PartnershipFactory(name="Exampleton Community Safety Partnership"),
        name="Council",
        slug="council",
    )


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_an_invitation_makes_an_account_and_emails_a_working_link(
    make_user, council, settings
) -> None:
    settings.SABO_BASE_URL = "https://saferboard.example.gov.uk"
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    person = PersonFactory(organisation=council, full_name="Ana Silva", email="Ana.Silva@x.example")
    response = signed_in(admin).post(reverse("core:person-invite", args=[person.pk]))
    assert response.status_code == 302
    person.refresh_from_db()
    user = person.user
    assert user is not None and user.username == "ana.silva@x.example"
    assert user.is_active and not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == ("Ana", "Silva", "Ana.Silva@x.example")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ana.Silva@x.example"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "You have been invited to use Saferboard"
    assert "Dear Ana Silva" in message.body
    assert "Exampleton Community Safety Partnership has invited you" in message.body
    assert "ana.silva@x.example" in message.body and "24 hours" in message.body
    assert "https://saferboard.example.gov.uk/set-password/" in message.body
    assert "https://saferboard.example.gov.uk/password-reset/" in message.body
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE, object_id=str(person.pk))
    assert event.actor == admin and event.detail["what"] == "invitation emailed"
    assert event.detail["before"] == {"account": None}
    assert event.detail["after"] == {"account": "ana.silva@x.example"}

    # The invited person follows the link, sets a password and is signed in.
    visitor = Client()
    link = link_in(message)
    response = set_password(visitor, link)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    home = visitor.get(reverse("core:home"))
    assert home.status_code == 200
    assert "Your password has been set and you are signed in" in home.content.decode()
    user.refresh_from_db()
    assert user.check_password(CHOSEN)
    # A second use is refused.
    again = Client().get(link, follow=True)
    assert "This link has expired or has already been used" in again.content.decode()
    # And they can sign in with the password.
    signed = Client().post(reverse("core:sign-in"), {"username": user.username, "password": CHOSEN})
    assert signed.status_code == 302


def test_inviting_again_sends_a_new_link_to_the_same_account(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    person = PersonFactory(organisation=council, email="again@x.example")
    client = signed_in(admin)
    client.post(reverse("core:person-invite", args=[person.pk]))
    page = client.get(reverse("core:person-edit", args=[person.pk])).content.decode()
    assert "Invited, no password set yet" in page and "Send a new invitation link" in page
    client.post(reverse("core:person-invite", args=[person.pk]))
    assert len(mail.outbox) == 2
    assert User.objects.filter(person=person).count() == 1
    assert "http://testserver/set-password/" in mail.outbox[1].body  # no SABO_BASE_URL in tests
    response = set_password(Client(), link_in(mail.outbox[1]))
    assert response.status_code == 302


def test_a_person_without_an_email_is_not_invited(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    person = PersonFactory(organisation=council, email="")
    client = signed_in(admin)
    response = client.post(reverse("core:person-invite", args=[person.pk]), follow=True)
    assert "Add an email address" in response.content.decode()
    person.refresh_from_db()
    assert person.user is None and mail.outbox == []


def test_a_deactivated_person_is_not_invited(make_user, council) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=council)
    gone = make_user(organisation=council)
    gone.is_active = False
    gone.save()
    gone.person.email = "gone@x.example"
    gone.person.save()
    response = signed_in(admin).post(
        reverse("core:person-invite", args=[gone.person.pk]), follow=True
    )
    assert "Reactivate it first" in response.content.decode()
    assert mail.outbox == []


def test_coordinators_invite_but_others_may_not(make_user, council) -> None:
    coordinator = make_user(Role.COORDINATOR, organisation=council)
    lead = make_user(Role.PARTNER_LEAD, organisation=council)
    person = PersonFactory(organisation=council, email="new@x.example")
    assert signed_in(lead).post(reverse("core:person-invite", args=[person.pk])).status_code == 403
    assert mail.outbox == []
    signed_in(coordinator).post(reverse("core:person-invite", args=[person.pk]))
    assert len(mail.outbox) == 1


def test_username_for_email_is_unique(db) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="sam@x.example")
    assert username_for_email(" Sam@X.example ") == "sam@x.example-2"
    assert username_for_email("new@x.example") == "new@x.example"
