"""Partner leads land on 'My returns' after signing in; everyone else on the home page."""

from __future__ import annotations

from django.urls import reverse

from saferboard.core.models import Role
from tests.factories import TEST_PASSWORD, make_user


def _sign_in(client, username: str, next_url: str = ""):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": TEST_PASSWORD}
    url = reverse("core:sign-in")
    if next_url:
        data["next"] = next_url
        url += f"?next={next_url}"
    return client.post(url, data)


def test_partner_lead_lands_on_my_returns(client, world) -> None:
    response = _sign_in(client, world.police_lead.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:my-returns") == "/strategy/my-returns/"
    assert client.get(response["Location"]).status_code == 200


def test_a_next_address_still_wins_for_a_partner_lead(client, world) -> None:
    response = _sign_in(client, world.police_lead.username, "/actions/")
    assert response["Location"] == "/actions/"


def test_others_keep_the_home_page(client, world) -> None:
    for user in (world.coordinator, world.board_member):
        client.logout()
        response = _sign_in(client, user.username)
        assert response["Location"] == reverse("core:home"), user.username


def test_a_coordinator_who_is_also_a_partner_lead_keeps_the_home_page(client, world) -> None:
    both = make_user(Role.PARTNER_LEAD, Role.COORDINATOR, organisation=world.police)
    assert _sign_in(client, both.username)["Location"] == reverse("core:home")


def test_signed_in_partner_visiting_sign_in_goes_to_their_returns(client, world) -> None:
    client.force_login(world.police_lead)
    response = client.get(reverse("core:sign-in"))
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:my-returns")
