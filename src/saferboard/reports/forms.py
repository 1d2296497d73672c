"""Forms of the board pack pages."""

from __future__ import annotations

from typing import Any

from django import forms

MAX_APPENDIX_BYTES = 25 * 1024 * 1024


class AcknowledgeForm(forms.Form):
    reason = forms.CharField(
        label="Why the figures are right as they stand",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the figures are right as they stand"},
    )


class AppendixForm(forms.Form):
    """Upload a PDF paper for an agenda item; its pages are counted on upload."""

    item = forms.TypedChoiceField(
        label="Agenda item", coerce=int, error_messages={"required": "Choose the agenda item"}
    )
    title = forms.CharField(
        label="Title of the paper",
        max_length=250,
        error_messages={"required": "Enter the title of the paper"},
    )
    file = forms.FileField(
        label="PDF file", error_messages={"required": "Choose a PDF file to upload"}
    )

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "Choose an item"), *items]
        self.pages = 0

    def clean_file(self) -> Any:
        from saferboard.reports.render import UnreadableAppendix, appendix_pages

        upload = self.cleaned_data["file"]
        if upload.size > MAX_APPENDIX_BYTES:
            raise forms.ValidationError("The file must be smaller than 25 MB")
        data = upload.read()
        upload.seek(0)
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError("The file must be a PDF")
        try:
            self.pages = appendix_pages(data)
        except UnreadableAppendix as error:
            raise forms.ValidationError(str(error)) from error
        return upload
