"""Property tests for the board set-up forms and services: whatever is posted, the answer is
a field error or a saved, audited change; never an exception a page would turn into a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferboard.core.models import AuditEvent
from saferboard.meetings import board_forms, board_members, boards, standing_agenda
from saferboard.meetings.models import BoardKind
from tests.factories import OrganisationFactory, PartnershipFactory, PersonFactory
from tests.fuzz.hostile import FORMULAS, ODD_DATES, hostile_text
from tests.fuzz.isolation import fresh_example

typed = st.one_of(st.text(max_size=30), hostile_text, st.sampled_from(ODD_DATES + FORMULAS))


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    partnership = PartnershipFactory()
    council = OrganisationFactory(partnership=partnership, name="Council", slug="council")
    top = boards.create_board(partnership, "Top", BoardKind.PARTNERSHIP)
    sub = boards.create_board(partnership, "Sub", BoardKind.SUB_GROUP, top)
    people = [PersonFactory(organisation=council, full_name=n) for n in ("Ann", "=Bo")]
    seat = board_members.add_member(top, person=people[0], start_date=date(2025, 1, 1))
    return {"partnership": partnership, "top": top, "sub": sub, "seat": seat, "people": people}


def _choices(field: forms.Field) -> list[str]:
    if not isinstance(field, forms.ChoiceField):
        return []
    return [str(v) for v, _ in field.choices if str(v)]


@st.composite
def posts(draw: st.DrawFn, form: forms.Form) -> dict[str, str]:
    data = {}
    for name, field in form.fields.items():
        if draw(st.integers(0, 4)) == 0:
            continue
        choices = _choices(field)
        if choices and draw(st.booleans()):
            data[name] = draw(st.sampled_from(choices))
        else:
            data[name] = draw(typed)
    return data


def _save(world: dict[str, Any], name: str, data: dict[str, Any]) -> None:
    """Call the service the page for form ``name`` calls, with the cleaned data."""
    top, seat = world["top"], world["seat"]
    if name == "board":
        boards.create_board(
            world["partnership"],
            data["name"],
            data["kind"],
            data["parent"],
            cadence=data["cadence"],
            cadence_note=data["cadence_note"],
        )
    elif name == "board edit":
        boards.update_board(top, **data)
    elif name == "retire":
        boards.retire_board(world["sub"], on=data["retired_on"])
    elif name == "member":
        board_members.add_member(top, **data)
    elif name == "member edit":
        board_members.update_member(seat, **data)
    elif name == "end":
        board_members.end_member(seat, on=data["end_date"])
    elif name == "substitute":
        board_members.add_substitute(seat, **data)
    elif name == "standing item":
        standing_agenda.add_standing_item(top, **data)


BUILDERS: dict[str, Callable[[dict[str, Any], Any], forms.Form]] = {
    "board": lambda w, d: board_forms.BoardForm(d, partnership=w["partnership"]),
    "board edit": lambda w, d: board_forms.BoardForm(
        d, partnership=w["partnership"], board=w["top"]
    ),
    "retire": lambda w, d: board_forms.RetireBoardForm(d),
    "member": lambda w, d: board_forms.MemberForm(d, partnership=w["partnership"]),
    "member edit": lambda w, d: board_forms.MemberEditForm(d, partnership=w["partnership"]),
    "end": lambda w, d: board_forms.EndForm(d),
    "substitute": lambda w, d: board_forms.SubstituteForm(d, partnership=w["partnership"]),
    "standing item": lambda w, d: board_forms.StandingItemForm(d),
}


def test_every_board_form_is_covered() -> None:
    found = {
        obj
        for obj in vars(board_forms).values()
        if isinstance(obj, type)
        and issubclass(obj, forms.Form)
        and obj.__module__ == board_forms.__name__
    }
    built = {type(build(_FAKE, None)) for build in BUILDERS.values()}
    assert found <= built


class _Fake(dict):  # type: ignore[type-arg]
    """Stands in for the world when a form only needs to be built, not validated."""

    def __missing__(self, key: str) -> Any:
        return None


_FAKE = _Fake()


@pytest.mark.fuzz
@pytest.mark.parametrize("name", sorted(BUILDERS))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(data=st.data())
def test_any_post_is_a_field_error_or_an_audited_change(world, name: str, data) -> None:  # type: ignore[no-untyped-def]
    shape = BUILDERS[name](world, None)
    post = data.draw(posts(shape))
    with fresh_example():
        form = BUILDERS[name](world, post)
        if not form.is_valid():
            assert set(form.errors) <= set(form.fields) | {"__all__"}
            return
        before = AuditEvent.objects.count()
        try:
            _save(world, name, dict(form.cleaned_data))
        except boards.BoardSetupError as error:
            assert error.field in set(form.fields) | {""}
            assert error.message
            return
        if name in {"board edit", "member edit"}:
            return  # saving what is already there changes nothing, so audits nothing
        assert AuditEvent.objects.count() > before
