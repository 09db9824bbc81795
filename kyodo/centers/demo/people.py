"""Demo sign-ins, one per role. Fictitious people; the addresses use the reserved
``.example`` top-level domain (RFC 2606), so no mail can ever reach anyone."""

from __future__ import annotations

from typing import Any

from kyodo.centers.demo.hokkaido import CITY
from kyodo.centers.models import Role

# Set only when a demo person is created; loaddemo never resets a changed password.
DEMO_PASSWORD = "kyodo-demo-2026"  # noqa: S105 - printed by demosignins on purpose

NETWORK_ADMIN = "network_admin"
CITIZEN = "citizen"

PEOPLE: list[dict[str, Any]] = [
    {
        "email": "reception@demo.kyodo.example",
        "display_name": "佐藤 美咲",
        "name_kana": "サトウ ミサキ",
        "role": Role.RECEPTION,
        "center": CITY,
    },
    {
        "email": "coordinator@demo.kyodo.example",
        "display_name": "鈴木 健太",
        "name_kana": "スズキ ケンタ",
        "role": Role.COORDINATOR,
        "center": CITY,
    },
    {
        "email": "chief@demo.kyodo.example",
        "display_name": "高橋 由美子",
        "name_kana": "タカハシ ユミコ",
        "role": Role.CHIEF_COORDINATOR,
        "center": CITY,
    },
    {
        "email": "specialist@demo.kyodo.example",
        "display_name": "田中 誠",
        "name_kana": "タナカ マコト",
        "role": Role.SPECIALIST,
        "center": CITY,
    },
    {
        "email": "admin@demo.kyodo.example",
        "display_name": "伊藤 直子",
        "name_kana": "イトウ ナオコ",
        "role": Role.CENTER_ADMIN,
        "center": CITY,
    },
    {
        "email": "municipal@demo.kyodo.example",
        "display_name": "渡辺 大輔",
        "name_kana": "ワタナベ ダイスケ",
        "role": Role.MUNICIPAL_OFFICER,
        "center": CITY,
        "department": "市民文化局市民自治推進室",
    },
    {
        "email": "network@demo.kyodo.example",
        "display_name": "山本 恵",
        "name_kana": "ヤマモト メグミ",
        "role": NETWORK_ADMIN,
    },
    {
        "email": "citizen@demo.kyodo.example",
        "display_name": "中村 翔太",
        "name_kana": "ナカムラ ショウタ",
        "role": CITIZEN,
    },
]
