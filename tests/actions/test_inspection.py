"""The inspection an improvement plan answers, and HMI Probation's published ratings as
comparators: all or nothing, problems located by file, row and column (issue 20)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from saferboard.actions.inspection_services import (
    comparison_for,
    import_published,
    parse_rating_lines,
    save_inspection,
)
from saferboard.actions.inspections import (
    compare,
    parse_published_date,
    read_published_ratings,
    standard_key,
)
from saferboard.actions.models import (
    ActionPlan,
    Inspectorate,
    PlanKind,
    PublishedInspection,
    Recommendation,
)
from saferboard.actions.services import add_action
from saferboard.core.models import AuditAction, AuditEvent, Role
from tests.factories import OrganisationFactory, PartnershipFactory

SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "src/saferboard/actions/data/hmi_youth_justice_inspection_ratings.csv"
)
HEADER = (
    "la_name,la_ref,score_%,overall_rating,publication_date,report_url,"
    "staff,governance_and_leadership,assessment\n"
)
GOOD = (
    HEADER
    + "Alpha,alphayjs,72.22,Good,04/02/25,https://example.gov.uk/a/,Good,Outstanding,Good\n"
    + "Beta,betayjs,8.33,Inadequate,14/01/25,,Inadequate,Inadequate,\n"
    + "Ours,oursyjs,91.67,Outstanding,07/01/25,,Outstanding,Outstanding,Outstanding\n"
)


def test_dates_and_standard_keys() -> None:
    assert parse_published_date("07/01/25") == date(2025, 1, 7)
    assert parse_published_date("7/1/2025") == date(2025, 1, 7)
    assert parse_published_date("2025-01-07") == date(2025, 1, 7)
    assert parse_published_date("January") is None
    assert standard_key("1.1 Governance and leadership") == "governance_and_leadership"
    assert standard_key("Out-of-court disposal policy and provision") == (
        "outofcourt_disposal_policy_and_provision"
    )


def test_a_good_file_reads_with_blank_standards_left_out() -> None:
    read = read_published_ratings("r.csv", GOOD.encode())
    assert read.problems == []
    alpha, beta, _ = read.rows
    assert (alpha.service_ref, alpha.published_on, alpha.overall) == (
        "alphayjs",
        date(2025, 2, 4),
        "Good",
    )
    assert alpha.score_percent == Decimal("72.22")
    assert beta.ratings == {"staff": "Inadequate", "governance_and_leadership": "Inadequate"}


def test_the_shipped_file_reads_whole() -> None:
    read = read_published_ratings(SHIPPED.name, SHIPPED.read_bytes())
    assert read.problems == [] and len(read.rows) == 83
    bromley = next(r for r in read.rows if r.service_ref == "bromleyyjs")
    assert (bromley.overall, bromley.published_on, bromley.score_percent) == (
        "Outstanding",
        date(2025, 1, 7),
        Decimal("91.67"),
    )


def test_comparison_by_hand() -> None:
    ours = {"staff": "Good", "assessment": "Requires improvement"}
    others = [
        {"staff": "Good", "assessment": "Good"},
        {"staff": "Outstanding"},
        {"staff": "Good", "assessment": "Inadequate"},
    ]
    rows = compare(
        ours,
        others,
        [("staff", "Staff"), ("assessment", "Assessment"), ("planning", "Planning")],
    )
    assert [r.key for r in rows] == ["staff", "assessment"]  # nobody rated planning
    staff, assessment = rows
    assert staff.counts == {
        "Outstanding": 1,
        "Good": 2,
        "Requires improvement": 0,
        "Inadequate": 0,
    }
    assert staff.rated == 3 and assessment.rated == 2
    assert assessment.sentence() == (
        "Ours: Requires improvement. Of 2 other services rated: 0 Outstanding, 1 Good, "
        "0 Requires improvement, 1 Inadequate"
    )


@pytest.mark.django_db
def test_a_bad_row_is_located_and_nothing_is_imported() -> None:
    bad = (
        GOOD
        + "Gamma,gammayjs,61.11,1 The resettlement standard does not contribute,21/06/22,,"
        + "Good,Good,Good\n"
        + "Delta,deltayjs,150,Good,31/02/24,http://example.gov.uk/,Great,Good,Good\n"
    )
    outcome = import_published("hmi.csv", bad.encode())
    assert [str(p) for p in outcome.problems] == [
        "hmi.csv, row 5, column D (overall_rating): Overall rating must be Outstanding, "
        "Good, Requires improvement or Inadequate (found ‘1 The resettlement standard does "
        "not contribute’)",
        "hmi.csv, row 6, column E (publication_date): Publication date must be a date like "
        "07/01/25 (found ‘31/02/24’)",
        "hmi.csv, row 6, column C (score_%): Score must be a percentage from 0 to 100 "
        "(found ‘150’)",
        "hmi.csv, row 6, column F (report_url): Report address must start with https:// "
        "(found ‘http://example.gov.uk/’)",
        "hmi.csv, row 6, column G (staff): Rating must be Outstanding, Good, Requires "
        "improvement or Inadequate (found ‘Great’)",
    ]
    assert PublishedInspection.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


@pytest.mark.django_db
def test_a_file_without_the_columns_is_refused() -> None:
    outcome = import_published("x.csv", b"name,rating\nA,Good\n")
    assert [str(p) for p in outcome.problems] == [
        "x.csv, row 1: The header row has no column la_name, la_ref, overall_rating, "
        "publication_date"
    ]


@pytest.mark.django_db
def test_import_then_reimport_replaces_and_is_audited() -> None:
    first = import_published("r.csv", GOOD.encode())
    assert (first.problems, first.created, first.updated) == ([], 3, 0)
    again = import_published("r.csv", GOOD.replace("72.22", "75.00").encode())
    assert (again.created, again.updated) == (0, 3)
    alpha = PublishedInspection.objects.get(service_ref="alphayjs")
    assert alpha.score_percent == Decimal("75.00") and alpha.ratings["staff"] == "Good"
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 2


@pytest.mark.django_db
def test_the_command_imports_and_refuses_a_bad_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("actions", "import-hmi-ratings", str(SHIPPED), stdout=out)
    assert "Imported 83 new and 0 updated inspections" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Alpha,,72,Good,04/02/25,,Good,Good,Good\n")
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 problem in bad\.csv: nothing was imported"):
        call_command("actions", "import-hmi-ratings", str(bad), stderr=err)
    assert "bad.csv, row 2, column B (la_ref): Enter the service's reference" in err.getvalue()
    assert PublishedInspection.objects.count() == 83


def test_rating_lines_name_the_bad_line() -> None:
    ratings, problems = parse_rating_lines("Staff: good\n\nAssessment - Good\nStaff: Good")
    assert ratings == [("Staff", "Good")]
    assert problems[0].startswith("Line 3: write the standard, a colon")
    assert problems[1] == "Line 4: Staff is rated twice"


@pytest.fixture
def plan(db):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    yos = OrganisationFactory(partnership=partnership, name="YOS", slug="yos")
    plan = ActionPlan.objects.create(
        partnership=partnership, kind=PlanKind.INSPECTION, title="YOS plan", owner=yos
    )
    rec = Recommendation.objects.create(
        plan=plan, number=1, wording="Improve assessment", addressees="YOS Management Board"
    )
    add_action(plan, description="Audit assessments", recommendation=rec)
    return plan


def test_inspection_saved_audited_and_compared(plan, make_user) -> None:  # type: ignore[no-untyped-def]
    import_published("r.csv", GOOD.encode())
    coordinator = make_user(Role.COORDINATOR, organisation=plan.owner)
    values = {
        "inspectorate": Inspectorate.HMI_PROBATION,
        "service_name": "Our YJS",
        "published_ref": "oursyjs",
        "fieldwork_start": date(2024, 11, 4),
        "fieldwork_end": date(2024, 11, 8),
        "published_on": date(2025, 1, 7),
        "overall_judgement": "Good",
        "reinspection_date": date(2027, 1, 1),
        "reinspection_outcome": "",
    }
    ratings = [("1.2 Staff", "Good"), ("Governance and leadership", "Requires improvement")]
    inspection = save_inspection(plan, values, ratings, user=coordinator)
    event = AuditEvent.objects.get(object_type="actions.Inspection")
    assert event.actor == coordinator and event.detail["after"]["overall_judgement"] == "Good"
    comparison = comparison_for(inspection)
    # Ours (oursyjs) is left out of the peers: Alpha and Beta remain.
    assert [p.service_ref for p in comparison.peers] == ["alphayjs", "betayjs"]
    assert comparison.ours_published.service_ref == "oursyjs"
    by_key = {s.key: s for s in comparison.standards}
    assert by_key["staff"].ours == "Good"
    assert by_key["staff"].counts["Good"] == 1 and by_key["staff"].counts["Inadequate"] == 1
    assert by_key["governance_and_leadership"].ours == "Requires improvement"
    assert by_key["governance_and_leadership"].counts["Outstanding"] == 1
    # A change is audited as before → after, only what changed.
    save_inspection(plan, {**values, "overall_judgement": "Outstanding"}, ratings, user=coordinator)
    change = AuditEvent.objects.filter(object_type="actions.Inspection").order_by("pk").last()
    assert change.detail["before"] == {"overall_judgement": "Good"}
    assert change.detail["after"] == {"overall_judgement": "Outstanding"}


def test_inspection_pages(client, plan, make_user) -> None:  # type: ignore[no-untyped-def]
    import_published("r.csv", GOOD.encode())
    coordinator = make_user(Role.COORDINATOR, organisation=plan.owner)
    reader = make_user(Role.BOARD_MEMBER, organisation=plan.owner)
    page_url = reverse("actions:inspection", args=[plan.pk])
    edit_url = reverse("actions:inspection-edit", args=[plan.pk])
    client.force_login(reader)
    assert client.get(page_url).status_code == 404  # none recorded yet
    assert client.get(edit_url).status_code == 403
    client.force_login(coordinator)
    assert client.get(page_url)["Location"] == edit_url
    bad = client.post(edit_url, {"inspectorate": "hmi_probation", "ratings": "Staff - Good"})
    assert bad.status_code == 200 and "Line 1: write the standard" in bad.content.decode()
    response = client.post(
        edit_url,
        {
            "inspectorate": "hmi_probation",
            "published_ref": "oursyjs",
            "fieldwork_start": "4 November 2024",
            "fieldwork_end": "8 November 2024",
            "published_on": "7 January 2025",
            "overall_judgement": "Good",
            "ratings": "Staff: Good\nAssessment: Good",
            "reinspection_date": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == page_url
    client.force_login(reader)
    html = client.get(page_url).content.decode()
    assert "HM Inspectorate of Probation" in html and "4 November 2024 to 8 November 2024" in html
    assert "Of 2 other services" not in html  # the table, not the sentence
    assert "Alpha" in html and "Beta" in html and "4 Feb 2025" in html
    assert "addressed to YOS Management Board" in html
    plan_html = client.get(reverse("actions:plan", args=[plan.pk])).content.decode()
    assert "The inspection and other services" in plan_html


def test_published_ratings_upload(client, make_user) -> None:  # type: ignore[no-untyped-def]
    url = reverse("actions:published-ratings")
    client.force_login(make_user(Role.PARTNER_LEAD))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.COORDINATOR))
    bad = client.post(
        url, {"ratings_file": SimpleUploadedFile("hmi.csv", (GOOD + "X,,1,Good,1/1/25\n").encode())}
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "nothing was imported" in html and "hmi.csv, row 5, column B (la_ref)" in html
    assert PublishedInspection.objects.count() == 0
    good = client.post(url, {"ratings_file": SimpleUploadedFile("hmi.csv", GOOD.encode())})
    assert good.status_code == 302 and PublishedInspection.objects.count() == 3
