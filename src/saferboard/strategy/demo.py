"""The demo partnership's 2020–2023 strategy, its priorities and three reporting rounds.

Wording follows the register of real CSP strategies and quarterly progress reports
(see docs/domain.md); the partnership and its people are fictional.

Rounds: Q3 2020-21 (Priority 3, closed), Q4 2020-21 (the end-of-year round, every
commitment, closed) and Q1 2021-22 (Priority 1, open, past its deadline, with returns
not started, in draft, submitted, returned and accepted). Everything goes through the
same services as the web pages, so the RAG history and audit trail are real.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferboard.core.models import Organisation, Partnership, User
from saferboard.core.rag import RagAssessment, record_rag
from saferboard.strategy.models import (
    Commitment,
    Priority,
    Strategy,
    SubPriority,
    SuccessIndicator,
)

# "How we will know we are on track": (priority, commitment, text, crime measure slug).
ON_TRACK = [
    (1, 1, "Fewer residential burglaries than the year before", "residential-burglary"),
    (1, 1, "Every repeat victim offered target-hardening", None),
    (1, 3, "Less non-domestic violence with injury", "non-domestic-violence-with-injury"),
    (3, 2, "Fewer knife crimes", "knife-crime"),
]

# number, title, aim, leads, quarter, sub-priorities, commitments, (status, second, reason)
PRIORITIES = [
    (
        1,
        "Safer neighbourhoods",
        "Reduce crime and anti-social behaviour in the places where people live, work and "
        "visit, and help residents feel safe.",
        ["police", "council"],
        1,
        [
            "Non-domestic violence with injury",
            "Residential burglary",
            "Crime against the elderly and vulnerable",
            "Anti-social behaviour",
        ],
        [
            (
                "Provide support to victims of burglary and scams",
                [
                    "Target-harden the homes of repeat victims",
                    "Install call blockers for residents targeted by scam callers",
                ],
                ["police", "council", "victim-support"],
            ),
            (
                "Work with partners to tackle anti-social behaviour hotspots",
                ["Hold monthly ASB risk panels", "Run community impact days in hotspot wards"],
                ["police", "council", "housing", "fire"],
            ),
            (
                "Reduce non-domestic violence with injury in the night-time economy",
                ["Joint licensing visits to high-risk premises"],
                ["police", "council"],
            ),
            (
                "Carry out joint operations with Trading Standards, Licensing and Police",
                [
                    "Test-purchase operations for age-restricted products",
                    "Doorstep crime rapid response",
                ],
                ["council", "police"],
            ),
        ],
        (
            "amber",
            None,
            "Amber: burglary is down but violence with injury rose in the "
            "night-time economy over the summer.",
        ),
    ),
    (
        2,
        "Violence against women and girls",
        "Prevent domestic abuse and sexual violence, support victims and hold perpetrators "
        "to account.",
        ["council", "police"],
        2,
        ["Domestic abuse", "Sexual violence", "Harmful practices"],
        [
            (
                "Provide support through the independent domestic violence advisory service",
                ["Maintain MARAC referrals at SafeLives recommended levels"],
                ["council", "victim-support", "icb"],
            ),
            (
                "Hold perpetrators to account",
                ["Deliver a perpetrator programme with Probation"],
                ["probation", "police"],
            ),
            (
                "Raise awareness in schools and workplaces",
                ["Healthy relationships sessions in every secondary school"],
                ["education", "council"],
            ),
        ],
        ("green", None, "Green for achievements in 2021-22 – more to do in 2022-23."),
    ),
    (
        3,
        "Keeping young people safe",
        "Protect children and young people from exploitation and serious violence, and reduce "
        "the number entering the youth justice system.",
        ["yos", "police"],
        3,
        [
            "Serious youth violence and knife crime",
            "Child criminal exploitation and county lines",
            "First-time entrants to the youth justice system",
        ],
        [
            (
                "Provide support to young people at risk of exploitation",
                [
                    "Run the monthly exploitation panel",
                    "Offer a mentor to every child on the panel list",
                ],
                ["yos", "council", "police"],
            ),
            (
                "Work with partners to disrupt gangs",
                ["Share intelligence at the gangs panel", "Weapons sweeps in parks and estates"],
                ["police", "yos", "housing"],
            ),
            (
                "Divert children from the criminal justice system",
                ["Triage and out-of-court disposals with the YOS"],
                ["yos", "police"],
            ),
            (
                "Keep children in education, training or employment",
                ["Reduce exclusions of children known to the YOS"],
                ["education", "yos"],
            ),
        ],
        (
            "amber",
            "green",
            "Amber/Green: first-time entrants fell; knife crime with injury "
            "for under-25s rose in the last quarter.",
        ),
    ),
    (
        4,
        "Standing together against hate crime and extremism",
        "Increase the reporting of hate crime, support victims and build community cohesion.",
        ["council", "police"],
        4,
        ["Hate crime", "Radicalisation and extremism"],
        [
            (
                "Increase reporting of hate crime",
                ["Third-party reporting centres in libraries"],
                ["council", "police", "snb"],
            ),
            (
                "Deliver the Prevent duty",
                ["Prevent training for frontline staff"],
                ["council", "education", "icb"],
            ),
        ],
        (
            "red",
            None,
            "Red due to COVID restrictions – third-party reporting centres are due "
            "to reopen in 2022-23.",
        ),
    ),
]


def load(partnership: Partnership) -> None:
    orgs = {o.slug: o for o in Organisation.objects.filter(partnership=partnership)}
    coordinator = User.objects.filter(username="coordinator").first()
    with transaction.atomic():
        strategy, _ = Strategy.objects.get_or_create(
            partnership=partnership,
            title="Safer Example Borough: Community Safety Strategy 2020–2023",
            defaults={"start_date": date(2020, 4, 1), "end_date": date(2023, 3, 31)},
        )
        for number, title, aim, leads, quarter, subs, commitments, rag in PRIORITIES:
            priority, _ = Priority.objects.update_or_create(
                strategy=strategy,
                number=number,
                defaults={"title": title, "aim": aim, "substantive_quarter": quarter},
            )
            priority.lead_organisations.set([orgs[s] for s in leads])
            for order, sub in enumerate(subs, start=1):
                SubPriority.objects.update_or_create(
                    priority=priority, title=sub, defaults={"order": order}
                )
            for c_number, (c_title, sub_commitments, contributors) in enumerate(
                commitments, start=1
            ):
                commitment, _ = Commitment.objects.update_or_create(
                    priority=priority,
                    number=c_number,
                    parent=None,
                    defaults={"title": c_title, "lead_organisation": orgs[contributors[0]]},
                )
                commitment.contributors.set([orgs[s] for s in contributors])
                # Sub-commitments are child rows numbered under the commitment ("1.1.2").
                for s_number, s_title in enumerate(sub_commitments, start=1):
                    child, _ = Commitment.objects.update_or_create(
                        priority=priority,
                        parent=commitment,
                        number=s_number,
                        defaults={"title": s_title},
                    )
                    child.contributors.set([orgs[s] for s in contributors])
            status, second, reason = rag
            if not priority.rag_status and coordinator is not None:
                record_rag(
                    priority,
                    RagAssessment(status=status, second_status=second, reason=reason),
                    actor=coordinator,
                )
        _on_track_lines(strategy, partnership)
    if coordinator is not None and not strategy.rounds.exists():
        from saferboard.strategy.demo_rounds import load_rounds

        load_rounds(strategy, coordinator)


def _on_track_lines(strategy: Strategy, partnership: Partnership) -> None:
    """A few on-track lines, linked to the standard crime measures, so the priority
    report prints figures beside them once crime data are loaded."""
    from saferboard.crime.measures import ensure_measures
    from saferboard.crime.sources import preferred_source
    from saferboard.measures.models import Measure

    ensure_measures()
    source = preferred_source(partnership)
    for order, (p_number, c_number, text, slug) in enumerate(ON_TRACK, start=1):
        commitment = Commitment.objects.get(
            priority__strategy=strategy,
            priority__number=p_number,
            number=c_number,
            parent__isnull=True,
        )
        measures = Measure.objects.filter(slug=slug) if slug else Measure.objects.none()
        # The partnership's own crime source first, where both sources define the measure.
        measure = sorted(measures, key=lambda m: m.source_kind != source)
        SuccessIndicator.objects.update_or_create(
            commitment=commitment,
            text=text,
            defaults={"order": order, "measure": measure[0] if measure else None},
        )
