"""Uploading published youth justice statistics on the web: a good file, a bad file,
the column-mapping step and who may do it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, OrganisationType, Role
from saferboard.measures.models import DataImport
from saferboard.youthjustice.models import BenchmarkFigure, ColumnMapping
from saferboard.youthjustice.published_mapping import (
    can_be_mapped,
    check,
    needs_mapping,
    normalise,
    obvious_matches,
)
from saferboard.youthjustice.published_views import stored_summary
from tests.factories import OrganisationFactory

GOOD = (
    b"service,period_from,period_to,fte_count,fte_rate_per_100k\n"
    b"Bromley,2023-04-01,2024-03-31,60,183.4\n"
    b"Bexley,2023-04-01,2024-03-31,40,\n"
    b"Bromley,2022-04-01,2023-03-31,55,168.1\n"
)
OWN_HEADERS = (
    b"Youth justice service,Start,End,FTE count,Rate\n"
    b"Bromley,2023-04-01,2024-03-31,60,183.4\n"
    b"Bexley,2023-04-01,2024-03-31,40,150\n"
)
OWN_MAPPING = {
    "service": "Youth justice service",
    "period_from": "Start",
    "period_to": "End",
    "fte_count": "FTE count",
    "fte_rate_per_100k": "Rate",
}


# --------------------------------------------------------------------------------------
# The mapping step's pure functions
# --------------------------------------------------------------------------------------


def test_only_obvious_headers_are_preselected() -> None:
    assert normalise(" Period  From ") == "period_from"
    headers = ["Service", "Period from", "period-to", "FTE count", "Rate", "Start"]
    assert obvious_matches(headers) == {
        "service": "Service",
        "period_from": "Period from",
        "period_to": "period-to",
        "fte_count": "FTE count",
    }


def test_needs_mapping_as_the_import_reads_headers() -> None:
    assert not needs_mapping(["service", "period_from", "period_to", "measure", "value"])
    assert not needs_mapping(["Service ", "PERIOD_FROM", "period_to", "custody_count"])
    assert needs_mapping(["service", "period_from", "period_to", "measure"])  # no value
    assert needs_mapping(["Service", "Period from", "period_to", "fte_count"])
    # Too few columns to map (three keys and a statistic): refused, not mapped.
    assert can_be_mapped(["A", "B", "C", "D"]) and not can_be_mapped(["A", "B", "", "a", "C"])


def test_check_locates_each_problem_at_its_column() -> None:
    headers = ["YJS", "From", "To", "measure", "Figure"]
    assert check(headers, {"service": "YJS", "period_from": "From", "period_to": "To"}) == [
        ("", "Choose the measure and value columns, or the column of at least one statistic")
    ]
    problems = check(
        headers,
        {
            "service": "YJS",
            "period_from": "From",
            "period_to": "From",
            "value": "Figure",
            "fte_count": "Nope",
        },
    )
    assert ("period_to", "'From' is already chosen for period_from") in problems
    assert ("fte_count", "The file has no column 'Nope'") in problems
    assert ("measure", "Choose the column that holds measure too (long layout)") in problems
    # The file's own "measure" column would clash with another header chosen for it.
    clash = {"service": "YJS", "period_from": "From", "period_to": "To", "measure": "Figure"}
    assert ("measure", "The file also has a column called measure: choose it, not 'Figure'") in (
        check(headers, {**clash, "value": "YJS"})
    )


def test_stored_summary_by_hand() -> None:
    a, b = (date(2022, 4, 1), date(2023, 3, 31)), (date(2023, 4, 1), date(2024, 3, 31))
    summary = stored_summary(
        [
            ("Bromley", *b, "fte_count"),
            ("Bromley", *b, "fte_rate_per_100k"),
            ("Bexley", *b, "fte_count"),
            ("Bromley", *a, "fte_count"),
        ]
    )
    assert summary["figures"] == 4
    assert summary["services"] == ["Bexley", "Bromley"]
    assert summary["periods"] == [
        {"start": a[0], "end": a[1], "services": 1, "figures": 1},
        {"start": b[0], "end": b[1], "services": 2, "figures": 3},
    ]


# --------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------


@pytest.fixture
def officer(client, make_user):  # type: ignore[no-untyped-def]
    yos = OrganisationFactory(type=OrganisationType.YOUTH_JUSTICE, slug="yos")
    client.force_login(make_user(Role.ANALYST, organisation=yos))
    return client


def _post(client, content: bytes, name: str = "yjb.csv", **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "file": SimpleUploadedFile(name, content, "text/csv"),
        "published_on": "29/1/2026",
        "sheet": "",
        **extra,
    }
    return client.post(reverse("youthjustice:published-upload"), data)


@pytest.mark.django_db
def test_good_file_is_stored_audited_and_reported(officer) -> None:  # type: ignore[no-untyped-def]
    link = reverse("youthjustice:published-upload")
    assert link in officer.get(reverse("youthjustice:import")).content.decode()
    page = officer.get(link).content.decode()
    synthetic_box = re.search(r'<input[^>]*name="synthetic"[^>]*>', page)
    assert synthetic_box is not None and "checked" not in synthetic_box.group(0)
    response = _post(officer, GOOD)
    assert response.status_code == 302
    data_import = DataImport.objects.get()
    assert response["Location"] == reverse("youthjustice:published-report", args=[data_import.pk])
    assert data_import.data_as_at == date(2026, 1, 29)
    assert data_import.detail["synthetic"] is False
    assert BenchmarkFigure.objects.count() == 5  # the blank rate is not published
    bromley = BenchmarkFigure.objects.get(
        service__name="Bromley", measure="fte_count", period_from=date(2023, 4, 1)
    )
    assert bromley.value == 60 and bromley.source == data_import
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor is not None and event.actor == data_import.imported_by
    assert event.object_id == str(data_import.pk)
    assert event.detail["what"] == "published youth justice statistics"
    assert event.detail["rows"] == 5
    html = officer.get(response["Location"]).content.decode()
    assert "5 figures for 2 services" in html
    assert "Bexley, Bromley" in html
    assert "1 Apr 2022 to 31 Mar 2023" in html and "1 Apr 2023 to 31 Mar 2024" in html
    assert reverse("youthjustice:index") in html
    # Comparator figures and peer groups (``yj benchmark import``) are not publications.
    from saferboard.youthjustice.benchmarks import import_benchmark

    other = import_benchmark(
        b"peer_group,peer_group_name,service,aggregate\nx,X,Bromley,false\n", "p.csv"
    )
    assert (
        officer.get(
            reverse("youthjustice:published-report", args=[other.data_import.pk])
        ).status_code
        == 404
    )
    listed = officer.get(reverse("youthjustice:published-upload")).content.decode()
    assert data_import.label in listed and "p.csv" not in listed


@pytest.mark.django_db
def test_synthetic_box_is_kept(officer) -> None:  # type: ignore[no-untyped-def]
    _post(officer, GOOD, synthetic="on")
    assert DataImport.objects.get().detail["synthetic"] is True


@pytest.mark.django_db
def test_bad_file_shows_located_problems_and_changes_nothing(officer) -> None:  # type: ignore[no-untyped-def]
    bad = GOOD.replace(b"Bexley,2023-04-01,2024-03-31,40", b"Bexley,2023-04-01,2024-03-31,-4")
    response = _post(officer, bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The publication was not imported" in html
    assert "yjb.csv, row 3, column fte_count: is not a number of 0 or more" in html
    assert not BenchmarkFigure.objects.exists() and not DataImport.objects.exists()
    # Not a CSV or workbook: refused by the form.
    response = _post(officer, b"x", name="figures.pdf")
    assert response.status_code == 400
    assert "must be a CSV file or an .xlsx workbook" in response.content.decode()


@pytest.mark.django_db
def test_own_headers_are_mapped_then_imported_and_remembered(officer) -> None:  # type: ignore[no-untyped-def]
    response = _post(officer, OWN_HEADERS, synthetic="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("youthjustice:published-mapping")
    assert not BenchmarkFigure.objects.exists()
    html = officer.get(response["Location"]).content.decode()
    assert "Youth justice service" in html and 'name="period_from"' in html
    assert '<option value="FTE count" selected>' in html  # an obvious match
    assert '<option value="Rate" selected>' not in html  # not guessed
    # An incomplete choice is refused, located at the column; nothing stored.
    response = officer.post(
        reverse("youthjustice:published-mapping"), {**OWN_MAPPING, "period_to": ""}
    )
    assert response.status_code == 400
    assert "Choose the column that holds period_to" in response.content.decode()
    assert not BenchmarkFigure.objects.exists() and not ColumnMapping.objects.exists()
    response = officer.post(reverse("youthjustice:published-mapping"), OWN_MAPPING)
    assert response.status_code == 302 and "/published/imports/" in response["Location"]
    data_import = DataImport.objects.get()
    assert data_import.detail["mapping"] == OWN_MAPPING
    assert data_import.detail["synthetic"] is True and data_import.data_as_at == date(2026, 1, 29)
    assert BenchmarkFigure.objects.count() == 4
    assert ColumnMapping.objects.get().mapping == OWN_MAPPING
    # The same layout again imports straight away with the remembered mapping.
    response = _post(officer, OWN_HEADERS.replace(b"60,183.4", b"61,186.5"))
    assert response.status_code == 302 and "/published/imports/" in response["Location"]
    assert BenchmarkFigure.objects.get(service__name="Bromley", measure="fte_count").value == 61


@pytest.mark.django_db
def test_who_may_upload(client, make_user) -> None:  # type: ignore[no-untyped-def]
    urls = [
        reverse("youthjustice:published-upload"),
        reverse("youthjustice:published-mapping"),
        reverse("youthjustice:published-report", args=[1]),
    ]
    for role in (Role.BOARD_MEMBER, Role.COORDINATOR, Role.ANALYST):
        client.force_login(make_user(role))  # not of the youth justice service
        assert [client.get(u).status_code for u in urls] == [403, 403, 403]
    yos = OrganisationFactory(type=OrganisationType.YOUTH_JUSTICE, slug="yos")
    client.force_login(make_user(Role.PARTNER_LEAD, organisation=yos))
    assert client.get(urls[0]).status_code == 200
    assert client.get(urls[1]).status_code == 302  # nothing waiting: back to the upload
    assert client.get(urls[2]).status_code == 404
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to sign in


@pytest.mark.django_db
def test_workbook_sheet_by_name(officer) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["About these statistics"])
    sheet = book.create_sheet("Figures")
    sheet.append(["service", "period_from", "period_to", "custody_count"])
    sheet.append(["Bromley", date(2023, 4, 1), date(2024, 3, 31), 3])
    out = io.BytesIO()
    book.save(out)
    response = _post(officer, out.getvalue(), name="yjb.xlsx", sheet="Figures")
    assert response.status_code == 302
    figure = BenchmarkFigure.objects.get()
    assert (figure.service.name, figure.measure, figure.value) == ("Bromley", "custody_count", 3)
    assert DataImport.objects.get().format == "yj-published-xlsx"
    # The first sheet has no figures: located, nothing more stored.
    response = _post(officer, out.getvalue(), name="yjb.xlsx")
    assert response.status_code == 400
    assert "yjb.xlsx, row 1, column service: the column is missing" in response.content.decode()
    assert BenchmarkFigure.objects.count() == 1


@pytest.mark.django_db
def test_mapped_file_with_bad_rows_is_refused_and_the_mapping_not_kept(officer) -> None:  # type: ignore[no-untyped-def]
    response = _post(officer, OWN_HEADERS.replace(b"40,150", b"40,lots"))
    assert response["Location"] == reverse("youthjustice:published-mapping")
    html = officer.get(response["Location"]).content.decode()
    assert "Wide layout: a column for each statistic" in html
    response = officer.post(reverse("youthjustice:published-mapping"), OWN_MAPPING)
    assert response.status_code == 400
    assert "yjb.csv, row 3, column fte_rate_per_100k: is not a number of 0 or more" in (
        response.content.decode()
    )
    assert not BenchmarkFigure.objects.exists() and not DataImport.objects.exists()
    assert not ColumnMapping.objects.exists()


@pytest.mark.django_db
def test_abandoned_uploads_are_not_kept_beyond_a_day(officer, settings) -> None:  # type: ignore[no-untyped-def]
    import os
    import time
    from pathlib import Path

    folder = Path(settings.DATA_DIR) / "files" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stale, fresh, other = (folder / n for n in ("yj-published-a.csv", "yj-published-b.csv", "x"))
    for path in (stale, fresh, other):
        path.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86_400
    os.utime(stale, (two_days_ago, two_days_ago))
    os.utime(other, (two_days_ago, two_days_ago))
    _post(officer, OWN_HEADERS)
    assert not stale.exists() and fresh.exists() and other.exists()
    assert len(list(folder.glob("yj-published-*"))) == 2  # the fresh one and this upload
