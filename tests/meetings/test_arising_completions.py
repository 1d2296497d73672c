"""Proposed completions (a lead's Blue awaiting the board) as the pack lists them:
the pure rows, checked by hand (issue 20)."""

from __future__ import annotations

from datetime import date

from saferboard.meetings.arising import ProposedCompletion, completion_rows


def proposal(reference: str, on: date, files: int = 0, **kw: str) -> ProposedCompletion:
    return ProposedCompletion(
        plan_id=1,
        plan_title=kw.get("plan", "Board action log"),
        reference=reference,
        matter=f"Matter {reference}",
        proposed_by="Ben Police",
        proposed_on=on,
        reason="Ward analysis presented to the tasking group",
        evidence_files=files,
        decision_url=f"https://sb.example/actions/1/actions/{reference}/blue/",
        minute=kw.get("minute", ""),
    )


def test_rows_are_in_plan_then_natural_reference_order() -> None:
    rows = completion_rows(
        [
            proposal("A12", date(2026, 3, 1)),
            proposal("A2", date(2026, 3, 1), minute="43a"),
            proposal("1b", date(2026, 3, 2), plan="YOS improvement plan"),
        ],
        date(2026, 3, 20),
    )
    assert [r.action for r in rows] == ["A2 (minute 43a)", "A12", "1b"]


def test_a_row_carries_the_leads_evidence_and_the_decision_page() -> None:
    (one,) = completion_rows([proposal("A2", date(2026, 3, 1), files=2)], date(2026, 3, 20))
    assert one.proposed == "Ben Police, 1 March 2026"
    assert one.evidence == (
        "Ward analysis presented to the tasking group (2 evidence files attached)"
    )
    assert one.decision == "https://sb.example/actions/1/actions/A2/blue/"
    (single,) = completion_rows([proposal("A3", date(2026, 3, 1), files=1)], date(2026, 3, 20))
    assert single.evidence.endswith("(1 evidence file attached)")
    (none,) = completion_rows([proposal("A4", date(2026, 3, 1))], date(2026, 3, 20))
    assert none.evidence == "Ward analysis presented to the tasking group"


def test_a_proposal_made_on_or_after_the_meeting_day_is_for_the_next_meeting() -> None:
    rows = completion_rows(
        [
            proposal("A1", date(2026, 3, 19)),
            proposal("A2", date(2026, 3, 20)),
            proposal("A3", date(2026, 4, 1)),
        ],
        date(2026, 3, 20),
    )
    assert [r.action for r in rows] == ["A1"]
