"""`saferboard measure add|edit|list`: JSON keys, errors naming option and value, the
nearest category, composites, rule versions and retirement, all audited."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saferboard.core.models import AuditAction, AuditEvent
from saferboard.crime.measures import HATE_STRANDS, ensure_measures
from saferboard.measures.models import Measure, RagRule

pytestmark = pytest.mark.django_db

LIST_KEYS = {
    "slug",
    "label",
    "source",
    "source_kind",
    "unit",
    "direction",
    "rule",
    "definition",
    "description",
    "retired",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("measure", *args, stdout=out)
    return out.getvalue()


def listed(*args: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(run("list", "--json", *args))


def test_add_then_list_json_keys() -> None:
    run(
        "add",
        "--source", "police.uk",
        "--slug", "acquisitive",
        "--label", "Acquisitive crime",
        "--include", "burglary", "robbery",
        "--include", "Vehicle crime",
        "--green", "2",
        "--amber", "8",
    )  # fmt: skip
    rows = listed("--source", "police.uk")
    row = next(r for r in rows if r["slug"] == "acquisitive")
    assert set(row) == LIST_KEYS
    assert row["source"] == "police.uk" and row["source_kind"] == "police-uk"
    assert row["direction"] == "lower" and row["unit"] == "count" and row["retired"] is None
    assert row["definition"]["categories"] == ["burglary", "robbery", "vehicle-crime"]
    assert row["rule"] == {
        "ref": "acquisitive-rule@1",
        "slug": "acquisitive-rule",
        "version": 1,
        "kind": "lower-is-better",
        "green_max_pct": 2.0,
        "amber_max_pct": 8.0,
    }
    text = run("list", "--source", "police.uk")
    assert "police.uk/acquisitive: Acquisitive crime" in text
    assert "acquisitive-rule@1 lower-is-better (green 2%, amber 8%)" in text


def test_standard_thresholds_share_the_standard_rule() -> None:
    run("add", "--source", "police.uk", "--slug", "b", "--label", "B", "--include", "burglary")
    (row,) = [r for r in listed() if r["slug"] == "b"]
    assert row["rule"]["ref"] == "lower-is-better@1"


def test_unknown_category_names_option_value_and_nearest() -> None:
    with pytest.raises(CommandError) as caught:
        run("add", "--source", "police.uk", "--slug", "x", "--label", "X", "--include", "burglery")
    assert "--include 'burglery'" in str(caught.value)
    assert "nearest is 'burglary'" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run(
            "add", "--source", "met-recorded-crime", "--slug", "x", "--label", "X",
            "--include", "VIOLENCE WITH INJRY",
        )  # fmt: skip
    assert "nearest is 'VIOLENCE WITH INJURY'" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run(
            "add", "--source", "met-crime-dashboard", "--slug", "x", "--label", "X",
            "--include", "Knife Crime|Knife Injury Victims (non DA 1-25)",
        )  # fmt: skip
    assert "nearest is 'Knife Crime|Knife Injury Victims (non DA 1-24)|Offences'" in str(
        caught.value
    )
    assert not Measure.objects.filter(slug="x").exists()


def test_other_errors_name_option_and_value() -> None:
    cases = [
        (["--source", "polce.uk"], "--source 'polce.uk'", "nearest is 'police.uk'"),
        (["--source", "police.uk", "--direction", "up"], "--direction 'up'", "lower, higher"),
        (["--source", "police.uk", "--rule", "lower"], "--rule 'lower'", "nearest is"),
        (["--source", "police.uk", "--green", "five"], "--green 'five'", "percentage"),
        (["--source", "police.uk", "--green", "20", "--amber", "5"], "--amber '5'", "at least"),
        (["--source", "police.uk", "--direction", "higher", "--rule", "lower-is-better"],
         "--rule 'lower-is-better'", "higher-is-better"),
        (["--source", "manual", "--include", "burglary"], "--include 'burglary'", "categories"),
    ]  # fmt: skip
    for extra, option, words in cases:
        args = ["add", "--slug", "y", "--label", "Y", *extra]
        if "manual" not in extra and "--include" not in extra:
            args += ["--include", "burglary"]
        with pytest.raises(CommandError) as caught:
            run(*args)
        assert option in str(caught.value), (extra, str(caught.value))
        assert words in str(caught.value), (extra, str(caught.value))


def test_plus_and_minus_must_be_measures_of_the_same_source() -> None:
    ensure_measures()
    with pytest.raises(CommandError) as caught:
        run(
            "add", "--source", "police.uk", "--slug", "z", "--label", "Z",
            "--include", "drugs", "--plus", "knife-crime",
        )  # fmt: skip
    assert "--plus 'knife-crime'" in str(caught.value) and "same source" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run(
            "add", "--source", "police.uk", "--slug", "z", "--label", "Z",
            "--include", "drugs", "--minus", "burglry",
        )  # fmt: skip
    assert "--minus 'burglry'" in str(caught.value) and "nearest is 'burglary'" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run(
            "add", "--source", "police.uk", "--slug", "z", "--label", "Z",
            "--include", "burglary", "--plus", "burglary",
        )  # fmt: skip
    assert "already included" in str(caught.value)


def test_composite_of_measures() -> None:
    """Burglary plus robbery of police.uk; the Met's NDVWI rebuilt from its two measures."""
    ensure_measures()
    run(
        "add", "--source", "police.uk", "--slug", "burglary-and-robbery",
        "--label", "Burglary and robbery", "--plus", "burglary", "robbery",
    )  # fmt: skip
    (row,) = [r for r in listed() if r["slug"] == "burglary-and-robbery"]
    assert row["definition"]["categories"] == ["burglary", "robbery"]
    assert row["definition"]["made_from"]["plus"] == ["burglary", "robbery"]
    # Met recorded violence with injury minus the dashboard's domestic abuse violence
    # with injury: a measure for the latter first, then the difference of the two.
    run(
        "add", "--source", "met-crime-dashboard", "--slug", "da-vwi",
        "--label", "Domestic abuse violence with injury",
        "--include", "Domestic Abuse|Domestic Abuse violence with injury",
    )  # fmt: skip
    run(
        "add", "--source", "met-recorded-crime", "--slug", "ndvwi-2", "--label", "NDVWI",
        "--plus", "violence-with-injury", "--minus", "da-vwi",
    )  # fmt: skip
    made = Measure.objects.get(slug="ndvwi-2")
    shipped = Measure.objects.get(slug="non-domestic-violence-with-injury")
    assert {k: v for k, v in made.definition.items() if k != "made_from"} == shipped.definition


def test_edit_rule_change_makes_version_two_and_keeps_old_refs() -> None:
    run(
        "add", "--source", "manual", "--slug", "reports", "--label", "Reports",
        "--green", "1", "--amber", "5",
    )  # fmt: skip
    rule = RagRule.objects.get(slug="reports-rule")
    assert [v.ref for v in rule.versions.all()] == ["reports-rule@1"]
    run("edit", "reports", "--source", "manual", "--amber", "12")
    assert [v.ref for v in rule.versions.order_by("version")] == [
        "reports-rule@1",
        "reports-rule@2",
    ]
    v2 = rule.versions.get(version=2)
    assert (v2.green_max_pct, v2.amber_max_pct) == (1, 12)
    # Nothing changed: no new version.
    run("edit", "reports", "--source", "manual", "--amber", "12")
    assert rule.versions.count() == 2
    # The shared standard rule is never changed by one measure's thresholds.
    assert RagRule.objects.get(slug="lower-is-better").versions.count() == 1


def test_edit_label_direction_and_retire_audited() -> None:
    run("add", "--source", "police.uk", "--slug", "d", "--label", "Drugs", "--include", "drugs")
    measure = Measure.objects.get(slug="d")
    created = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE, object_id=str(measure.pk))
    assert created.detail["before"]["label"] is None
    assert created.detail["after"]["label"] == "Drugs"
    assert created.actor_label == "saferboard measure (command line)"
    run(
        "edit", "d", "--source", "police.uk", "--direction", "higher",
        "--label", "Drug offences found",
    )  # fmt: skip
    (row,) = [r for r in listed() if r["slug"] == "d"]
    assert row["direction"] == "higher" and row["rule"]["ref"] == "higher-is-better@1"
    run("edit", "d", "--source", "police.uk", "--retire")
    (row,) = [r for r in listed() if r["slug"] == "d"]
    assert row["retired"] is not None
    events = AuditEvent.objects.filter(object_id=str(measure.pk)).order_by("pk")
    assert events.count() == 3
    assert events[1].detail["before"]["label"] == "Drugs"
    assert events[1].detail["after"]["label"] == "Drug offences found"
    assert events[2].detail["before"] == {"retired_on": None}
    run("edit", "d", "--source", "police.uk", "--unretire")
    assert Measure.objects.get(slug="d").retired_on is None


def test_edit_unknown_measure_names_nearest() -> None:
    ensure_measures()
    with pytest.raises(CommandError) as caught:
        run("edit", "burglry", "--source", "police.uk", "--label", "B")
    assert "'burglry'" in str(caught.value) and "nearest is 'burglary'" in str(caught.value)


def test_standard_measures_are_listed() -> None:
    """Issue 16: London boroughs' dashboards' measures ship as standard."""
    ensure_measures()
    rows = listed()
    slugs = {(r["source_kind"], r["slug"]) for r in rows}
    wanted = {
        "total-notifiable-offences",
        "non-domestic-violence-with-injury",
        "knife-injury-victims-1-24-non-da",
        "residential-burglary",
        "burglary",
        "theft-of-motor-vehicles",
        "knife-crime",
        "gun-crime",
        "sexual-offences",
        "domestic-abuse",
        "hate-crime",
        *(f"hate-crime-{slug}" for slug, _, _ in HATE_STRANDS),
    }
    assert {("mps", s) for s in wanted} <= slugs
    assert ("police-uk", "anti-social-behaviour") in slugs
    ndvwi = next(r for r in rows if r["slug"] == "non-domestic-violence-with-injury")
    assert ndvwi["source"] == "mps" and "minus" in ndvwi["definition"]
    knife = next(r for r in rows if r["slug"] == "knife-injury-victims-1-24-non-da")
    assert knife["source"] == "met-crime-dashboard"


def test_every_option_is_documented() -> None:
    """docs/measures.md and the command agree (each option of add and edit is there)."""
    from pathlib import Path

    from saferboard.measures.management.commands.measure import Command

    docs = (Path(__file__).resolve().parents[2] / "docs" / "measures.md").read_text()
    parser = Command().create_parser("saferboard", "measure")
    actions = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in ("list", "add", "edit", "rerate", "observations"):
        assert f"saferboard measure {name}" in docs
        for action in actions[name]._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert f"`{option}`" in docs, (name, option)


def test_documented_examples_run() -> None:
    ensure_measures()
    run(
        "add", "--source", "police.uk", "--slug", "acquisitive", "--label", "Acquisitive crime",
        "--include", "burglary", "robbery", "vehicle crime", "--green", "2", "--amber", "8",
    )  # fmt: skip
    run(
        "edit", "hate-crime", "--source", "met-crime-dashboard",
        "--direction", "monitor", "--rule", "judgement",
    )  # fmt: skip
    (row,) = [r for r in listed() if r["slug"] == "hate-crime"]
    assert row["direction"] == "monitor" and row["rule"]["ref"] == "manual@1"
    assert row["rule"]["kind"] == "judgement"
    run("edit", "acquisitive", "--source", "police.uk", "--amber", "12")
    (row,) = [r for r in listed() if r["slug"] == "acquisitive"]
    assert row["rule"]["ref"] == "acquisitive-rule@2"
    # An option given with no value clears that part; the rest is kept.
    run("edit", "acquisitive", "--source", "police.uk", "--include", "burglary", "--plus")
    (row,) = [r for r in listed() if r["slug"] == "acquisitive"]
    assert row["definition"]["categories"] == ["burglary"]
