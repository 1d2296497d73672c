"""The pack numbers items and minutes as the meetings app does: sub-items 2a, lettered
minutes 37a (issue 20), in headings, anchors and the figure check's locations."""

from __future__ import annotations

from saferboard.meetings import services as meetings
from saferboard.reports.assemble import assemble


def test_sub_items_and_lettered_minutes_keep_their_numbers(pack_setting) -> None:  # type: ignore[no-untyped-def]
    last, meeting = pack_setting["last"], pack_setting["meeting"]
    # The last meeting's minutes are 36 and 37; a lettered minute follows 37.
    lettered = meetings.add_minute(
        last, title="Remands", text="Two children on remand.", suffix="a"
    )
    assert lettered.label == "37a"
    crime = meeting.agenda_items.get(title="Crime performance dashboard")
    sub = meetings.add_agenda_item(
        meeting, title="Knife crime deep dive", kind="crime_dashboard", parent=crime
    )
    minutes_item = meetings.add_agenda_item(meeting, title="Minutes of the last meeting")

    pack = assemble(meeting, public=False)
    entries = {e.title: e for e in pack.entries}
    assert entries["Knife crime deep dive"].number == sub.number == f"{crime.number}a"
    assert entries["Knife crime deep dive"].anchor == f"item-{sub.number}"
    # The section's own chart and narratives name the sub-item, not its position.
    section = entries["Knife crime deep dive"].section
    assert section is not None and section.available
    assert all(n.location.startswith(f"Item {sub.number}:") for n in section.narratives)
    assert all(n.link == f"#item-{sub.number}" for n in section.narratives)

    minutes = entries["Minutes of the last meeting"].section
    assert minutes is not None and minutes.available
    headings = [b.text for b in minutes.blocks if type(b).__name__ == "Heading"]
    assert headings[-1] == "37a. Remands"
    assert [h.split(".")[0] for h in headings] == ["36", "37", "37a"]
    assert minutes_item.number == str(entries["Minutes of the last meeting"].number)
