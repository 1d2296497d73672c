"""Setting the strategy up: the services by hand on small cases, and the settings pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from saferboard.core.models import AuditAction, AuditEvent, Role
from saferboard.measures.models import Measure
from saferboard.strategy import setup
from saferboard.strategy.models import Commitment, Contribution, Priority, SuccessIndicator
from saferboard.strategy.services import expected_returns
from tests.factories import PartnershipFactory, make_user


def who(world) -> setup.Who:  # type: ignore[no-untyped-def]
    return setup.Who(actor=world.coordinator)


def changes_of(event: AuditEvent) -> tuple[dict, dict]:
    return event.detail["before"], event.detail["after"]


# Services ---------------------------------------------------------------------------------------


def test_strategy_created_and_renamed_with_before_and_after(db) -> None:  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    admin = make_user(Role.ADMINISTRATOR)
    strategy = setup.save_strategy(
        partnership,
        title="Strategy 2024 to 2027",
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
        who=setup.Who(actor=admin),
    )
    setup.save_strategy(
        partnership,
        title="Strategy 2024 to 2028",
        start_date=date(2024, 4, 1),
        end_date=date(2028, 3, 31),
        strategy=strategy,
        who=setup.Who(actor=admin),
    )
    events = AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).order_by("pk")
    assert events.count() == 2
    before, after = changes_of(events.last())
    assert before == {"title": "Strategy 2024 to 2027", "end_date": "2027-03-31"}
    assert after == {"title": "Strategy 2024 to 2028", "end_date": "2028-03-31"}
    assert events.last().actor == admin
    with pytest.raises(setup.SetupRefused):
        setup.save_strategy(
            partnership,
            title="Backwards",
            start_date=date(2024, 4, 1),
            end_date=date(2023, 3, 31),
            who=setup.Who(actor=admin),
        )


def test_priority_numbers_tackle_lines_and_reordering(world) -> None:  # type: ignore[no-untyped-def]
    second = setup.save_priority(
        world.strategy,
        setup.PriorityChanges(
            title="Violence against women and girls",
            ambition="Everyone safe at home",
            tackle=["Domestic abuse", " ", "Sexual violence"],
            leads=[world.council],
            substantive_quarter=2,
        ),
        who=who(world),
    )
    assert second.number == 2  # the next free number
    assert [s.title for s in second.sub_priorities.all()] == ["Domestic abuse", "Sexual violence"]
    setup.save_priority(
        world.strategy,
        setup.PriorityChanges(title=second.title, tackle=["Sexual violence", "Stalking"]),
        priority=second,
        who=who(world),
    )
    assert [s.title for s in second.sub_priorities.all()] == ["Sexual violence", "Stalking"]
    with pytest.raises(setup.SetupRefused, match="Priority 1 already exists"):
        setup.save_priority(
            world.strategy, setup.PriorityChanges(title="Clash", number=1), who=who(world)
        )
    setup.move_priority(second, up=True, who=who(world))
    numbers = dict(Priority.objects.values_list("title", "number"))
    assert numbers == {"Violence against women and girls": 1, "Safer places": 2}
    # Moving the first up changes nothing.
    setup.move_priority(Priority.objects.get(number=1), up=True, who=who(world))
    assert Priority.objects.get(number=1).title == "Violence against women and girls"


def test_contributions_follow_contributors_and_keep_history(world) -> None:  # type: ignore[no-untyped-def]
    commitment = setup.save_commitment(
        world.priority,
        setup.CommitmentChanges(
            title="Joint operations", lead_organisation=world.police, contributors=[world.police]
        ),
        who=who(world),
    )
    assert commitment.number == 3 and commitment.display_number == "1.3"
    police = Contribution.objects.get(commitment=commitment, organisation=world.police)
    police.rag_status = "green"
    police.save()
    setup.save_commitment(
        world.priority,
        setup.CommitmentChanges(title="Joint operations", contributors=[world.council]),
        commitment=commitment,
        who=who(world),
        on=date(2021, 6, 30),
    )
    police.refresh_from_db()
    # Ended, not deleted: its rating is still there for the reports.
    assert (police.ended_on, police.rag_status) == (date(2021, 6, 30), "green")
    assert (
        Contribution.objects.get(commitment=commitment, organisation=world.council).ended_on is None
    )
    setup.save_commitment(
        world.priority,
        setup.CommitmentChanges(
            title="Joint operations", contributors=[world.council, world.police]
        ),
        commitment=commitment,
        who=who(world),
    )
    police.refresh_from_db()
    assert police.ended_on is None
    event = AuditEvent.objects.filter(object_type="strategy.Commitment").order_by("pk").last()
    assert changes_of(event) == (
        {"contributors": ["Council"]},
        {"contributors": ["Council", "Police"]},
    )


def test_sub_commitments_are_numbered_under_their_commitment(world) -> None:  # type: ignore[no-untyped-def]
    first = setup.save_commitment(
        world.priority,
        setup.CommitmentChanges(title="Monthly panel", contributors=[world.police]),
        parent=world.commitment,
        who=who(world),
    )
    second = setup.save_commitment(
        world.priority,
        setup.CommitmentChanges(title="Impact days"),
        parent=world.commitment,
        who=who(world),
    )
    assert (first.display_number, second.display_number) == ("1.1.1", "1.1.2")
    with pytest.raises(setup.SetupRefused, match="cannot have sub-commitments"):
        setup.save_commitment(
            world.priority, setup.CommitmentChanges(title="Too deep"), parent=first, who=who(world)
        )
    with pytest.raises(setup.SetupRefused, match=r"1\.1\.1 already exists"):
        setup.save_commitment(
            world.priority,
            setup.CommitmentChanges(title="Clash", number=1),
            parent=world.commitment,
            who=who(world),
        )
    # Sub-commitments are lines of their commitment, never returns of their own.
    round = world.open(notify=False)
    assert {c.title for c, _ in expected_returns(round)} == {"Tackle ASB", "Support victims"}


def test_retired_commitments_and_priorities_drop_out_of_new_rounds(world) -> None:  # type: ignore[no-untyped-def]
    setup.retire_commitment(world.other_commitment, on=date(2021, 1, 1), who=who(world))
    round = world.open(notify=False)  # Q1 2021-22 starts after the retirement
    assert {c.title for c, _ in expected_returns(round)} == {"Tackle ASB"}
    assert world.other_commitment.updates.count() == 0
    setup.retire_priority(world.priority, on=date(2021, 1, 1), who=who(world))
    end_of_year = world.open(fy=2021, quarter=4, is_end_of_year=True, substantive=[])
    assert end_of_year.updates.count() == 0
    assert Priority.objects.filter(pk=world.priority.pk).exists()


def test_indicator_saved_and_retired(world) -> None:  # type: ignore[no-untyped-def]
    measure = Measure.objects.create(slug="burglary", source_kind="manual", label="Burglary")
    line = setup.save_indicator(
        world.commitment, text="Fewer burglaries", measure=measure, who=who(world)
    )
    other = setup.save_indicator(world.commitment, text="Residents feel safe", who=who(world))
    assert (line.order, other.order) == (1, 2)
    setup.retire_indicator(other, on=date(2022, 1, 1), who=who(world))
    assert SuccessIndicator.objects.get(pk=other.pk).retired_on == date(2022, 1, 1)


# Pages ------------------------------------------------------------------------------------------


def test_partner_leads_and_board_members_get_403(client, world) -> None:  # type: ignore[no-untyped-def]
    for user in (world.police_lead, world.board_member):
        client.force_login(user)
        for url in (
            reverse("strategy:settings"),
            reverse("strategy:settings-strategy"),
            reverse("strategy:settings-priority", args=[world.priority.pk]),
            reverse("strategy:settings-commitment", args=[world.commitment.pk]),
        ):
            assert client.get(url).status_code == 403, url
        response = client.post(
            reverse("strategy:settings-priority-move", args=[world.priority.pk]),
            {"direction": "up"},
        )
        assert response.status_code == 403


def test_coordinator_sets_up_priority_commitment_sub_commitment_and_line(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.coordinator)
    page = client.get(reverse("strategy:settings"))
    assert page.status_code == 200 and "Priority 1: Safer places" in page.content.decode()
    response = client.post(
        reverse("strategy:settings-priority-new"),
        {
            "number": "2",
            "title": "Keeping young people safe",
            "ambition": "Fewer first-time entrants",
            "aim": "",
            "tackle": "Knife crime\nExploitation",
            "leads": [world.police.pk],
            "substantive_quarter": "3",
        },
    )
    assert response.status_code == 302
    priority = Priority.objects.get(number=2)
    assert priority.substantive_quarter == 3
    response = client.post(
        reverse("strategy:settings-commitment-new", args=[priority.pk]),
        {"number": "", "title": "Disrupt gangs", "contributors": [world.police.pk]},
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get(priority=priority, parent__isnull=True)
    response = client.post(
        reverse("strategy:settings-commitment-new", args=[priority.pk])
        + f"?parent={commitment.pk}",
        {"number": "", "title": "Weapons sweeps", "contributors": [world.police.pk]},
    )
    assert response.status_code == 302
    child = commitment.children.get()
    assert child.display_number == "2.1.1"
    measure = Measure.objects.create(slug="knife", source_kind="manual", label="Knife crime")
    response = client.post(
        reverse("strategy:settings-indicator-new", args=[commitment.pk]),
        {"text": "Less knife crime", "measure": measure.pk},
    )
    assert response.status_code == 302
    assert commitment.indicators.get().measure == measure
    page = client.get(reverse("strategy:settings-commitment", args=[commitment.pk])).content
    assert b"2.1.1 Weapons sweeps" in page and b"Less knife crime" in page
    overview = client.get(reverse("strategy:settings")).content.decode()
    assert "2.1.1 Weapons sweeps" in overview


def test_administrator_creates_the_strategy_and_sees_form_errors(client, db) -> None:  # type: ignore[no-untyped-def]
    PartnershipFactory()
    client.force_login(make_user(Role.ADMINISTRATOR))
    page = client.get(reverse("strategy:settings"))
    assert b"Set up the strategy" in page.content
    # Priorities need a strategy first: the page says so and links to it, no error.
    missing = client.get(reverse("strategy:settings-priority-new"))
    assert missing.status_code == 200
    assert reverse("strategy:settings-strategy").encode() in missing.content
    bad = client.post(
        reverse("strategy:settings-strategy"),
        {"title": "", "start_date": "1/4/2024", "end_date": "31/3/2020"},
    )
    assert bad.status_code == 200
    assert b"Enter the name of the strategy" in bad.content
    assert b"The end date must be on or after the start date" in bad.content
    good = client.post(
        reverse("strategy:settings-strategy"),
        {
            "title": "Strategy 2024 to 2027",
            "start_date": "1/4/2024",
            "end_date": "31/3/2027",
            "improvements_accepted_by": "coordinator",
        },
    )
    assert good.status_code == 302


def test_retire_page_and_reinstate(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.coordinator)
    url = reverse("strategy:settings-commitment-retire", args=[world.other_commitment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"retired_on": "1/1/2021"}).status_code == 302
    world.other_commitment.refresh_from_db()
    assert world.other_commitment.retired_on == date(2021, 1, 1)
    assert client.post(url, {"reinstate": "1"}).status_code == 302
    world.other_commitment.refresh_from_db()
    assert world.other_commitment.retired_on is None


def test_settings_page_titles_start_with_their_headings(client, world) -> None:  # type: ignore[no-untyped-def]
    import re

    client.force_login(world.coordinator)
    line = setup.save_indicator(world.commitment, text="Fewer calls", who=who(world))
    urls = [
        reverse("strategy:settings"),
        reverse("strategy:settings-strategy"),
        reverse("strategy:settings-priority-new"),
        reverse("strategy:settings-priority", args=[world.priority.pk]),
        reverse("strategy:settings-priority-retire", args=[world.priority.pk]),
        reverse("strategy:settings-commitment-new", args=[world.priority.pk]),
        reverse("strategy:settings-commitment", args=[world.commitment.pk]),
        reverse("strategy:settings-commitment-retire", args=[world.commitment.pk]),
        reverse("strategy:settings-indicator-new", args=[world.commitment.pk]),
        reverse("strategy:settings-indicator", args=[line.pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        title = re.search(r"<title>\s*(.*?)\s*</title>", html, re.S).group(1)
        h1 = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
        assert title.startswith(h1.strip()), (url, title, h1)


def test_commitments_and_sub_commitments_move_up_and_down(client, world) -> None:  # type: ignore[no-untyped-def]
    first = setup.save_commitment(
        world.priority,
        setup.CommitmentChanges(title="First line"),
        parent=world.commitment,
        who=who(world),
    )
    second = setup.save_commitment(
        world.priority,
        setup.CommitmentChanges(title="Second line"),
        parent=world.commitment,
        who=who(world),
    )
    setup.move_commitment(second, up=True, who=who(world))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.display_number, second.display_number) == ("1.1.2", "1.1.1")
    client.force_login(world.coordinator)
    url = reverse("strategy:settings-commitment-move", args=[world.commitment.pk])
    assert client.post(url, {"direction": "down"}).status_code == 302
    world.commitment.refresh_from_db()
    world.other_commitment.refresh_from_db()
    assert (world.commitment.number, world.other_commitment.number) == (2, 1)
    # The sub-commitments stay with their commitment, now numbered under 1.2.
    assert sorted(c.display_number for c in world.commitment.children.all()) == ["1.2.1", "1.2.2"]
    client.force_login(world.police_lead)
    assert client.post(url, {"direction": "up"}).status_code == 403
