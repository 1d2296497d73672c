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
        from saferboard.youthjustice.mapping import expected_columns

        super().__init__(*args, **kwargs)
        self.headers = headers
        declared = expected_columns()
        self.files: list[tuple[str, list[str]]] = []
        for name, file_headers in headers.items():
            lower = {h.strip().lower(): h for h in file_headers}
            names = []
            for column in declared.get(name, ()):
                key = f"{name.removesuffix('.csv')}__{column}"
                self.fields[key] = forms.ChoiceField(
                    label=f"{column}",
                    choices=[("", "Choose the file's column")] + [(h, h) for h in file_headers],
                    initial=lower.get(column, ""),
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
