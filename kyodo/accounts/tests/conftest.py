from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _mail_limits_forgotten() -> Iterator[None]:
    """The once-a-minute limit on mails per address lives in the cache."""
    cache.clear()
    yield
    cache.clear()
