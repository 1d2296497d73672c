"""Issue 19 on the measure page: each figure shows the rating stored with it (tag, reason,
the rule version that set it, its history); after a rule change, definers see how many
figures an older version rated and may re-rate them, explicitly and audited; others
get 403.

The case by hand: 105 against 100 is 5% worse. Under version 1 (Green up to 2%, Amber
up to 10%) that is Amber; under version 2 (Amber up to 3%) it would be Red. 90 against
100 is better: Green under both.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, RagEntry, Role
from saferboard.core.rag import rag_history
from saferboard.measures.editing import MeasureChange, save_measure
from saferboard.measures.models import Measure, Observation
from saferboard.measures.rating import rerate
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.measures.stored_ratings import outdated_ratings, would_rerate
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def rated_measure() -> Measure:
    """Two figures rated under referrals-rule@1, then the rule changed to version 2."""
    measure = save_measure(
        "manual", MeasureChange(slug="referrals", label="Referrals", green="2", amber="10")
    )
    AreaFactory(code="E09000006", name="Bromley")
    AreaFactory(code="E09000007", name="Camden")
    store_observations(
        measure,
        [
            ObservationValue(
                area_code=code,
                period_start=date(2025, 4, 1),
                period_end=date(2025, 6, 30),
                value=value,
                comparators={"previous_period": 100},
            )
            for code, value in (("E09000006", 105), ("E09000007", 90))
        ],
    )
    save_measure("manual", MeasureChange(amber="3"), measure=measure)
    measure.refresh_from_db()
    return measure


def detail(measure: Measure) -> str:
    return reverse("measures:detail", args=[measure.source_kind, measure.slug])


def rerate_url(measure: Measure) -> str:
    return reverse("measures:rerate", args=[measure.source_kind, measure.slug])


def test_outdated_ratings_counted_by_version() -> None:
    measure = rated_measure()
    outdated = outdated_ratings(measure)
    assert outdated is not None
    assert (outdated.current, outdated.by_rule, outdated.count) == (
        "referrals-rule@2",
        (("referrals-rule@1", 2),),
        2,
    )
    assert would_rerate(measure) == 2
    rerate(measure, actor=None)
    assert outdated_ratings(measure) is None and would_rerate(measure) == 0


def test_page_shows_the_stored_rating_not_the_current_rule(make_user) -> None:
    """After the rule change the page still shows Amber, set by version 1 (the current
    rule would say Red), with its reason and history; the definer sees the offer."""
    measure = rated_measure()
    page = signed_in(make_user(Role.ANALYST)).get(detail(measure)).content.decode()
    bromley = page[page.index('<td class="govuk-table__cell">Bromley') :]
    bromley = bromley[: bromley.index("</tr>")]
    assert "govuk-tag--orange" in bromley and ">Amber<" in bromley
    assert "govuk-tag--red" not in bromley
    assert "+5.0% on the previous period" in bromley
    assert "<code>referrals-rule@1</code>" in bromley
    assert "Rating history" in bromley
    said = "2 figures were rated under rule referrals-rule@1; the rule is now referrals-rule@2"
    assert said in page
    assert "Re-rate under referrals-rule@2" in page
    assert f'action="{rerate_url(measure)}"' in page


def test_offer_only_to_definers_and_only_when_needed(make_user) -> None:
    measure = rated_measure()
    for role in (Role.COORDINATOR, Role.PARTNER_LEAD):
        page = signed_in(make_user(role)).get(detail(measure)).content.decode()
        assert ">Amber<" in page
        assert "Re-rate under" not in page and "were rated under rule" not in page
    admin = signed_in(make_user(Role.ADMINISTRATOR))
    assert "Re-rate under referrals-rule@2" in admin.get(detail(measure)).content.decode()
    rerate(measure, actor=None)
    assert "Re-rate under" not in admin.get(detail(measure)).content.decode()


def test_confirm_then_rerate_records_entries_and_audit(make_user) -> None:
    measure = rated_measure()
    analyst = make_user(Role.ANALYST)
    client = signed_in(analyst)
    # The detail page's button asks first: nothing is re-rated yet.
    page = client.post(rerate_url(measure))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Re-rate 2 figures under referrals-rule@2" in text and 'name="confirm"' in text
    assert RagEntry.objects.count() == 2
    response = client.post(rerate_url(measure), {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == detail(measure)
    banner = response.content.decode()
    assert "2 figures of ‘Referrals’ re-rated under referrals-rule@2; 1 changed status" in banner
    bromley = Observation.objects.get(area__code="E09000006")
    assert (bromley.rag_status, bromley.rag_rule) == ("red", "referrals-rule@2")
    first, second = rag_history(bromley)
    assert (first.status, first.rule) == ("amber", "referrals-rule@1")
    assert (second.status, second.rule) == ("red", "referrals-rule@2")
    camden = Observation.objects.get(area__code="E09000007")
    assert (camden.rag_status, camden.rag_rule) == ("green", "referrals-rule@2")
    event = AuditEvent.objects.filter(action=AuditAction.RAG_CHANGE, detail__rerate=True).get()
    assert event.actor == analyst and event.detail["rated"] == 2
    assert "Re-rate under" not in client.get(detail(measure)).content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_LEAD, Role.BOARD_MEMBER])
def test_others_get_403_and_nothing_changes(make_user, role: str) -> None:
    measure = rated_measure()
    client = signed_in(make_user(role))
    assert client.post(rerate_url(measure), {"confirm": "yes"}).status_code == 403
    assert client.get(rerate_url(measure)).status_code == 403
    assert RagEntry.objects.count() == 2
    assert Observation.objects.get(area__code="E09000006").rag_rule == "referrals-rule@1"
