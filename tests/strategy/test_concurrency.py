"""Two people save the same update at the same moment, in real concurrent transactions.

Each save runs in its own thread and database connection. The first holds the row
lock (``SELECT … FOR UPDATE``) while it works; the second waits, then finds the version
moved on and is refused. Nothing is silently overwritten. PostgreSQL only: the SQLite
test database is an in-memory shared cache, whose table locks fail at once instead of
waiting as a file database in production does.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from saferboard.strategy import services
from saferboard.strategy.services import StaleVersion, UpdateChanges, save_update
from tests.concurrency import race


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_one_wins_the_other_is_refused(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    round = world.open()
    update = round.updates.get(commitment=world.commitment, organisation=world.police)
    version = update.version
    slow_render = services.render_narrative

    def render_slowly(text: str) -> str:
        time.sleep(0.5)  # hold the lock long enough for the other save to queue behind it
        return slow_render(text)

    monkeypatch.setattr(services, "render_narrative", render_slowly)

    def saving(text: str):  # type: ignore[no-untyped-def]
        def writer() -> str:
            try:
                save_update(
                    update,
                    UpdateChanges(narrative=text, rag_status="amber", rag_reason="Amber: partly"),
                    version=version,
                    actor=world.police_lead,
                )
            except StaleVersion:
                return "refused"
            return "saved"

        return writer

    outcomes = race(saving("Text A"), saving("Text B"))
    results = dict(zip(("Text A", "Text B"), outcomes, strict=True))
    assert sorted(results.values()) == ["refused", "saved"], results
    winner = next(text for text, outcome in results.items() if outcome == "saved")
    update.refresh_from_db()
    assert update.narrative == winner
    assert update.version == version + 1
