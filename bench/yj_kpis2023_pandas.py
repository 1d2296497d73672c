"""An idiomatic pandas implementation of the 2023 KPIs (all but KPI 7, which is read
from recorded meetings), for bench/yj_kpis2023_bench.py to check and time against
saferboard.youthjustice.kpis2023.

Same definitions (docs/methodology.md): each child once, at the latest intervention
ending in the period (ties: the later start, then the later row); a status not recorded
is not known and left out of the denominator.

Returns {service: {(kpi number, measure slug): (count, denominator)}}; the headline is
measure "headline".
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from saferboard.youthjustice.definitions import SUBSTANTIVE
from saferboard.youthjustice.kpis2023 import (
    INTERVENTION_GROUPS,
    OUT_OF_COURT,
    SERIOUS_VIOLENCE_CATEGORIES,
    SERIOUS_VIOLENCE_GRAVITY,
    WIDER_SERVICE_LABELS,
)

Figures = dict[str, dict[tuple[int, str], tuple[int | None, int | None]]]


def frames(export) -> dict[str, pd.DataFrame]:  # type: ignore[no-untyped-def]
    """The synthetic export's Arrow tables as pandas DataFrames (dates as datetime64)."""
    names = ("children", "outcomes", "offences", "interventions", "victims", "population")
    return {n: getattr(export, n).to_pandas(date_as_object=False) for n in names}


def kpis(t: dict[str, pd.DataFrame], start: date, end: date) -> Figures:
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    children = t["children"][["child_id", "service"]]
    services = sorted(children["service"].unique())
    out: Figures = {s: {} for s in services}

    def put(kpi: int, slug: str, table: pd.DataFrame, count: str, denominator: str) -> None:
        table = table.reindex(services, fill_value=0)
        pairs = zip(table[count].to_numpy(), table[denominator].to_numpy(), strict=True)
        for service, (c, d) in zip(table.index, pairs, strict=True):
            out[service][(kpi, slug)] = (int(c), int(d))

    iv = t["interventions"].merge(children, on="child_id")
    iv["row"] = range(len(iv))
    ending = iv[iv["end_date"].between(lo, hi)]
    latest = ["child_id", "end_date", "start_date", "row"]
    base = (
        ending[ending["end_reason"] != "custody"]
        .sort_values(latest)
        .drop_duplicates("child_id", keep="last")
    )
    group_of = {t: slug for slug, _l, types in INTERVENTION_GROUPS for t in types}
    base = base.assign(group=base["intervention_type"].map(group_of))

    for kpi, column in ((1, "accommodation"), (2, "ete")):
        flags = base.assign(
            yes=base[column].eq("suitable"), known=base[column].ne(""), unknown=base[column].eq("")
        )
        totals = flags.groupby("service")[["yes", "known", "unknown"]].sum()
        totals["all"] = flags.groupby("service").size()
        put(kpi, "headline", totals, "yes", "known")
        put(kpi, "not_known", totals, "unknown", "all")
        by_group = flags.groupby(["group", "service"])[["yes", "known"]].sum()
        for slug, _label, _types in INTERVENTION_GROUPS:
            part = by_group.loc[slug] if slug in by_group.index.get_level_values(0) else None
            put(
                kpi,
                f"{slug}_suitable",
                part if part is not None else pd.DataFrame(columns=["yes", "known"]),
                "yes",
                "known",
            )

    need = base["send_need"].eq("yes")
    send = base.assign(
        need=need,
        need_known=base["send_need"].ne(""),
        plan=need & base["send_plan"].eq("yes"),
        plan_known=need & base["send_plan"].ne(""),
        ete=need & base["ete"].eq("suitable"),
        ete_known=need & base["ete"].ne(""),
        unknown=base["send_need"].eq(""),
    )
    totals = send.groupby("service")[
        ["need", "need_known", "plan", "plan_known", "ete", "ete_known", "unknown"]
    ].sum()
    totals["all"] = send.groupby("service").size()
    put(3, "headline", totals, "plan", "plan_known")
    put(3, "formal_plan", totals, "plan", "plan_known")
    put(3, "need_identified", totals, "need", "need_known")
    put(3, "suitable_ete", totals, "ete", "ete_known")
    put(3, "not_known", totals, "unknown", "all")

    stages = {"no_need": 1, "need_identified": 2, "intervention_offered": 3}
    stages["intervention_attended"] = 4
    for kpi, column in ((4, "mental_health"), (5, "substance_misuse")):
        stage = base[column].map(stages).fillna(0)
        flags = base.assign(
            known=stage > 0, need=stage >= 2, offered=stage >= 3, attended=stage >= 4
        ).assign(unknown=stage == 0)
        totals = flags.groupby("service")[["known", "need", "offered", "attended", "unknown"]].sum()
        totals["all"] = flags.groupby("service").size()
        put(kpi, "headline", totals, "need", "known")
        put(kpi, "need_identified", totals, "need", "known")
        put(kpi, "intervention_offered", totals, "offered", "need")
        put(kpi, "intervention_attended", totals, "attended", "offered")
        put(kpi, "not_known", totals, "unknown", "all")

    oocd = (
        ending[
            ending["intervention_type"].isin(OUT_OF_COURT) & (ending["end_reason"] != "transferred")
        ]
        .sort_values(latest)
        .drop_duplicates("child_id", keep="last")
    )
    oocd = oocd.assign(done=oocd["end_reason"].eq("completed"), known=oocd["end_reason"].ne(""))
    put(6, "headline", oocd.groupby("service")[["done", "known"]].sum(), "done", "known")
    for name in OUT_OF_COURT:
        part = oocd[oocd["intervention_type"] == name]
        put(
            6,
            f"{name}_completed",
            part.groupby("service")[["done", "known"]].sum(),
            "done",
            "known",
        )

    wider = base.assign(
        known=base["wider_services"].ne(""),
        any=~base["wider_services"].isin(["", "none"]),
        unknown=base["wider_services"].eq(""),
    )
    totals = wider.groupby("service")[["known", "any", "unknown"]].sum()
    totals["all"] = wider.groupby("service").size()
    put(8, "headline", totals, "any", "known")
    put(8, "not_known", totals, "unknown", "all")
    for name in WIDER_SERVICE_LABELS:
        counts = (
            wider.assign(hit=wider["wider_services"].eq(name)).groupby("service")[["hit"]].sum()
        )
        counts["known"] = totals["known"]
        put(8, name, counts, "hit", "known")

    outcomes = t["outcomes"][["outcome_id", "outcome_date", "outcome_type"]]
    off = t["offences"].merge(outcomes, on="outcome_id").merge(children, on="child_id")
    off = off[off["outcome_type"].isin(SUBSTANTIVE) & off["outcome_date"].between(lo, hi)]
    category = off["offence_type"].str.lower().str.split().str.join(" ")
    serious = off[
        category.isin(SERIOUS_VIOLENCE_CATEGORIES)
        & (off["gravity_score"] >= SERIOUS_VIOLENCE_GRAVITY)
    ]
    sv = pd.DataFrame(
        {
            "children": serious.groupby("service")["child_id"].nunique(),
            "offences": serious.groupby("service").size(),
            "proven": off.groupby("service")["child_id"].nunique(),
        }
    ).fillna(0)
    pop = t["population"]
    population = (
        pop[(pop["year"] == end.year) & pop["age"].between(10, 17)]
        .groupby("service")["count"]
        .sum()
    )
    for service in services:
        row = sv.loc[service] if service in sv.index else None
        count = 0 if row is None else int(row["children"])
        total = population.get(service)
        out[service][(9, "headline")] = (count, None if total is None else int(total))
        out[service][(9, "share_of_proven")] = (count, 0 if row is None else int(row["proven"]))
        out[service][(9, "serious_violent_offences")] = (
            0 if row is None else int(row["offences"]),
            None,
        )

    v = t["victims"].merge(children, on="child_id")
    v = v[v["contact_date"].between(lo, hi)]
    consented = v["consented_to_contact"].eq("yes")
    offered = consented & v["rj_offered"].eq("yes")
    asked = consented & v["progress_info_requested"].eq("yes")
    flags = v.assign(
        consent=consented,
        consent_known=v["consented_to_contact"].ne(""),
        unknown=v["consented_to_contact"].eq(""),
        views=consented & v["views_sought"].eq("yes"),
        views_known=consented & v["views_sought"].ne(""),
        offered=offered,
        offered_known=consented & v["rj_offered"].ne(""),
        took_part=offered & v["rj_participated"].eq("yes"),
        took_part_known=offered & v["rj_participated"].ne(""),
        given=asked & v["progress_info_given"].eq("yes"),
        given_known=asked & v["progress_info_given"].ne(""),
        support=consented & v["support_info_given"].eq("yes"),
        support_known=consented & v["support_info_given"].ne(""),
    )
    columns = [c for c in flags.columns if flags[c].dtype == bool]
    totals = flags.groupby("service")[columns].sum()
    totals["all"] = flags.groupby("service").size()
    put(10, "headline", totals, "consent", "consent_known")
    put(10, "consented", totals, "consent", "consent_known")
    put(10, "views_sought", totals, "views", "views_known")
    put(10, "rj_offered", totals, "offered", "offered_known")
    put(10, "rj_participated", totals, "took_part", "took_part_known")
    put(10, "progress_info_given", totals, "given", "given_known")
    put(10, "support_info_given", totals, "support", "support_known")
    put(10, "not_known", totals, "unknown", "all")
    return out
