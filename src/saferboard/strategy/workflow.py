"""The life of a partner update, as a small pure state machine.

::

    not started ──save──▶ draft ──save──▶ draft
         │                  │
         └──────submit──────┴──▶ submitted ──accept──▶ accepted (final)
                                     │
                                   return (with a comment)
                                     ▼
              returned ──save──▶ returned ──submit──▶ resubmitted ──accept──▶ accepted
                  ▲                                        │
                  └──────────────return────────────────────┘

Partners save and submit; coordinators accept and return. Where a strategy says the
board accepts improved RAG statuses, an improving update is accepted (or returned) by
a board member instead of a coordinator. Nothing moves once the round is closed.

No Django here: :func:`next_state` takes plain values and either returns the new state
or raises :class:`TransitionRefused` with the sentence to show the person.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.NOT_STARTED: "Not started",
    State.DRAFT: "Draft",
    State.SUBMITTED: "Submitted",
    State.RETURNED: "Returned",
    State.RESUBMITTED: "Resubmitted",
    State.ACCEPTED: "Accepted",
}


class Action(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"


class Actor(StrEnum):
    PARTNER = "partner"
    COORDINATOR = "coordinator"
    BOARD = "board"


class TransitionRefused(Exception):
    """The action is not allowed now; ``message`` says why, in the user's terms."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# States a partner can still change, and states waiting for a reviewer.
EDITABLE = frozenset({State.NOT_STARTED, State.DRAFT, State.RETURNED})
AWAITING_REVIEW = frozenset({State.SUBMITTED, State.RESUBMITTED})
# A return is "in" (not outstanding) once it has been submitted.
RECEIVED = AWAITING_REVIEW | {State.ACCEPTED}

_PARTNER_MOVES = {
    (State.NOT_STARTED, Action.SAVE): State.DRAFT,
    (State.DRAFT, Action.SAVE): State.DRAFT,
    (State.RETURNED, Action.SAVE): State.RETURNED,
    (State.NOT_STARTED, Action.SUBMIT): State.SUBMITTED,
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Action.SUBMIT): State.RESUBMITTED,
}
_REVIEW_MOVES = {
    (State.SUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.RESUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.RESUBMITTED, Action.RETURN): State.RETURNED,
}


def reviewer_for(*, improves: bool, improvements_by_board: bool) -> Actor:
    """Who reviews an update: the board for an improvement where the strategy says so."""
    return Actor.BOARD if improves and improvements_by_board else Actor.COORDINATOR


def next_state(
    state: State | str,
    action: Action | str,
    actor: Actor | str,
    *,
    round_open: bool = True,
    comment: str = "",
    improves: bool = False,
    improvements_by_board: bool = False,
) -> State:
    """The state after ``actor`` does ``action`` to an update in ``state``.

    ``improves`` says whether the proposed RAG improves on the last accepted one;
    with ``improvements_by_board`` such an update is reviewed by the board.
    Raises :class:`TransitionRefused` when the action is not allowed.
    """
    state, action, actor = State(state), Action(action), Actor(actor)
    if not round_open:
        raise TransitionRefused("This reporting round is closed: its updates can no longer change")
    if action in (Action.SAVE, Action.SUBMIT):
        if actor is not Actor.PARTNER:
            raise TransitionRefused("Only the partner's lead can change or submit their update")
        if state is State.ACCEPTED:
            raise TransitionRefused("This update has been accepted: it can no longer change")
        if state in AWAITING_REVIEW:
            raise TransitionRefused(
                "This update has been submitted and is waiting for review: it can change "
                "again only if it is returned to you"
            )
        return _PARTNER_MOVES[(state, action)]
    reviewer = reviewer_for(improves=improves, improvements_by_board=improvements_by_board)
    if actor is not reviewer:
        if reviewer is Actor.BOARD:
            raise TransitionRefused(
                "The board reviews improved RAG statuses for this strategy: a board member "
                "must accept or return this update"
            )
        raise TransitionRefused("Only a coordinator can accept or return an update")
    if state not in AWAITING_REVIEW:
        verb = "accepted" if action is Action.ACCEPT else "returned"
        raise TransitionRefused(
            f"Only a submitted update can be {verb}: this one is {state.label.lower()}"
        )
    if action is Action.RETURN and not comment.strip():
        raise TransitionRefused("Enter a comment saying what needs to change")
    return _REVIEW_MOVES[(state, action)]


def allowed_actions(
    state: State | str,
    actor: Actor | str,
    *,
    round_open: bool = True,
    improves: bool = False,
    improvements_by_board: bool = False,
) -> set[Action]:
    """Every action ``actor`` may take now (a return is offered, its comment asked later)."""
    allowed = set()
    for action in Action:
        try:
            next_state(
                state,
                action,
                actor,
                round_open=round_open,
                comment="(asked for)",
                improves=improves,
                improvements_by_board=improvements_by_board,
            )
        except TransitionRefused:
            continue
        allowed.add(action)
    return allowed
