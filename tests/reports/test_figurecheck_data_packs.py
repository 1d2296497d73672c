"""The figure check on a meeting's packs: a minute's figures compared with the stored
observations, and an acceptance that applies to every pack of the meeting.

Packs are assembled and their findings stored as a build stores them, without laying
out the PDF (the build's rendering is tested elsewhere; this keeps the test fast).
"""

from __future__ import annotations

from django.urls import reverse

from saferboard.core.models import AuditEvent
from saferboard.meetings import services as meetings
from saferboard.reports import services
from saferboard.reports.acknowledgements import ACCEPT_ACTION
from saferboard.reports.assemble import assemble
from saferboard.reports.models import FigureAcknowledgement, Pack, PackStatus

# The stored burglary figures (tests/reports/conftest.py): 1,280 in the rolling year
# to January 2026 against 1,451, a change of (1280 - 1451) / 1451 = -11.8%.
WRONG = "Burglary fell by 40% to 150 offences."
RIGHT = "Burglary fell by 12% to 1,280 offences."


def built(meeting, audience: str, user) -> Pack:  # type: ignore[no-untyped-def]
    """A pack version with its findings stored as a build stores them."""
    pack = services.new_pack(meeting, audience, user)
    content = assemble(meeting, public=audience == "public", user=user)
    services._store_issues(pack, content.issues)
    Pack.objects.filter(pk=pack.pk).update(status=PackStatus.DRAFT)
    pack.refresh_from_db()
    return pack


def test_acceptance_applies_to_every_pack_of_the_meeting(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    coordinator, meeting = pack_setting["coordinator"], pack_setting["meeting"]
    minute = meetings.add_minute(
        pack_setting["last"], title="Police update", text=f"{WRONG} {RIGHT}"
    )

    restricted = built(meeting, "restricted", coordinator)
    data_findings = {i.detail["text_figure"]: i for i in restricted.issues.all() if i.detail}
    # The wrong sentence gives two findings (the change and the count); the right one none.
    assert set(data_findings) == {"-40%", "150"}
    assert data_findings["-40%"].detail["stored_figure"] == "a fall of 12%"
    assert data_findings["150"].detail["stored_figure"] == "1,280"
    assert data_findings["150"].detail["source"].startswith("police.uk Testshire 2026-01")

    public = built(meeting, "public", coordinator)
    assert {i.key for i in public.issues.all() if i.detail} == {
        i.key for i in data_findings.values()
    }

    client.force_login(coordinator)
    page = client.get(reverse("reports:check", args=[restricted.pk])).content.decode()
    assert "The stored figure" in page and "1,280" in page and "150" in page
    # "Correct at source": the page where the minute's text is edited.
    fix = reverse("meetings:minute-edit", args=[pack_setting["last"].pk, minute.label])
    assert data_findings["150"].edit_url == fix and f'href="{fix}"' in page

    finding = data_findings["150"]
    client.post(
        reverse("reports:acknowledge", args=[finding.pk]),
        {"reason": "The update quotes the force's own quarterly figure."},
    )
    accepted = FigureAcknowledgement.objects.get(meeting=meeting, key=finding.key)
    assert accepted.acknowledged_by == coordinator
    assert AuditEvent.objects.filter(action=ACCEPT_ACTION, object_id=str(accepted.pk)).exists()

    # Accepted on the restricted pack: resolved on the public pack too…
    assert finding.key not in set(public.open_issues().values_list("key", flat=True))
    assert "-40%" in {i.detail.get("text_figure") for i in public.open_issues()}
    # …and on a rebuild of either.
    for audience in ("restricted", "public"):
        again = built(meeting, audience, coordinator)
        assert again.version == 2
        assert finding.key in set(again.issues.values_list("key", flat=True))
        assert finding.key not in set(again.open_issues().values_list("key", flat=True))
        page = client.get(reverse("reports:check", args=[again.pk])).content.decode()
        assert "Accepted for the meeting" in page and "quarterly figure" in page


def test_a_measures_synonyms_are_edited_on_its_page_and_name_it(db, make_user) -> None:  # type: ignore[no-untyped-def]
    from saferboard.core.models import Role
    from saferboard.measures.editing import save_measure
    from saferboard.measures.forms import MeasureForm
    from saferboard.measures.models import Measure
    from saferboard.reports.figuredata import measure_names, synonyms_of

    admin = make_user(Role.ADMINISTRATOR)
    knife = Measure.objects.create(
        slug="knife-crime",
        source_kind="mps",
        label="Knife crime",
        definition={"dashboard": [["Knife Crime", "Knife Crime", "Offences"]]},
    )
    # Blank: the defaults for its identifier.
    assert "knife offences" in synonyms_of(knife)
    form = MeasureForm(measure=knife)
    data = {**form.initial, "synonyms": " blades \n\nknife-enabled offences ", "green": "0"}
    data.update(amber="10", rule=data["rule"] if data["rule"] != "none" else "none")
    form = MeasureForm(data, measure=knife)
    assert form.is_valid(), form.errors
    save_measure("mps", form.change(), measure=knife, actor=admin)
    knife.refresh_from_db()
    assert knife.synonyms == "blades\nknife-enabled offences"
    assert synonyms_of(knife) == ("blades", "knife-enabled offences")  # replaces the defaults
    # A name two measures share belongs to the chosen crime source's, else to neither.
    other = Measure.objects.create(slug="knife-crime", source_kind="police-uk", label="Knife crime")
    names = {n.ident: n.terms for n in measure_names([knife, other], preferred_source="mps")}
    assert "knife crime" in names[str(knife.pk)]
    assert "knife crime" not in names[str(other.pk)]  # it keeps its own other names
    names = {n.ident: n.terms for n in measure_names([knife, other], preferred_source=None)}
    assert "knife crime" not in names[str(knife.pk)] and "blades" in names[str(knife.pk)]
