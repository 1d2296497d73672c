"""The demo as these tests need it: core people, the improvement plan and the boards.

The whole demo loads every app's data (crime, youth justice…) and takes far longer;
action plans and meetings depend only on the core people, so the ``demo`` fixture is
narrowed here (and in tests/meetings) to what they use.
"""

from __future__ import annotations

import pytest


def load_actions_and_meetings_demo() -> list[tuple[str, str, str]]:
    from saferboard.actions import demo as actions_demo
    from saferboard.core import demo as core_demo
    from saferboard.meetings import demo as meetings_demo

    partnership, sign_ins = core_demo.load()
    actions_demo.load(partnership)
    meetings_demo.load(partnership)
    return sign_ins


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return load_actions_and_meetings_demo()
