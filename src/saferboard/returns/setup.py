"""Setting up data-return templates: create, change, reorder and retire, each audited.

The settings pages, and the demo, make templates and their fields through these
functions, so every change leaves an audit event with who, when, before and after.
A template is retired, never deleted: its accepted submissions stay and stay visible.
A field taken off a template is deleted from the template only; the values already
returned for it belong to the submissions and stay with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from saferboard.core import audit
from saferboard.core.models import Area, Organisation, User
from saferboard.measures.models import Direction, Measure, SourceKind, Unit
from saferboard.measures.standard import ensure_standard_rules
from saferboard.returns.models import ReturnTemplate, TemplateMeasure

TEMPLATE_FIELDS = (
    "name",
    "organisation",
    "area",
    "frequency",
    "first_period_start",
    "due_days",
    "guidance",
    "active",
    "retired_on",
)
ITEM_FIELDS = (
    "measure",
    "position",
    "required",
    "integer",
    "allow_negative",
    "minimum",
    "maximum",
    "change_threshold_pct",
    "hint",
)
MEASURE_FIELDS = ("label", "slug", "source_kind", "unit", "description", "direction")
MAX_DUE_DAYS = 366


@dataclass(frozen=True)
class Actor:
    """Who makes a change, for the audit event: a user, a request, or neither (the demo)."""

    user: User | None = None
    request: HttpRequest | None = None

    def audit(
        self, obj: Any, before: dict[str, Any] | None, after: dict[str, Any] | None, **detail: Any
    ) -> None:
        audit.record_change(
            obj, before=before, after=after, actor=self.user, request=self.request, **detail
        )


@dataclass(frozen=True)
class TemplateDetails:
    """The editable facts of a template (everything but its fields)."""

    name: str
    organisation: Organisation
    area: Area
    frequency: str
    first_period_start: date
    due_days: int
    guidance: str = ""


@dataclass(frozen=True)
class FieldChecks:
    """How one field's value is checked (see :class:`returns.validation.MeasureRule`)."""

    required: bool = True
    integer: bool = True
    allow_negative: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    change_threshold_pct: Decimal | None = None
    hint: str = ""


def _unique_slug(text: str, taken: set[str], limit: int = 70) -> str:
    base = slugify(text)[:limit].strip("-") or "return"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def plain(value: Decimal | None) -> str:
    """A stored bound as people type it (10, not 10.0000 or 1E+1)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe_checks(item: TemplateMeasure) -> str:
    """A field's checks in a line of plain words, for the settings page."""
    parts = ["Required" if item.required else "Optional"]
    parts.append("whole numbers" if item.integer else "any number")
    if item.allow_negative:
        parts.append("negatives allowed")
    if item.minimum is not None:
        parts.append(f"at least {plain(item.minimum)}")
    if item.maximum is not None:
        parts.append(f"at most {plain(item.maximum)}")
    if item.change_threshold_pct is not None:
        parts.append(f"comment if it moves more than {plain(item.change_threshold_pct)}%")
    return "; ".join(parts)


def check_details(details: TemplateDetails) -> None:
    """Refuse details no template can have (the forms check these too)."""
    if not details.name.strip():
        raise ValidationError({"name": "Enter the template's name"})
    if not 0 <= details.due_days <= MAX_DUE_DAYS:
        raise ValidationError({"due_days": f"Enter a number of days from 0 to {MAX_DUE_DAYS}"})


def check_field(checks: FieldChecks) -> None:
    """Refuse checks that no value could pass, or that contradict each other."""
    low, high = checks.minimum, checks.maximum
    if low is not None and high is not None and low > high:
        raise ValidationError({"maximum": "The maximum must be at least the minimum"})
    for name in ("minimum", "maximum"):
        bound = getattr(checks, name)
        if bound is None:
            continue
        if bound < 0 and not checks.allow_negative:
            raise ValidationError(
                {name: f"The {name} cannot be below 0 unless negative values are allowed"}
            )
    if checks.change_threshold_pct is not None and checks.change_threshold_pct < 0:
        raise ValidationError({"change_threshold_pct": "The change threshold must be 0 or more"})


@transaction.atomic
def create_template(details: TemplateDetails, *, by: Actor) -> ReturnTemplate:
    """Create a template (with no fields yet); audited as a creation."""
    check_details(details)
    slug = _unique_slug(details.name, set(ReturnTemplate.objects.values_list("slug", flat=True)))
    template = ReturnTemplate.objects.create(
        slug=slug,
        name=details.name.strip(),
        organisation=details.organisation,
        area=details.area,
        frequency=details.frequency,
        first_period_start=details.first_period_start,
        due_days=details.due_days,
        guidance=details.guidance.strip(),
    )
    by.audit(template, None, audit.snapshot(template, TEMPLATE_FIELDS), what="return template")
    return template


@transaction.atomic
def update_template(template: ReturnTemplate, details: TemplateDetails, *, by: Actor) -> bool:
    """Change a template's details; audited before/after. True if anything changed.

    The slug (in links and spreadsheets already sent out) never changes.
    """
    check_details(details)
    _check_history(template, details)
    before = audit.snapshot(template, TEMPLATE_FIELDS)
    template.name = details.name.strip()
    template.organisation = details.organisation
    template.area = details.area
    template.frequency = details.frequency
    template.first_period_start = details.first_period_start
    template.due_days = details.due_days
    template.guidance = details.guidance.strip()
    template.save()
    after = audit.snapshot(template, TEMPLATE_FIELDS)
    by.audit(template, before, after, what="return template")
    return before != after


def _check_history(template: ReturnTemplate, details: TemplateDetails) -> None:
    """Once returns are accepted, their periods and area are history: the frequency and
    area stay, and the first period cannot move past the first accepted return."""
    first = template.submissions.order_by("period_start").values_list("period_start", flat=True)
    earliest = first.first()
    if earliest is None:
        return
    again = "retire this template and add a new one instead"
    if details.frequency != template.frequency:
        raise ValidationError(
            {"frequency": f"Returns have been accepted, so the frequency stays: {again}"}
        )
    if details.area.pk != template.area_id:
        raise ValidationError({"area": f"Returns have been accepted, so the area stays: {again}"})
    if template.period_for(details.first_period_start).start > earliest:
        raise ValidationError(
            {
                "first_period_start": "The first period cannot start after the first "
                f"accepted return ({earliest:%-d %B %Y})"
            }
        )


@transaction.atomic
def retire_template(template: ReturnTemplate, *, by: Actor, on: date | None = None) -> None:
    """Stop asking for the template's returns; accepted submissions are kept."""
    before = audit.snapshot(template, TEMPLATE_FIELDS)
    template.active = False
    template.retired_on = on or timezone.localdate()
    template.save(update_fields=["active", "retired_on"])
    by.audit(template, before, audit.snapshot(template, TEMPLATE_FIELDS), what="return template")


@transaction.atomic
def reinstate_template(template: ReturnTemplate, *, by: Actor) -> None:
    """Ask for a retired template's returns again (a retirement made by mistake)."""
    before = audit.snapshot(template, TEMPLATE_FIELDS)
    template.active = True
    template.retired_on = None
    template.save(update_fields=["active", "retired_on"])
    by.audit(template, before, audit.snapshot(template, TEMPLATE_FIELDS), what="return template")


def return_measures() -> Any:
    """The measures a template may carry: those filled in by partner returns."""
    return Measure.objects.filter(source_kind=SourceKind.PARTNER_RETURN).order_by("label")


@transaction.atomic
def create_return_measure(
    label: str, *, unit: str = Unit.COUNT, description: str = "", by: Actor
) -> Measure:
    """A new data-return measure (rated by a person, no direction of good); audited."""
    label = label.strip()
    if not label:
        raise ValidationError({"new_label": "Enter the new measure's name"})
    if unit not in Unit.values:
        raise ValidationError({"new_unit": "Choose the unit"})
    taken = set(return_measures().values_list("slug", flat=True))
    measure = Measure.objects.create(
        source_kind=SourceKind.PARTNER_RETURN,
        slug=_unique_slug(label, taken),
        label=label,
        unit=unit,
        description=description.strip(),
        direction=Direction.NEUTRAL,
        rag_rule=ensure_standard_rules()["manual"],
    )
    by.audit(measure, None, audit.snapshot(measure, MEASURE_FIELDS), what="data-return measure")
    return measure


def _check_measure(template: ReturnTemplate, measure: Measure) -> None:
    if measure.source_kind != SourceKind.PARTNER_RETURN:
        raise ValidationError({"measure": f"{measure.label} is not a data-return measure"})
    if template.items.filter(measure=measure).exists():
        raise ValidationError({"measure": f"{measure.label} is already on this template"})
    # Two live templates returning one measure for one area would overwrite each
    # other's observations.
    clash = (
        TemplateMeasure.objects.filter(
            measure=measure, template__active=True, template__area=template.area
        )
        .exclude(template=template)
        .select_related("template")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {"measure": f"{measure.label} is already returned on {clash.template.name}"}
        )


def _apply(item: TemplateMeasure, checks: FieldChecks) -> None:
    item.required = checks.required
    item.integer = checks.integer
    item.allow_negative = checks.allow_negative
    item.minimum = checks.minimum
    item.maximum = checks.maximum
    item.change_threshold_pct = checks.change_threshold_pct
    item.hint = checks.hint.strip()


@transaction.atomic
def add_field(
    template: ReturnTemplate, measure: Measure, checks: FieldChecks, *, by: Actor
) -> TemplateMeasure:
    """Put ``measure`` on the template, last, with its checks; audited."""
    _check_measure(template, measure)
    check_field(checks)
    last = template.items.order_by("-position").values_list("position", flat=True).first()
    item = TemplateMeasure(
        template=template, measure=measure, position=0 if last is None else last + 1
    )
    _apply(item, checks)
    item.save()
    by.audit(item, None, audit.snapshot(item, ITEM_FIELDS), what="return template field")
    return item


@transaction.atomic
def update_field(item: TemplateMeasure, checks: FieldChecks, *, by: Actor) -> bool:
    """Change a field's checks and hint; audited before/after. True if anything changed."""
    check_field(checks)
    before = audit.snapshot(item, ITEM_FIELDS)
    _apply(item, checks)
    item.save()
    after = audit.snapshot(item, ITEM_FIELDS)
    by.audit(item, before, after, what="return template field")
    return before != after


@transaction.atomic
def remove_field(item: TemplateMeasure, *, by: Actor) -> None:
    """Take a field off the template. Values already returned stay in their submissions."""
    by.audit(item, audit.snapshot(item, ITEM_FIELDS), None, what="return template field")
    template = item.template
    item.delete()
    _renumber(list(template.items.order_by("position", "pk")))


def _renumber(items: list[TemplateMeasure]) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def field_order(template: ReturnTemplate) -> list[str]:
    """The template's fields, by measure slug, in the order the form shows them."""
    return list(template.items.order_by("position", "pk").values_list("measure__slug", flat=True))


@transaction.atomic
def move_field(item: TemplateMeasure, offset: int, *, by: Actor) -> bool:
    """Move a field up (-1) or down (+1) the form; audited. False at either end."""
    template = item.template
    items = list(template.items.select_related("measure").order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(items):
        return False
    before = field_order(template)
    items[index], items[target] = items[target], items[index]
    _renumber(items)
    by.audit(template, {"fields": before}, {"fields": field_order(template)}, what="field order")
    return True
