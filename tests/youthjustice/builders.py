"""Build small case datasets by hand for the engine tests."""

from __future__ import annotations

from datetime import date
from itertools import count

import pyarrow as pa

from saferboard.youthjustice.engine import (
    CHILDREN_SCHEMA,
    OFFENCES_SCHEMA,
    OUTCOMES_SCHEMA,
    POPULATION_ETHNICITY_SCHEMA,
    POPULATION_SCHEMA,
    CaseData,
)

SERVICE = "Testborough"


class Cases:
    """A tiny case dataset: add children, outcomes and offences, then take ``data()``."""

    def __init__(self, service: str = SERVICE, data_to: date = date(2030, 12, 31)) -> None:
        self.service = service
        self.data_to = data_to
        self.children: list[dict] = []
        self.outcomes: list[dict] = []
        self.offences: list[dict] = []
        self.population: list[dict] = []
        self.population_ethnicity: list[dict] = []
        self._ids = count(1)

    def child(
        self,
        dob: date,
        *,
        sex: str = "Male",
        ethnicity: str = "White",
        looked_after: bool = False,
        service: str | None = None,
    ) -> int:
        key = next(self._ids)
        self.children.append(
            {
                "child_key": key,
                "service": service or self.service,
                "date_of_birth": dob,
                "sex": sex,
                "ethnicity": ethnicity,
                "looked_after": looked_after,
            }
        )
        return key

    def outcome(
        self,
        child: int,
        day: date,
        outcome_type: str = "youth_caution",
        *,
        release: date | None = None,
        offence: date | None = None,
        offence_type: str = "Theft and handling",
    ) -> int:
        """An outcome; with ``offence`` (its date) an offence proven by it is added too."""
        key = next(self._ids)
        self.outcomes.append(
            {
                "outcome_key": key,
                "child_key": child,
                "outcome_date": day,
                "outcome_type": outcome_type,
                "release_date": release,
            }
        )
        if offence is not None:
            self.offence(child, offence, key, offence_type=offence_type)
        return key

    def offence(
        self,
        child: int,
        day: date,
        outcome: int | None = None,
        *,
        breach: bool = False,
        offence_type: str = "Theft and handling",
    ) -> None:
        self.offences.append(
            {
                "child_key": child,
                "offence_date": day,
                "offence_type": offence_type,
                "is_breach": breach,
                "outcome_key": outcome,
            }
        )

    def reoffence(
        self, child: int, committed: date, proven: date, outcome_type: str = "referral_order"
    ) -> int:
        """An offence committed on one date and proven by an outcome on another."""
        return self.outcome(child, proven, outcome_type, offence=committed)

    def populate(self, year: int, per_age: int, service: str | None = None) -> None:
        for age in range(10, 18):
            self.population.append(
                {"service": service or self.service, "year": year, "age": age, "count": per_age}
            )

    def populate_ethnicity(self, year: int, counts: dict[str, int]) -> None:
        for ethnicity, n in counts.items():
            self.population_ethnicity.append(
                {"service": self.service, "year": year, "ethnicity": ethnicity, "count": n}
            )

    def data(self, data_to: date | None = None) -> CaseData:
        return CaseData(
            children=pa.Table.from_pylist(self.children, CHILDREN_SCHEMA),
            outcomes=pa.Table.from_pylist(self.outcomes, OUTCOMES_SCHEMA),
            offences=pa.Table.from_pylist(self.offences, OFFENCES_SCHEMA),
            population=pa.Table.from_pylist(self.population, POPULATION_SCHEMA),
            population_ethnicity=pa.Table.from_pylist(
                self.population_ethnicity, POPULATION_ETHNICITY_SCHEMA
            ),
            data_to=data_to or self.data_to,
        )
