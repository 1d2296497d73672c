"""Forms of the set-up workbook pages: the upload, and the confirmation of a preview."""

from __future__ import annotations

from django import forms

from saferboard.setup.workbook_reader import MAX_UPLOAD_BYTES


class WorkbookUploadForm(forms.Form):
    """Upload a filled-in set-up workbook to preview what it would change."""

    workbook = forms.FileField(
        label="Set-up workbook",
        help_text="An Excel .xlsx file, smaller than 5MB, laid out like the template.",
        error_messages={"required": "Select the set-up workbook to upload"},
    )

    def clean_workbook(self) -> object:
        upload = self.cleaned_data["workbook"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("The selected file must be an Excel .xlsx workbook")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5MB")
        return upload


class WorkbookConfirmForm(forms.Form):
    """Apply the previewed workbook; ``digest`` proves it is the file that was previewed."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
