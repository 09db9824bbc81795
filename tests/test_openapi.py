"""The generated OpenAPI document is pinned to the committed docs/api/openapi.json.

A change to the API shows up as a diff of that file in review. After an intended change:
    KYODO_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_openapi.py
"""

from __future__ import annotations

import json
import os

from django.conf import settings
from django.test import Client

SNAPSHOT = settings.BASE_DIR / "docs" / "api" / "openapi.json"


def test_the_openapi_document_matches_the_committed_snapshot(client: Client) -> None:
    # when
    response = client.get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    rendered = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("KYODO_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert SNAPSHOT.read_text(encoding="utf-8") == rendered, (
        "The API changed. If intended, run KYODO_UPDATE_SNAPSHOTS=1 pytest tests/test_openapi.py "
        "and commit docs/api/openapi.json."
    )


def test_the_interactive_api_documentation_is_served(client: Client) -> None:
    # when
    response = client.get("/api/v1/docs")

    # then
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_every_public_path_is_documented(client: Client) -> None:
    # when
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    # then
    assert "/api/v1/centers" in paths
    assert "/api/v1/centers/{center_id}" in paths
    assert "/api/v1/me" in paths
