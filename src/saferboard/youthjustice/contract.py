"""The ``saferboard yj kpis --json`` document, read from stored, rated observations.

The keys of the engine's :meth:`~saferboard.youthjustice.engine.KpiResult.as_contract`
(a contract other tools rely on: docs/youth-justice-data.md), plus ``ratings``: each
benchmarked measure's stored RAG rating, rule version and rank.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from saferboard.measures.models import Observation
from saferboard.youthjustice.models import Service
from saferboard.youthjustice.observations import as_period, stored_figures


def kpi_document(service: Service, start: date, end: date, kind: str) -> dict[str, Any]:
    """The KPIs of one service and period by cohort method ``kind``, as stored (computed
    and stored first if this period and method were never asked for).

    Raises ``ValueError`` when the engine cannot compute the period by this method.
    """
    if service.data_to is None:
        raise ValueError(f"no case records are held for {service}")
    figures = stored_figures(service, [as_period(start, end)], kind).get((start, end), {})

    def part(base: str, name: str = "value") -> float | None:
        obs = figures.get(base)
        return None if obs is None else getattr(obs, name)

    reoffending = figures.get("binary_rate_pct")
    return {
        "service": service.name,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "fte": {
            "count": _int(part("fte_count")),
            "population_10_17": _int(part("fte_rate_per_100k", "denominator")),
            "rate_per_100k": part("fte_rate_per_100k"),
        },
        "custody": {
            "count": _int(part("custody_count")),
            "rate_per_1000": part("custody_rate_per_1000"),
        },
        "reoffending": {
            "cohort_kind": kind,
            "cohort": _int(part("reoffending_cohort")),
            "reoffenders": _int(part("binary_rate_pct", "numerator")),
            "reoffences": _int(part("frequency_rate", "numerator")),
            "binary_rate_pct": part("binary_rate_pct"),
            "frequency_rate": part("frequency_rate"),
            "reoffences_per_reoffender": part("reoffences_per_reoffender"),
            "provisional": bool(reoffending and reoffending.provisional),
            "data_to": service.data_to.isoformat(),
        },
        "ratings": {
            obs.measure.slug: rating(obs)
            for obs in sorted(figures.values(), key=lambda o: o.measure.display_order)
            if obs.measure.rag_rule_id is not None
        },
    }


def rating(obs: Observation) -> dict[str, Any]:
    """An observation's stored rating and rank, as JSON."""
    rag = obs.rag
    return {
        "value": obs.value,
        "rag": rag.label if rag else None,
        "rag_status": obs.rag_status or None,
        "rag_second_status": obs.rag_second_status or None,
        "rag_reason": rag.reason if rag else None,
        "rule": obs.rag_rule or None,
        "rank": obs.rank,
        "of": obs.peer_group_size,
        "peer_group": obs.peer_group or None,
        "comparators": obs.comparators or {},
    }


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)
