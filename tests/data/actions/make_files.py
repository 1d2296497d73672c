"""Writes the spreadsheets under tests/data/actions (run once; the files are committed).

``improvement_plan.xlsx`` is shaped like a real YOS improvement plan after an
inspection: a title above the header, area headings merged across the table, the
recommendation merged down over its lettered actions, several leads in one cell on
separate lines, and "Commence/Completion/Review" timescale text.

    uv run python tests/data/actions/make_files.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

HEADERS = [
    "Rec No.",
    "Recommendation",
    "Action No.",
    "Action",
    "Intended outcome",
    "Lead",
    "Timescale",
    "RAG",
    "Progress",
]

# area, number, recommendation, [(letter, action, outcome, leads, timescale, rag, progress)]
PLAN = [
    (
        "Leadership and partnership",
        1,
        "The YOS Management Board should ensure that board members understand their roles "
        "and hold partners to account for the quality of services to children.",
        [
            (
                "a",
                "Deliver a board induction and development session for all members",
                "Members understand their statutory role and challenge performance",
                "Chair of YOS Management Board\nHead of Youth Offending Service",
                "Commence: September 2015 Completion: December 2015 Review: Quarterly",
                "Blue",
                "Induction held 3 November 2015; attended by 9 of 11 members.",
            ),
            (
                "b",
                "Publish a performance report to every board meeting with the national "
                "indicators and local measures",
                "The board sees current performance and can challenge it",
                "Owen Price",
                "Commence: October 2015 Completion: Ongoing Review: Quarterly",
                "Green",
                "Report tabled at every meeting since October 2015.",
            ),
            (
                "c",
                "Agree partner attendance expectations and report attendance rates annually",
                "Consistent senior attendance from every statutory partner",
                "Example Borough Council\nMetropolitan Police Service (South BCU)",
                "Commence: September 2015\nCompletion: March 2016\nReview: Six monthly",
                "Amber",
                "Police attendance improved; health attendance still low.",
            ),
        ],
    ),
    (
        "Leadership and partnership",
        2,
        "Partners should ensure that children have access to education, health and "
        "substance misuse services that meet their needs.",
        [
            (
                "a",
                "Agree a service level agreement for CAMHS in-reach to the YOS",
                "Children are seen by a mental health practitioner within 4 weeks",
                "Dr Fiona Grant",
                "Commence: January 2016 Completion: June 2016 Review: Monthly",
                "Red",
                "SLA not yet signed.",
            ),
            (
                "b",
                "Second an education worker to the YOS",
                "Every child of school age has a full-time education place",
                "Anita Rao",
                "Completion: April 2016",
                "Amber",
                "",
            ),
        ],
    ),
    (
        "Quality",
        3,
        "Assessments and plans should address the child's risk of harm to others and "
        "their safety and wellbeing, and be reviewed when circumstances change.",
        [
            (
                "a",
                "Quality assure 10% of assessments each month against the inspection criteria",
                "Assessments are of good quality",
                "Head of Youth Offending Service",
                "Commence: November 2015 Completion: Ongoing Review: Monthly",
                "Green",
                "Audit tool in use from November 2015.",
            ),
            (
                "b",
                "Train all case managers in risk of harm assessment",
                "Risk of harm is properly assessed and managed",
                "YOS Practice Manager",
                "Commence: 01/12/2015 Completion: 31/03/2016 Review: Quarterly",
                "Blue",
                "All 14 case managers trained.",
            ),
        ],
    ),
    (
        "Looked after children",
        4,
        "The YOS and children's social care should agree a protocol for looked after "
        "children who offend.",
        [
            (
                "a",
                "Agree and launch a joint protocol with children's social care",
                "Looked after children are not criminalised for behaviour at home",
                "Head of Youth Offending Service\nHead of Children's Social Care",
                "Commence: February 2016 Completion: July 2016 Review: Quarterly",
                "Amber",
                "Draft protocol with legal services.",
            ),
        ],
    ),
    (
        "Voice of the young person",
        5,
        "The YOS should seek the views of children and their parents or carers, and use "
        "them to improve services.",
        [
            (
                "a",
                "Introduce an exit survey for every child completing an order",
                "Children's views shape services",
                "YOS Participation Worker",
                "Commence: January 2016 Completion: Ongoing Review: Quarterly",
                "Green",
                "",
            ),
            (
                "b",
                "Report what children said and what changed to the board each year",
                "The board hears children's voices directly",
                "Sarah Lindqvist",
                "Commence: April 2016 Completion: Ongoing Review: Annually",
                "Amber",
                "",
            ),
        ],
    ),
]


def write_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Improvement plan"
    sheet.append(["Example Borough Youth Offending Service: post-inspection improvement plan"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    last_area = None
    for area, number, wording, actions in PLAN:
        if area != last_area:
            sheet.append([area])
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
            last_area = area
        first = sheet.max_row + 1
        for letter, action, outcome, lead, timescale, rag, progress in actions:
            sheet.append(
                [
                    number,
                    wording,
                    f"{number}{letter}",
                    action,
                    outcome,
                    lead,
                    timescale,
                    rag,
                    progress,
                ]
            )
        last = sheet.max_row
        if last > first:
            # As in real plans: the recommendation is merged down over its actions.
            sheet.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
            sheet.merge_cells(start_row=first, start_column=2, end_row=last, end_column=2)
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)


def write_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for _area, number, wording, actions in PLAN:
            for i, (letter, action, outcome, lead, timescale, rag, progress) in enumerate(actions):
                writer.writerow(
                    [
                        number if i == 0 else "",
                        wording if i == 0 else "",
                        letter,
                        action,
                        outcome,
                        lead,
                        timescale,
                        rag,
                        progress,
                    ]
                )


if __name__ == "__main__":
    write_xlsx(HERE / "improvement_plan.xlsx")
    write_csv(HERE / "improvement_plan.csv")
    print("wrote improvement_plan.xlsx and improvement_plan.csv")
