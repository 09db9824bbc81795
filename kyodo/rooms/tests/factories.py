"""Factories for rooms and reservations, with realistic Japanese data."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from kyodo.centers.tests.factories import CenterFactory
from kyodo.organizations.models import OrganizationMember
from kyodo.rooms.models import Eligibility, FeeRule, FeeUnit, Reservation, Room

OPENING_HOURS = "月曜日～土曜日 9:00～21:00 日曜日・祝日 9:00～17:00"


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    class Meta:
        model = Room
        skip_postgeneration_save = True

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"集会室{n + 1}")
    capacity = 30
    floor_area_m2 = 46
    opening_hours = OPENING_HOURS
    closed_days = "年末年始、第3木曜日 点検日"
    eligibility = Eligibility.CITIZENS
    booking_opens_months = 2
    booking_closes_hours = 1


def add_division_fees(room: Room) -> None:
    """午前 9–12 1,200円 / 午後 13–17 1,500円 / 夜間 18–21 1,800円 / 全日 3,600円."""
    for label, start, end, fee in [
        ("午前", 9, 12, 1200),
        ("午後", 13, 17, 1500),
        ("夜間", 18, 21, 1800),
        ("全日", 9, 21, 3600),
    ]:
        FeeRule.objects.create(
            room=room,
            label=label,
            unit=FeeUnit.DIVISION,
            starts_at_time=datetime.time(start),
            ends_at_time=datetime.time(end),
            fee_yen=fee,
        )


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def reserve(room: Room, day: datetime.date, start: int, end: int, **kwargs: object) -> Reservation:
    values: dict[str, object] = {"purpose": "定例会議", "people": 10, **kwargs}
    return Reservation.objects.create(
        room=room, starts_at=at(day, start), ends_at=at(day, end), **values
    )


def make_member(
    user: Any,
    organization: Any,
    *,
    role: str = "representative",
    status: str = "approved",
) -> OrganizationMember:
    """``user`` as a member of ``organization`` (approved representative by default)."""
    return OrganizationMember.objects.create(
        organization=organization,
        user=user,
        role=role,
        role_in_group="代表" if role == "representative" else "会計",
        phone="090-1234-5678",
        status=status,
        decided_at=timezone.now() if status != "requested" else None,
    )
