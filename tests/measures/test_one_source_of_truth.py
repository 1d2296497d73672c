"""Issue 19: every figure has one source of truth, proved by walking every rendering.

For every measure with data for the demo partnership's borough, each place a figure is
shown (the measure's page, ``saferboard measure observations --json``, the API, the
board pack's tables, and for crime and youth justice their own page and their own CLI
JSON) names a period; the value and rating it shows must be those of the stored
observation of that measure, area and period. Then a rule change: nothing moves until
someone re-rates, and then everything moves together, the history keeping both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.template.defaultfilters import floatformat
from django.test import Client

from saferboard.core.models import Partnership, User
from saferboard.core.periods import Period
from saferboard.core.rag import rag_history
from saferboard.measures.models import Measure, Observation, RagRuleVersion, RuleKind
from saferboard.measures.rating import rerate

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Shown:
    """One figure as a rendering shows it."""

    where: str
    obs: Observation  # the stored observation of the measure, area and period shown
    value: float | None
    status: str  # '' when shown as not rated
    rule: str | None = None  # None where the rendering does not name the rule
    places: int | None = None  # decimal places shown, where the rendering rounds


def _cli(*args: str) -> Any:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def _number(text: str) -> tuple[float | None, int]:
    """The leading number of a formatted cell ('1,280', '12.5% (3 of 24)', '176.00') and
    how many decimal places it shows."""
    found = re.match(r"-?[\d,]+(\.(\d+))?", text.strip())
    if not found:
        return None, 0
    return float(found[0].replace(",", "")), len(found[2] or "")


class _Tables(HTMLParser):
    """Each table's rows as lists of cell texts, by caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: list[str] = []
        self._in_caption = False
        self._rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows, self._caption = [], []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None and self._rows:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "table":
            caption = " ".join("".join(self._caption).split()) or f"table {len(self.tables)}"
            self.tables[caption] = [r for r in self._rows if r]

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_caption:
            self._caption.append(data)


def _tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _stored(measure: Measure, area_id: int, start: Any, end: Any) -> Observation:
    return Observation.objects.get(
        measure=measure, area_id=area_id, period_start=start, period_end=end
    )


def _label(obs: Observation) -> str:
    try:
        return Period(obs.period_start, obs.period_end).label
    except (TypeError, ValueError):
        return f"{obs.period_start:%b %Y} to {obs.period_end:%b %Y}"


def _status_of_label(label: str) -> str:
    """'Amber/Green' → 'amber' (the first status), 'Not rated' → ''."""
    label = label.strip()
    return "" if not label or label.startswith("Not rated") else label.split("/")[0].lower()


# The renderings ---------------------------------------------------------------------------


def measure_pages(client: Client, measure: Measure, area: Any) -> Iterator[Shown]:
    html = client.get(f"/measures/{measure.source_kind}/{measure.slug}/").content.decode()
    rows = _tables(html)["Latest observations"][1:]
    for obs in measure.observations.filter(area=area):
        period = f"{obs.period_start:%b %Y} to {obs.period_end:%b %Y}"
        row = next(r for r in rows if r[0] == area.name and r[1].startswith(period))
        # Django's own floatformat, as the template writes the value.
        assert row[2] == ("Not available" if obs.value is None else floatformat(obs.value, "-2"))
        rule = re.search(r"Rule (\S+@\d+)", row[3])
        # The RAG cell starts with the tag's text ('Amber', 'Not rated').
        tag = re.match(r"(Not rated|Red|Amber|Green|Blue)(/\w+)?", row[3])
        assert tag, row[3]
        yield Shown(
            "measure page", obs, obs.value, _status_of_label(tag[0]), rule[1] if rule else ""
        )


def measure_cli(measure: Measure, area: Any) -> Iterator[Shown]:
    rows = _cli(
        "measure", "observations", measure.slug, "--source", measure.source_kind,
        "--area", area.code, "--json",
    )  # fmt: skip
    for row in rows:
        obs = _stored(measure, area.pk, row["period_start"], row["period_end"])
        yield Shown("measure CLI", obs, row["value"], row["rag"] or "", row["rule"] or "")


def api(client: Client, key: str, measure: Measure, area: Any) -> Iterator[Shown]:
    items = client.get(
        "/api/observations",
        {"measure": measure.slug, "source": measure.source_kind, "area": area.code},
        headers={"Authorization": f"Bearer {key}"},
    ).json()["items"]
    for item in items:
        obs = _stored(measure, area.pk, item["period_start"], item["period_end"])
        rag = item["rag"] or {}
        yield Shown("API", obs, item["value"], rag.get("status") or "", rag.get("rule") or "")


def pack_tables(meeting: Any, area: Any) -> Iterator[Shown]:
    from saferboard.reports.assemble import assemble

    pack = assemble(meeting, public=False)
    for entry in pack.entries:
        if entry.kind not in {"crime_dashboard", "youth_justice"} or entry.section is None:
            continue
        assert entry.section.available, entry.section.note
        for block in entry.section.blocks:
            table = getattr(block, "table", None)
            # The tables of rated figures (a RAG cell last); the sections also print
            # tables without ratings (published beside local figures, the 2023 KPIs).
            if table is None or not table.rows or not hasattr(table.rows[0][-1], "status"):
                continue
            for row in table.rows:
                # Labels repeat across sources (police.uk and the Met both count
                # burglary): the figure is the one of that label and period here.
                label = row[0].removesuffix(" (provisional)")
                found = [
                    o
                    for o in Observation.objects.filter(area=area, measure__label=label)
                    if _label(o) == row[1]
                ]
                assert len(found) == 1, (row[:2], len(found))
                obs = found[0]
                value, places = _number(row[2])
                yield Shown(f"pack {entry.kind}", obs, value, row[-1].status, places=places)


def crime_page_and_cli(client: Client, area: Any, obs: Observation) -> Iterator[Shown]:
    month = f"{obs.period_end:%Y-%m}"
    source = obs.measure.source_kind
    board = client.get("/crime/", {"area": area.code, "to": month, "source": source}).context[
        "board"
    ]
    shown = {r.measure: r for r in board.measures}[obs.measure.slug]
    yield Shown(
        "crime page", obs, shown.current, shown.rag if shown.rag != "none" else "", shown.rule
    )
    document = _cli(
        "crime", "dashboard", "--area", area.code, "--to", month, "--source", source, "--json"
    )
    row = {m["measure"]: m for m in document["measures"]}[obs.measure.slug]
    yield Shown(
        "crime CLI",
        obs,
        row["current"],
        row["rag"] if row["rag"] != "none" else "",
        row["rule"] or "",
    )


def youth_justice_page_and_cli(client: Client, area: Any) -> Iterator[Shown]:
    from saferboard.youthjustice.models import Service

    service = Service.objects.get(area=area)
    report = client.get("/youth-justice/", {"service": service.name, "cohort": "3m"}).context[
        "report"
    ]
    for row in report.headline:
        if row.observation is None:
            continue
        rag = row.rag
        yield Shown("youth justice page", row.observation, row.observation.value,
                    rag.status if rag else "", row.rule)  # fmt: skip
        period = report.headline_period
        document = _cli(
            "yj", "kpis", "--service", service.name, "--from", period.start.isoformat(),
            "--to", period.end.isoformat(), "--cohort", "3m", "--json",
        )  # fmt: skip
        rating = document["ratings"].get(row.observation.measure.slug)
        if rating is not None:
            yield Shown("youth justice CLI", row.observation, rating["value"],
                        rating["rag_status"] or "", rating["rule"] or "")  # fmt: skip


def _check(shown: Shown) -> None:
    obs = shown.obs
    where = f"{shown.where}: {obs.measure.source_kind}/{obs.measure.slug} {_label(obs)}"
    if obs.value is None:
        assert shown.value is None, where
    else:
        expected = obs.value if shown.places is None else round(obs.value, shown.places)
        assert shown.value == pytest.approx(expected, abs=1e-9), where
    assert shown.status == obs.rag_status, where
    if shown.rule is not None:
        assert shown.rule == (obs.rag_rule or ""), where


# The tests -----------------------------------------------------------------------------------


@pytest.fixture
def walk(demo, client):  # type: ignore[no-untyped-def]
    from saferboard.api.tokens import create_token
    from saferboard.meetings import services as meetings
    from saferboard.meetings.models import Meeting, MeetingStatus

    partnership = Partnership.objects.get()
    area = partnership.local_authority
    admin = User.objects.get(username="administrator")
    client.force_login(admin)
    key = create_token(
        admin, scope="read", name="agreement", organisation=admin.person.organisation
    ).key
    meeting = Meeting.objects.filter(board__kind="partnership").latest("date")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.PLANNED)
    meeting.refresh_from_db()
    meetings.add_agenda_item(meeting, title="Crime performance", kind="crime_dashboard")
    meetings.add_agenda_item(meeting, title="Youth justice performance", kind="youth_justice")
    return {"area": area, "client": client, "key": key, "meeting": meeting}


def everything(walk: dict[str, Any]) -> list[Shown]:
    area, client = walk["area"], walk["client"]
    shown: list[Shown] = []
    with_data = Measure.objects.filter(observations__area=area).distinct()
    assert with_data.count() >= 20
    for measure in with_data:
        shown += measure_pages(client, measure, area)
        shown += measure_cli(measure, area)
        shown += api(client, walk["key"], measure, area)
    in_pack = list(pack_tables(walk["meeting"], area))
    shown += in_pack
    for item in in_pack:
        if item.where == "pack crime_dashboard":
            shown += crime_page_and_cli(client, area, item.obs)
    shown += youth_justice_page_and_cli(client, area)
    return shown


@pytest.mark.once
def test_every_rendering_of_every_measure_shows_the_stored_figure_and_rating(walk) -> None:  # type: ignore[no-untyped-def]
    shown = everything(walk)
    for item in shown:
        _check(item)
    places = {s.where for s in shown}
    assert places >= {
        "measure page", "measure CLI", "API", "pack crime_dashboard", "pack youth_justice",
        "crime page", "crime CLI", "youth justice page", "youth justice CLI",
    }  # fmt: skip
    # Every measure with data is in at least its page, the CLI and the API.
    area = walk["area"]
    for measure in Measure.objects.filter(observations__area=area).distinct():
        assert {s.where for s in shown if s.obs.measure_id == measure.pk} >= {
            "measure page",
            "measure CLI",
            "API",
        }, measure.slug
    # Rated figures are there to compare (crime and youth justice are rated by rule).
    assert sum(1 for s in shown if s.status) > 50


def test_a_rule_change_shows_everywhere_only_after_a_rerate(walk) -> None:  # type: ignore[no-untyped-def]
    area = walk["area"]
    shown = [s for s in pack_tables(walk["meeting"], area) if s.where == "pack crime_dashboard"]
    # A crime figure that rose: a new version tolerating any rise turns it Green.
    risen = next(s.obs for s in shown if s.status in {"red", "amber"})
    measure = risen.measure
    old_rule, old_status = risen.rag_rule, risen.rag_status
    rule = measure.rag_rule
    current = rule.current_version()
    RagRuleVersion.objects.create(
        rule=rule,
        version=current.version + 1,
        kind=RuleKind.LOWER_IS_BETTER,
        green_max_pct=Decimal(900),
        amber_max_pct=Decimal(950),
    )
    new_rule = f"{rule.slug}@{current.version + 1}"

    def renderings() -> list[Shown]:
        client = walk["client"]
        return [
            *(s for s in pack_tables(walk["meeting"], area) if s.obs.pk == risen.pk),
            *(s for s in measure_pages(client, measure, area) if s.obs.pk == risen.pk),
            *(s for s in measure_cli(measure, area) if s.obs.pk == risen.pk),
            *(s for s in api(client, walk["key"], measure, area) if s.obs.pk == risen.pk),
            *crime_page_and_cli(client, area, risen),
        ]

    before = renderings()
    assert len({s.where for s in before}) == 6  # pack, measure page, two CLIs, API, crime page
    for item in before:  # the pack rebuilt, the pages and CLIs read again: unchanged
        assert (item.status, item.rule in {None, old_rule}) == (old_status, True), item.where
    risen.refresh_from_db()
    assert (risen.rag_status, risen.rag_rule) == (old_status, old_rule)

    admin = User.objects.get(username="administrator")
    done = rerate(measure, actor=admin)
    assert done.rule == new_rule and done.rated >= 1
    after = renderings()
    for item in after:
        item_obs = Observation.objects.get(pk=item.obs.pk)
        assert item.status == "green" == item_obs.rag_status, item.where
        assert item.rule in {None, new_rule}, item.where
    history = rag_history(risen)
    assert [(e.status, e.rule) for e in history][-2:] == [
        (old_status, old_rule),
        ("green", new_rule),
    ]
