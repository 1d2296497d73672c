"""The return pages: the form with its error summary, corrections, uploads, chasing and
the datasheet, and who may see what."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from saferboard.core.models import AuditEvent, Role
from saferboard.core.periods import Period
from saferboard.measures.models import Observation
from saferboard.returns import xlsx
from saferboard.returns.models import Submission
from saferboard.returns.services import template_workbook
from tests.factories import OrganisationFactory
from tests.returns.factories import make_template

PERIOD = "/returns/templates/victim-support-referrals/2025-01/"


@pytest.fixture
def template(db):
    return make_template(first=date(2024, 4, 1))


@pytest.fixture
def lead(client, make_user, template):
    user = make_user(Role.PARTNER_LEAD, organisation=template.organisation)
    client.force_login(user)
    return user


def test_index_lists_templates_and_outstanding_returns(client, lead, template) -> None:
    page = client.get("/returns/").content.decode()
    assert "Victim referrals" in page
    assert "Late" in page
    assert "Late and missing returns" not in page  # the coordinator's page


def test_form_errors_then_acceptance(client, lead, template) -> None:
    page = client.get(PERIOD)
    assert page.status_code == 200
    assert b"Submit the return" in page.content
    bad = client.post(PERIOD, {"value_victim-referrals": "ten", "value_victims-offered-rj": ""})
    html = bad.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_value_victim-referrals"' in html
    assert "Victim referrals must be a number" in html
    assert "Enter Victims offered restorative justice" in html
    assert "<title>Error: Victim referrals: Jan 2025" in html
    assert not Submission.objects.exists()
    good = client.post(PERIOD, {"value_victim-referrals": "10", "value_victims-offered-rj": "2"})
    assert good.status_code == 302
    accepted = client.get(PERIOD).content.decode()
    assert "accepted (version 1)" in accepted
    assert "Correct this return" in accepted
    assert Observation.objects.get(measure__slug="victim-referrals").value == 10


def test_correction_through_the_form_needs_a_reason(client, lead, template) -> None:
    client.post(PERIOD, {"value_victim-referrals": "10", "value_victims-offered-rj": "2"})
    form = client.get(PERIOD + "?correct=1").content.decode()
    assert "Why are you correcting this return?" in form
    assert 'value="10"' in form
    refused = client.post(PERIOD, {"value_victim-referrals": "12", "value_victims-offered-rj": "2"})
    assert "Give the reason for correcting" in refused.content.decode()
    client.post(
        PERIOD,
        {
            "value_victim-referrals": "12",
            "value_victims-offered-rj": "2",
            "reason": "Two referrals logged late",
        },
    )
    history = client.get(PERIOD).content.decode()
    assert "Two referrals logged late" in history
    assert "First return" in history
    assert Observation.objects.get(measure__slug="victim-referrals").value == 12


def test_download_and_upload(client, lead, template) -> None:
    download = client.get(PERIOD + "template.xlsx")
    assert download["Content-Disposition"] == (
        'attachment; filename="victim-support-referrals-2025-01.xlsx"'
    )
    book = load_workbook(io.BytesIO(download.content))
    book[xlsx.SHEET]["E6"] = "lots"
    out = io.BytesIO()
    book.save(out)
    out.name = "filled.xlsx"
    out.seek(0)
    refused = client.post(PERIOD + "upload/", {"file": out})
    html = refused.content.decode()
    assert "Nothing was stored" in html
    assert "Victim referrals must be a number" in html
    assert '<td class="govuk-table__cell">E</td>' in html
    good = io.BytesIO(template_workbook(template, Period.month(2025, 1)))
    book = load_workbook(good)
    book[xlsx.SHEET]["E6"] = 8
    book[xlsx.SHEET]["E7"] = 1
    out = io.BytesIO()
    book.save(out)
    out.name = "filled.xlsx"
    out.seek(0)
    accepted = client.post(PERIOD + "upload/", {"file": out})
    assert accepted.status_code == 302
    assert Submission.objects.get().data_import.files[0]["name"] == "filled.xlsx"
    assert AuditEvent.objects.filter(action="export", detail__what="return template").exists()


def test_other_organisations_returns_are_not_found(client, make_user, template) -> None:
    client.force_login(make_user(Role.PARTNER_LEAD, organisation=OrganisationFactory()))
    assert client.get("/returns/templates/victim-support-referrals/").status_code == 404
    assert client.get(PERIOD).status_code == 404


def test_periods_outside_the_template_are_not_found(client, lead) -> None:
    assert client.get("/returns/templates/victim-support-referrals/2024-01/").status_code == 404
    assert client.get("/returns/templates/victim-support-referrals/2999-01/").status_code == 404
    assert client.get("/returns/templates/victim-support-referrals/nonsense/").status_code == 404


def test_board_member_of_the_organisation_sees_but_cannot_submit(
    client, make_user, template
) -> None:
    client.force_login(make_user(Role.BOARD_MEMBER, organisation=template.organisation))
    page = client.get(PERIOD).content.decode()
    assert "Submit the return" not in page
    assert client.post(PERIOD, {"value_victim-referrals": "1"}).status_code == 200
    assert not Submission.objects.exists()
    assert client.get(PERIOD + "upload/").status_code == 403


def test_coordinator_chasing_page_and_datasheet(client, make_user, lead, template) -> None:
    client.post(PERIOD, {"value_victim-referrals": "10", "value_victims-offered-rj": "2"})
    client.force_login(make_user(Role.COORDINATOR))
    chasing = client.get("/returns/outstanding/").content.decode()
    assert "Late and missing returns" in chasing
    assert "Victim referrals" in chasing
    assert " for Jan 2025</span>" not in chasing  # received
    assert " for Feb 2025</span>" in chasing
    sheet = client.get("/returns/datasheet.xlsx")
    book = load_workbook(io.BytesIO(sheet.content))
    assert book["All values"]["H2"].value == 10
    assert AuditEvent.objects.filter(action="export", detail__what="returns datasheet").exists()


def test_partner_lead_cannot_chase_or_download_everything(client, lead) -> None:
    assert client.get("/returns/outstanding/").status_code == 403
    assert client.get("/returns/datasheet.xlsx").status_code == 403
