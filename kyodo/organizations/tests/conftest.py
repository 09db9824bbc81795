"""Fixtures of the organization registry's tests: the network of centers of the centers
app's tests, the real NTA files, and helpers to run imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from kyodo.centers.tests.conftest import Network, network, person  # noqa: F401
from kyodo.organizations import actions
from kyodo.organizations.importers import ImportReport

SHARED_NPO = settings.BASE_DIR.parent / "shared" / "data" / "npo"
HOKKAIDO = SHARED_NPO / "nta_houjin_npo_diffs_hokkaido_2021-07_2026-08.csv"
YOKOHAMA = SHARED_NPO / "nta_houjin_npo_diffs_yokohama_2021-07_2026-08.csv"
DATA = Path(__file__).parent / "data"

requires_nta_files = pytest.mark.skipif(
    not HOKKAIDO.is_file() or not YOKOHAMA.is_file(),
    reason=f"The real NTA files are absent from {SHARED_NPO} (../shared sits beside the repo).",
)

Importer = Callable[..., ImportReport]


@pytest.fixture
def run_import(db: Any) -> Importer:
    """``run_import("nta", data, file_name=…)``: the action as the command line runs it."""

    def run(
        source: str, data: bytes | str, file_name: str = "list.csv", **kwargs: Any
    ) -> ImportReport:
        if isinstance(data, str):
            data = data.encode("utf-8")
        return actions.import_organizations(source=source, data=data, file_name=file_name, **kwargs)

    return run


__all__ = ["DATA", "HOKKAIDO", "YOKOHAMA", "Network", "requires_nta_files"]
