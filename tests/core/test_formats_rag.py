"""A rating read from a record's ``rag_*`` fields, the one way (issue 23): the core
mixin and the strategy update's proposal both use ``RagAssessment.of``."""

from __future__ import annotations

from datetime import UTC, datetime

from saferboard.core.rag import RagAssessment
from saferboard.strategy.models import PartnerUpdate


def test_of_reads_the_fields_and_none_without_a_status() -> None:
    at = datetime(2026, 3, 1, tzinfo=UTC)
    split = RagAssessment.of("amber", "green", "Mixed", at)
    assert split is not None and split.label == "Amber/Green" and split.set_at == at
    single = RagAssessment.of("red", "", "Late")
    assert single is not None and single.second_status is None and single.reason == "Late"
    assert RagAssessment.of("") is None and RagAssessment.of("", "green") is None


def test_a_proposal_reads_the_same_way() -> None:
    update = PartnerUpdate(rag_status="amber", rag_second_status="", rag_reason="Behind")
    assert update.proposed_rag == RagAssessment.of("amber", "", "Behind")
    assert PartnerUpdate(rag_status="").proposed_rag is None
