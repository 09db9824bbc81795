"""Yokohama's 市民協働推進センター and the 18 ward centers, as demo data (seed 004,
横浜市市民協働推進センター事業開始について・2020年度事業計画).

The ward centers are named in the seed's generic form 「〇〇区市民活動支援センター」; their
real names vary from ward to ward. The seed says 14 are run by the city and 4 by NPOs
without saying which, so ``operator`` is left blank; so are their services, which the
seed does not list.
"""

from __future__ import annotations

from typing import Any

from kyodo.centers.models import CenterKind, Service

S = Service

PROMOTION_CENTER = "yokohama-kyodo"

CENTERS: list[dict[str, Any]] = [
    {
        "slug": PROMOTION_CENTER,
        "name": "横浜市市民協働推進センター",
        "name_kana": "ヨコハマシシミンキョウドウスイシンセンター",
        "kind": CenterKind.CITY,
        "prefecture": "神奈川県",
        "municipality": "横浜市",
        "area_served": "横浜市内",
        "address": "横浜市庁舎1階",
        "operator": "市民セクターよこはま・関内イノベーションイニシアティブ共同事業体",
        "description": (
            "市民等と本市の協働に基づき、地域における様々な課題の解決や新しい取組を創発する"
            "ために、様々な主体の交流・連携が生まれる対話と創造の場として各事業を展開し、"
            "市内における「協働」の取組を推進します。"
        ),
        "services_description": (
            "総合相談窓口、情報活用・事業手法創出、交流・連携、市民活動団体支援、"
            "各区市民活動支援センター支援"
        ),
        "services": [
            S.CONSULTATION,
            S.COLLABORATION,
            S.INFORMATION,
            S.NETWORKING,
            S.NPO_SUPPORT,
            S.TRAINING,
            S.INTERMEDIARY_SUPPORT,
            S.MEETING_SPACE,
        ],
    },
]

# (slug suffix, ward, reading of the ward)
WARDS: list[tuple[str, str, str]] = [
    ("tsurumi", "鶴見区", "ツルミク"),
    ("kanagawa", "神奈川区", "カナガワク"),
    ("nishi", "西区", "ニシク"),
    ("naka", "中区", "ナカク"),
    ("minami", "南区", "ミナミク"),
    ("konan", "港南区", "コウナンク"),
    ("hodogaya", "保土ケ谷区", "ホドガヤク"),
    ("asahi", "旭区", "アサヒク"),
    ("isogo", "磯子区", "イソゴク"),
    ("kanazawa", "金沢区", "カナザワク"),
    ("kohoku", "港北区", "コウホクク"),
    ("midori", "緑区", "ミドリク"),
    ("aoba", "青葉区", "アオバク"),
    ("tsuzuki", "都筑区", "ツヅキク"),
    ("totsuka", "戸塚区", "トツカク"),
    ("sakae", "栄区", "サカエク"),
    ("izumi", "泉区", "イズミク"),
    ("seya", "瀬谷区", "セヤク"),
]

CENTERS += [
    {
        "slug": f"yokohama-{suffix}",
        "name": f"{ward}市民活動支援センター",
        "name_kana": f"{reading}シミンカツドウシエンセンター",
        "kind": CenterKind.WARD,
        "prefecture": "神奈川県",
        "municipality": "横浜市",
        "area_served": f"横浜市{ward}",
        "parent": PROMOTION_CENTER,
        "services": [],
    }
    for suffix, ward, reading in WARDS
]
