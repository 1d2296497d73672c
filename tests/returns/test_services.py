"""Accepting returns: observations with provenance, versions for corrections, history."""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.core.models import AuditEvent, Role
from saferboard.core.periods import Period
from saferboard.measures.models import DataImport, Observation
from saferboard.returns.models import Channel, Submission, SubmittedValue
from saferboard.returns.services import (
    ReturnRejected,
    ReturnRequest,
    submission_history,
    submit_return,
)
from saferboard.returns.validation import RawEntry
from tests.returns.factories import make_template

JAN = Period.month(2025, 1)
FEB = Period.month(2025, 2)


def entries(referrals="10", rj="2", blockers="", comment=""):
    return {
        "victim-referrals": RawEntry(referrals, comment),
        "victims-offered-rj": RawEntry(rj),
        "call-blockers-installed": RawEntry(blockers),
    }


def submit(template, period, values, user=None, reason=""):
    return submit_return(
        ReturnRequest(template, period, values, user=user, channel=Channel.WEB, reason=reason)
    )


@pytest.fixture
def template(db):
    return make_template()


def test_accepted_return_becomes_observations_with_provenance(template, make_user) -> None:
    user = make_user(Role.PARTNER_LEAD, organisation=template.organisation)
    submission = submit(template, JAN, entries("12", "3", "4"), user=user)
    assert submission.version == 1
    assert submission.submitted_by == user
    obs = {
        o.measure.slug: o
        for o in Observation.objects.filter(area=template.area).select_related("measure")
    }
    assert {slug: o.value for slug, o in obs.items()} == {
        "victim-referrals": 12,
        "victims-offered-rj": 3,
        "call-blockers-installed": 4,
    }
    referrals = obs["victim-referrals"]
    assert (referrals.period_start, referrals.period_end) == (date(2025, 1, 1), date(2025, 1, 31))
    source = referrals.source
    assert source == submission.data_import
    assert source.imported_by == user
    assert source.source_kind == "partner-return"
    assert source.format == "return-web"
    assert source.detail["template"] == template.slug
    assert source.detail["version"] == 1
    event = AuditEvent.objects.get(object_type="returns.Submission", object_id=str(submission.pk))
    assert event.action == "import"
    assert event.actor == user


def test_optional_blank_value_is_not_stored(template) -> None:
    submit(template, JAN, entries("12", "3", ""))
    assert not Observation.objects.filter(measure__slug="call-blockers-installed").exists()
    assert SubmittedValue.objects.get(measure__slug="call-blockers-installed").value is None


def test_rejected_return_stores_nothing(template) -> None:
    with pytest.raises(ReturnRejected) as rejected:
        submit(template, JAN, entries("12", "lots"))
    assert [p.slug for p in rejected.value.problems] == ["victims-offered-rj"]
    assert not Submission.objects.exists()
    assert not Observation.objects.exists()
    assert not DataImport.objects.exists()


def test_change_threshold_uses_last_periods_accepted_value(template) -> None:
    submit(template, JAN, entries("10"))
    with pytest.raises(ReturnRejected) as rejected:
        submit(template, FEB, entries("30"))
    assert rejected.value.problems[0].field == "comment"
    submission = submit(template, FEB, entries("30", comment="New referral partner"))
    assert submission.values.get(measure__slug="victim-referrals").comment == (
        "New referral partner"
    )


def test_correction_needs_a_reason_and_keeps_history(template, make_user) -> None:
    user = make_user(Role.PARTNER_LEAD, organisation=template.organisation)
    first = submit(template, JAN, entries("12", "3"), user=user)
    with pytest.raises(ReturnRejected) as rejected:
        submit(template, JAN, entries("14", "3"), user=user)
    assert rejected.value.problems[0].field == "reason"
    assert "Give the reason" in rejected.value.problems[0].message
    second = submit(template, JAN, entries("14", "3"), user=user, reason="Late referrals added")
    assert second.version == 2
    assert second.reason == "Late referrals added"
    # The observation shows the corrected value, from the correction's import ...
    referrals = Observation.objects.get(measure__slug="victim-referrals")
    assert referrals.value == 14
    assert referrals.source == second.data_import
    # ... and the first version is still there, unchanged.
    history = submission_history(template, JAN)
    assert [s.version for s in history] == [2, 1]
    assert history[1].pk == first.pk
    assert history[1].values.get(measure__slug="victim-referrals").value == 12
    assert list(Submission.objects.current()) == [second]


def test_correction_can_withdraw_an_optional_figure(template) -> None:
    submit(template, JAN, entries("12", "3", "5"))
    submit(template, JAN, entries("12", "3", ""), reason="Blockers were February's")
    assert Observation.objects.get(measure__slug="call-blockers-installed").value is None


def test_periods_outside_the_template_are_refused(template) -> None:
    with pytest.raises(ReturnRejected, match="starts after"):
        submit(template, Period.month(2024, 3), entries())
    with pytest.raises(ReturnRejected, match="has not started"):
        submit(template, Period.month(2999, 1), entries())
