"""The set-up workbook in the browser: download, upload → preview → confirm (Django test
client), administrators only, and a file changed after its preview refused."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from saferboard.core.models import AuditAction, AuditEvent, Organisation, Person, Role
from saferboard.setup import workbook_uploads
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.setup.test_workbook import full_setup, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory(name="Example Safer Partnership")
    return make_user(Role.ADMINISTRATOR, organisation=OrganisationFactory(partnership=partnership))


def upload(client: Any, data: bytes, name: str = "setup.xlsx") -> Any:
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("setup:workbook"), {"workbook": file})


def digest_of(html: str) -> str:
    found = re.search(r'name="digest" value="([0-9a-f]{64})"', html)
    assert found, "the preview has no confirm form"
    return found.group(1)


def test_upload_preview_confirm(client, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    page = client.get(reverse("setup:workbook"))
    assert page.status_code == 200
    assert "Set up from a spreadsheet" in page.content.decode()
    response = upload(client, workbook(full_setup()))
    assert response.status_code == 302 and response.url == reverse("setup:workbook-preview")
    preview = client.get(reverse("setup:workbook-preview"))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<title>Check the changes" in html
    assert "Apply these changes" in html
    assert "Metropolitan Police Service" in html and "ada@example.gov.uk" in html
    # The preview changed nothing.
    assert not Person.objects.filter(email="ada@example.gov.uk").exists()
    done = client.post(reverse("setup:workbook-preview"), {"digest": digest_of(html)}, follow=True)
    assert "The workbook was applied" in done.content.decode()
    assert "People: 3 created, 0 updated, 0 unchanged" in done.content.decode()
    assert Person.objects.filter(email="ada@example.gov.uk").exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SETTINGS_CHANGE, actor=admin, detail__what="set-up workbook import"
    ).exists()
    assert workbook_uploads.load(admin.pk) is None


def test_problems_are_shown_located_and_nothing_can_be_applied(client, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    rows = full_setup()
    rows["people"][1]["organisation"] = "Met Police"
    upload(client, workbook(rows))
    html = client.get(reverse("setup:workbook-preview")).content.decode()
    assert "<title>Error: Check the changes" in html
    assert "Met Police" in html and "did you mean" in html
    assert "Apply these changes" not in html
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', html)
    assert cells[:4] == ["People", "3", "Organisation", "Met Police"]
    assert not Organisation.objects.filter(name="Victim Support").exists()


def test_a_file_changed_after_its_preview_is_refused(client, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    upload(client, workbook(full_setup()))
    html = client.get(reverse("setup:workbook-preview")).content.decode()
    old_digest = digest_of(html)
    rows = full_setup()
    rows["organisations"].append({"name": "Fire Brigade", "type": "fire", "parent": ""})
    upload(client, workbook(rows))  # e.g. in another tab
    refused = client.post(reverse("setup:workbook-preview"), {"digest": old_digest})
    assert refused.status_code == 200
    assert "has changed since this preview" in refused.content.decode()
    assert not Organisation.objects.filter(name="Fire Brigade").exists()


def test_downloads(client, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    template = client.get(reverse("setup:workbook-template"))
    assert template.status_code == 200
    assert "attachment" in template["Content-Disposition"]
    assert "People" in load_workbook(io.BytesIO(template.content)).sheetnames
    export = client.get(reverse("setup:workbook-export"))
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    assert book["Partnership"]["A2"].value == "Example Safer Partnership"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=admin).exists()


def test_a_non_xlsx_upload_is_refused_on_the_form(client, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    response = upload(client, b"a,b\n", name="setup.csv")
    assert response.status_code == 200
    assert "must be an Excel .xlsx workbook" in response.content.decode()


def test_preview_without_an_upload_goes_back_to_the_upload(client, admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin)
    response = client.get(reverse("setup:workbook-preview"))
    assert response.status_code == 302 and response.url == reverse("setup:workbook")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_LEAD, Role.ANALYST])
def test_only_administrators(client, make_user, role) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(role))
    for name in ("setup:workbook", "setup:workbook-template", "setup:workbook-export"):
        assert client.get(reverse(name)).status_code == 403
    assert upload(client, workbook(full_setup())).status_code == 403
    assert client.post(reverse("setup:workbook-preview"), {"digest": "0" * 64}).status_code == 403


def test_the_page_says_when_there_is_no_partnership(client, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(superuser=True)
    from saferboard.core.models import Membership, Partnership

    Membership.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    Partnership.objects.all().delete()
    client.force_login(user)
    html = client.get(reverse("setup:workbook")).content.decode()
    assert "saferboard init" in html
    export = client.get(reverse("setup:workbook-export"))
    assert export.status_code == 302
