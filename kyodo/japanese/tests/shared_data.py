"""Where the tests find the real public data shipped beside the repository (../shared/data)."""

from __future__ import annotations

import pytest
from django.conf import settings

SHARED_DATA = settings.BASE_DIR.parent / "shared" / "data"

requires_shared_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(),
    reason=f"The shared data directory {SHARED_DATA} is absent (it is cloned beside the repo).",
)
