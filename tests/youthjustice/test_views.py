"""The youth justice pages: need-to-know access, aggregates only, downloads, import."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, OrganisationType, Role
from saferboard.youthjustice.benchmarks import import_benchmark
from saferboard.youthjustice.importer import import_export, read_folder
from saferboard.youthjustice.models import Child
from tests.factories import OrganisationFactory
from tests.youthjustice.conftest import SMALL_EXPORT, replace_in

pytestmark = pytest.mark.django_db
PACKAGE_DATA = Path(__file__).resolve().parents[2] / "src" / "saferboard" / "youthjustice" / "data"


@pytest.fixture
def yos():
    return OrganisationFactory(type=OrganisationType.YOUTH_JUSTICE, slug="yos")


@pytest.fixture
def loaded() -> None:
    import_export(read_folder(SMALL_EXPORT))


def signed_in(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("roles", "in_yos", "status"),
    [
        ((Role.PARTNER_LEAD,), True, 200),  # YOS head of service
        ((Role.PANEL_MEMBER,), True, 200),  # YOS staff
        ((Role.COORDINATOR,), False, 200),
        ((Role.BOARD_MEMBER,), False, 200),
        ((Role.ANALYST,), False, 200),
        ((Role.ADMINISTRATOR,), False, 200),
        ((Role.PARTNER_LEAD,), False, 403),  # e.g. the police partner lead
        ((Role.PANEL_MEMBER,), False, 403),
    ],
)
def test_performance_page_is_need_to_know(client, make_user, yos, loaded, roles, in_yos, status):
    user = make_user(*roles, organisation=yos if in_yos else None)
    response = signed_in(client, user).get(reverse("youthjustice:index"))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("roles", "in_yos", "status"),
    [
        ((Role.PARTNER_LEAD,), True, 200),
        ((Role.ANALYST,), True, 200),  # YOS performance officer
        ((Role.ADMINISTRATOR,), False, 200),
        ((Role.PANEL_MEMBER,), True, 403),
        ((Role.COORDINATOR,), False, 403),
        ((Role.ANALYST,), False, 403),
    ],
)
def test_import_page_is_for_the_yos_head_and_performance_officer(
    client, make_user, yos, roles, in_yos, status
):
    user = make_user(*roles, organisation=yos if in_yos else None)
    assert signed_in(client, user).get(reverse("youthjustice:import")).status_code == status


def test_empty_state_before_any_import(client, make_user, yos):
    response = signed_in(client, make_user(Role.PARTNER_LEAD, organisation=yos)).get(
        reverse("youthjustice:index")
    )
    assert b"No youth justice case records have been loaded yet" in response.content
    assert reverse("youthjustice:import").encode() in response.content


def test_page_shows_kpis_comparators_rank_and_provisional(client, make_user, yos, loaded):
    import_benchmark((PACKAGE_DATA / "peer_groups.csv").read_bytes(), "peer_groups.csv")
    from saferboard.youthjustice.models import PeerGroup, Service

    PeerGroup.objects.get(slug="london").members.add(Service.objects.get(name="Testborough"))
    import_benchmark(
        b"service,period_from,period_to,measure,value\n"
        b"London,2022-04-01,2023-03-31,fte_rate_per_100k,150\n"
        b"Bexley,2022-04-01,2023-03-31,fte_rate_per_100k,10\n"
        b"Croydon,2022-04-01,2023-03-31,fte_rate_per_100k,20\n",
        "figures.csv",
    )
    response = signed_in(client, make_user(Role.COORDINATOR)).get(reverse("youthjustice:index"))
    html = response.content.decode()
    assert "2022-23 at a glance" in html
    # 4 entrants per 25,080 is 15.95 per 100,000: between Bexley (10) and Croydon (20).
    assert "ranked 2nd of 3 in London" not in html  # issue 21: local is not ranked among published
    assert "London: 150.00 (London)" in html
    assert "Provisional" in html
    assert html.count('role="img"') >= 5
    assert "CMS-" not in html and Child.objects.first().pseudonym not in html


def test_publication_mode_suppresses_small_numbers(client, make_user, loaded):
    client = signed_in(client, make_user(Role.ANALYST))
    plain = client.get(reverse("youthjustice:index")).content.decode()
    assert "(small number)" in plain and "suppressed: small number" not in plain
    published = client.get(reverse("youthjustice:index") + "?publication=on").content.decode()
    assert "[c]" in published
    # The FTE count of 4 and the rate built on it are both hidden.
    assert "suppressed: small number" in published


def test_ethnicity_breakdown_shows_disproportionality_with_counts(client, make_user, loaded):
    url = reverse("youthjustice:breakdown", args=["ethnicity"]) + "?period=FY2022-23&cohort=12m"
    html = signed_in(client, make_user(Role.BOARD_MEMBER)).get(url).content.decode()
    assert "Disproportionality" in html
    assert "Representation ratio" in html and "Relative rate index" in html
    # First time entrants: one of four children of known ethnicity is Black (25%); the
    # Black share of the 10-17 population is 5,000 of 25,000 (20%): ratio 1.25.
    assert "1.25" in html
    assert "1<span" in html and "of 4" in html


@pytest.mark.parametrize("dimension", ["sex", "age_band", "looked_after", "offence_type"])
def test_each_breakdown_page(client, make_user, loaded, dimension):
    url = reverse("youthjustice:breakdown", args=[dimension])
    response = signed_in(client, make_user(Role.ANALYST)).get(url)
    assert response.status_code == 200
    assert b"<svg" in response.content


def test_unknown_breakdown_and_service_are_not_found(client, make_user, loaded):
    client = signed_in(client, make_user(Role.ANALYST))
    assert client.get(reverse("youthjustice:breakdown", args=["star-sign"])).status_code == 404
    assert client.get(reverse("youthjustice:index") + "?service=Nowhere").status_code == 404


def test_csv_download_escapes_formulas_and_is_audited(client, make_user, export_dir):
    evil = '=HYPERLINK("http://example.invalid")'
    for name in ("children.csv", "population.csv", "population_ethnicity.csv"):
        text = (
            (export_dir / name)
            .read_text()
            .replace("Testborough", '"' + evil.replace('"', '""') + '"')
        )
        (export_dir / name).write_text(text)
    import_export(read_folder(export_dir))
    user = make_user(Role.ANALYST)
    url = (
        reverse("youthjustice:download", args=["kpis", "csv"])
        + "?"
        + __import__("urllib.parse").parse.urlencode({"service": evil})
    )
    response = signed_in(client, user).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + evil
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=user).exists()


def test_xlsx_downloads(client, make_user, loaded):
    from openpyxl import load_workbook

    client = signed_in(client, make_user(Role.ANALYST))
    for table in ("kpis", "breakdown-ethnicity", "disproportionality"):
        response = client.get(reverse("youthjustice:download", args=[table, "xlsx"]))
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        sheet = book.active
        assert sheet.max_row > 1
        assert sheet["A2"].value == "Testborough"
    published = client.get(
        reverse("youthjustice:download", args=["breakdown-sex", "csv"]) + "?publication=on"
    )
    assert "[c]" in published.content.decode("utf-8-sig")


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    return buffer.getvalue()


def test_upload_a_zip_then_see_the_import_report(client, make_user, yos):
    user = make_user(Role.PARTNER_LEAD, organisation=yos)
    client = signed_in(client, user)
    upload = SimpleUploadedFile("export.zip", _zip(SMALL_EXPORT), "application/zip")
    response = client.post(reverse("youthjustice:import"), {"export": upload})
    assert response.status_code == 302
    report = client.get(response["Location"]).content.decode()
    assert "Case records imported for Testborough" in report
    assert "Children" in report and ">5<" in report
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor == user


def test_upload_csv_files_with_an_error_is_rejected_with_its_location(
    client, make_user, yos, export_dir
):
    replace_in(export_dir / "outcomes.csv", "fine", "telling_off")
    client = signed_in(client, make_user(Role.PARTNER_LEAD, organisation=yos))
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in export_dir.iterdir()]
    response = client.post(reverse("youthjustice:import"), {"export": uploads})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The export was not imported" in html
    assert "outcomes.csv, row 8, column outcome_type: is not an outcome type" in html
    assert not Child.objects.exists()


def test_upload_of_something_else_is_refused(client, make_user, yos):
    client = signed_in(client, make_user(Role.PARTNER_LEAD, organisation=yos))
    upload = SimpleUploadedFile("notes.txt", b"hello", "text/plain")
    response = client.post(reverse("youthjustice:import"), {"export": upload})
    assert response.status_code == 400
    assert "is not a ZIP archive or one of the export" in response.content.decode()


def test_observations_appear_in_the_measures_catalogue(client, make_user, loaded):
    client = signed_in(client, make_user(Role.ANALYST))
    url = reverse("measures:detail", args=["youth-justice", "binary_rate_pct"])
    html = client.get(url).content.decode()
    assert "Reoffending: binary rate" in html and "Provisional" in html
