"""The update state machine: every transition, and every refusal with its message."""

from __future__ import annotations

import itertools

import pytest

from saferboard.strategy.workflow import (
    Action,
    Actor,
    State,
    TransitionRefused,
    allowed_actions,
    next_state,
)

S, A, P, C, B = State, Action, Actor.PARTNER, Actor.COORDINATOR, Actor.BOARD

ALLOWED = {
    (S.NOT_STARTED, A.SAVE, P): S.DRAFT,
    (S.DRAFT, A.SAVE, P): S.DRAFT,
    (S.RETURNED, A.SAVE, P): S.RETURNED,
    (S.NOT_STARTED, A.SUBMIT, P): S.SUBMITTED,
    (S.DRAFT, A.SUBMIT, P): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT, P): S.RESUBMITTED,
    (S.SUBMITTED, A.ACCEPT, C): S.ACCEPTED,
    (S.RESUBMITTED, A.ACCEPT, C): S.ACCEPTED,
    (S.SUBMITTED, A.RETURN, C): S.RETURNED,
    (S.RESUBMITTED, A.RETURN, C): S.RETURNED,
}


@pytest.mark.parametrize(("move", "expected"), list(ALLOWED.items()), ids=str)
def test_every_allowed_transition(move, expected) -> None:
    state, action, actor = move
    assert next_state(state, action, actor, comment="needs figures") is expected


def _refusal(state, action, actor, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(TransitionRefused) as refused:
        next_state(state, action, actor, **kwargs)
    return refused.value.message


@pytest.mark.parametrize(
    "move",
    [m for m in itertools.product(State, Action, (P, C)) if m not in ALLOWED],
    ids=str,
)
def test_every_other_move_is_refused_with_a_reason(move) -> None:
    message = _refusal(*move, comment="a comment")
    assert message and message[0].isupper() and not message.endswith(".")


def test_refusal_messages_say_why() -> None:
    assert "Only the partner's lead" in _refusal(S.DRAFT, A.SAVE, C)
    assert "Only the partner's lead" in _refusal(S.DRAFT, A.SUBMIT, B)
    assert "Only a coordinator" in _refusal(S.SUBMITTED, A.ACCEPT, P)
    assert "Only a coordinator" in _refusal(S.SUBMITTED, A.RETURN, B)
    assert "accepted: it can no longer change" in _refusal(S.ACCEPTED, A.SAVE, P)
    assert "accepted: it can no longer change" in _refusal(S.ACCEPTED, A.SUBMIT, P)
    for state in (S.SUBMITTED, S.RESUBMITTED):
        assert "waiting for review" in _refusal(state, A.SAVE, P)
        assert "waiting for review" in _refusal(state, A.SUBMIT, P)
    assert (
        _refusal(S.DRAFT, A.ACCEPT, C)
        == "Only a submitted update can be accepted: this one is draft"
    )
    assert _refusal(S.ACCEPTED, A.RETURN, C) == (
        "Only a submitted update can be returned: this one is accepted"
    )
    assert _refusal(S.NOT_STARTED, A.ACCEPT, C).endswith("not started")
    assert _refusal(S.RETURNED, A.ACCEPT, C).endswith("returned")


@pytest.mark.parametrize("comment", ["", "   \n"])
def test_return_needs_a_comment(comment: str) -> None:
    assert _refusal(S.SUBMITTED, A.RETURN, C, comment=comment) == (
        "Enter a comment saying what needs to change"
    )


@pytest.mark.parametrize("move", list(ALLOWED), ids=str)
def test_nothing_moves_in_a_closed_round(move) -> None:
    assert "round is closed" in _refusal(*move, round_open=False, comment="x")


def test_board_reviews_improvements_where_configured() -> None:
    board = {"improves": True, "improvements_by_board": True}
    assert next_state(S.SUBMITTED, A.ACCEPT, B, **board) is S.ACCEPTED
    assert next_state(S.RESUBMITTED, A.RETURN, B, comment="evidence?", **board) is S.RETURNED
    assert "a board member must accept" in _refusal(S.SUBMITTED, A.ACCEPT, C, **board)
    # Not an improvement, or not configured: the coordinator reviews, the board may not.
    assert "Only a coordinator" in _refusal(
        S.SUBMITTED, A.ACCEPT, B, improves=False, improvements_by_board=True
    )
    assert "Only a coordinator" in _refusal(
        S.SUBMITTED, A.ACCEPT, B, improves=True, improvements_by_board=False
    )
    assert next_state(S.SUBMITTED, A.ACCEPT, C, improves=True) is S.ACCEPTED


def test_allowed_actions() -> None:
    assert allowed_actions(S.DRAFT, P) == {A.SAVE, A.SUBMIT}
    assert allowed_actions(S.SUBMITTED, P) == set()
    assert allowed_actions(S.SUBMITTED, C) == {A.ACCEPT, A.RETURN}
    assert allowed_actions(S.ACCEPTED, C) == set()
    assert allowed_actions(S.DRAFT, P, round_open=False) == set()
