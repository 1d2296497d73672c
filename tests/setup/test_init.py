"""`saferboard init`: a new installation's partnership, area, forces, source, measures and
first administrator, refused on a database that has a partnership or the demo."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse

from saferboard.core.demo import PARTNERSHIP_NAME as DEMO_PARTNERSHIP_NAME
from saferboard.core.models import (
    AuditEvent,
    Membership,
    Organisation,
    Partnership,
    Person,
    Role,
    User,
)
from saferboard.measures.models import Measure, RagRule, SourceKind

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/\S+)")


def init(*args: str) -> str:
    out = StringIO()
    call_command("init", *args, stdout=out)
    return out.getvalue()


def bromley() -> str:
    return init(
        "--partnership", "Safer Bromley Partnership", "--area", "bromley",
        "--admin", "jo.admin", "--admin-email", "jo@bromley.example",
        "--admin-name", "Jo Admin", "--no-input",
    )  # fmt: skip


def test_init_creates_a_london_partnership_with_the_met_and_its_administrator() -> None:
    out = bromley()

    partnership = Partnership.objects.get()
    assert partnership.name == "Safer Bromley Partnership"
    assert partnership.local_authority.code == "E09000006"
    assert partnership.local_authority.name == "Bromley"
    assert [f.code for f in partnership.forces.all()] == ["metropolitan"]
    assert partnership.crime_source == "mps"
    assert partnership.financial_year_start == 4
    orgs = {o.name: o for o in Organisation.objects.all()}
    assert set(orgs) == {"Bromley Council", "Metropolitan Police Service"}
    assert all(o.is_responsible_authority for o in orgs.values())
    user = User.objects.get(username="jo.admin")
    assert not user.has_usable_password()
    assert user.email == "jo@bromley.example"
    person = Person.objects.get(user=user)
    assert person.full_name == "Jo Admin"
    assert person.organisation == orgs["Bromley Council"]
    assert Membership.objects.get(person=person).role == Role.ADMINISTRATOR
    assert user.is_administrator
    # Standard rules and measures: crime (both sources) and youth justice.
    assert set(RagRule.objects.values_list("slug", flat=True)) >= {
        "lower-is-better", "higher-is-better", "manual",
    }  # fmt: skip
    kinds = set(Measure.objects.values_list("source_kind", flat=True))
    assert {SourceKind.POLICE_UK, SourceKind.MPS, SourceKind.YOUTH_JUSTICE} <= kinds
    # The creation is audited, by the command, with what was made.
    created = AuditEvent.objects.filter(object_type="core.Partnership").get()
    assert created.actor_label == "saferboard init"
    assert created.detail["after"]["crime_source"] == "mps"
    assert created.detail["after"]["forces"] == ["Metropolitan Police Service (metropolitan)"]
    assert AuditEvent.objects.filter(object_type="core.Membership").count() == 1
    assert "Met recorded crime" in out
    assert "Financial year starts in April" in out


def test_init_outside_london_uses_police_uk_and_leaves_the_force_to_the_settings_page() -> None:
    out = init(
        "--partnership", "Safer Bristol", "--area", "E06000023", "--admin", "sam",
        "--admin-email", "sam@bristol.example", "--financial-year-start", "January",
        "--no-input",
    )  # fmt: skip

    partnership = Partnership.objects.get()
    assert partnership.local_authority.name == "Bristol, City of"
    assert partnership.crime_source == "police-uk"
    assert partnership.financial_year_start == 1
    assert not partnership.forces.exists()  # not guessed
    assert list(Organisation.objects.values_list("name", flat=True)) == ["City of Bristol Council"]
    assert "does not know which police force covers City of Bristol" in out
    assert "partnership settings page" in out
    # Without --admin-name the username stands in for the person's name.
    assert Person.objects.get().full_name == "sam"


def test_an_unknown_area_is_refused_with_the_nearest_names() -> None:
    with pytest.raises(CommandError) as error:
        init(
            "--partnership", "P", "--area", "Brmley", "--admin", "a",
            "--admin-email", "a@example.org", "--no-input",
        )  # fmt: skip
    assert "No local authority called 'Brmley'" in str(error.value)
    assert "Did you mean: Bromley" in str(error.value)
    assert not Partnership.objects.exists()


def test_a_second_run_is_refused_and_changes_nothing() -> None:
    bromley()
    with pytest.raises(CommandError, match="already holds a partnership"):
        init(
            "--partnership", "Another", "--area", "Camden", "--admin", "b",
            "--admin-email", "b@example.org", "--no-input",
        )  # fmt: skip
    assert Partnership.objects.count() == 1
    assert not User.objects.filter(username="b").exists()


def test_a_demo_database_is_refused() -> None:
    # The demo's partnership, by its name (loading the whole demo would take longer).
    Partnership.objects.create(name=DEMO_PARTNERSHIP_NAME, slug="demo")
    with pytest.raises(CommandError, match="holds the demo partnership"):
        init(
            "--partnership", "Real", "--area", "Bromley", "--admin", "b",
            "--admin-email", "b@example.org", "--no-input",
        )  # fmt: skip


def test_no_input_names_the_missing_option() -> None:
    with pytest.raises(CommandError, match="--admin-email is required with --no-input"):
        init("--partnership", "P", "--area", "Bromley", "--admin", "a", "--no-input")
    assert not Partnership.objects.exists()


def test_missing_answers_are_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["Safer Camden", "Camdn", "Camden", "kim", "not-an-email", "kim@x.example", ""])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    init()
    partnership = Partnership.objects.get()
    assert (partnership.name, partnership.local_authority.code) == ("Safer Camden", "E09000007")
    assert User.objects.get(username="kim").email == "kim@x.example"


def test_bad_email_and_month_are_refused() -> None:
    with pytest.raises(CommandError, match="not a valid email"):
        init(
            "--partnership", "P", "--area", "Bromley", "--admin", "a",
            "--admin-email", "nope", "--no-input",
        )  # fmt: skip
    with pytest.raises(CommandError, match="not a month"):
        init(
            "--partnership", "P", "--area", "Bromley", "--admin", "a",
            "--admin-email", "a@example.org", "--financial-year-start", "13", "--no-input",
        )  # fmt: skip
    assert not Partnership.objects.exists()


def test_the_printed_link_lets_the_administrator_set_a_password(client) -> None:  # type: ignore[no-untyped-def]
    out = bromley()
    try:
        reverse("core:set-password", kwargs={"uidb64": "MQ", "token": "x-y"})
    except NoReverseMatch:  # the set-password page is not installed
        assert "changepassword jo.admin" in out
        return
    match = LINK.search(out)
    assert match, out
    assert "valid for 24 hours" in out
    response = client.get(match.group(1), follow=True)
    assert response.status_code == 200
    assert b"password" in response.content.lower()


def test_the_link_uses_the_configured_base_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SABO_BASE_URL = "https://saferboard.example.gov.uk"
    out = bromley()
    try:
        reverse("core:set-password", kwargs={"uidb64": "MQ", "token": "x-y"})
    except NoReverseMatch:  # the set-password page is not installed
        return
    assert "https://saferboard.example.gov.uk/" in out
    assert "127.0.0.1" not in out
