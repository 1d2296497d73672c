"""Measure pages: who may add, change and rate measures (403 for others), the same checks
as the command line shown as field errors, retirement, judgement ratings with their
history, and rule versions that ratings keep. Every change audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, RagEntry, Role
from saferboard.core.rag import RagAssessment, rag_history, record_rag
from saferboard.crime.measures import ensure_measures
from saferboard.measures.editing import MeasureChange, save_measure
from saferboard.measures.judgements import set_judgement
from saferboard.measures.models import Measure, MeasureRating, Observation
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

ADD = {
    "source": "police.uk",
    "slug": "acquisitive",
    "label": "Acquisitive crime",
    "description": "Burglary, robbery and vehicle crime.",
    "unit": "count",
    "direction": "lower",
    "include": "burglary\nrobbery\nvehicle crime",
    "exclude": "",
    "plus": "",
    "minus": "",
    "rule": "lower-is-better",
    "green": "0",
    "amber": "5",
}


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def hate_crime(rule: str = "judgement") -> Measure:
    """A monitor-only hate crime measure rated by judgement, with one figure."""
    measure = save_measure(
        "manual",
        MeasureChange(
            slug="hate-reports", label="Hate crime reports", direction="monitor", rule=rule
        ),
    )
    area = AreaFactory(code="E09000006", name="Bromley")
    Observation.objects.create(
        measure=measure,
        area=area,
        period_start=date(2024, 8, 1),
        period_end=date(2025, 7, 31),
        value=433,
    )
    return measure


def test_list_offers_add_only_to_analysts_and_administrators(make_user) -> None:
    url = reverse("measures:list")
    for roles, shown in (((Role.ANALYST,), True), ((Role.ADMINISTRATOR,), True),
                         ((Role.PARTNER_LEAD,), False), ((Role.COORDINATOR,), False)):  # fmt: skip
        page = signed_in(make_user(*roles)).get(url).content.decode()
        assert ("Add a measure" in page) is shown, roles


@pytest.mark.parametrize("role", [Role.PARTNER_LEAD, Role.BOARD_MEMBER, Role.PANEL_MEMBER])
def test_others_get_403(make_user, role: str) -> None:
    ensure_measures()
    client = signed_in(make_user(role))
    assert client.get(reverse("measures:create")).status_code == 403
    assert client.post(reverse("measures:create"), ADD).status_code == 403
    edit = reverse("measures:edit", args=["police-uk", "burglary"])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {**ADD, "label": "Mine"}).status_code == 403
    assert Measure.objects.get(source_kind="police-uk", slug="burglary").label == "Burglary"
    assert not Measure.objects.filter(slug="acquisitive").exists()


def test_partner_lead_cannot_rate(make_user) -> None:
    measure = hate_crime()
    client = signed_in(make_user(Role.PARTNER_LEAD))
    url = reverse("measures:judge", args=[measure.source_kind, measure.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "green", "reason": "x"}).status_code == 403
    assert not RagEntry.objects.exists()


def test_analyst_adds_a_measure_audited(make_user) -> None:
    analyst = make_user(Role.ANALYST)
    client = signed_in(analyst)
    assert client.get(reverse("measures:create")).status_code == 200
    response = client.post(reverse("measures:create"), ADD)
    assert response.status_code == 302
    measure = Measure.objects.get(slug="acquisitive")
    assert response["Location"] == reverse("measures:detail", args=["police-uk", "acquisitive"])
    assert measure.definition["categories"] == ["burglary", "robbery", "vehicle-crime"]
    assert measure.rag_rule.current_version().ref == "acquisitive-rule@1"
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE, object_id=str(measure.pk))
    assert event.actor == analyst
    assert event.detail["after"]["label"] == "Acquisitive crime"
    page = client.get(response["Location"]).content.decode()
    assert "Change the measure" in page and "Counts burglary; robbery; vehicle crime" in page


def test_form_shows_the_nearest_category_as_a_field_error(make_user) -> None:
    client = signed_in(make_user(Role.ADMINISTRATOR))
    response = client.post(reverse("measures:create"), {**ADD, "include": "burglery"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "the nearest is &#x27;burglary&#x27;" in page
    assert "govuk-error-summary" in page and 'href="#id_include"' in page
    assert page.count("<title>Error: Add a measure") == 1
    assert not Measure.objects.filter(slug="acquisitive").exists()


def test_edit_changes_thresholds_as_a_new_version_and_retires(make_user) -> None:
    client = signed_in(make_user(Role.ANALYST))
    client.post(reverse("measures:create"), ADD)
    measure = Measure.objects.get(slug="acquisitive")
    edit = reverse("measures:edit", args=["police-uk", "acquisitive"])
    page = client.get(edit).content.decode()
    assert "vehicle crime" in page and 'value="5"' in page
    response = client.post(edit, {**ADD, "amber": "15", "retired_on": "31/3/2026"})
    assert response.status_code == 302, response.content.decode()[:3000]
    measure.refresh_from_db()
    assert measure.retired_on == date(2026, 3, 31)
    assert [v.ref for v in measure.rag_rule.versions.order_by("version")] == [
        "acquisitive-rule@1",
        "acquisitive-rule@2",
    ]
    event = AuditEvent.objects.filter(object_id=str(measure.pk)).latest("pk")
    assert event.detail["before"]["retired_on"] is None
    assert event.detail["after"]["retired_on"] == "2026-03-31"
    assert "acquisitive-rule@2" in event.detail["after"]["rule"]
    listing = client.get(reverse("measures:list")).content.decode()
    assert "retired on 31 March 2026" in listing
    assert listing.index("Retired measures") > listing.index("<h1")


def test_rule_change_keeps_ratings_on_version_one(make_user) -> None:
    """A rating made under version 1 keeps 'slug@1' after the thresholds change."""
    measure = save_measure(
        "manual", MeasureChange(slug="referrals", label="Referrals", green="2", amber="6")
    )
    rating = MeasureRating.objects.create(
        measure=measure,
        area=AreaFactory(),
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
    )
    ref1 = measure.rag_rule.current_version().ref
    assert ref1 == "referrals-rule@1"
    record_rag(rating, RagAssessment(status="amber", reason="+4%"), rule=ref1)
    save_measure("manual", MeasureChange(amber="3"), measure=measure)
    measure.refresh_from_db()
    assert measure.rag_rule.current_version().ref == "referrals-rule@2"
    (entry,) = rag_history(rating)
    assert entry.rule == "referrals-rule@1"
    assert measure.rag_rule.versions.get(version=1).amber_max_pct == 6


def test_judgement_rating_with_reason_and_history(make_user) -> None:
    measure = hate_crime()
    coordinator = make_user(Role.COORDINATOR)
    client = signed_in(coordinator)
    detail = reverse("measures:detail", args=[measure.source_kind, measure.slug])
    assert "Rate the latest figure" in client.get(detail).content.decode()
    url = reverse("measures:judge", args=[measure.source_kind, measure.slug])
    page = client.get(url).content.decode()
    assert "Bromley, Aug 2024 to Jul 2025" in page and "manual@1" in page
    # A reason is required.
    assert client.post(url, {"status": "amber"}).status_code == 200
    assert not RagEntry.objects.exists()
    why = "More reporting is the aim: the rise reflects confidence to report"
    response = client.post(url, {"status": "amber", "second_status": "green", "reason": why})
    assert response.status_code == 302
    response = client.post(url, {"status": "green", "reason": "Agreed by the board"})
    rating = MeasureRating.objects.get(measure=measure)
    first, second = rag_history(rating)
    assert (first.status, first.second_status, first.reason) == ("amber", "green", why)
    assert first.set_by == coordinator and first.rule == "manual@1"
    assert (second.status, rating.rag_status) == ("green", "green")
    assert AuditEvent.objects.filter(action=AuditAction.RAG_CHANGE).count() == 2
    page = client.get(detail).content.decode()
    assert why in page and "Agreed by the board" in page and "Amber" in page
    assert page.index("Agreed by the board") < page.index(why)  # newest first


def test_judgement_page_explains_what_is_missing(make_user) -> None:
    client = signed_in(make_user(Role.ADMINISTRATOR))
    rated_by_rule = hate_crime(rule="none")
    page = client.get(reverse("measures:judge", args=["manual", rated_by_rule.slug]))
    assert page.status_code == 200
    assert "Change its RAG rule to judgement" in page.content.decode()
    empty = save_measure("manual", MeasureChange(slug="empty", label="Empty", rule="judgement"))
    page = client.get(reverse("measures:judge", args=["manual", empty.slug]))
    assert page.status_code == 200 and "no figures for this measure yet" in page.content.decode()
    assert client.post(reverse("measures:judge", args=["manual", empty.slug]),
                       {"status": "red", "reason": "x"}).status_code == 200  # fmt: skip
    assert not RagEntry.objects.exists()


def test_set_judgement_refuses_a_rule_rated_measure(make_user) -> None:
    from saferboard.measures.judgements import JudgementRefused

    measure = hate_crime(rule="none")
    with pytest.raises(JudgementRefused):
        set_judgement(
            measure, RagAssessment("green", reason="x"), actor=make_user(Role.COORDINATOR)
        )


def test_in_use_leaves_out_retired_measures() -> None:
    kept = save_measure("manual", MeasureChange(slug="kept", label="Kept"))
    gone = save_measure("manual", MeasureChange(slug="gone", label="Gone"))
    later = save_measure("manual", MeasureChange(slug="later", label="Later"))
    save_measure("manual", MeasureChange(retire=True), measure=gone, today=date(2026, 1, 1))
    save_measure("manual", MeasureChange(retire=True, retired_on=date(2099, 1, 1)), measure=later)
    in_use = set(Measure.objects.in_use().values_list("slug", flat=True))
    assert {"kept", "later"} <= in_use and "gone" not in in_use
    assert Measure.objects.filter(slug="gone").exists()  # never deleted
    assert kept.is_retired is False and Measure.objects.get(slug="gone").is_retired


def test_editing_a_shipped_met_measure_keeps_its_definition(make_user) -> None:
    ensure_measures()
    client = signed_in(make_user(Role.ADMINISTRATOR))
    measure = Measure.objects.get(source_kind="mps", slug="non-domestic-violence-with-injury")
    definition = measure.definition
    edit = reverse("measures:edit", args=["mps", measure.slug])
    page = client.get(edit).content.decode()
    assert "Domestic Abuse|Domestic Abuse violence with injury|Offences" in page
    form = {
        **ADD,
        "label": "NDVWI",
        "include": "VIOLENCE WITH INJURY",
        "exclude": "Domestic Abuse|Domestic Abuse violence with injury|Offences",
        "amber": "10",  # the standard thresholds: it keeps the shared rule
    }
    response = client.post(edit, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.label == "NDVWI" and measure.definition == definition
    assert 'value="10"' in client.get(edit).content.decode()  # not 1E+1
    assert measure.rag_rule.slug == "lower-is-better"
