"""The web form for one period's return, built from the template's measures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms

from saferboard.returns.models import TemplateMeasure
from saferboard.returns.validation import MAX_COMMENT, RawEntry, ValueProblem


@dataclass
class FormRow:
    item: TemplateMeasure
    value: forms.BoundField
    comment: forms.BoundField
    previous: float | None


class ReturnForm(forms.Form):
    """A value and a comment per measure, and a reason when correcting an accepted return.

    The fields only collect text: the return's own checks
    (:func:`saferboard.returns.validation.validate_return`) decide what is acceptable,
    so the web, the spreadsheet and the API agree.
    """

    def __init__(
        self,
        items: Sequence[TemplateMeasure],
        previous: dict[str, float | None],
        *args: object,
        correction: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.items = list(items)
        self.previous = previous
        self.correction = correction
        for item in self.items:
            slug = item.measure.slug
            self.fields[f"value_{slug}"] = forms.CharField(
                required=False, max_length=30, label=item.measure.label
            )
            self.fields[f"comment_{slug}"] = forms.CharField(
                required=False,
                max_length=MAX_COMMENT,
                label=f"Comment on {item.measure.label.lower()} (optional)",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if correction:
            self.fields["reason"] = forms.CharField(
                required=False,
                max_length=MAX_COMMENT,
                label="Why are you correcting this return?",
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @property
    def rows(self) -> list[FormRow]:
        return [
            FormRow(
                item,
                self[f"value_{item.measure.slug}"],
                self[f"comment_{item.measure.slug}"],
                self.previous.get(item.measure.slug),
            )
            for item in self.items
        ]

    def entries(self) -> dict[str, RawEntry]:
        data = self.cleaned_data
        return {
            item.measure.slug: RawEntry(
                data.get(f"value_{item.measure.slug}", ""),
                data.get(f"comment_{item.measure.slug}", ""),
            )
            for item in self.items
        }

    def add_problems(self, problems: Sequence[ValueProblem]) -> None:
        """Show the return's problems against the fields they concern."""
        for p in problems:
            if p.field == "reason" and "reason" in self.fields:
                self.add_error("reason", p.message)
            elif p.field in {"value", "comment"}:
                self.add_error(f"{p.field}_{p.slug}", p.message)
            else:
                self.add_error(None, p.message)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the completed spreadsheet",
        error_messages={"required": "Choose the completed spreadsheet to upload"},
    )

    def __init__(self, *args: object, correction: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if correction:
            self.fields["reason"] = forms.CharField(
                required=False,
                max_length=MAX_COMMENT,
                label="Why are you correcting this return?",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
