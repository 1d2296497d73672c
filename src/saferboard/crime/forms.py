"""Forms of the crime pages: the dashboard pickers and the import upload."""

from __future__ import annotations

from django import forms

from saferboard.crime.importer import FORMATS
from saferboard.crime.jobs import MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL

FORMAT_LABELS = {
    "auto": "Work it out from the file",
    "police-uk": "police.uk street-level crime (CSV, folder archive .zip)",
    "mps-recorded-crime": "Met recorded crime, London Datastore (CSV or Parquet)",
    "mps-crime-dashboard": "Met monthly crime dashboard extract, London Datastore (CSV or Parquet)",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


class ImportForm(forms.Form):
    limit_text = f"Up to {MAX_UPLOAD_LABEL} in all"

    files = MultipleFileField(
        label="Files to import",
        error_messages={"required": "Select the files to import"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[(f, FORMAT_LABELS[f]) for f in FORMATS],
        initial="auto",
    )

    def clean_files(self):  # type: ignore[no-untyped-def]
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Select the files to import")
        for f in files:
            name = (f.name or "").lower()
            if not name.endswith((".csv", ".csv.gz", ".parquet", ".zip")):
                raise forms.ValidationError(
                    f"{f.name} is not a CSV, Parquet or zip file: choose the published files"
                )
        if sum(f.size or 0 for f in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The files are larger than {MAX_UPLOAD_LABEL} in all: import them in "
                "several uploads"
            )
        return files
