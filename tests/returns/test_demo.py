"""The demo's returns: three templates with months of figures, one late, idempotent."""

from __future__ import annotations

from django.utils import timezone

from saferboard.core.models import Partnership
from saferboard.returns import demo as returns_demo
from saferboard.returns.chasing import outstanding_returns
from saferboard.returns.models import ReturnTemplate, Submission


def test_demo_returns(db) -> None:
    from saferboard.core import demo as core_demo

    # The core people and organisations, then this app's demo (not every app's: faster).
    partnership, _ = core_demo.load()
    returns_demo.load(partnership)
    templates = {t.organisation.slug: t for t in ReturnTemplate.objects.all()}
    assert set(templates) == {"police", "council", "victim-support"}
    for template in templates.values():
        periods = set(Submission.objects.filter(template=template).values_list("period_start"))
        assert len(periods) >= 6
    assert Submission.objects.filter(version=2, template=templates["police"]).count() == 1
    today = timezone.localdate()
    late = [r for r in outstanding_returns(today) if r.is_late]
    late_period = returns_demo.demo_late_period(today)
    assert ("victim-support", late_period) in {(r.organisation_slug, r.period) for r in late}
    before = Submission.objects.count()
    returns_demo.load(Partnership.objects.get(pk=partnership.pk))
    assert Submission.objects.count() == before
