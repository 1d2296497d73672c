"""Forms of the youth justice pages."""

from __future__ import annotations

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".zip,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ExportUploadForm(forms.Form):
    export = MultipleFileField(
        label="Case management export",
        error_messages={"required": "Select the export: a ZIP file, or the CSV files"},
    )


class ColumnMappingForm(forms.Form):
    """One select per declared column of each file whose headers did not match: which
    of the file's own headers holds it (the column-mapping step)."""

    service = forms.CharField(
        label="Service these column names belong to",
        required=False,
        max_length=120,
        help_text="The youth justice service whose case management system made the export. "
        "Leave blank if the same names serve every service.",
    )

    def __init__(self, headers: dict[str, list[str]], *args, **kwargs):  # type: ignore[no-untyped-def]
        from saferboard.youthjustice.mapping import expected_columns, optional_columns

        super().__init__(*args, **kwargs)
        self.headers = headers
        declared = expected_columns()
        self.files: list[tuple[str, list[str]]] = []
        for name, file_headers in headers.items():
            lower = {h.strip().lower(): h for h in file_headers}
            names = []
            for column in declared.get(name, ()):
                key = f"{name.removesuffix('.csv')}__{column}"
                optional = column in optional_columns(name)
                self.fields[key] = forms.ChoiceField(
                    label=f"{column} (optional)" if optional else f"{column}",
                    choices=[("", "Not in this export" if optional else "Choose the file's column")]
                    + [(h, h) for h in file_headers],
                    initial=lower.get(column, ""),
                    required=not optional,
                    error_messages={"required": f"Choose the column of {name} that holds {column}"},
                )
                names.append(key)
            self.files.append((name, names))

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        for name, problems in self.problems(cleaned).items():
            for field, message in problems:
                if field in self.fields:
                    self.add_error(field, message)
                else:
                    self.add_error(None, f"{name}: {message}")
        return cleaned

    def mappings(self, cleaned: dict | None = None) -> dict[str, dict[str, str]]:  # type: ignore[type-arg]
        """The chosen mapping of each file: declared column → the file's header."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        found: dict[str, dict[str, str]] = {}
        for name, keys in self.files:
            found[name] = {key.split("__", 1)[1]: cleaned[key] for key in keys if cleaned.get(key)}
        return found

    def problems(self, cleaned: dict) -> dict[str, list[tuple[str, str]]]:  # type: ignore[type-arg]
        from saferboard.youthjustice.mapping import check_mapping

        found = {}
        for name, mapping in self.mappings(cleaned).items():
            stem = name.removesuffix(".csv")
            found[name] = [
                (f"{stem}__{p.column}", p.message)
                for p in check_mapping(name, self.headers[name], mapping)
                if f"{stem}__{p.column}" not in self.errors
            ]
        return found


PUBLISHED_SUFFIXES = (".csv", ".xlsx", ".xlsm")
MAX_PUBLISHED_BYTES = 20 * 1024 * 1024


class PublishedUploadForm(forms.Form):
    """A publication of MoJ/YJB youth justice statistics to import (as ``yj published``)."""

    file = forms.FileField(
        label="Publication file",
        help_text="A CSV file or an Excel workbook (.xlsx) with a row per service and period.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PUBLISHED_SUFFIXES)}),
        error_messages={"required": "Select the publication file: a CSV file or a workbook"},
    )
    published_on = forms.DateField(
        label="Publication date",
        help_text="The day the statistics were published. For example, 29/1/2026",
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"],
        widget=forms.TextInput(),
        error_messages={
            "required": "Enter the publication date",
            "invalid": "The publication date must be a real date, like 29/1/2026",
        },
    )
    sheet = forms.CharField(
        label="Sheet (optional)",
        required=False,
        max_length=100,
        help_text="For a workbook: the name of the sheet with the figures. Leave blank to "
        "read the first sheet.",
    )
    synthetic = forms.BooleanField(
        label="These figures are synthetic (made up for a demonstration), not published",
        required=False,
        initial=False,
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(PUBLISHED_SUFFIXES):
            raise forms.ValidationError(
                "The publication file must be a CSV file or an .xlsx workbook"
            )
        if upload.size > MAX_PUBLISHED_BYTES:
            raise forms.ValidationError("The publication file must be smaller than 20 MB")
        return upload

    def clean_published_on(self):  # type: ignore[no-untyped-def]
        from django.utils import timezone

        day = self.cleaned_data["published_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The publication date must be today or in the past")
        return day


class PublishedMappingForm(forms.Form):
    """The column-mapping step of the published-statistics upload: one select per column
    a publication may have (:func:`saferboard.youthjustice.published_mapping.columns`),
    each offering the file's own headers."""

    def __init__(self, headers: list[str], *args, **kwargs):  # type: ignore[no-untyped-def]
        from saferboard.youthjustice.published_mapping import columns, obvious_matches

        super().__init__(*args, **kwargs)
        self.headers = headers
        guessed = obvious_matches(headers)
        for column, label, required in columns():
            self.fields[column] = forms.ChoiceField(
                label=f"{column}: {label}",
                required=required,
                choices=[("", "Choose the file's column" if required else "Not in this file")]
                + [(h, h) for h in headers],
                initial=guessed.get(column, ""),
                error_messages={"required": f"Choose the column that holds {column}"},
            )

    def clean(self):  # type: ignore[no-untyped-def]
        from saferboard.youthjustice.published_mapping import check

        cleaned = super().clean()
        for column, message in check(self.headers, self.mapping(cleaned)):
            if column in self.fields and column not in self.errors:
                self.add_error(column, message)
            elif column not in self.fields:
                self.add_error(None, message)
        return cleaned

    def mapping(self, cleaned: dict | None = None) -> dict[str, str]:  # type: ignore[type-arg]
        """The chosen mapping: expected column → the file's header."""
        cleaned = self.cleaned_data if cleaned is None else cleaned
        return {c: cleaned[c] for c in self.fields if cleaned.get(c)}
