"""Property-based test of the API against its own published schema (schemathesis).

Requests generated from docs/openapi.json (the same schema the app serves: see
test_endpoints) go through Django's WSGI application in-process, with a write token
that holds every capability, and no response may be a server error. Bounded to a few
examples per operation so the run stays well under a minute.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from saferboard.core.models import Role

DOCS_SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"

schema = schemathesis.openapi.from_path(str(DOCS_SCHEMA))
schema.app = WSGIHandler()


@pytest.fixture
def key(db, make_user, monkeypatch):  # type: ignore[no-untyped-def]
    """An administrator's write token, and some data for the reads to find."""
    from saferboard.api.routes import THROTTLE
    from saferboard.api.tokens import create_token
    from tests.returns.factories import make_template

    monkeypatch.setattr(THROTTLE, "num_requests", 1_000_000)
    template = make_template(first=date(2024, 1, 1))
    user = make_user(Role.ADMINISTRATOR, organisation=template.organisation)
    # A WSGI request closes the database connection when it ends, which would end the
    # test's transaction; Django's test client avoids that the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield create_token(user, scope="write", name="schemathesis").key
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case, key) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    case.validate_response(response, checks=[not_a_server_error])
