"""check_not_before: the one "this date must not be before that one" check of every form."""

from __future__ import annotations

from datetime import date

from django import forms

from saferboard.core.form_checks import check_not_before


class _Span(forms.Form):
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)


def _checked(start: str, end: str) -> _Span:
    form = _Span({"start": start, "end": end})
    assert form.is_valid() or form.errors  # runs the field checks
    check_not_before(form, form.cleaned_data, "start", "end", "Ends before it starts")
    return form


def test_a_later_date_before_the_earlier_one_is_refused_on_the_later_field() -> None:
    form = _checked("2025-04-02", "2025-04-01")
    assert form.errors == {"end": ["Ends before it starts"]}
    assert "end" not in form.cleaned_data
    assert form.cleaned_data["start"] == date(2025, 4, 2)


def test_the_same_day_and_a_later_day_are_fine() -> None:
    assert not _checked("2025-04-01", "2025-04-01").errors
    assert not _checked("2025-04-01", "2025-04-02").errors


def test_an_empty_date_is_not_compared() -> None:
    assert not _checked("", "2025-04-01").errors
    assert not _checked("2025-04-01", "").errors
