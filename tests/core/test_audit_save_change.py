"""audit.save_change: set, save and audit a few fields of a stored object, the one way."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core import audit
from saferboard.core.models import AuditAction, AuditEvent, Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FIELDS = ("name", "end_date")


def test_the_change_is_saved_and_audited_with_only_what_changed() -> None:
    council = OrganisationFactory(name="Old Council")
    event = audit.save_change(
        council,
        FIELDS,
        {"end_date": date(2026, 3, 31)},
        action=AuditAction.PERMISSION_CHANGE,
        why="merged",
    )
    stored = Organisation.objects.get(pk=council.pk)
    assert stored.end_date == date(2026, 3, 31) and stored.name == "Old Council"
    assert event is not None and event == AuditEvent.objects.get()
    assert event.action == AuditAction.PERMISSION_CHANGE
    assert event.object_id == str(council.pk)
    assert event.detail["before"] == {"end_date": None}
    assert event.detail["after"] == {"end_date": "2026-03-31"}
    assert event.detail["why"] == "merged"


def test_only_the_changed_fields_are_written() -> None:
    council = OrganisationFactory(name="Kept")
    Organisation.objects.filter(pk=council.pk).update(name="Changed elsewhere")
    audit.save_change(council, FIELDS, {"end_date": date(2026, 1, 1)})
    assert Organisation.objects.get(pk=council.pk).name == "Changed elsewhere"


def test_no_change_writes_no_audit_event() -> None:
    council = OrganisationFactory(name="Same")
    assert audit.save_change(council, FIELDS, {"name": "Same"}) is None
    assert not AuditEvent.objects.exists()
