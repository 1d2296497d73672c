"""Two people submit the same period's return at the same moment, in real concurrent
PostgreSQL transactions: one is accepted as version 1, the other is refused (it would
be a correction, which needs a reason). Nothing is silently overwritten."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from saferboard.core.models import Role
from saferboard.returns import services
from saferboard.returns.models import Submission
from saferboard.returns.services import ReturnRejected
from tests.concurrency import race
from tests.returns.factories import make_template
from tests.returns.test_services import JAN, entries, submit


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_first_submissions_one_accepted_one_refused(make_user, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    template = make_template()
    user = make_user(Role.PARTNER_LEAD, organisation=template.organisation)
    real_version = services.code_version

    def slow_version() -> str:
        time.sleep(0.5)  # inside the locked section: the other submission queues behind
        return real_version()

    monkeypatch.setattr(services, "code_version", slow_version)

    def submitting(referrals: str):  # type: ignore[no-untyped-def]
        def writer() -> str:
            try:
                submit(template, JAN, entries(referrals=referrals), user=user)
            except ReturnRejected as rejected:
                assert "reason" in str(rejected.problems[0].message).lower()
                return "refused"
            return "accepted"

        return writer

    outcomes = race(submitting("10"), submitting("20"))

    assert sorted(outcomes) == ["accepted", "refused"], outcomes
    accepted = Submission.objects.get(template=template, period_start=JAN.start)
    assert accepted.version == 1
    winner = "10" if outcomes[0] == "accepted" else "20"
    value = accepted.values.get(measure__slug="victim-referrals").value
    assert value == float(winner)
