"""The template and the SYNTHETIC sample include remands and risk of serious harm."""

from __future__ import annotations

from datetime import date

from saferboard.youthjustice.importer import parse_export
from saferboard.youthjustice.remands import REMAND_TYPES
from saferboard.youthjustice.rosh import ROSH_LEVELS
from saferboard.youthjustice.starter import notes, sample_files, template_files


def test_template_has_the_remand_and_rosh_files_with_notes() -> None:
    files = template_files()
    assert files["remands.csv"].decode().strip() == (
        "remand_id,child_id,remand_type,start_date,end_date,outcome"
    )
    assert files["rosh_assessments.csv"].decode().strip() == "child_id,assessment_date,rosh_level"
    text = notes()
    assert "## remands.csv (optional)" in text and "## rosh_assessments.csv (optional)" in text
    assert "youth_detention_accommodation" in text and "very_high" in text


def test_sample_remands_and_assessments_parse_and_use_the_vocabularies() -> None:
    parsed = parse_export(sample_files(), today=date(2026, 1, 1))
    assert parsed.remands and parsed.rosh_assessments
    assert {r["remand_type"] for r in parsed.remands} <= set(REMAND_TYPES)
    assert any(r["end_date"] is None for r in parsed.remands)  # one still on remand
    assert {a["level"] for a in parsed.rosh_assessments} <= {"", *ROSH_LEVELS}
