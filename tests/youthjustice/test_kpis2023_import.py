"""The 2023 KPI records through the importer, the database and ``yj kpis2023``.

The small export (tests/data/youthjustice/small_export) with interventions.csv,
victims.csv and gravity scores added; figures computed by hand below.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from saferboard.core.models import AuditAction, AuditEvent, OrganisationType
from saferboard.meetings import services as meetings
from saferboard.meetings.models import AttendanceKind, BoardKind, BoardMember, NamedSubstitute
from saferboard.youthjustice.importer import ImportFailed, import_export, read_folder
from saferboard.youthjustice.kpis2023_data import board_record, latest_quarter
from saferboard.youthjustice.models import Intervention, Offence, Service, Victim
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory
from tests.youthjustice.conftest import replace_in

pytestmark = pytest.mark.django_db

INTERVENTIONS = """intervention_id,child_id,intervention_type,start_date,end_date,end_reason,\
accommodation,ete,send_need,send_plan,mental_health,substance_misuse,wider_services
I1,CMS-1001,Referral order,2022-10-03,2023-01-15,completed,suitable,Suitable,yes,yes,\
intervention attended,no_need,early-help
I2,CMS-1002,custodial_sentence,2022-05-20,2022-11-20,completed,unsuitable,,,,need_identified,,
I3,CMS-1003,youth_caution,2022-06-01,2022-09-01,custody,suitable,suitable,no,,no_need,,none
I4,CMS-1004,prevention,2022-04-01,,,,,,,,,
"""
VICTIMS = """victim_id,child_id,offence_id,contact_date,consented_to_contact,views_sought,\
rj_offered,rj_participated,progress_info_requested,progress_info_given,support_info_given
V1,CMS-1001,OFF-3,2022-09-01,yes,yes,yes,no,no,,yes
V2,CMS-1002,OFF-4,2022-06-01,not known,,,,,,
"""
GRAVITY = {"OFF-3": "5", "OFF-4": "6", "OFF-5": "3"}


@pytest.fixture
def kpi_export(export_dir: Path) -> Path:
    (export_dir / "interventions.csv").write_text(INTERVENTIONS, encoding="utf-8")
    (export_dir / "victims.csv").write_text(VICTIMS, encoding="utf-8")
    path = export_dir / "offences.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[0].append("gravity_score")
    for row in rows[1:]:
        row.append(GRAVITY.get(row[0], ""))
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return export_dir


def yj(*args: str) -> str:
    out = StringIO()
    call_command("yj", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_stores_the_new_records_pseudonymously(kpi_export: Path) -> None:
    report = import_export(read_folder(kpi_export))
    assert report.rows["interventions"] == 4 and report.rows["victims"] == 2
    assert Intervention.objects.count() == 4
    first = Intervention.objects.get(intervention_type="referral_order")
    assert (first.ete, first.mental_health, first.wider_services) == (
        "suitable",
        "intervention_attended",
        "early_help",
    )
    assert first.send_need is True and first.send_plan is True
    ongoing = Intervention.objects.get(intervention_type="prevention")
    assert ongoing.end_date is None and ongoing.accommodation == ""  # not known
    assert Victim.objects.get(consented_to_contact=True).offence.offence_type == (
        "Violence against the person"
    )
    assert Victim.objects.get(consented_to_contact=None).views_sought is None
    assert Offence.objects.get(offence_type="Robbery").gravity_score == 6
    assert Offence.objects.filter(gravity_score__isnull=True).count() == 8
    # No victim or intervention id is kept anywhere.
    assert "V1" not in str(list(Victim.objects.values()))
    assert "I1" not in str(list(Intervention.objects.values()))


@pytest.mark.parametrize(
    ("file", "old", "new", "row", "column"),
    [
        ("interventions.csv", "2022-11-20,completed", "2022-04-20,completed", 3, "end_date"),
        ("interventions.csv", "Referral order", "Detention", 2, "intervention_type"),
        ("interventions.csv", "no_need,,none", "no_need,,sometimes", 4, "wider_services"),
        ("interventions.csv", "I4,CMS-1004", "I4,CMS-9999", 5, "child_id"),
        ("interventions.csv", "2022-04-01,,,", "2022-04-01,,completed,", 5, "end_reason"),
        ("victims.csv", "OFF-4", "OFF-3", 3, "offence_id"),
        ("victims.csv", "yes,yes,yes,no,no", "no,yes,yes,no,no", 2, "views_sought"),
        ("victims.csv", "yes,yes,yes,no,no", "yes,yes,no,yes,no", 2, "rj_participated"),
        ("offences.csv", "Robbery,false,OUT-4,6", "Robbery,false,OUT-4,9", 5, "gravity_score"),
    ],
)
def test_a_bad_new_file_is_rejected_with_its_location_and_nothing_stored(
    kpi_export: Path, file: str, old: str, new: str, row: int, column: str
) -> None:
    replace_in(kpi_export / file, old, new)
    with pytest.raises(ImportFailed) as failure:
        import_export(read_folder(kpi_export))
    located = [(p.file, p.row, p.column) for p in failure.value.problems]
    assert (file, row, column) in located, failure.value.problems
    assert not Service.objects.exists() and not Intervention.objects.exists()
    assert not Victim.objects.exists()


def test_kpis2023_json_hand_computed_and_return_file(kpi_export: Path, tmp_path: Path) -> None:
    import_export(read_folder(kpi_export))
    out = tmp_path / "return.csv"
    doc = json.loads(
        yj(
            "kpis2023",
            "--service",
            "testborough",
            "--from",
            "2022-04-01",
            "--to",
            "2023-03-31",
            "--json",
            "--return",
            str(out),
        )
    )
    assert (doc["service"], doc["from"], doc["to"]) == ("Testborough", "2022-04-01", "2023-03-31")
    kpis = {k["number"]: k for k in doc["kpis"]}
    assert [k["slug"] for k in doc["kpis"]][:3] == ["accommodation", "ete", "send_aln"]
    # KPI 1: 1001 suitable, 1002 unsuitable (released); 1003's caution ended in custody;
    # 1004's prevention work has not ended.
    assert (kpis[1]["numerator"], kpis[1]["denominator"], kpis[1]["percentage"]) == (1, 2, 50.0)
    assert any("custody" in note for note in kpis[1]["notes"])
    # KPI 2: 1001 suitable; 1002 not known.
    assert (kpis[2]["numerator"], kpis[2]["denominator"]) == (1, 1)
    # KPI 4: 1001 attended, 1002 need identified: both need, one offered, one attended.
    subs = {s["slug"]: s for s in kpis[4]["sub_measures"]}
    assert (kpis[4]["numerator"], kpis[4]["denominator"]) == (2, 2)
    assert (subs["intervention_offered"]["count"], subs["intervention_attended"]["count"]) == (1, 1)
    # KPI 6: the one out-of-court disposal ended in custody: not completed.
    assert (kpis[6]["numerator"], kpis[6]["denominator"], kpis[6]["percentage"]) == (0, 1, 0.0)
    # KPI 7: no management board recorded for Testborough: no figure, a note.
    assert kpis[7]["numerator"] is None and kpis[7]["percentage"] is None
    assert "No youth justice management board" in kpis[7]["notes"][0]
    # KPI 9: 1001 (violence, gravity 5) and 1002 (robbery, 6); 1003's drugs offence has
    # gravity 3; 1004's violence has none. Population aged 10-17 in 2023: 25,080.
    assert (kpis[9]["numerator"], kpis[9]["denominator"]) == (2, 25_080)
    assert kpis[9]["rate"] == round(2 / 25_080 * 10_000, 2) and kpis[9]["percentage"] is None
    subs = {s["slug"]: s for s in kpis[9]["sub_measures"]}
    assert (subs["share_of_proven"]["count"], subs["share_of_proven"]["denominator"]) == (2, 4)
    # KPI 10: one victim consented (of one known); one not known.
    assert (kpis[10]["numerator"], kpis[10]["denominator"]) == (1, 1)
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert text[0].startswith("yjs,period_start,period_end,kpi,kpi_name,measure")
    assert "Testborough,2022-04-01,2023-03-31,1," in text[1] and text[1].endswith(",1,2,50.0,")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    table = yj("kpis2023", "--service", "Testborough", "--from", "2022-04-01", "--to", "2023-03-31")
    assert "Suitable accommodation" in table and "50.0%" in table


def test_kpis2023_refuses_a_service_without_records() -> None:
    with pytest.raises(CommandError, match="no case records"):
        yj("kpis2023", "--service", "Nowhere", "--from", "2022-04-01", "--to", "2023-03-31")


def test_existing_exports_without_the_new_files_still_import(export_dir: Path) -> None:
    report = import_export(read_folder(export_dir))
    assert report.rows["interventions"] == 0 and report.rows["victims"] == 0
    doc = json.loads(
        yj("kpis2023", "--service", "Testborough", "--from", "2022-04-01", "--to", "2023-03-31",
           "--json")
    )  # fmt: skip
    kpis = {k["number"]: k for k in doc["kpis"]}
    assert kpis[1]["numerator"] is None and "interventions.csv" in kpis[1]["notes"][0]
    assert kpis[9]["numerator"] is None and "gravity_score" in kpis[9]["notes"][0]
    service = Service.objects.get()
    assert latest_quarter(service) == (date(2023, 1, 1), date(2023, 3, 31))


def test_board_attendance_is_read_from_the_meetings_recorded() -> None:
    """KPI 7 from the meetings app: the seat's member present is at the right seniority;
    a named substitute is too; an unnamed one is present, not senior."""
    import_export(read_folder(Path(__file__).parents[1] / "data/youthjustice/small_export"))
    service = Service.objects.get()
    partnership = PartnershipFactory(local_authority=service.area)
    orgs = {
        t: OrganisationFactory(partnership=partnership, type=t)
        for t in (OrganisationType.COUNCIL, OrganisationType.POLICE, OrganisationType.HEALTH)
    }
    board = meetings.create_board(
        partnership, name="YJ Board", slug="yj", kind=BoardKind.YOS, owner=orgs["council"]
    )
    seats = {
        t: BoardMember.objects.create(
            board=board,
            person=PersonFactory(organisation=org),
            organisation=org,
            start_date=date(2020, 1, 1),
        )
        for t, org in orgs.items()
    }
    deputy = PersonFactory(organisation=orgs["police"])
    NamedSubstitute.objects.create(
        member=seats["police"], person=deputy, start_date=date(2020, 1, 1)
    )
    meeting = meetings.create_meeting(board, day=date(2023, 2, 1))
    entries = [
        meetings.AttendanceEntry(
            AttendanceKind.PRESENT, person=seats["council"].person, member=seats["council"]
        ),
        meetings.AttendanceEntry(
            AttendanceKind.SUBSTITUTE,
            person=deputy,
            organisation=orgs["police"],
            substitute_for=seats["police"],
        ),
        meetings.AttendanceEntry(
            AttendanceKind.SUBSTITUTE,
            name="Someone from health",
            organisation=orgs["health"],
            substitute_for=seats["health"],
        ),
    ]
    meetings.record_attendance(meeting, entries, today=date(2023, 2, 2))
    record = board_record(service, date(2023, 1, 1), date(2023, 3, 31))
    assert record.board == "YJ Board" and len(record.meetings) == 1
    fact = record.meetings[0]
    assert fact.seated == {"local_authority", "police", "health"}
    assert fact.attended == {"local_authority", "police", "health"}
    assert fact.senior == {"local_authority", "police"}
    doc = json.loads(
        yj("kpis2023", "--service", "Testborough", "--from", "2023-01-01", "--to", "2023-03-31",
           "--json")
    )  # fmt: skip
    kpi7 = doc["kpis"][6]
    # One meeting x five statutory partners; two at the right seniority.
    assert (kpi7["numerator"], kpi7["denominator"], kpi7["percentage"]) == (2, 5, 40.0)
    subs = {s["slug"]: s["count"] for s in kpi7["sub_measures"]}
    assert subs["health_any"] == 1 and subs["health_senior"] == 0
    assert any("Probation had no seat" in note for note in kpi7["notes"])


@pytest.mark.parametrize(
    ("public", "shown"), [(False, ("1", "1", "100.0%")), (True, ("[c]", "[c]", "[c]"))]
)
def test_board_pack_youth_justice_section_has_the_2023_kpis(
    kpi_export: Path, public, shown
) -> None:
    from saferboard.reports.providers import youth_justice
    from saferboard.reports.sections import PackContext, Table

    import_export(read_folder(kpi_export))
    service = Service.objects.get()
    partnership = PartnershipFactory(local_authority=service.area)
    owner = OrganisationFactory(partnership=partnership)
    board = meetings.create_board(
        partnership, name="YJ Board", slug="yj", kind=BoardKind.YOS, owner=owner
    )
    meeting = meetings.create_meeting(board, day=date(2023, 5, 1))
    item = meetings.add_agenda_item(meeting, title="Youth justice", kind="youth_justice")
    section = youth_justice(item, PackContext(meeting=meeting, public=public))
    tables = [b.table for b in section.blocks if isinstance(b, Table)]
    kpis = tables[-1]
    # The latest whole quarter by the meeting (records run to 3 April 2023).
    assert "January to March 2023" in kpis.caption
    assert kpis.columns == ("Indicator", "Numerator", "Denominator", "Percentage or rate")
    # KPI 1: the referral order ending 15 January 2023, suitable accommodation.
    assert kpis.rows[0][0].startswith("1. Suitable accommodation")
    assert kpis.rows[0][1:] == shown
    assert any("KPI 7" in note for note in kpis.footnotes)


def test_synthetic_records_give_the_same_kpis_from_the_database_and_the_columns(
    tmp_path: Path,
) -> None:
    """The generator's interventions, victims and gravity scores import cleanly, and the
    KPIs computed from the stored records equal those computed from its columns."""
    from saferboard.youthjustice.kpis2023 import compute
    from saferboard.youthjustice.kpis2023_data import service_kpis
    from saferboard.youthjustice.synthetic import ServiceSpec, generate, kpi_data

    export = generate(
        [ServiceSpec("Synthborough", 100, 600)], date(2022, 7, 1), date(2023, 12, 31), seed=5
    )
    export.write_csv(tmp_path / "export")
    report = import_export(read_folder(tmp_path / "export"))
    assert report.rows["interventions"] > 0 and report.rows["victims"] > 0
    quarter = (date(2023, 4, 1), date(2023, 6, 30))
    stored = service_kpis(Service.objects.get(name="Synthborough"), *quarter)
    columns = compute(kpi_data(export, *quarter), *quarter)["Synthborough"]
    assert [k.as_json() for k in stored] == [k.as_json() for k in columns]
    assert stored[0].denominator and stored[9].denominator  # real figures, not blanks
