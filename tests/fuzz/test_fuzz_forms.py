"""Every form people type into, fuzzed: is_valid() never raises, a refusal is a field
error, and valid action data saves (the same call the view makes).

Each form gets the profile's full count of generated posts (10,000 in the long run).
`test_every_form_of_the_project_is_fuzzed` finds the project's form classes, so a new
form fails the suite until it is added to ``FORMS`` here.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import pkgutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import RequestFactory
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from pypdf import PdfWriter

import saferboard
from saferboard.actions import forms as action_forms
from saferboard.actions import inspection_forms
from saferboard.actions.models import Action, ActionPlan, PlanKind, Recommendation
from saferboard.actions.services import add_action
from saferboard.api.views import TokenForm
from saferboard.core import forms as core_forms
from saferboard.core.models import Organisation, Partnership, Person, Role, User
from saferboard.crime.forms import ImportForm
from saferboard.measures import forms as measure_forms
from saferboard.meetings import board_forms, clerk_forms
from saferboard.meetings import forms as meeting_forms
from saferboard.meetings.models import BoardKind, BoardMember, Meeting
from saferboard.meetings.services import create_board, create_meeting
from saferboard.panels import forms as panel_forms
from saferboard.panels import services as panel_services
from saferboard.panels.models import Case, Panel, PanelRole
from saferboard.panels.setup_forms import PanelForm
from saferboard.reports import forms as report_forms
from saferboard.returns.forms import ReturnForm, UploadForm
from saferboard.returns.services import template_items
from saferboard.returns.setup_forms import AddFieldForm, FieldChecksForm, TemplateForm
from saferboard.setup.forms import PartnershipSettingsForm
from saferboard.setup.workbook_forms import WorkbookConfirmForm, WorkbookUploadForm
from saferboard.strategy import forms as strategy_forms
from saferboard.strategy import settings_forms as strategy_settings_forms
from saferboard.strategy.models import Priority, Strategy
from saferboard.youthjustice.forms import (
    ColumnMappingForm,
    ExportUploadForm,
    PublishedMappingForm,
    PublishedUploadForm,
)
from tests.factories import make_user
from tests.fuzz.hostile import BIG_NUMBERS, FORMULAS, ODD_DATES, hostile_text, mangled
from tests.fuzz.isolation import fresh_example
from tests.panels.conftest import make_panel, refer
from tests.returns.factories import make_template

# The properties are marked fuzz one by one; test_every_form_of_the_project_is_fuzzed
# runs in the quick suite.
pytestmark = pytest.mark.django_db
# The setting fixture is made once per test and shared by its examples; that is safe
# because each example runs in fresh_example() (what it writes, sign-in attempts
# included, is rolled back) with a request of its own.
FIXTURE_SAFE = [HealthCheck.function_scoped_fixture]

typed = st.one_of(
    hostile_text,
    st.sampled_from(ODD_DATES + BIG_NUMBERS + FORMULAS),
    st.sampled_from(["1", "0", "-1", "on", "true", "14:00", "25:61", "30/09/2025", "R", "A"]),
    st.text(alphabet="\x00\ud7ff\uffff\U0010ffff", max_size=3),
)


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Ref", "Action", "Due"])
    book.active.append(["1", "Review the plan", "31/03/2026"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("children.csv", "child_id,date_of_birth\r\nC1,2008-01-01\r\n")
    return buffer.getvalue()


SAMPLES = [_pdf(), _xlsx(), _zip(), b"Crime ID,Month\r\n,2023-06\r\n"]
upload_bytes = st.one_of(
    st.sampled_from(SAMPLES),
    st.sampled_from(SAMPLES).flatmap(mangled),
    st.binary(max_size=64),
)
upload_names = st.sampled_from(
    ["paper.pdf", "plan.csv", "plan.xlsx", "export.zip", "children.csv", "..\\..\\x.zip",
     "=1.xlsx", "noext", "x.PDF", "a" * 300 + ".pdf"]
)  # fmt: skip


# A form's fields as a browser sees them: name → (a file field?, the values its choices
# offer; none for a field without choices).
Shape = dict[str, tuple[bool, list[str]]]


@dataclass
class Setting:
    """What the forms are built against: one of each object a form needs."""

    partnership: Partnership
    organisation: Organisation
    plan: ActionPlan
    items: list
    panel: Panel
    case: Case
    meeting: Meeting
    members: list[BoardMember]
    strategy: Strategy
    request: Any
    # Each form's fields as posts() needs them, worked out at its first example.
    shapes: dict[str, Shape] = dataclasses.field(default_factory=dict)


Builder = Callable[[Setting, QueryDict, MultiValueDict], forms.Form]

FORMS: dict[str, Builder] = {
    # actions
    "plan": lambda s, d, f: action_forms.PlanForm(d, f, partnership=s.partnership),
    "recommendation": lambda s, d, f: action_forms.RecommendationForm(d, f, plan=s.plan),
    "action": lambda s, d, f: action_forms.ActionForm(d, f, plan=s.plan),
    "action update": lambda s, d, f: action_forms.UpdateForm(d, f),
    "action close": lambda s, d, f: action_forms.CloseForm(d, f),
    "action step": lambda s, d, f: action_forms.StepForm(d, f),
    "action review": lambda s, d, f: action_forms.ReviewForm(d, f),
    "plan upload": lambda s, d, f: action_forms.ImportUploadForm(d, f, partnership=s.partnership),
    "blue decision": lambda s, d, f: action_forms.BlueDecisionForm(d, f),
    "inspection": lambda s, d, f: inspection_forms.InspectionForm(d, f),
    "published inspection ratings": lambda s, d, f: inspection_forms.PublishedRatingsForm(d, f),
    "recommendation edit": lambda s, d, f: inspection_forms.RecommendationEditForm(
        d,
        f,
        recommendation=Recommendation.objects.get_or_create(
            plan=s.plan, number=1, defaults={"wording": "Improve"}
        )[0],
    ),
    "column mapping": lambda s, d, f: action_forms.MappingForm(
        d, f, headers=["Ref", "", "=cmd|' /C calc'!A0"], initial_mapping=["reference"]
    ),
    # meetings
    "meeting": lambda s, d, f: meeting_forms.MeetingForm(d, f),
    "agenda item": lambda s, d, f: meeting_forms.AgendaItemForm(d, f),
    "attendance": lambda s, d, f: meeting_forms.AttendanceForm(d, f, members=s.members),
    "minute": lambda s, d, f: meeting_forms.MinuteForm(d, f, meeting=s.meeting),
    "minute edit": lambda s, d, f: meeting_forms.MinuteEditForm(d, f),
    "raise action": lambda s, d, f: meeting_forms.RaiseActionForm(d, f, meeting=s.meeting),
    "amendment": lambda s, d, f: meeting_forms.AmendmentForm(d, f),
    "rates": lambda s, d, f: meeting_forms.RatesForm(d, f),
    "board": lambda s, d, f: board_forms.BoardForm(d, f, partnership=s.partnership),
    "board retire": lambda s, d, f: board_forms.RetireBoardForm(d, f),
    "board member": lambda s, d, f: board_forms.MemberForm(d, f, partnership=s.partnership),
    "board seat": lambda s, d, f: board_forms.MemberEditForm(d, f, partnership=s.partnership),
    "board seat end": lambda s, d, f: board_forms.EndForm(d, f),
    "board substitute": lambda s, d, f: board_forms.SubstituteForm(d, f, partnership=s.partnership),
    "standing item": lambda s, d, f: board_forms.StandingItemForm(d, f),
    "question": lambda s, d, f: clerk_forms.QuestionForm(d, f),
    "declaration": lambda s, d, f: clerk_forms.DeclarationForm(
        d, f, meeting=s.meeting, people=[m.person for m in s.members], numbers={}
    ),
    "cover sheet": lambda s, d, f: clerk_forms.CoverSheetForm(d, f),
    # panels
    "panel case": lambda s, d, f: panel_forms.ReferralForm(d, f, panel=s.panel),
    "panel status": lambda s, d, f: panel_forms.StatusForm(d, f, case=s.case),
    "panel assessment": lambda s, d, f: panel_forms.AssessmentForm(d, f, panel=s.panel),
    "panel review": lambda s, d, f: panel_forms.ReviewForm(d, f, panel=s.panel),
    "panel action": lambda s, d, f: panel_forms.ActionForm(d, f, panel=s.panel),
    "panel escalation": lambda s, d, f: panel_forms.EscalationForm(d, f, panel=s.panel),
    "panel breach": lambda s, d, f: panel_forms.BreachForm(d, f),
    "panel search": lambda s, d, f: panel_forms.SearchForm(d, f),
    "panel member": lambda s, d, f: panel_forms.MemberForm(d, f, panel=s.panel),
    "subject access": lambda s, d, f: panel_forms.SubjectAccessForm(d, f),
    "panel audit search": lambda s, d, f: panel_forms.AuditSearchForm(d, f),
    # strategy
    "open round": lambda s, d, f: strategy_forms.OpenRoundForm(
        d, f, strategy=s.strategy, taken={"2021-Q1"}
    ),
    "strategy update": lambda s, d, f: strategy_forms.UpdateForm(d, f),
    "strategy review": lambda s, d, f: strategy_forms.ReviewForm(d, f),
    "strategy correction": lambda s, d, f: strategy_forms.CorrectionForm(d, f),
    "strategy settings": lambda s, d, f: strategy_settings_forms.StrategyForm(d, f),
    "strategy priority": lambda s, d, f: strategy_settings_forms.PriorityForm(
        d, f, partnership=s.partnership
    ),
    "strategy commitment": lambda s, d, f: strategy_settings_forms.CommitmentForm(
        d, f, partnership=s.partnership
    ),
    "strategy on-track line": lambda s, d, f: strategy_settings_forms.IndicatorForm(d, f),
    "strategy retire": lambda s, d, f: strategy_settings_forms.RetireForm(d, f),
    # returns, crime, youth justice, packs
    "return": lambda s, d, f: ReturnForm(s.items, {}, d, f, correction=True),
    "return upload": lambda s, d, f: UploadForm(d, f),
    "return template settings": lambda s, d, f: TemplateForm(d, f, partnership=s.partnership),
    "return template field": lambda s, d, f: FieldChecksForm(d, f),
    "return template new field": lambda s, d, f: AddFieldForm(d, f, template=s.items[0].template),
    "panel settings": lambda s, d, f: PanelForm(d, f, partnership=s.partnership),
    "crime upload": lambda s, d, f: ImportForm(d, f),
    "youth justice upload": lambda s, d, f: ExportUploadForm(d, f),
    "youth justice column mapping": lambda s, d, f: ColumnMappingForm(
        {"children.csv": ["Client ID", "DOB", "Gender", "Ethnic Group", "YOT", "LAC"]}, d, f
    ),
    "published statistics upload": lambda s, d, f: PublishedUploadForm(d, f),
    "published statistics mapping": lambda s, d, f: PublishedMappingForm(
        ["YJS", "From", "To", "FTE count", "=Rate"], d
    ),
    "set-up workbook upload": lambda s, d, f: WorkbookUploadForm(d, f),
    "set-up workbook confirm": lambda s, d, f: WorkbookConfirmForm(d, f),
    "pack acknowledgement": lambda s, d, f: report_forms.AcknowledgeForm(d, f),
    "pack appendix": lambda s, d, f: report_forms.AppendixForm(
        d, f, items=[(1, "Minutes"), (2, "=Performance")]
    ),
    # sign-in, audit, API tokens
    "sign in": lambda s, d, f: core_forms.SignInForm(s.request, data=d, files=f),
    "audit filter": lambda s, d, f: core_forms.AuditFilterForm(d, f),
    "set password": lambda s, d, f: core_forms.SetPasswordForm(
        User.objects.get(username="fuzz.user"), d
    ),
    "password link": lambda s, d, f: core_forms.PasswordLinkRequestForm(d, f),
    # organisations and people settings
    "organisation": lambda s, d, f: core_forms.OrganisationForm(d, f, partnership=s.partnership),
    "organisation edit": lambda s, d, f: core_forms.OrganisationForm(
        d, f, instance=s.organisation, partnership=s.partnership
    ),
    "person": lambda s, d, f: core_forms.PersonForm(d, f),
    "person edit": lambda s, d, f: core_forms.PersonForm(
        d, f, instance=Person.objects.get(user__username="fuzz.user"), lock_email=True
    ),
    "role": lambda s, d, f: core_forms.RoleForm(d, f, roles=list(Role.choices)),
    "api token": lambda s, d, f: TokenForm([s.organisation], d, f),
    # measures, and the partnership's own settings (issue 16)
    "measure": lambda s, d, f: measure_forms.MeasureForm(d, f),
    "judgement": lambda s, d, f: measure_forms.JudgementForm(d, f),
    "partnership settings": lambda s, d, f: PartnershipSettingsForm(
        d,
        f,
        partnership=s.partnership,
        priorities=list(Priority.objects.filter(strategy=s.strategy)),
    ),
}


@pytest.fixture
def setting(db) -> Setting:  # type: ignore[no-untyped-def]
    partnership = Partnership.objects.create(name="Fuzz Partnership", slug="fuzz")
    owner = Organisation.objects.create(
        partnership=partnership,
        name="Fuzz Council",
        slug="fuzz-council",
        start_date=date(2020, 1, 1),
    )
    user = make_user(organisation=owner, username="fuzz.user")
    plan = ActionPlan.objects.create(
        partnership=partnership, kind=PlanKind.INSPECTION, title="Plan", owner=owner
    )
    panel = make_panel(partnership, "fuzz-panel", [owner])
    asker = make_user(organisation=owner, username="fuzz.asker")  # nobody asks for their own seat
    panel_services.add_member(panel, person=user.person, role=PanelRole.COORDINATOR, actor=asker)
    board = create_board(
        partnership, name="Board", slug="board", kind=BoardKind.PARTNERSHIP, owner=owner
    )
    members = [
        BoardMember.objects.create(
            board=board,
            person=Person.objects.create(organisation=owner, full_name=name),
            organisation=owner,
            role="Member",
            start_date=date(2020, 1, 1),
        )
        for name in ("Ann Lead", "=Bo Lead")
    ]
    strategy = Strategy.objects.create(
        partnership=partnership,
        title="Strategy",
        start_date=date(2020, 4, 1),
        end_date=date(2023, 3, 31),
    )
    Priority.objects.create(strategy=strategy, number=1, title="Safer places", aim="Aim")
    return Setting(
        partnership=partnership,
        organisation=owner,
        plan=plan,
        items=template_items(make_template()),
        panel=panel,
        case=refer(panel, user),
        meeting=create_meeting(board, day=date(2025, 6, 1)),
        members=members,
        strategy=strategy,
        request=sign_in_request(),
    )


def sign_in_request() -> Any:
    """A sign-in post as the middleware leaves it: an empty session, nobody signed in."""
    request = RequestFactory().post("/sign-in/")
    request.session = {}  # type: ignore[attr-defined]
    request.user = AnonymousUser()  # as the authentication middleware leaves it
    return request


def choice_values(field: forms.Field) -> list[str]:
    """The values a browser could post for a field with choices (none for other fields)."""
    if not isinstance(field, forms.ChoiceField):
        return []
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an option group
            values += [str(v) for v, _ in label]
        elif str(value):
            values.append(str(value))
    return values


def shape_of(form: forms.Form) -> Shape:
    return {
        name: (isinstance(f, forms.FileField), choice_values(f)) for name, f in form.fields.items()
    }


@st.composite
def posts(draw: st.DrawFn, shape: Shape) -> tuple[QueryDict, MultiValueDict]:
    """A post to a form: each field left out, typed into, or (for choices) chosen."""
    data, files = QueryDict(mutable=True), MultiValueDict()
    for name, (is_file, choices) in shape.items():
        if draw(st.integers(0, 5)) == 0:
            continue
        if is_file:
            for _ in range(draw(st.integers(1, 2))):
                files.appendlist(name, SimpleUploadedFile(draw(upload_names), draw(upload_bytes)))
            continue
        for _ in range(draw(st.integers(1, 3)) if choices else 1):
            value = draw(st.sampled_from(choices)) if choices and draw(st.booleans()) else None
            data.appendlist(name, value if value is not None else draw(typed))
    return data, files


@pytest.mark.fuzz
@pytest.mark.parametrize("name", sorted(FORMS))
@settings(suppress_health_check=FIXTURE_SAFE)
@given(data=st.data())
def test_any_post_is_valid_or_a_field_error(
    setting: Setting, name: str, data: st.DataObject
) -> None:
    build = FORMS[name]
    with fresh_example():
        example = replace(setting, request=sign_in_request())
        if name not in setting.shapes:  # the same at every example: the rows do not change
            setting.shapes[name] = shape_of(build(example, None, None))  # type: ignore[arg-type]
        posted, files = data.draw(posts(setting.shapes[name]))
        form = build(example, posted, files)
        if form.is_valid():  # never raises
            for field, value in form.cleaned_data.items():
                if isinstance(value, str):
                    assert "\x00" not in value, field  # Django refuses NUL in text fields
        else:
            assert form.errors and set(form.errors) <= set(form.fields) | {"__all__"}
            assert all(messages for messages in form.errors.values())


def project_forms() -> set[type[forms.Form]]:
    """Every form class defined in the project (its modules imported first)."""
    for module in pkgutil.walk_packages(saferboard.__path__, "saferboard."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "views"}:
            importlib.import_module(module.name)
    found, stack = set(), [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("saferboard.") and issubclass(sub, forms.Form):
                found.add(sub)
    return found


def test_every_form_of_the_project_is_fuzzed(setting: Setting) -> None:
    built = {type(build(setting, None, None)) for build in FORMS.values()}  # type: ignore[arg-type]
    missing = {f"{f.__module__}.{f.__name__}" for f in project_forms() - built}
    assert not missing, f"add these forms to FORMS: {sorted(missing)}"


@pytest.mark.fuzz
@settings(suppress_health_check=FIXTURE_SAFE)
@given(
    description=typed,
    outcome=typed,
    commence=st.one_of(st.sampled_from(ODD_DATES), st.dates().map(lambda d: f"{d:%d/%m/%Y}")),
    completion=st.one_of(st.sampled_from(ODD_DATES), st.dates().map(lambda d: d.isoformat())),
    notes=typed,
)
def test_a_valid_action_saves_as_typed(
    setting: Setting,
    description: str,
    outcome: str,
    commence: str,
    completion: str,
    notes: str,
) -> None:
    with fresh_example():
        form = action_forms.ActionForm(
            {
                "description": description,
                "intended_outcome": outcome,
                "commence_date": commence,
                "completion_date": completion,
                "notes": notes,
            },
            plan=setting.plan,
        )
        if not form.is_valid():
            assert set(form.errors) <= {"description", "intended_outcome", "commence_date",
                                        "completion_date", "notes", "__all__"}  # fmt: skip
            return
        data = form.cleaned_data
        steps = [line.strip() for line in data.pop("steps").splitlines() if line.strip()]
        action = add_action(setting.plan, steps=steps, **data)
        stored = Action.objects.get(pk=action.pk)
        assert stored.description == data["description"]
        assert stored.notes == data["notes"]
        assert (stored.commence_date, stored.completion_date) == (
            data["commence_date"],
            data["completion_date"],
        )
