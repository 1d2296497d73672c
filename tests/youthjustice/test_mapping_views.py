"""The import page's start without a developer: downloads, and the column-mapping step."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferboard.core.models import OrganisationType, Role
from saferboard.youthjustice.models import Child, ColumnMapping
from tests.factories import OrganisationFactory
from tests.youthjustice.test_mapping import CMS_CHILDREN, cms_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, make_user):  # type: ignore[no-untyped-def]
    yos = OrganisationFactory(type=OrganisationType.YOUTH_JUSTICE, slug="yos")
    client.force_login(make_user(Role.ANALYST, organisation=yos))
    return client


def test_template_and_sample_download_as_zip(officer, client, make_user) -> None:
    html = officer.get(reverse("youthjustice:import")).content.decode()
    assert reverse("youthjustice:template-download") in html
    assert reverse("youthjustice:sample-download") in html
    response = officer.get(reverse("youthjustice:template-download"))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    assert "youth-justice-export-template/children.csv" in names
    assert "youth-justice-export-template/NOTES.md" in names
    response = officer.get(reverse("youthjustice:sample-download"))
    assert "SYNTHETIC" in response["Content-Disposition"]
    # Not for someone who may not import.
    client.force_login(make_user(Role.BOARD_MEMBER))
    assert client.get(reverse("youthjustice:sample-download")).status_code == 403


def test_upload_with_own_headers_is_mapped_once_then_loads_directly(officer) -> None:
    def upload():  # type: ignore[no-untyped-def]
        return [SimpleUploadedFile(n, c, "text/csv") for n, c in cms_files().items()]

    response = officer.post(reverse("youthjustice:import"), {"export": upload()})
    assert response.status_code == 302 and response["Location"] == reverse("youthjustice:mapping")
    assert not Child.objects.exists()
    page = officer.get(reverse("youthjustice:mapping"))
    html = page.content.decode()
    assert "Match your export&#x27;s columns" in html or "Match your export's columns" in html
    assert "Client ID" in html and 'name="children__child_id"' in html
    # The same header for two columns is refused, located at the column.
    fields = {f"children__{c}": h for c, h in CMS_CHILDREN.items()}
    bad = dict(fields, children__sex="DOB")
    response = officer.post(reverse("youthjustice:mapping"), {"service": "Testborough", **bad})
    assert response.status_code == 400
    assert "&#x27;DOB&#x27; is already used for date_of_birth" in response.content.decode()
    assert not ColumnMapping.objects.exists()
    response = officer.post(reverse("youthjustice:mapping"), {"service": "Testborough", **fields})
    assert response.status_code == 302 and response["Location"].endswith("?mapped=1")
    assert ColumnMapping.objects.get().mapping == CMS_CHILDREN
    assert "The column mapping is saved" in officer.get(response["Location"]).content.decode()
    # The same export again: imported straight away.
    response = officer.post(reverse("youthjustice:import"), {"export": upload()})
    assert response.status_code == 302 and "/imports/" in response["Location"]
    assert Child.objects.exists()
