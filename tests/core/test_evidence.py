"""Evidence uploads: limits, checksums, scoped and audited downloads."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferboard.core.evidence import evidence_path, store_evidence
from saferboard.core.models import AuditAction, AuditEvent, EvidenceFile, Role
from tests.factories import OrganisationFactory

PDF = b"%PDF-1.4\n% test\n"


def test_store_and_download(client, make_user) -> None:
    org = OrganisationFactory()
    user = make_user(Role.PARTNER_LEAD, organisation=org)
    evidence = store_evidence(SimpleUploadedFile("report.pdf", PDF), user=user, organisation=org)
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence_path(evidence.sha256).read_bytes() == PDF
    client.force_login(user)
    response = client.get(reverse("core:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(evidence.pk)).exists()


def test_other_organisation_cannot_download_but_coordinator_can(client, make_user) -> None:
    org = OrganisationFactory()
    evidence = store_evidence(
        SimpleUploadedFile("report.pdf", PDF), user=make_user(organisation=org), organisation=org
    )
    client.force_login(make_user(Role.PARTNER_LEAD))
    assert client.get(reverse("core:evidence", args=[evidence.pk])).status_code == 404
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get(reverse("core:evidence", args=[evidence.pk])).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<script>alert(1)</script>", "must be a"),
        ("empty.pdf", b"", "empty"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a real PDF"),
        ("big.csv", b"a" * (10 * 1024 * 1024 + 1), "smaller than 10MB"),
    ],
    ids=["html", "empty", "fake-pdf", "too-big"],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(make_user, name, content, message) -> None:
    org = OrganisationFactory()
    with pytest.raises(ValidationError, match=message):
        store_evidence(
            SimpleUploadedFile(name, content), user=make_user(organisation=org), organisation=org
        )
    assert EvidenceFile.objects.count() == 0
