"""Remands, the custody snapshot with remands, and children at high risk of serious harm:
each figure computed by hand on small cases; the optional files' import with bad input;
the page's section."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from saferboard.core.models import Role
from saferboard.youthjustice.custody import in_custody_on, on_remand_on, open_on, snapshot
from saferboard.youthjustice.importer import ImportFailed, import_export, parse_export, read_folder
from saferboard.youthjustice.models import Remand, RoshAssessment
from saferboard.youthjustice.remands import YDA, RemandEpisode, remand_figures
from saferboard.youthjustice.remands_section import remand_rows, rosh_rows
from saferboard.youthjustice.rosh import RoshAssessment as Assessment
from saferboard.youthjustice.rosh import rosh_figures
from tests.youthjustice.conftest import SMALL_EXPORT

FY = (date(2022, 4, 1), date(2023, 3, 31))
LA, BAIL = "local_authority_accommodation", "conditional_bail"


# --- remands in a period ----------------------------------------------------------------


def test_remand_figures_by_hand() -> None:
    episodes = [
        RemandEpisode(1, YDA, date(2022, 4, 1), date(2022, 6, 1), "custodial_sentence"),
        RemandEpisode(1, BAIL, date(2022, 7, 1), None),  # same child: one child remanded
        RemandEpisode(2, YDA, date(2022, 3, 31), date(2022, 5, 1), "acquitted"),  # before
        RemandEpisode(3, LA, date(2023, 3, 31), None),  # last day: in
        RemandEpisode(4, YDA, date(2023, 1, 5), date(2023, 3, 1), ""),  # outcome not known
        RemandEpisode(5, YDA, date(2023, 4, 1), None),  # after the period
    ]
    f = remand_figures(episodes, *FY)
    assert f.episodes_by_type == {
        YDA: 2,
        LA: 1,
        "bail_iss": 0,
        BAIL: 1,
        "unconditional_bail": 0,
    }
    assert f.episodes == 4
    assert f.children_remanded == 3  # children 1, 3, 4
    assert f.children_remanded_yda == 2  # children 1, 4
    # Ended in the period, to YDA: child 1 (custody), child 2 (acquitted), child 4 (n/k).
    assert (f.yda_ended, f.yda_ended_custodial, f.yda_ended_not_known) == (3, 1, 1)
    # Known outcomes 2, of which 1 not custodial: 50%.
    assert f.yda_not_custodial_pct == 50.0


def test_remand_figures_with_nothing_have_no_percentage() -> None:
    f = remand_figures([], *FY)
    assert f.episodes == 0 and f.children_remanded == 0
    assert f.yda_not_custodial_pct is None
    # Every ended YDA remand with no outcome: still no denominator.
    only_unknown = [RemandEpisode(1, YDA, date(2022, 5, 1), date(2022, 6, 1))]
    assert remand_figures(only_unknown, *FY).yda_not_custodial_pct is None


# --- the custody snapshot ----------------------------------------------------------------


def test_open_on_counts_the_start_and_not_the_end_day() -> None:
    assert open_on(date(2022, 1, 1), None, date(2022, 1, 1))
    assert open_on(date(2022, 1, 1), date(2022, 2, 1), date(2022, 1, 31))
    assert not open_on(date(2022, 1, 1), date(2022, 2, 1), date(2022, 2, 1))
    assert not open_on(date(2022, 1, 2), None, date(2022, 1, 1))


def test_snapshot_with_a_remand_spanning_the_date() -> None:
    on = date(2022, 6, 15)
    outcomes = [
        (1, "detention_and_training_order", date(2022, 5, 1), None),  # sentenced
        (2, "detention_and_training_order", date(2022, 1, 1), date(2022, 6, 15)),  # released
        (3, "referral_order", date(2022, 6, 1), None),  # not custodial
    ]
    episodes = [
        RemandEpisode(4, YDA, date(2022, 6, 1), date(2022, 7, 1)),  # spans the date
        RemandEpisode(1, YDA, date(2022, 4, 1), None),  # also sentenced: counted once
        RemandEpisode(5, YDA, date(2022, 6, 16), None),  # starts the day after
        RemandEpisode(6, LA, date(2022, 6, 1), None),
        RemandEpisode(7, BAIL, date(2022, 6, 10), date(2022, 6, 15)),  # ended on the day
    ]
    assert in_custody_on(outcomes, on) == {1}
    assert on_remand_on(episodes, on) == {YDA: {4, 1}, LA: {6}}
    shot = snapshot(outcomes, episodes, on)
    assert (shot.sentenced, shot.remanded, shot.in_custody) == (1, 2, 2)
    assert shot.community_remand == {LA: 1}


def test_snapshot_with_no_records_is_zero() -> None:
    shot = snapshot([], [], date(2022, 1, 1))
    assert (shot.sentenced, shot.remanded, shot.in_custody, shot.community_remand) == (
        0,
        0,
        0,
        {},
    )


# --- risk of serious harm ------------------------------------------------------------------


def test_rosh_latest_assessment_in_the_period_by_hand() -> None:
    assessments = [
        Assessment(1, date(2022, 5, 1), "high"),
        Assessment(1, date(2022, 9, 1), "low"),  # latest: low, not counted high
        Assessment(2, date(2022, 5, 1), "low"),
        Assessment(2, date(2023, 3, 31), "very_high"),  # latest on the last day
        Assessment(3, date(2022, 6, 1), ""),  # not known
        Assessment(4, date(2022, 6, 1), "medium"),
        Assessment(4, date(2023, 5, 1), "high"),  # after the period: ignored
        Assessment(5, date(2021, 6, 1), "high"),  # only before the period: not assessed
        Assessment(6, date(2022, 7, 1), "high"),
    ]
    f = rosh_figures(assessments, *FY)
    assert f.assessed == 5  # children 1, 2, 3, 4, 6
    assert f.not_known == 1 and f.known == 4
    assert (f.high, f.very_high) == (2, 1)  # children 2 (very high) and 6
    assert f.high_pct == 50.0


def test_rosh_missing_level_is_not_known_never_not_high() -> None:
    f = rosh_figures([Assessment(1, date(2022, 6, 1), "")], *FY)
    assert (f.assessed, f.not_known, f.known, f.high) == (1, 1, 0, 0)
    assert f.high_pct is None  # zero denominator: no percentage, not 0%
    # A later assessment without a level makes the child's level not known.
    later_unknown = [Assessment(1, date(2022, 6, 1), "high"), Assessment(1, date(2022, 8, 1))]
    assert rosh_figures(later_unknown, *FY).not_known == 1
    assert rosh_figures([], *FY).high_pct is None


def test_rows_suppress_small_counts_in_publication_mode() -> None:
    figures = [remand_figures([RemandEpisode(1, YDA, date(2022, 5, 1), None)], *FY)]
    rows = {r.label: r.values for r in remand_rows(figures, publication=True)}
    assert rows["Remand episodes started"] == ["[c]"]
    assert rows["Conditional bail"] == ["0"]
    plain = {r.label: r.values for r in remand_rows(figures, publication=False)}
    assert plain["Remand episodes started"] == ["1"]
    rosh = {
        r.label: r.values
        for r in rosh_rows([rosh_figures([Assessment(1, date(2022, 6, 1))], *FY)], False)
    }
    assert rosh["Percentage of children assessed"] == ["No percentage"]
    assert rosh["Level not known (not in the denominator)"] == ["1"]


# --- the optional files in the import -------------------------------------------------------

REMANDS = (
    "remand_id,child_id,remand_type,start_date,end_date,outcome\n"
    "R1,CMS-1002,youth_detention_accommodation,2022-03-01,2022-05-20,custodial_sentence\n"
    "R2,CMS-1004,Conditional Bail,2023-03-01,,\n"
)
ROSH = (
    "child_id,assessment_date,rosh_level\n"
    "CMS-1002,2022-05-20,High\n"
    "CMS-1004,2022-04-11,very high\n"
    "CMS-1001,2022-10-03,\n"
)


def _export(**extra: str) -> dict[str, bytes]:
    files = read_folder(SMALL_EXPORT)
    files.update({name: text.encode() for name, text in extra.items()})
    return files


def test_export_without_the_optional_files_still_parses() -> None:
    parsed = parse_export(read_folder(SMALL_EXPORT), today=date(2024, 1, 1))
    assert parsed.remands == [] and parsed.rosh_assessments == []


@pytest.mark.django_db
def test_import_stores_remands_and_assessments_pseudonymously() -> None:
    files = _export(**{"remands.csv": REMANDS, "rosh_assessments.csv": ROSH})
    report = import_export(files)
    assert report.rows["remands"] == 2 and report.rows["rosh_assessments"] == 3
    assert sorted(Remand.objects.values_list("remand_type", "outcome")) == [
        ("conditional_bail", ""),
        (YDA, "custodial_sentence"),
    ]
    assert sorted(RoshAssessment.objects.values_list("level", flat=True)) == [
        "",
        "high",
        "very_high",
    ]
    assert {f["name"]: f["rows"] for f in report.data_import.files}["remands.csv"] == 2
    # Re-importing without them replaces them with nothing.
    import_export(read_folder(SMALL_EXPORT))
    assert not Remand.objects.exists() and not RoshAssessment.objects.exists()


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        (
            "remands.csv",
            REMANDS.replace("Conditional Bail", "house arrest"),
            "remands.csv, row 3, column remand_type: must be one of youth_detention_accommodation",
        ),
        (
            "remands.csv",
            REMANDS.replace("Conditional Bail", ""),
            "remands.csv, row 3, column remand_type: is blank",
        ),
        (
            "remands.csv",
            REMANDS.replace("2022-05-20", "2022-02-01"),
            "remands.csv, row 2, column end_date: is before the start on 2022-03-01 "
            "(value '2022-02-01')",
        ),
        (
            "remands.csv",
            REMANDS.replace("2023-03-01,,", "2023-03-01,,acquitted"),
            "remands.csv, row 3, column outcome: is given for a remand with no end date",
        ),
        (
            "remands.csv",
            REMANDS.replace("R2,CMS-1004", "R1,CMS-9999"),
            "remands.csv, row 3, column remand_id: repeats the remand in row 2 (value 'R1')",
        ),
        (
            "remands.csv",
            REMANDS.replace("R2,CMS-1004", "R2,CMS-9999"),
            "remands.csv, row 3, column child_id: is not a child in children.csv",
        ),
        (
            "remands.csv",
            REMANDS.replace("2022-03-01", "2001-01-01"),
            "remands.csv, row 2, column start_date: is before the child's date of birth",
        ),
        (
            "rosh_assessments.csv",
            ROSH.replace("very high", "extreme"),
            "rosh_assessments.csv, row 3, column rosh_level: must be one of low, medium, high, "
            "very_high (or blank: not known) (value 'extreme')",
        ),
        (
            "rosh_assessments.csv",
            ROSH.replace("CMS-1001,2022-10-03", "CMS-1002,2022-05-20"),
            "rosh_assessments.csv, row 4, column assessment_date: repeats the assessment of "
            "this child in row 2 (value '2022-05-20')",
        ),
        (
            "rosh_assessments.csv",
            ROSH.replace("2022-04-11", "11/13/2022"),
            "rosh_assessments.csv, row 3, column assessment_date: is not a date",
        ),
        (
            "rosh_assessments.csv",
            "child_id,assessment_date\nCMS-1001,2022-01-01\n",
            "rosh_assessments.csv, row 1, column rosh_level: the column is missing",
        ),
    ],
)
@pytest.mark.django_db
def test_bad_remands_and_assessments_are_located_and_nothing_is_stored(
    file: str, text: str, expected: str
) -> None:
    files = _export(**{"remands.csv": REMANDS, "rosh_assessments.csv": ROSH})
    files[file] = text.encode()
    with pytest.raises(ImportFailed) as failure:
        import_export(files)
    messages = [str(p) for p in failure.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
    assert not Remand.objects.exists() and not RoshAssessment.objects.exists()


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_shows_remands_and_rosh(client, make_user, tmp_path: Path) -> None:
    import_export(_export(**{"remands.csv": REMANDS, "rosh_assessments.csv": ROSH}))
    client.force_login(make_user(Role.ANALYST))
    response = client.get(reverse("youthjustice:index"), {"custody_on": "2023-03-15"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Remands and risk of serious harm" in html
    assert "Custody and remand on 15 March 2023" in html
    assert "On remand in the community: conditional bail" in html
    assert "High or very high risk of serious harm" in html
    assert "Not shown: remands" not in html
    context = response.context["remands"]
    assert context["snapshot"]["remanded"] == "0"  # R1 ended on 20 May 2022
    assert ("Conditional bail", "1") in context["snapshot"]["community"]
    rows = {r.label: r.values for r in context["rosh_rows"]}
    # FY 2022/23: children 1002 (high) and 1004 (very high) known, 1001 not known.
    assert rows["High or very high risk of serious harm"][-1] == "2"
    assert rows["Level not known (not in the denominator)"][-1] == "1"


@pytest.mark.django_db
def test_page_says_when_no_remands_are_held(client, make_user) -> None:
    import_export(read_folder(SMALL_EXPORT))
    client.force_login(make_user(Role.ANALYST))
    html = client.get(reverse("youthjustice:index")).content.decode()
    assert "No remand episodes are held for this service" in html
    assert "No risk of serious harm assessments are held" in html
