from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

# Monday 2 June 2025, 10:00 in Tokyo.
NOW = "2025-06-02T10:00:00+09:00"


@pytest.fixture
def frozen_now() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
