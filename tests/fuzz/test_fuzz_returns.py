"""Partner returns, fuzzed: values as typed, and filled-in templates with hostile cells."""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from saferboard.core.models import AuditEvent
from saferboard.core.periods import Period
from saferboard.measures.models import DataImport, Observation
from saferboard.returns import xlsx
from saferboard.returns.models import Channel, ReturnTemplate, Submission
from saferboard.returns.services import (
    ReturnRequest,
    accept_upload,
    submit_return,
    template_items,
    template_workbook,
)
from saferboard.returns.validation import MAX_VALUE, RawEntry, parse_value
from tests.fuzz.hostile import (
    BIG_NUMBERS,
    FORMULAS,
    ODD_DATES,
    hostile_text,
    hostile_text_under,
    mangled,
)
from tests.fuzz.isolation import fresh_example
from tests.fuzz.stores import snapshot
from tests.returns.factories import make_template

pytestmark = pytest.mark.fuzz
# The template fixture is made once per test and shared by its examples; that is safe
# because each example runs in fresh_example(): what it writes is rolled back, so every
# example starts from the same template and an empty data directory.
FIXTURE_SAFE = [HealthCheck.function_scoped_fixture]
JAN = Period.month(2025, 1)

typed_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**500), 10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(BIG_NUMBERS + ODD_DATES + FORMULAS),
    hostile_text,
)


@given(raw=typed_values)
def test_a_typed_value_is_a_number_blank_or_a_message(raw: object) -> None:
    result = parse_value(raw)  # type: ignore[arg-type]
    if isinstance(result, float):
        assert math.isfinite(result) and abs(result) <= MAX_VALUE
    else:
        assert result is None or (isinstance(result, str) and result)
    if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) <= 10**6:
        assert result == float(raw)  # an ordinary count is read exactly


@pytest.fixture
def template(db) -> ReturnTemplate:  # type: ignore[no-untyped-def]
    return make_template()


cell_values = st.one_of(
    st.none(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False),
    hostile_text_under(32_000).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),
)


@st.composite
def filled(draw: st.DrawFn, blank: bytes) -> tuple[bytes, bool]:
    """The template with hostile cells typed in (value, comment, ID, period, beyond the
    last column, below the last row), then sometimes mangled as bytes.

    Most values are counts as a partner types them, so whole returns are accepted too
    (and with them corrections and changes that need a comment); the rest are hostile.
    """
    book = load_workbook(io.BytesIO(blank))
    sheet = book[xlsx.SHEET]
    for row in range(xlsx.FIRST_ROW, xlsx.FIRST_ROW + 3):
        value = cell_values if draw(st.integers(0, 3)) == 0 else st.integers(0, 500)
        sheet.cell(row, xlsx.VALUE_COLUMN).value = draw(value)
        if draw(st.booleans()):
            sheet.cell(row, xlsx.COMMENT_COLUMN).value = draw(cell_values)
    for _ in range(draw(st.integers(0, 2))):
        row = draw(st.integers(1, xlsx.FIRST_ROW + 4))
        column = draw(st.integers(1, 8))
        sheet.cell(row, column).value = draw(cell_values)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if draw(st.integers(0, 4)) == 0:
        return draw(mangled(data)), True
    return data, False


def check_rejection(error: xlsx.UploadRejected, name: str) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.file == name and str(problem).startswith(name)
        if problem.column is not None:
            assert problem.row is not None and problem.row >= 1
            assert problem.column.isalpha() and problem.column.isupper()


@settings(suppress_health_check=FIXTURE_SAFE)
@given(data=st.data())
def test_an_upload_is_read_or_refused_with_located_problems(
    template: ReturnTemplate, data: st.DataObject
) -> None:
    """The pure reader (layout checks) on hostile workbooks."""
    if not hasattr(template, "blank"):
        template.blank = template_workbook(template, JAN)  # type: ignore[attr-defined]
    content, _ = data.draw(filled(template.blank))  # type: ignore[attr-defined]
    with fresh_example():
        slugs = [item.measure.slug for item in template_items(template)]
        try:
            parsed = xlsx.read_upload(
                content,
                file_name="return.xlsx",
                template_ref=template.slug,
                kind_of_period=template.period_kind,
                expected_slugs=slugs,
            )
        except xlsx.UploadRejected as error:
            check_rejection(error, "return.xlsx")
            return
        assert sorted(parsed.rows) == sorted(slugs)
        assert set(parsed.entries) == set(slugs)


def accept_earlier(template: ReturnTemplate, period: Period | None) -> None:
    """An accepted return for ``period`` (none: no earlier return) typed in on the web."""
    if period is not None:
        entries = {item.measure.slug: RawEntry("10") for item in template_items(template)}
        submit_return(ReturnRequest(template, period, entries, user=None, channel=Channel.WEB))


@settings(suppress_health_check=FIXTURE_SAFE)
@given(data=st.data())
def test_an_upload_is_accepted_whole_or_not_at_all(
    template: ReturnTemplate, data: st.DataObject
) -> None:
    """Sometimes over an earlier accepted return: the same month's (the upload is then a
    correction, which needs a reason) or the month before's (a value far from it needs
    a comment)."""
    if not hasattr(template, "blank"):
        template.blank = template_workbook(template, JAN)  # type: ignore[attr-defined]
    content, _ = data.draw(filled(template.blank))  # type: ignore[attr-defined]
    earlier = data.draw(st.sampled_from([None, JAN, JAN.previous()]))
    reason = data.draw(st.sampled_from(["", "Corrected after a recount"]))
    with fresh_example():
        accept_earlier(template, earlier)
        stored = [Submission, Observation, DataImport, AuditEvent]
        before = snapshot(stored)
        try:
            submission = accept_upload(
                template, content, file_name="return.xlsx", user=None, reason=reason
            )
        except xlsx.UploadRejected as error:
            check_rejection(error, "return.xlsx")
            assert snapshot(stored) == before
            return
        assert submission.values.count() == len(template_items(template))
        for value in submission.values.all():
            assert value.value is None or abs(value.value) <= MAX_VALUE
