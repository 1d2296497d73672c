"""Forms people type into, fuzzed: is_valid() never raises, a refusal is a field error,
and valid action data saves (the same call the view makes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferboard.actions import forms as action_forms
from saferboard.actions.models import Action, ActionPlan, PlanKind
from saferboard.actions.services import add_action
from saferboard.core.models import Organisation, Partnership
from saferboard.crime.forms import ImportForm
from saferboard.meetings import forms as meeting_forms
from saferboard.panels import forms as panel_forms
from saferboard.returns.forms import ReturnForm, UploadForm
from saferboard.returns.services import template_items
from saferboard.strategy import forms as strategy_forms
from tests.fuzz.hostile import BIG_NUMBERS, FORMULAS, ODD_DATES, hostile_text
from tests.panels.conftest import make_panel
from tests.returns.factories import make_template

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
FIXTURE_SAFE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

typed = st.one_of(
    hostile_text,
    st.sampled_from(ODD_DATES + BIG_NUMBERS + FORMULAS),
    st.sampled_from(["1", "0", "-1", "on", "true", "14:00", "25:61", "30/09/2025", "R", "A"]),
    st.text(alphabet="\x00\ud7ff\uffff\U0010ffff", max_size=3),
)


@pytest.fixture
def world(db) -> dict[str, Callable[[dict], forms.Form]]:  # type: ignore[no-untyped-def]
    """Every form under test, by name, as a function of the posted data."""
    partnership = Partnership.objects.create(name="Fuzz Partnership", slug="fuzz")
    Organisation.objects.create(
        partnership=partnership,
        name="Fuzz Council",
        slug="fuzz-council",
        start_date=date(2020, 1, 1),
    )
    owner = Organisation.objects.get(slug="fuzz-council")
    plan = ActionPlan.objects.create(
        partnership=partnership, kind=PlanKind.INSPECTION, title="Plan", owner=owner
    )
    template = make_template()
    items = template_items(template)
    panel = make_panel(partnership, "fuzz-panel", [owner])
    return {
        "panel case": lambda d: panel_forms.ReferralForm(d, panel=panel),
        "panel assessment": lambda d: panel_forms.AssessmentForm(d, panel=panel),
        "plan": lambda d: action_forms.PlanForm(d, partnership=partnership),
        "recommendation": lambda d: action_forms.RecommendationForm(d, plan=plan),
        "action": lambda d: action_forms.ActionForm(d, plan=plan),
        "action update": lambda d: action_forms.UpdateForm(d),
        "action close": lambda d: action_forms.CloseForm(d),
        "meeting": lambda d: meeting_forms.MeetingForm(d),
        "agenda item": lambda d: meeting_forms.AgendaItemForm(d),
        "minute edit": lambda d: meeting_forms.MinuteEditForm(d),
        "amendment": lambda d: meeting_forms.AmendmentForm(d),
        "rates": lambda d: meeting_forms.RatesForm(d),
        "strategy update": lambda d: strategy_forms.UpdateForm(d),
        "strategy review": lambda d: strategy_forms.ReviewForm(d),
        "panel search": lambda d: panel_forms.SearchForm(d),
        "panel breach": lambda d: panel_forms.BreachForm(d),
        "subject access": lambda d: panel_forms.SubjectAccessForm(d),
        "return": lambda d: ReturnForm(items, {}, d, correction=True),
        "return upload": lambda d: UploadForm(
            d, {"file": SimpleUploadedFile(d.get("name", "x") or "x", b"PK\x03\x04junk")}
        ),
        "crime upload": lambda d: ImportForm(
            d, {"files": SimpleUploadedFile(d.get("name", "x") or "x", b"Crime ID\n\x00")}
        ),
        "_plan": lambda d: plan,  # type: ignore[dict-item]
    }


@settings(suppress_health_check=FIXTURE_SAFE)
@given(name=st.sampled_from(
    ["plan", "recommendation", "action", "action update", "action close", "meeting",
     "agenda item", "minute edit", "amendment", "rates", "strategy update",
     "strategy review", "panel search", "panel breach", "subject access", "return",
     "return upload", "crime upload", "panel case", "panel assessment"]
), data=st.data())  # fmt: skip
def test_any_typed_data_is_valid_or_a_field_error(
    world: dict[str, Callable[[dict], forms.Form]], name: str, data: st.DataObject
) -> None:
    fields = world[name]({}).fields
    posted = {field: data.draw(typed) for field in fields if data.draw(st.integers(0, 5))}
    posted["name"] = data.draw(st.sampled_from(["plan.csv", "", "..\\..\\x.zip", "=1.xlsx"]))
    form = world[name](posted)
    valid = form.is_valid()  # never raises
    if valid:
        assert set(form.cleaned_data) <= set(form.fields)
        for field, value in form.cleaned_data.items():
            if isinstance(value, str):
                assert "\x00" not in value, field  # Django refuses NUL in text fields
    else:
        assert form.errors and set(form.errors) <= set(form.fields) | {"__all__"}
        assert all(messages for messages in form.errors.values())


@settings(suppress_health_check=FIXTURE_SAFE)
@given(
    description=typed,
    outcome=typed,
    commence=st.one_of(st.sampled_from(ODD_DATES), st.dates().map(lambda d: f"{d:%d/%m/%Y}")),
    completion=st.one_of(st.sampled_from(ODD_DATES), st.dates().map(lambda d: d.isoformat())),
    notes=typed,
)
def test_a_valid_action_saves_as_typed(
    world: dict[str, Callable[[dict], forms.Form]],
    description: str,
    outcome: str,
    commence: str,
    completion: str,
    notes: str,
) -> None:
    plan = world["_plan"]({})
    form = world["action"](
        {
            "description": description,
            "intended_outcome": outcome,
            "commence_date": commence,
            "completion_date": completion,
            "notes": notes,
        }
    )
    if not form.is_valid():
        assert set(form.errors) <= {"description", "intended_outcome", "commence_date",
                                    "completion_date", "notes", "__all__"}  # fmt: skip
        return
    data = form.cleaned_data
    steps = [line.strip() for line in data.pop("steps").splitlines() if line.strip()]
    action = add_action(plan, steps=steps, **data)
    stored = Action.objects.get(pk=action.pk)
    assert stored.description == data["description"]
    assert stored.notes == data["notes"]
    assert (stored.commence_date, stored.completion_date) == (
        data["commence_date"],
        data["completion_date"],
    )
