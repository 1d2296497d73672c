"""Cases through their life: referral, pseudonyms, risk and RAG, reviews, actions,
escalation, status history; and the forms that drive them, with bad input."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from saferboard.core.models import RagEntry
from saferboard.core.rag import rag_history
from saferboard.panels import pseudonyms, services
from saferboard.panels.models import Case, CaseStatusChange, PanelAction
from tests.panels.conftest import refer


def test_reference_is_a_keyed_hash_of_the_internal_id_not_the_name(world, settings) -> None:  # type: ignore[no-untyped-def]
    coord = world.users["member.coordinator"]
    twin = refer(world.panel, coord, name="Alex Example")
    assert twin.reference != world.case.reference  # same name, different person-case
    case = world.case
    assert case.reference == pseudonyms.case_reference("exploitation", str(case.internal_id))
    assert case.reference.startswith("EXP-") and len(case.reference) == 14
    other_key = pseudonyms.case_reference("exploitation", str(case.internal_id), key="other")
    assert other_key != case.reference
    assert str(case) == case.reference


def test_name_normalising_and_fingerprints() -> None:
    assert pseudonyms.normalise_name("  Zoë  O'Neill-Smith ") == "zoe oneill smith"
    assert pseudonyms.term_fingerprint("ZOË o'neill-smith") == pseudonyms.term_fingerprint(
        "zoe oneill smith"
    )
    assert pseudonyms.term_fingerprint("a", key="x") != pseudonyms.term_fingerprint("a", key="y")


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (1, 1, "low"),
        (1, 3, "low"),
        (2, 2, "medium"),
        (3, 2, "medium"),
        (2, 4, "high"),
        (3, 3, "high"),
        (3, 4, "very_high"),
        (4, 4, "very_high"),
    ],
)
def test_risk_matrix(likelihood: int, impact: int, level: str) -> None:
    assert services.risk_level_for(likelihood, impact) == level


def test_risk_matrix_refuses_out_of_range_scores() -> None:
    with pytest.raises(ValueError, match="1 to 4"):
        services.risk_level_for(0, 5)


def test_assessment_sets_risk_and_rag_with_a_generated_reason(world) -> None:  # type: ignore[no-untyped-def]
    coord = world.users["member.coordinator"]
    services.assess_risk(
        world.case,
        likelihood=3,
        impact=4,
        rationale="Alex carries a knife",
        agency=world.police,
        actor=coord,
        assessed_on=date(2025, 1, 7),
    )
    case = Case.objects.get(pk=world.case.pk)
    assert (case.risk_level, case.rag_status) == ("very_high", "red")
    entry = rag_history(case)[-1]
    assert entry.reason == "Very high risk: likelihood 3 × impact 4 = 12 (07/01/2025)"
    services.assess_risk(
        case, likelihood=1, impact=2, rationale="Settled", agency=world.yos, actor=coord
    )
    assert [e.status for e in rag_history(case)] == ["red", "green"]
    assert all("Alex" not in e.reason for e in RagEntry.objects.all())


def test_status_history_is_append_only_and_transitions_are_checked(world) -> None:  # type: ignore[no-untyped-def]
    coord, case = world.users["member.coordinator"], world.case
    services.change_status(
        case, "open", reason="Accepted", actor=coord, effective_on=date(2025, 1, 20)
    )
    services.change_status(
        case, "stepped_down", reason="Improving", actor=coord, effective_on=date(2025, 3, 1)
    )
    with pytest.raises(ValidationError, match="before the case's last status change"):
        services.change_status(case, "open", reason="x", actor=coord, effective_on=date(2025, 2, 1))
    with pytest.raises(ValidationError, match="reason"):
        services.change_status(case, "open", reason="  ", actor=coord)
    services.change_status(
        case, "closed", reason="Sustained", actor=coord, effective_on=date(2025, 6, 1)
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("closed", date(2025, 6, 1))
    with pytest.raises(ValidationError, match="closed case cannot be"):
        services.change_status(case, "open", reason="Back again", actor=coord)
    history = list(case.status_history.values_list("status", flat=True))
    assert history == ["referred", "open", "stepped_down", "closed"]
    first = CaseStatusChange.objects.filter(case=case).first()
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        CaseStatusChange.objects.filter(case=case).update(reason="rewritten")


def test_review_records_what_each_agency_shared_and_the_risk_change(world) -> None:  # type: ignore[no-untyped-def]
    coord, case = world.users["member.coordinator"], world.case
    services.assess_risk(case, likelihood=2, impact=2, rationale="x", agency=world.yos, actor=coord)
    review = services.record_review(
        case,
        meeting_date=date(2025, 2, 11),
        summary="Went missing twice",
        contributions=[(world.police, "Found in another borough"), (world.yos, " ")],
        new_assessment=(3, 3, "Missing episodes rising", world.police),
        actor=coord,
    )
    assert (review.risk_before, review.risk_after, review.risk_change) == (
        "medium",
        "high",
        "Increased",
    )
    assert [c.organisation for c in review.contributions.all()] == [world.police]


def test_actions_escalation_and_flags_are_validated(world) -> None:  # type: ignore[no-untyped-def]
    coord, case = world.users["member.coordinator"], world.case
    with pytest.raises(ValidationError, match="owning organisation"):
        services.add_action(
            case,
            description="x",
            owner_organisation=world.yos,
            owner=world.users["member.police"].person,
            due_date=date(2025, 3, 1),
            actor=coord,
        )
    with pytest.raises(ValidationError, match="escalation ladder"):
        services.record_escalation(
            case, kind="abc", issued_on=date(2025, 1, 1), issued_by=world.council, actor=coord
        )
    with pytest.raises(ValidationError, match="Flags not used"):
        refer(world.panel, coord, name="Sam Sample", flags=["housing"])
    asb_member = world.users["asb.member"]
    step = services.record_escalation(
        world.other_case,
        kind="cpn",
        issued_on=date(2025, 2, 1),
        issued_by=world.council,
        actor=asb_member,
    )
    with pytest.raises(ValidationError, match="before the step"):
        services.record_breach(step, occurred_on=date(2025, 1, 1), actor=asb_member)
    services.record_breach(step, occurred_on=date(2025, 3, 1), actor=asb_member)
    assert step.breaches.count() == 1


def test_referral_form_rejects_bad_input_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["member.police"])
    url = reverse("panels:refer", args=[world.panel.slug])
    before = Case.objects.count()
    response = client.post(
        url,
        {
            "full_name": "",
            "date_of_birth": "31/2/2010",
            "referral_date": "6/1/2025",
            "likelihood": "3",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Refer someone" in html
    for message in (
        "Enter the full name",
        "The date of birth must be a real date",
        "Choose the referring organisation",
        "Enter the reason for referral",
        "Enter the impact of the risk assessment",
    ):
        assert message in html, message
    assert Case.objects.count() == before
    response = client.post(
        url,
        {
            "full_name": "Robin Sample",
            "date_of_birth": "2/3/2011",
            "address": "",
            "referral_source": world.police.pk,
            "referral_date": "6/1/2025",
            "referral_reason": "Found with drugs and cash",
            "ethnicity": "mixed",
            "sex": "female",
            "flags": ["cce", "missing"],
            "lead_agency": world.yos.pk,
            "likelihood": "3",
            "impact": "4",
            "rationale": "County lines",
            "agency": world.police.pk,
        },
    )
    case = Case.objects.get(identity__full_name="Robin Sample")
    assert response["Location"] == reverse("panels:case", args=[case.reference])
    assert (case.flags, case.risk_level, case.rag_status) == (
        ["cce", "missing"],
        "very_high",
        "red",
    )


def test_coordinator_closes_a_case_through_the_form(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["member.coordinator"])
    url = reverse("panels:case-status", args=[world.case.reference])
    response = client.post(url, {"status": "closed", "reason": "", "effective_on": "1/2/2025"})
    assert "Enter the reason" in response.content.decode()
    response = client.post(
        url,
        {"status": "closed", "reason": "Not accepted: no risk found", "effective_on": "1/2/2025"},
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == "closed" and world.case.closed_on == date(2025, 2, 1)
    page = client.get(reverse("panels:case", args=[world.case.reference])).content.decode()
    assert "Not accepted: no risk found" in page


def test_action_can_be_added_and_completed(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.users["member.police"])
    ref = world.case.reference
    response = client.post(
        reverse("panels:case-action-add", args=[ref]),
        {
            "description": "Check school attendance",
            "owner_organisation": world.yos.pk,
            "owner": world.users["member.coordinator"].person.pk,
            "due_date": "1/3/2025",
        },
    )
    assert response.status_code == 302
    action = PanelAction.objects.get()
    client.post(reverse("panels:case-action-done", args=[ref, action.pk]))
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on is not None


def test_csv_export_neutralises_formulas(world) -> None:  # type: ignore[no-untyped-def]
    refer(world.panel, world.users["member.coordinator"], name="=HYPERLINK(1)")
    client = Client()
    client.force_login(world.users["member.coordinator"])
    body = client.get(reverse("panels:export", args=[world.panel.slug])).content.decode()
    assert "'=HYPERLINK(1)" in body


def test_referral_form_preselects_no_fact_about_the_person(world) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, finding 3: left alone, ethnicity and sex were recorded as the first
    choice ("Asian or Asian British", "Female"). Now they must be chosen, with "Not known"
    and "Prefer not to say" as answers."""
    client = Client()
    client.force_login(world.users["member.police"])
    url = reverse("panels:refer", args=[world.panel.slug])
    html = client.get(url).content.decode()
    for name in ("ethnicity", "sex"):
        select = re.search(rf'<select[^>]* name="{name}".*?</select>', html, re.S)
        assert select, name
        options = re.findall(r"<option[^>]*>", select.group(0))
        # A browser shows (and posts) the first option when none is selected.
        assert options[0] == '<option value="">', name
        assert all("selected" not in option for option in options), name
        assert "Not known" in select.group(0) and "Prefer not to say" in select.group(0)
    before = Case.objects.count()
    fields = {
        "full_name": "Robin Sample",
        "date_of_birth": "2/3/2011",
        "referral_source": world.police.pk,
        "referral_date": "6/1/2025",
        "referral_reason": "Found with drugs and cash",
    }
    html = client.post(url, fields).content.decode()
    assert "Choose the person’s ethnicity, or “Not known” or “Prefer not to say”" in html
    assert "Choose the person’s sex, or “Not known” or “Prefer not to say”" in html
    assert Case.objects.count() == before
    client.post(url, {**fields, "ethnicity": "not_known", "sex": "not_stated"})
    case = Case.objects.get(identity__full_name="Robin Sample")
    assert (case.get_ethnicity_display(), case.get_sex_display()) == (
        "Not known",
        "Prefer not to say",
    )
