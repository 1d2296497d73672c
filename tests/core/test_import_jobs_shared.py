"""The pieces issue 23 folded out of two apps each: what every one of them now does."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from saferboard.core.importing.cells import cell_text


def test_a_cell_reads_as_the_text_both_importers_read() -> None:
    assert cell_text(None) == ""
    assert cell_text(datetime(2024, 3, 31, 17, 45)) == "2024-03-31"  # the time dropped
    assert cell_text(date(2024, 4, 1)) == "2024-04-01"
    assert cell_text(12.0) == "12"  # a whole number without ".0"
    assert cell_text(12.5) == "12.5"
    assert cell_text(7) == "7"
    assert cell_text("  Youth offending  ") == "Youth offending"
    # The action-plan importer tidies text its own way (line endings, no-break spaces).
    assert cell_text(" a\r\nb\xa0c ", lambda t: t.replace("\r\n", "\n").strip()) == "a\nb\xa0c"


def _old_problem_table(first: str, caption: str, opening: str) -> str:
    """The markup returns/upload.html and setup/workbook_preview.html each wrote."""
    return (
        f"{opening}\n"
        f'  <caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>\n'
        '  <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
        f'    <th scope="col" class="govuk-table__header">{first}</th>\n'
        '    <th scope="col" class="govuk-table__header">Row</th>\n'
        '    <th scope="col" class="govuk-table__header">Column</th>\n'
        '    <th scope="col" class="govuk-table__header">Value</th>\n'
        '    <th scope="col" class="govuk-table__header">Problem</th>\n'
        "  </tr></thead>\n"
        '  <tbody class="govuk-table__body">\n'
        "  \n"
        '    <tr class="govuk-table__row">\n'
        '      <td class="govuk-table__cell">Returns</td>\n'
        '      <td class="govuk-table__cell">4</td>\n'
        '      <td class="govuk-table__cell">Value</td>\n'
        '      <td class="govuk-table__cell">&lt;b&gt;</td>\n'
        '      <td class="govuk-table__cell">is not a number</td>\n'
        "    </tr>\n"
        "  \n"
        '    <tr class="govuk-table__row">\n'
        '      <td class="govuk-table__cell">Returns</td>\n'
        '      <td class="govuk-table__cell"></td>\n'
        '      <td class="govuk-table__cell"></td>\n'
        '      <td class="govuk-table__cell"></td>\n'
        '      <td class="govuk-table__cell">has no Value column</td>\n'
        "    </tr>\n"
        "  \n"
        "  </tbody>\n"
        "</table>"
    )


PROBLEMS = [
    {"file": "Returns", "row": 4, "column": "Value", "value": "<b>", "message": "is not a number"},
    {
        "file": "Returns",
        "row": None,
        "column": None,
        "value": None,
        "message": "has no Value column",
    },
]


def test_the_problems_table_renders_what_both_pages_wrote() -> None:
    from django.template import engines

    def render(source: str) -> str:
        return engines["django"].from_string(source).render({"problems": PROBLEMS})

    upload = render(
        '{% include "components/problems_table.html" with problems=problems'
        ' caption="Problems in the file" first="File" only %}'
    )
    assert upload == _old_problem_table(
        "File", "Problems in the file", '<table class="govuk-table">'
    )
    preview = render(
        '{% include "components/problems_table.html" with problems=problems'
        ' caption="Problems to fix in the workbook" first="Sheet" table_id="problems" only %}'
    )
    assert preview == _old_problem_table(
        "Sheet", "Problems to fix in the workbook", '<table class="govuk-table" id="problems">'
    )


def test_a_settings_page_links_the_first_page_that_exists() -> None:
    from django.urls import reverse

    from saferboard.core.settings_pages import SETTINGS_HOME, first_link

    organisations = reverse("core:organisations")
    assert first_link(("core:no-such-page", "core:organisations")) == organisations
    assert first_link(("core:no-such-page",)) == SETTINGS_HOME == "/settings/"


@pytest.mark.django_db
def test_only_administrators_and_coordinators_change_settings(make_user) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from saferboard.core.models import Role
    from saferboard.core.settings_pages import may_change_settings, settings_user
    from saferboard.panels.setup_views import may_set_up_panels
    from saferboard.returns.setup_views import may_set_up_returns

    coordinator = make_user(Role.COORDINATOR)
    analyst = make_user(Role.ANALYST)
    administrator = make_user(superuser=True)
    assert may_change_settings(coordinator) and may_change_settings(administrator)
    assert not may_change_settings(analyst)
    assert may_set_up_panels is may_change_settings is may_set_up_returns
    request = RequestFactory().get("/")
    request.user = analyst
    with pytest.raises(PermissionDenied, match=r"^Only coordinators$"):
        settings_user(request, "Only coordinators")
    request.user = coordinator
    assert settings_user(request, "Only coordinators") == coordinator


def test_text_from_a_file_not_utf8_is_made_printable() -> None:
    from saferboard.core.importing.jobs import printable

    broken = b"Caf\xe9".decode("utf-8", "surrogateescape")  # as a non-UTF-8 file reads
    shown = "Caf" + "\ufffd" * 3  # the surrogate's three bytes, each replaced
    assert printable(broken) == shown and shown.encode("utf-8")
    assert printable({"value": broken, "row": 3}) == {"value": shown, "row": 3}
    assert printable((broken, "ok")) == [shown, "ok"]
    assert printable(None) is None


def test_upload_folders_no_live_job_needs_are_removed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import time
    from datetime import timedelta

    from saferboard.core.importing.jobs import remove_abandoned_uploads

    root = tmp_path / "uploads"
    for name in ("live", "stray", "recent"):
        (root / name).mkdir(parents=True)
    old = time.time() - 3600
    os.utime(root / "stray", (old, old))
    # With a minimum age, a folder made just now stays (its job may be starting).
    remove_abandoned_uploads(root, {"live"}, older_than=timedelta(minutes=10))
    assert sorted(p.name for p in root.iterdir()) == ["live", "recent"]
    remove_abandoned_uploads(root, {"live"})
    assert sorted(p.name for p in root.iterdir()) == ["live"]
    remove_abandoned_uploads(root / "none", {"live"})  # no folder yet: nothing to do
