"""Small counts of people in a public pack's prose are flagged, never rewritten
(issue 20): the rule's edge cases by hand, and the warning on a built public pack."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saferboard.core.models import Role
from saferboard.meetings import services as meetings
from saferboard.reports.figurecheck import Narrative
from saferboard.reports.models import FigureAcknowledgement
from saferboard.reports.prose_disclosure import (
    DISCLOSURE,
    is_disclosure,
    prose_warnings,
    small_counts_in,
)
from tests.reports.test_figurecheck_data_packs import built


def flagged(text: str) -> list[tuple[int, str]]:
    return [(c.count, c.noun) for c in small_counts_in(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 children were remanded.", [(2, "children")]),
        ("Two young people were arrested.", [(2, "young people")]),
        ("One of the men was charged.", [(1, "men")]),
        ("Someone saw 2 more young people.", [(2, "young people")]),
        ("2 of 40 children were excluded.", [(2, "children")]),  # a count of 2
        ("In 2024 4 victims came forward.", [(4, "victims")]),  # the year is not one
        ("At 2pm 3 offenders attended.", [(3, "offenders")]),  # the time is not one
        ("2-3 children.", [(3, "children")]),
        ("4 women and 1 man.", [(4, "women")]),  # one warning a sentence
        ("A victim was seen. 3 victims were seen.", [(3, "victims")]),
    ],
)
def test_small_counts_of_people_are_found(text: str, expected: list[tuple[int, str]]) -> None:
    assert flagged(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2026 the board met 40 residents.",  # a date; 40 is not small
        "March 3 young people attended.",  # a date before the number
        "1 in 4 young people reported it.",  # a proportion
        "One in four children.",
        "3 out of 10 children.",
        "The 2nd child was seen; the 3rd boy too.",  # ordinals
        "£2 million for children's services.",  # money
        "4% of children.",  # a percentage
        "2.5 children per family.",  # a decimal
        "1,234 victims.",  # a longer number
        "Priority 2: children and young people.",  # labels
        "Year 4 children visited.",
        "Tier 2 offenders.",
        "Services for children aged 4 and under.",
        "4 children's centres closed.",  # a possessive
        "2 schools and 40 children.",  # the noun is past a break
        "The 4 wards with most victims.",
        "No one was hurt; one-to-one support for victims.",  # a pronoun, a compound
        "Knife crime fell by 3 percentage points among young people.",
        "Two-thirds of children.",
        "5 children were remanded, and 0 girls.",  # 5 and 0 are not small
    ],
)
def test_what_is_not_a_small_count_of_people(text: str) -> None:
    assert flagged(text) == []


def test_a_warning_keeps_the_sentence_as_written_and_points_to_its_source() -> None:
    narrative = Narrative(
        "Item 4: Youth justice update",
        "The service had a good quarter. 2 children were remanded in October.",
        link="#item-4",
        edit_url="/updates/7/correct/",
    )
    (issue,) = prose_warnings([narrative])
    assert issue.found == "2 children were remanded in October."
    assert issue.severity == "warning" and is_disclosure(issue)
    assert issue.detail == {"kind": DISCLOSURE, "count": 2, "phrase": "2 children"}
    assert issue.edit_url == "/updates/7/correct/" and issue.link == "#item-4"
    assert "count of 2 (2 children)" in issue.message
    assert "fewer than 5 children" in issue.suggestion


def test_the_public_pack_flags_the_sentence_and_the_coordinator_decides(
    client, pack_setting, make_user
) -> None:  # type: ignore[no-untyped-def]
    meeting, coordinator = pack_setting["meeting"], pack_setting["coordinator"]
    text = "Custody update. 2 children were remanded in February."
    meetings.add_minute(pack_setting["last"], title="Youth custody", text=text)

    public = built(meeting, "public", coordinator)
    restricted = built(meeting, "restricted", coordinator)
    (warning,) = [i for i in public.issues.all() if is_disclosure(i)]
    assert warning.found == "2 children were remanded in February."
    # The restricted pack has no disclosure control, so no warning.
    assert not [i for i in restricted.issues.all() if is_disclosure(i)]

    # An analyst sees it and cannot accept it: a coordinator decides.
    analyst = make_user(Role.ANALYST, username="analyst")
    client.force_login(analyst)
    page = client.get(reverse("reports:check", args=[public.pk])).content.decode()
    assert "2 children were remanded in February." in page and "Small number" in page
    assert "A coordinator decides whether this may be published" in page
    response = client.post(
        reverse("reports:acknowledge", args=[warning.pk]), {"reason": "Already public."}
    )
    assert response.status_code == 403

    client.force_login(coordinator)
    client.post(
        reverse("reports:acknowledge", args=[warning.pk]),
        {"reason": "Published in the YJB's own statistics."},
    )
    assert FigureAcknowledgement.objects.filter(meeting=meeting, key=warning.key).exists()
    assert warning.key not in set(public.open_issues().values_list("key", flat=True))
    # The text is printed as written: nothing was rewritten.
    assert text in pack_setting["last"].minute_items.get(title="Youth custody").text
