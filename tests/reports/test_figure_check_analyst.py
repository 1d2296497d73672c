"""Who resolves figure-check findings (issue 20): the analyst, on the public pack.

An analyst opens the public version's figure check and accepts its findings; an
acceptance is for the meeting, so it resolves the restricted version too. A finding
raised only by an exempt item (restricted version alone) stays with the coordinators:
the analyst is told how many there are, never their text, and cannot accept one.
"""

from __future__ import annotations

from django.urls import reverse

from saferboard.core.models import AuditEvent, Role
from saferboard.meetings import services as meetings
from saferboard.reports.acknowledgements import ACCEPT_ACTION, restricted_only_open
from saferboard.reports.models import FigureAcknowledgement
from saferboard.reports.services import can_read
from tests.reports.test_figurecheck_data_packs import built

# 20 to 10 is a 50% fall, not 10%: one finding, in an exempt minute only.
EXEMPT_TEXT = "Robbery saw a 10% reduction (from 20 to 10)."


def _setting(pack_setting, make_user):  # type: ignore[no-untyped-def]
    """Public and restricted versions of the meeting's pack, the restricted one with a
    finding of its own from an exempt minute of the last meeting."""
    meetings.add_minute(
        pack_setting["last"], title="Robbery: named suspects", text=EXEMPT_TEXT, exempt=True
    )
    coordinator, meeting = pack_setting["coordinator"], pack_setting["meeting"]
    public = built(meeting, "public", coordinator)
    restricted = built(meeting, "restricted", coordinator)
    analyst = make_user(Role.ANALYST, username="analyst")
    return public, restricted, analyst


def test_analyst_accepts_a_public_finding(client, pack_setting, make_user) -> None:  # type: ignore[no-untyped-def]
    public, restricted, analyst = _setting(pack_setting, make_user)
    # The planted minute (27% of 14 to 7) is in both versions; the exempt one only in
    # the restricted.
    public_keys = {i.key for i in public.issues.all()}
    only_restricted = [i for i in restricted.issues.all() if i.key not in public_keys]
    assert [i.found for i in only_restricted] == [EXEMPT_TEXT]
    assert restricted_only_open(public) == 1

    client.force_login(analyst)
    page = client.get(reverse("reports:check", args=[public.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "27% reduction" in text
    # The exempt finding is counted, not shown.
    assert "1 further finding" in text and "Robbery" not in text and "20 to 10" not in text
    assert "Publish this version" not in text  # publishing stays with the coordinators

    finding = public.issues.get(found__contains="27% reduction")
    response = client.post(
        reverse("reports:acknowledge", args=[finding.pk]),
        {"reason": "Checked with the police analyst: the minute is as agreed."},
    )
    assert response.status_code == 302
    accepted = FigureAcknowledgement.objects.get(meeting=pack_setting["meeting"], key=finding.key)
    assert accepted.acknowledged_by == analyst
    event = AuditEvent.objects.get(action=ACCEPT_ACTION, object_id=str(accepted.pk))
    assert event.actor == analyst
    # The acceptance covers the restricted pack: only the exempt finding stays open there.
    assert [i.found for i in restricted.open_issues()] == [EXEMPT_TEXT]
    assert not public.open_issues().exists()


def test_analyst_cannot_accept_a_restricted_only_finding(client, pack_setting, make_user) -> None:  # type: ignore[no-untyped-def]
    public, restricted, analyst = _setting(pack_setting, make_user)
    exempt = restricted.issues.get(found=EXEMPT_TEXT)
    client.force_login(analyst)
    assert client.get(reverse("reports:check", args=[restricted.pk])).status_code == 403
    response = client.post(
        reverse("reports:acknowledge", args=[exempt.pk]), {"reason": "Looks right to me."}
    )
    assert response.status_code == 403
    assert not FigureAcknowledgement.objects.filter(key=exempt.key).exists()
    # Nor a public finding through the restricted version's row of it.
    shared = restricted.issues.exclude(found=EXEMPT_TEXT).first()
    assert shared is not None
    response = client.post(reverse("reports:acknowledge", args=[shared.pk]), {"reason": "Fine."})
    assert response.status_code == 403
    # The restricted draft stays unreadable; the public draft is readable.
    assert client.get(reverse("reports:web", args=[restricted.pk])).status_code == 404
    assert can_read(analyst, public)

    # The coordinator resolves it.
    client.force_login(pack_setting["coordinator"])
    page = client.get(reverse("reports:check", args=[restricted.pk])).content.decode()
    assert "20 to 10" in page
    client.post(reverse("reports:acknowledge", args=[exempt.pk]), {"reason": "As minuted."})
    assert FigureAcknowledgement.objects.filter(key=exempt.key).exists()
    assert restricted_only_open(public) == 0


def test_a_partner_lead_cannot_check_or_accept(client, pack_setting, make_user) -> None:  # type: ignore[no-untyped-def]
    public, _restricted, _analyst = _setting(pack_setting, make_user)
    finding = public.issues.first()
    assert finding is not None
    client.force_login(pack_setting["outsider"])  # a partner lead
    assert client.get(reverse("reports:check", args=[public.pk])).status_code == 403
    response = client.post(reverse("reports:acknowledge", args=[finding.pk]), {"reason": "Fine."})
    assert response.status_code == 403
    assert not FigureAcknowledgement.objects.exists()
    # A draft is not theirs to read.
    assert client.get(reverse("reports:web", args=[public.pk])).status_code == 404
