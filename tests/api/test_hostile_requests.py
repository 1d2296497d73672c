"""Hostile requests answer JSON errors that name no server path (issue 18, findings 12
and 13)."""

from __future__ import annotations

import pytest
from django.conf import settings

from saferboard.core.models import Role
from tests.api.test_crime_upload import HEADER, upload


def test_multipart_without_a_boundary_is_a_400(token_for) -> None:
    """Finding 12: it answered 500."""
    police = token_for(Role.PARTNER_LEAD, scope="write")
    response = police.client.post(
        "/api/crime/police-uk",
        b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\nabc\r\n--x--\r\n",
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {police.key}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_rejected_upload_names_the_file_not_the_server_path(token_for) -> None:
    """Finding 13: the problem named the server's temporary folder."""
    police = token_for(Role.PARTNER_LEAD, scope="write")
    queued = upload(police, "june.csv", (HEADER + "not,a,row\n").encode())
    assert queued.status_code == 202
    response = police.get(queued.json()["url"])
    assert response.json()["status"] == "failed"
    text = response.content.decode()
    assert str(settings.DATA_DIR) not in text and "api-upload-" not in text
    assert "june.csv" in text


@pytest.mark.parametrize(
    "path",
    ["/api/measures/..%2f..%2f/etc", "/api/no-such-endpoint", "/api/measures/a/b/c/d"],
)
def test_unknown_api_paths_answer_json(token_for, path) -> None:
    """Finding 13: an unknown API path answered the HTML 404 page."""
    police = token_for(Role.PARTNER_LEAD)
    response = police.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_crime_upload_shares_the_web_limit(token_for, monkeypatch) -> None:
    from saferboard.crime import jobs

    monkeypatch.setattr(jobs, "MAX_UPLOAD_BYTES", 100)
    police = token_for(Role.PARTNER_LEAD, scope="write")
    response = upload(police, "june.csv", (HEADER * 5).encode())
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The file is larger than 200 MB"
