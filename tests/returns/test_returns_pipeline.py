"""A return is accepted through the one import pipeline (core.importing.run_import):
checked first, then written all or nothing (issue 23; docs/importing.md)."""

from __future__ import annotations

import pytest

from saferboard.core.importing.problems import LocatedProblem
from saferboard.core.models import AuditEvent, Role
from saferboard.measures.models import DataImport, Observation
from saferboard.returns import services
from saferboard.returns.models import Channel, Submission
from saferboard.returns.services import ReturnImport, ReturnRejected, ReturnRequest, Upload
from tests.returns.factories import make_template
from tests.returns.test_services import JAN, entries, submit


@pytest.fixture
def template(db):  # type: ignore[no-untyped-def]
    return make_template()


def test_a_return_runs_through_run_import(template, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ran = []
    real = services.run_import

    def spy(steps):  # type: ignore[no-untyped-def]
        ran.append(type(steps))
        return real(steps)

    monkeypatch.setattr(services, "run_import", spy)
    submission = submit(template, JAN, entries("12", "3", "4"))
    assert ran == [ReturnImport]
    assert submission.version == 1
    assert Observation.objects.filter(source=submission.data_import).count() == 3


def test_the_check_locates_each_problem_by_file_and_measure(template) -> None:  # type: ignore[no-untyped-def]
    steps = ReturnImport(
        ReturnRequest(
            template,
            JAN,
            entries(referrals="lots", rj="-1"),
            user=None,
            channel=Channel.XLSX,
            upload=Upload("jan.xlsx", b"x"),
        )
    )
    located = steps.check()
    assert [(p.slug, p.field) for p in steps.problems] == [
        ("victim-referrals", "value"),
        ("victims-offered-rj", "value"),
    ]
    assert located == [
        LocatedProblem("jan.xlsx", p.message, column=p.slug, value=p.value) for p in steps.problems
    ]
    with pytest.raises(ReturnRejected) as rejected:
        services.submit_return(steps.request)
    assert rejected.value.problems == steps.problems  # the same problems, as the app words them
    assert not Submission.objects.exists() and not DataImport.objects.exists()


def test_a_failure_while_writing_leaves_nothing_written(template, make_user, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.PARTNER_LEAD, organisation=template.organisation)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        submit(template, JAN, entries("12", "3", "4"), user=user)
    # The audit step runs in the commit's transaction: submission, values, import and
    # observations are all rolled back with it.
    assert not Submission.objects.exists()
    assert not DataImport.objects.exists()
    assert not Observation.objects.filter(area=template.area).exists()
    assert not AuditEvent.objects.filter(action="import").exists()
