"""Demo panels: an exploitation and gangs panel with 20 fictional children, and an ASB
risk panel with a few fictional adults and their escalation ladders.

Every name is obviously invented (surnames such as "Example" and "Sample"). Dates are
relative to the day the demo is loaded, so the children stay 10 to 17. Loading is
idempotent: a case is found by its panel and name, and is not created twice.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from saferboard.core.models import Organisation, Partnership, Person, User
from saferboard.panels import board, services
from saferboard.panels.models import (
    DEFAULT_FLAGS,
    Case,
    CaseIdentity,
    CaseStatus,
    Panel,
    PanelMembership,
    PanelRole,
    PanelType,
)

EXPLOITATION_BASIS = (
    "UK GDPR Article 6(1)(e) public task and Article 9(2)(g) substantial public interest "
    "(DPA 2018 Schedule 1 paragraphs 6, 10 and 18: statutory purposes, preventing crime, "
    "safeguarding children). Children Act 1989 s.47 and Children Act 2004 s.10-11; "
    "Crime and Disorder Act 1998 s.115."
)
ASB_BASIS = (
    "UK GDPR Article 6(1)(e) public task; Article 10 and DPA 2018 Schedule 1 paragraph 10 "
    "(preventing or detecting unlawful acts). Anti-social Behaviour, Crime and Policing Act "
    "2014; Crime and Disorder Act 1998 s.115."
)

# first, last, age in years, days referred ago, sex, ethnicity, flags, likelihood, impact,
# status ("open", "referred", "stepped_down", "closed")
CHILDREN: list[tuple[str, str, int, int, str, str, tuple[str, ...], int, int, str]] = [
    ("Jayden", "Example", 15, 400, "male", "black", ("gang", "knife", "cce"), 4, 4, "open"),
    ("Amelia", "Sample", 14, 380, "female", "white_british", ("cse", "missing"), 3, 4, "open"),
    ("Tyrese", "Specimen", 16, 350, "male", "black", ("gang", "cce", "missing"), 3, 3, "open"),
    ("Kacey", "Placeholder", 13, 330, "female", "mixed", ("cse", "missing"), 3, 3, "open"),
    ("Riley", "Fictional", 16, 300, "male", "white_british", ("gang", "knife"), 2, 4, "open"),
    ("Mason", "Madeup", 15, 280, "male", "white_other", ("cce", "missing"), 3, 2, "open"),
    ("Leah", "Invented", 14, 260, "female", "white_british", ("cse",), 2, 3, "open"),
    ("Ezra", "Example", 17, 240, "male", "black", ("gang", "perpetrator"), 2, 3, "open"),
    ("Ruby", "Sample", 13, 220, "female", "mixed", ("missing", "victim"), 2, 2, "open"),
    ("Kai", "Specimen", 16, 200, "male", "mixed", ("gang", "knife", "cce"), 4, 3, "open"),
    ("Nadia", "Placeholder", 15, 180, "female", "asian", ("cse", "missing"), 3, 3, "open"),
    ("Callum", "Fictional", 14, 160, "male", "white_british", ("cce",), 2, 2, "open"),
    ("Tia", "Madeup", 16, 140, "female", "black", ("cse", "gang"), 3, 4, "open"),
    ("Oscar", "Invented", 12, 120, "male", "white_british", ("missing",), 1, 3, "open"),
    ("Zane", "Example", 17, 100, "male", "other", ("gang", "knife"), 3, 3, "open"),
    ("Maisie", "Sample", 15, 60, "female", "white_british", ("missing", "cse"), 2, 3, "referred"),
    ("Dylan", "Specimen", 14, 30, "male", "not_stated", ("gang",), 2, 2, "referred"),
    ("Ellis", "Placeholder", 16, 500, "male", "white_british", ("cce",), 1, 2, "stepped_down"),
    ("Jada", "Fictional", 17, 900, "female", "black", ("cse", "missing"), 2, 2, "closed"),
    ("Harvey", "Madeup", 17, 1100, "male", "white_other", ("gang",), 1, 2, "closed"),
]

# first, last, age, days referred ago, sex, ethnicity, flags, likelihood, impact,
# ladder [(kind, days ago issued, expires after days, breaches days ago)]
ADULTS: list[
    tuple[
        str,
        str,
        int,
        int,
        str,
        str,
        tuple[str, ...],
        int,
        int,
        list[tuple[str, int, int, list[int]]],
    ]
] = [
    (
        "Gary",
        "Example",
        34,
        420,
        "male",
        "white_british",
        ("perpetrator", "substance"),
        3,
        3,
        [("abc", 400, 180, [300]), ("cpw", 290, 0, [250]), ("cpn", 240, 365, [90])],
    ),
    (
        "Donna",
        "Sample",
        41,
        300,
        "female",
        "white_british",
        ("perpetrator", "housing"),
        2,
        3,
        [("abc", 280, 180, []), ("cpw", 120, 0, [])],
    ),
    (
        "Lee",
        "Specimen",
        27,
        200,
        "male",
        "black",
        ("perpetrator", "mental_health"),
        3,
        4,
        [("cpw", 190, 0, [170]), ("cpn", 160, 365, [100, 40]), ("injunction", 30, 365, [])],
    ),
    ("Sandra", "Placeholder", 58, 90, "female", "white_other", ("victim",), 2, 2, []),
]

MEETINGS_AGO = (63, 35, 7)  # the last three monthly panel meetings, in days before today


def _org(partnership: Partnership, slug: str) -> Organisation:
    return Organisation.objects.get(partnership=partnership, slug=slug)


def _seat(
    panel: Panel, person: Person | None, role: str, actor: User, approver: User | None
) -> None:
    """Ask for a seat as ``actor`` and approve it as ``approver``: two people, as ever."""
    if person is None or approver is None:
        return
    if not PanelMembership.objects.filter(panel=panel, person=person).exists():
        seat = services.add_member(
            panel, person=person, role=role, actor=actor, start_date=date(2020, 4, 1)
        )
        services.approve_member(seat, actor=approver)


def _panel(partnership: Partnership, slug: str, **fields: object) -> Panel:
    panel, _ = Panel.objects.get_or_create(
        slug=slug, defaults={"partnership": partnership, **fields}
    )
    return panel


def load(partnership: Partnership) -> None:
    grace = User.objects.filter(username="panel.member").first()
    coordinator = User.objects.filter(username="coordinator").first()
    admin = User.objects.filter(username="administrator").first()
    if grace is None or coordinator is None:
        return
    today = timezone.localdate()
    orgs = {o.slug: o for o in Organisation.objects.filter(partnership=partnership)}
    with transaction.atomic():
        exploitation = _panel(
            partnership,
            "exploitation-gangs",
            name="Exploitation and Gangs Panel",
            type=PanelType.EXPLOITATION,
            schedule="Monthly, second Tuesday",
            legal_basis=EXPLOITATION_BASIS,
            isa_reference="EB-ISA-2021-07 (Exploitation and Missing Children)",
            retention_months=24,
            flags=list(DEFAULT_FLAGS[PanelType.EXPLOITATION]),
            population_key="bromley-10-17-2020",
        )
        exploitation.member_organisations.add(
            *[orgs[s] for s in ("yos", "police", "council", "education", "icb", "housing")]
        )
        # Seated by the partnership's coordinator: nobody seats themselves.
        _seat(
            exploitation,
            Person.objects.filter(user=grace).first(),
            PanelRole.COORDINATOR,
            coordinator,
            admin,
        )
        for name in ("Anita Rao", "Kevin Marsh"):
            _seat(
                exploitation, Person.objects.filter(full_name=name).first(), "member", grace, admin
            )
        _load_children(exploitation, orgs, grace, today)

        asb = _panel(
            partnership,
            "asb-risk",
            name="ASB Risk Panel (MARASB)",
            type=PanelType.ASB_RISK,
            schedule="Monthly, last Thursday",
            legal_basis=ASB_BASIS,
            isa_reference="EB-ISA-2019-02 (Community Safety)",
            retention_months=36,
            flags=list(DEFAULT_FLAGS[PanelType.ASB_RISK]),
            population_key="bromley-18plus-2020",
        )
        asb.member_organisations.add(*[orgs[s] for s in ("council", "police", "housing")])
        _seat(
            asb,
            Person.objects.filter(full_name="Kevin Marsh").first(),
            "coordinator",
            coordinator,
            admin,
        )
        _load_adults(asb, orgs, coordinator, today)
    for panel in (exploitation, asb):
        board.store_panel_observations(panel, today)


def _existing(panel: Panel) -> set[str]:
    return set(CaseIdentity.objects.filter(case__panel=panel).values_list("full_name", flat=True))


def _birthday(today: date, age: int, seed: int) -> date:
    return today - timedelta(days=age * 365 + 40 + (seed * 37) % 300)


def _load_children(panel: Panel, orgs: dict[str, Organisation], actor: User, today: date) -> None:
    existing = _existing(panel)
    sources = ["police", "council", "education", "yos", "icb"]
    leads = ["yos", "council", "yos", "council", "police"]
    for n, (first, last, age, ago, sex, ethnicity, flags, lik, imp, status) in enumerate(CHILDREN):
        name = f"{first} {last}"
        if name in existing:
            continue
        referred = today - timedelta(days=ago)
        case = services.refer_case(
            panel=panel,
            actor=actor,
            identity=services.Identity(
                name, _birthday(today, age, n), f"{10 + n} Example Street, Example Borough"
            ),
            referral_source=orgs[sources[n % len(sources)]],
            referral_date=referred,
            referral_reason="Concerns shared by the referring agency (fictional demo record).",
            flags=flags,
            lead_agency=orgs[leads[n % len(leads)]],
            ethnicity=ethnicity,
            sex=sex,
            youth_justice_ref=f"YJ-DEMO-{1000 + n}" if "gang" in flags else "",
        )
        services.assess_risk(
            case,
            likelihood=max(1, lik - 1),
            impact=imp,
            rationale="Initial assessment at referral (fictional).",
            agency=case.referral_source,
            actor=actor,
            assessed_on=referred,
        )
        if status == "referred":
            continue
        services.change_status(
            case,
            CaseStatus.OPEN,
            reason="Accepted at panel",
            actor=actor,
            effective_on=referred + timedelta(days=14),
        )
        left = referred + timedelta(days=200)
        ends = left if status in ("stepped_down", "closed") else today + timedelta(days=1)
        _review_history(case, orgs, actor, ends, today, (lik, imp), n)
        if status in ("stepped_down", "closed"):
            services.change_status(
                case,
                CaseStatus.STEPPED_DOWN if status == "stepped_down" else CaseStatus.CLOSED,
                reason="Risk reduced; support continues through the lead agency"
                if status == "stepped_down"
                else "Risk reduced and sustained for three months",
                actor=actor,
                effective_on=left,
            )


def _review_history(
    case: Case,
    orgs: dict[str, Organisation],
    actor: User,
    ends: date,
    today: date,
    scores: tuple[int, int],
    n: int,
) -> None:
    """Reviews at the panel's meetings while the case was open (before ``ends``)."""
    lik, imp = scores
    meetings = [today - timedelta(days=d) for d in MEETINGS_AGO]
    if case.status_changed_on < today - timedelta(days=300):  # older cases: earlier meetings
        meetings = [case.status_changed_on + timedelta(days=30), *meetings]
    meetings = [m for m in meetings if case.status_changed_on < m < ends]
    for i, meeting in enumerate(meetings):
        last = i == len(meetings) - 1
        review = services.record_review(
            case,
            meeting_date=meeting,
            summary="Discussed at the panel (fictional demo record).",
            contributions=[
                (orgs["police"], "Police shared intelligence on associates (fictional)."),
                (orgs["yos"], "YOS worker reported engagement with sessions (fictional)."),
            ],
            new_assessment=(lik, imp, "Reviewed at panel (fictional).", orgs["yos"])
            if last
            else None,
            actor=actor,
        )
        owner = "education" if n % 3 == 0 else "council" if n % 3 == 1 else "yos"
        action = services.add_action(
            case,
            description="Arrange a mentoring referral and a return-home interview."
            if i % 2 == 0
            else "Share school attendance with the panel before the next meeting.",
            owner_organisation=orgs[owner],
            due_date=meeting + timedelta(days=21),
            review=review,
            actor=actor,
        )
        if not last:
            services.complete_action(action, actor=actor)


def _load_adults(panel: Panel, orgs: dict[str, Organisation], actor: User, today: date) -> None:
    existing = _existing(panel)
    for n, (first, last, age, ago, sex, ethnicity, flags, lik, imp, ladder) in enumerate(ADULTS):
        name = f"{first} {last}"
        if name in existing:
            continue
        referred = today - timedelta(days=ago)
        case = services.refer_case(
            panel=panel,
            actor=actor,
            identity=services.Identity(
                name, _birthday(today, age, n), f"Flat {n + 1}, Sample House, Example Borough"
            ),
            referral_source=orgs["housing" if n % 2 else "police"],
            referral_date=referred,
            referral_reason="Repeated reports of anti-social behaviour (fictional demo record).",
            flags=flags,
            lead_agency=orgs["council"],
            ethnicity=ethnicity,
            sex=sex,
        )
        services.change_status(
            case,
            CaseStatus.OPEN,
            reason="Accepted at panel",
            actor=actor,
            effective_on=referred + timedelta(days=7),
        )
        services.assess_risk(
            case,
            likelihood=lik,
            impact=imp,
            rationale="Assessed with the ASB risk matrix (fictional).",
            agency=orgs["council"],
            actor=actor,
            assessed_on=referred + timedelta(days=7),
        )
        for kind, issued_ago, lasts, breaches in ladder:
            issued = today - timedelta(days=issued_ago)
            step = services.record_escalation(
                case,
                kind=kind,
                issued_on=issued,
                expires_on=issued + timedelta(days=lasts) if lasts else None,
                issued_by=orgs["police" if kind in ("cpw", "injunction") else "council"],
                notes="Fictional demo record.",
                actor=actor,
            )
            for breach_ago in breaches:
                services.record_breach(
                    step, occurred_on=today - timedelta(days=breach_ago), actor=actor
                )
