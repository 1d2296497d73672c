"""The data migration turning each commitment's JSON list of sub-commitments into child
commitment rows (strategy 0005)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("strategy", "0004_sub_commitments_ambition"), ("core", "0008_setup_fields")]
AFTER = [("strategy", "0005_sub_commitment_rows_indicators_corrections")]


@pytest.mark.django_db(transaction=True)
def test_json_sub_commitments_become_numbered_children() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Partnership = apps.get_model("core", "Partnership")
    Organisation = apps.get_model("core", "Organisation")
    Strategy = apps.get_model("strategy", "Strategy")
    Priority = apps.get_model("strategy", "Priority")
    Commitment = apps.get_model("strategy", "Commitment")
    partnership = Partnership.objects.create(name="Migrated", slug="migrated")
    police = Organisation.objects.create(
        partnership=partnership, name="Police", slug="police", start_date=date(2020, 1, 1)
    )
    strategy = Strategy.objects.create(
        partnership=partnership,
        title="Old strategy",
        start_date=date(2020, 4, 1),
        end_date=date(2023, 3, 31),
    )
    priority = Priority.objects.create(strategy=strategy, number=3, title="Young people")
    with_subs = Commitment.objects.create(
        priority=priority,
        number=1,
        title="Support",
        sub_commitments=["Run the panel", "  ", "Offer a mentor"],
    )
    with_subs.contributors.set([police])
    Commitment.objects.create(priority=priority, number=2, title="Divert", sub_commitments=[])

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Commitment = apps.get_model("strategy", "Commitment")
    children = list(Commitment.objects.filter(parent_id=with_subs.pk).order_by("number"))
    # The blank entry is dropped; the rest are numbered 1, 2, … in the list's order.
    assert [(c.number, c.title) for c in children] == [(1, "Run the panel"), (2, "Offer a mentor")]
    assert all(c.priority_id == priority.pk for c in children)
    assert [o.slug for o in children[0].contributors.all()] == ["police"]
    assert not Commitment.objects.filter(parent__number=2).exists()
    assert Commitment.objects.filter(parent__isnull=True).count() == 2
    assert not any(f.name == "sub_commitments" for f in Commitment._meta.get_fields())
    # Leave the database as the other tests expect it: every app fully migrated.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
