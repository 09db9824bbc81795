"""Demo rooms and reservations, loaded by ``manage.py loaddemo`` (idempotent).

- The 32 rooms of four 地区センター transcribed in
  ``shared/data/facilities/meeting_rooms_sapporo_yokohama_transcribed.csv`` (a copy is in
  ``demo_data/``), with their 区分 or コマ fees; each facility becomes a partner facility
  of the network (their real names; no address where the page gave none).
- The seeds' own spaces: 札幌市市民活動サポートセンター 事務ブース / 打合せコーナー;
  横浜市市民協働推進センター ミーティングスペース (30 seats, registered groups) and
  スペースA・B (48 seats, combinable); rooms of 北海道立職業能力開発支援センター and
  札幌市産業振興センター, which refer groups to each other (相互あっせん). Those two
  centers' room lists are not in the data: their rooms here are illustrative.
- A few months of bookings around today, made without the booking rules (demo data).
"""

from __future__ import annotations

import csv
import datetime
import random
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kyodo.centers.models import Center, CenterKind
from kyodo.rooms.models import (
    Eligibility,
    FeeRule,
    FeeUnit,
    Reservation,
    ReservationStatus,
    Room,
)

CSV_NAME = "meeting_rooms_sapporo_yokohama_transcribed.csv"
LOCAL_COPY = Path(__file__).parent / "demo_data" / "meeting_rooms_transcribed.csv"
SAPPORO_HOURS = "毎日 9:00～22:00"
YOKOHAMA_HOURS = "月曜日～土曜日 9:00～21:00 日曜日・祝日 9:00～17:00"

FACILITIES = {
    "札幌市澄川地区センター": ("sapporo-sumikawa-chiku", "札幌市", "北海道", SAPPORO_HOURS),
    "札幌市菊水元町地区センター": (
        "sapporo-kikusuimotomachi-chiku",
        "札幌市",
        "北海道",
        SAPPORO_HOURS,
    ),
    "横浜市中川西地区センター": (
        "yokohama-nakagawanishi-chiku",
        "横浜市",
        "神奈川県",
        YOKOHAMA_HOURS,
    ),
    "横浜市杉田地区センター": ("yokohama-sugita-chiku", "横浜市", "神奈川県", YOKOHAMA_HOURS),
}
READINGS = {
    "札幌市澄川地区センター": "サッポロシスミカワチクセンター",
    "札幌市菊水元町地区センター": "サッポロシキクスイモトマチチクセンター",
    "横浜市中川西地区センター": "ヨコハマシナカガワニシチクセンター",
    "横浜市杉田地区センター": "ヨコハマシスギタチクセンター",
}
DIVISIONS = [("午前", 9, 12), ("午後", 13, 17), ("夜間", 18, 21), ("全日", 9, 21)]

# (center slug, room name, capacity, eligibility, opening hours, extra)
SEED_ROOMS: list[tuple[str, str, int, str, str, dict[str, Any]]] = [
    (
        "sapporo-shimin-katsudo",
        "事務ブース",
        4,
        Eligibility.REGISTERED_GROUPS,
        "月曜日～土曜日 9:00～22:00 日曜日・祝日 9:00～17:00",
        {"booking_opens_months": 1},
    ),
    (
        "sapporo-shimin-katsudo",
        "打合せコーナー",
        8,
        Eligibility.ANY_GROUP,
        "月曜日～土曜日 9:00～22:00 日曜日・祝日 9:00～17:00",
        {},
    ),
    (
        "yokohama-kyodo",
        "ミーティングスペース",
        30,
        Eligibility.REGISTERED_GROUPS,
        "月曜日～土曜日 9:00～21:30 日曜日・祝日 9:00～17:00",
        {},
    ),
    (
        "yokohama-kyodo",
        "スペースA",
        24,
        Eligibility.ANY_GROUP,
        "月曜日～土曜日 9:00～21:30 日曜日・祝日 9:00～17:00",
        {"booking_opens_months": 3, "requires_approval": True},
    ),
    (
        "yokohama-kyodo",
        "スペースB",
        24,
        Eligibility.ANY_GROUP,
        "月曜日～土曜日 9:00～21:30 日曜日・祝日 9:00～17:00",
        {"booking_opens_months": 3, "requires_approval": True},
    ),
    (
        "yokohama-kyodo",
        "スペースA・B",
        48,
        Eligibility.ANY_GROUP,
        "月曜日～土曜日 9:00～21:30 日曜日・祝日 9:00～17:00",
        {
            "booking_opens_months": 3,
            "requires_approval": True,
            "purpose_restrictions": (
                "イベントに使わない時間は、ミーティングスペースとして開放します。"
            ),
        },
    ),
    (
        "hokkaido-vocational",
        "研修室1",
        30,
        Eligibility.CITIZENS,
        "月曜日～金曜日 9:00～17:00",
        {"equipment": ["projector", "whiteboard"]},
    ),
    (
        "hokkaido-vocational",
        "会議室",
        12,
        Eligibility.CITIZENS,
        "月曜日～金曜日 9:00～17:00",
        {"equipment": ["whiteboard"]},
    ),
    (
        "sapporo-industry",
        "セミナールームA",
        40,
        Eligibility.CITIZENS,
        "月曜日～土曜日 9:00～21:00",
        {"equipment": ["projector", "whiteboard", "microphone"]},
    ),
    (
        "sapporo-industry",
        "会議室2",
        12,
        Eligibility.CITIZENS,
        "月曜日～土曜日 9:00～21:00",
        {"equipment": ["whiteboard"]},
    ),
]


def _csv_rows() -> list[dict[str, str]]:
    shared = Path(settings.BASE_DIR).parent / "shared" / "data" / "facilities" / CSV_NAME
    path = shared if shared.exists() else LOCAL_COPY
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _yen(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?=円|/|$|\s)", text)]


def _facility(name: str) -> Center:
    slug, city, prefecture, hours = FACILITIES[name]
    center, _ = Center.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "name_kana": READINGS[name],
            "kind": CenterKind.PARTNER_FACILITY,
            "prefecture": prefecture,
            "municipality": city,
            "area_served": f"{city}内",
            "opening_hours": hours,
            "description": "地区センター(貸室のデモデータ: 公開ページから転記)",
        },
    )
    return center


def _load_csv_rooms() -> None:
    for order, row in enumerate(_csv_rows()):
        center = _facility(row["facility"])
        capacity = int(row["capacity_persons"]) if row["capacity_persons"].strip() else None
        area = re.match(r"(\d+)㎡", row["area"])
        koma = "コマ" in row["time_slots_as_published"] or "コマ" in row["fee_as_published"]
        room, created = Room.objects.get_or_create(
            center=center,
            name=row["room"],
            defaults={
                "capacity": capacity,
                "floor_area_m2": int(area.group(1)) if area else None,
                "fee_unit": FeeUnit.KOMA if koma else FeeUnit.DIVISION,
                "fee_note": row["fee_as_published"],
                "opening_hours": FACILITIES[row["facility"]][3],
                "closed_days": "年末年始",
                "eligibility": Eligibility.ANY_GROUP,
                "booking_opens_months": 3 if "ホール" in row["room"] else 2,
                "source_url": row["source_url"],
                "sort_order": order,
                "equipment": ["tatami"] if "和室" in row["room"] else [],
            },
        )
        if not created:
            continue
        fees = _yen(row["fee_as_published"])
        if koma:
            hours = 2 if "2時間" in row["fee_as_published"] + row["time_slots_as_published"] else 3
            if fees:
                FeeRule.objects.create(
                    room=room, label="1コマ", unit=FeeUnit.KOMA, minutes=hours * 60, fee_yen=fees[0]
                )
        else:
            for (label, start, end), fee in zip(DIVISIONS, fees[:4], strict=False):
                FeeRule.objects.create(
                    room=room,
                    label=label,
                    unit=FeeUnit.DIVISION,
                    starts_at_time=datetime.time(start),
                    ends_at_time=datetime.time(end),
                    fee_yen=fee,
                )
    # Combined rooms: 集会室AB = A + B; ホール(全面) = 2 × 半面 is one room split in two.
    _combine("sapporo-sumikawa-chiku", "集会室AB", ["集会室A", "集会室B"])
    _combine("sapporo-kikusuimotomachi-chiku", "2階集会室A・B", ["2階集会室A", "2階集会室B"])
    _combine(
        "yokohama-nakagawanishi-chiku", "会議室1・2", ["会議室1", "会議室2"], create_from="会議室1"
    )


def _combine(slug: str, whole_name: str, parts: list[str], create_from: str = "") -> None:
    rooms = {r.name: r for r in Room.objects.filter(center__slug=slug)}
    whole = rooms.get(whole_name)
    if whole is None and create_from in rooms:
        base = rooms[create_from]
        whole = Room.objects.create(
            center=base.center,
            name=whole_name,
            capacity=84,
            fee_unit=base.fee_unit,
            fee_note="会議室1・2で大会議室として利用可",
            opening_hours=base.opening_hours,
            closed_days=base.closed_days,
            eligibility=base.eligibility,
            source_url=base.source_url,
            sort_order=base.sort_order,
        )
    if whole is not None and all(p in rooms for p in parts):
        whole.parts.set([rooms[p] for p in parts])


def _load_seed_rooms() -> None:
    for slug, name, capacity, eligibility, hours, extra in SEED_ROOMS:
        center = Center.objects.filter(slug=slug).first()
        if center is None:
            continue
        Room.objects.get_or_create(
            center=center,
            name=name,
            defaults={
                "capacity": capacity,
                "eligibility": eligibility,
                "opening_hours": hours,
                "closed_days": "年末年始",
                **extra,
            },
        )
    _combine("yokohama-kyodo", "スペースA・B", ["スペースA", "スペースB"])


PURPOSES = ["定例会議", "総会", "子育てサロン", "手話サークル", "講座の準備", "理事会", "勉強会"]
HOLDERS = [
    "さっぽろ子育てネット",
    "手話サークルこだま",
    "町内会 福祉部",
    "NPO法人みどりの会",
    "朗読ボランティア",
]


def _load_bookings() -> None:
    """Three months back and two ahead, on about half of the bookable 区分."""
    if Reservation.objects.exists():
        return
    rng = random.Random(20250602)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    rows = []
    for room in Room.objects.filter(parts__isnull=True).select_related("center"):
        day = today - datetime.timedelta(days=90)
        while day < today + datetime.timedelta(days=60):
            for start, end in ((9, 12), (13, 17), (18, 21)):
                if day.weekday() == 6 and start == 18:
                    continue
                if rng.random() < 0.45:
                    starts_at = timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(start))
                    )
                    rows.append(
                        Reservation(
                            room=room,
                            starts_at=starts_at,
                            ends_at=starts_at + datetime.timedelta(hours=end - start),
                            on_behalf_of_name=rng.choice(HOLDERS),
                            purpose=rng.choice(PURPOSES),
                            people=max(1, min(room.capacity or 10, rng.randint(3, 25))),
                            status=ReservationStatus.CONFIRMED,
                        )
                    )
            day += datetime.timedelta(days=1)
    Reservation.objects.bulk_create(rows, batch_size=1000)


def load() -> None:
    with transaction.atomic():
        _load_csv_rooms()
        _load_seed_rooms()
        _load_bookings()
