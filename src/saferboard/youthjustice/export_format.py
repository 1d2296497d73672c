"""The case record export's files and columns, declared once.

The importer (:mod:`.importer`) reads them, the column-mapping step (:mod:`.mapping`)
offers them and the template (:mod:`.starter`) writes them; docs/youth-justice-data.md
describes each. A file or column added here appears in all three.
"""

from __future__ import annotations

from saferboard.youthjustice.kpis2023 import VICTIM_COLUMNS

# The columns of each file, in the template's order (names matched without regard to case).
FILES: dict[str, tuple[str, ...]] = {
    "children.csv": (
        "child_id",
        "date_of_birth",
        "sex",
        "ethnicity",
        "service",
        "looked_after",
    ),
    "outcomes.csv": ("outcome_id", "child_id", "outcome_date", "outcome_type", "release_date"),
    "offences.csv": (
        "offence_id",
        "child_id",
        "offence_date",
        "offence_type",
        "is_breach",
        "outcome_id",
    ),
    "population.csv": ("service", "year", "age", "count"),
    "population_ethnicity.csv": ("service", "year", "ethnicity", "count"),
    "interventions.csv": (
        "intervention_id",
        "child_id",
        "intervention_type",
        "start_date",
        "end_date",
        "end_reason",
        "accommodation",
        "ete",
        "send_need",
        "send_plan",
        "mental_health",
        "substance_misuse",
        "wider_services",
    ),
    "victims.csv": ("victim_id", "child_id", "offence_id", "contact_date", *VICTIM_COLUMNS),
    "remands.csv": ("remand_id", "child_id", "remand_type", "start_date", "end_date", "outcome"),
    "rosh_assessments.csv": ("child_id", "assessment_date", "rosh_level"),
}
REQUIRED_FILES = ("children.csv", "outcomes.csv", "offences.csv")
# Columns a file may lack (exports made before they were added still load): blank cells.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"offences.csv": ("gravity_score",)}
