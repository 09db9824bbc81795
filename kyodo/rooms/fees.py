"""The fee of a booking, from the room's fee table (``FeeRule`` rows).

- By 区分 (午前 9–12 / 午後 13–17 / 夜間 18–21 / 全日 9–21): a division that matches the
  booking exactly is its fee (so 全日 costs what the table says, not 午前+午後+夜間);
  otherwise the sum of the divisions the booking overlaps, 全日 left out.
- By the hour: the hourly fee times the hours begun.
- By コマ: the fee of one コマ times the コマ begun (a 3-hour コマ, a 2-hour 料理室 コマ).

A room without fee rules is free (0 yen).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable

from django.utils import timezone

from kyodo.rooms.models import FeeRule, FeeUnit

FULL_DAY_LABELS = {"全日", "終日"}


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def compute_fee_yen(
    rules: Iterable[FeeRule], starts_at: datetime.datetime, ends_at: datetime.datetime
) -> int:
    rules = list(rules)
    if not rules or ends_at <= starts_at:
        return 0
    start = timezone.localtime(starts_at)
    end = timezone.localtime(ends_at)
    length = (end - start).total_seconds() / 60
    divisions = [
        r for r in rules if r.unit == FeeUnit.DIVISION and r.starts_at_time and r.ends_at_time
    ]
    if divisions:
        first = _minutes(start.time())
        last = first + int(length)
        for rule in divisions:
            assert rule.starts_at_time and rule.ends_at_time  # noqa: S101 - narrowed above
            if _minutes(rule.starts_at_time) == first and _minutes(rule.ends_at_time) == last:
                return rule.fee_yen
        total = 0
        for rule in divisions:
            assert rule.starts_at_time and rule.ends_at_time  # noqa: S101
            if rule.label in FULL_DAY_LABELS:
                continue
            if _minutes(rule.starts_at_time) < last and _minutes(rule.ends_at_time) > first:
                total += rule.fee_yen
        return total
    hourly = [r for r in rules if r.unit == FeeUnit.HOUR]
    if hourly:
        return math.ceil(length / 60) * min(r.fee_yen for r in hourly)
    koma = [r for r in rules if r.unit == FeeUnit.KOMA and r.minutes]
    if koma:
        rule = koma[0]
        assert rule.minutes  # noqa: S101
        return math.ceil(length / rule.minutes) * rule.fee_yen
    return 0
