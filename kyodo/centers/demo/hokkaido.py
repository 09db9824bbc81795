"""The Hokkaido network of the seeds, as demo data.

Sources: seed 001 (北海道・札幌市の市民活動支援施設の検証と連携・協力の方向性) for the two
centers and the 22 hubs (活動エリア → ``area_served``, 主な支援内容 → ``services_description``
as written, and mapped by hand to ``Service`` codes below); seed 000 (道と札幌市との
連携・協力の取組状況, R7.3末) for the paired facilities, their partnerships and what they
share; seed 003 (札幌市市民まちづくり活動促進基本計画) for the city center's services.

Only what the seeds say: addresses, telephone numbers, websites and opening hours are
left blank because the seeds do not give them (the 札幌市役所 address in seed 002 is the
department's, not the center's). Municipalities come from the 活動エリア or the name;
where neither names one (全道), it is blank. Readings (``name_kana``) leave out the legal
form (NPO法人), as 50音 indexes of organisations do.
"""

from __future__ import annotations

import datetime
from typing import Any

from kyodo.centers.models import CenterKind, RecordKind, Service

S = Service
K = CenterKind

PREFECTURAL = "hokkaido-shimin-katsudo"
CITY = "sapporo-shimin-katsudo"

CENTERS: list[dict[str, Any]] = [
    {
        "slug": PREFECTURAL,
        "name": "北海道立市民活動促進センター",
        "name_kana": "ホッカイドウリツシミンカツドウソクシンセンター",
        "kind": K.PREFECTURAL,
        "prefecture": "北海道",
        "municipality": "",
        "area_served": "全道",
        # Seed 001: 平成13年6月に設置 (the day is not given; the first of the month).
        "established_on": datetime.date(2001, 6, 1),
        "description": (
            "道民による市民活動を総合的に推進するため、北海道市民活動促進条例に基づき、"
            "平成13年6月に設置されました。道内の中間支援組織の活動状況に関する情報収集・発信"
            "と連携強化の役割を担い、中間支援組織向けの研修を行っています。"
        ),
        "services_description": (
            "中間支援組織に関する情報収集・発信、連携強化、中間支援組織向け研修、"
            "NPO法人向けの研修・相談支援"
        ),
        "services": [
            S.INTERMEDIARY_SUPPORT,
            S.NETWORKING,
            S.INFORMATION,
            S.TRAINING,
            S.CONSULTATION,
            S.NPO_SUPPORT,
        ],
    },
    {
        "slug": CITY,
        # The official name; seed 001 also writes 札幌市民活動サポートセンター once.
        "name": "札幌市市民活動サポートセンター",
        "name_kana": "サッポロシシミンカツドウサポートセンター",
        "kind": K.CITY,
        "prefecture": "北海道",
        "municipality": "札幌市",
        "area_served": "札幌市内",
        # Seed 001: 平成15年9月に設置 (the day is not given; the first of the month).
        "established_on": datetime.date(2003, 9, 1),
        "description": (
            "市民の自発的な公益的な活動の総合的な促進を図ることにより、活力ある地域社会の"
            "実現に寄与するため、札幌市市民活動サポートセンター条例に基づき、平成15年9月に"
            "設置されました。市民向けの普及啓発と、市民活動に伴う様々な相談、情報提供、"
            "貸事務ブースや打合せスペースの提供を行っています。"
        ),
        # Seed 003, 基本施策 40 and 45.
        "services_description": (
            "市民活動に伴う相談、情報提供、貸事務ブース・打合せスペースの提供、実務講座、"
            "ボランティアのマッチング"
        ),
        "services": [
            S.CONSULTATION,
            S.INFORMATION,
            S.OFFICE_BOOTHS,
            S.MEETING_SPACE,
            S.TRAINING,
            S.EVENTS,
            S.VOLUNTEERING,
        ],
    },
]


def _hub(
    slug: str,
    name: str,
    name_kana: str,
    kind: CenterKind,
    municipality: str,
    area_served: str,
    services_description: str,
    services: list[Service],
) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "name_kana": name_kana,
        "kind": kind,
        "prefecture": "北海道",
        "municipality": municipality,
        "area_served": area_served,
        "services_description": services_description,
        "services": services,
        "parent": PREFECTURAL,
    }


# The 22 hubs of seed 001 (市民活動を支援する活動拠点), in the seed's order. NPO法人 →
# private hub; a center of a city → city; of a town (町) → town. The seed's 「全 道」 is
# written 全道. The service codes are the mapping of each 主な支援内容, item by item;
# items with no code in the vocabulary (ギャラリー, 貸事務所 is office_booths) are left
# to the description.
HUBS: list[dict[str, Any]] = [
    _hub(
        "hokkaido-npo-support",
        "NPO法人北海道NPOサポートセンター",
        "ホッカイドウエヌピーオーサポートセンター",
        K.PRIVATE_HUB,
        "",
        "全道",
        "実務サポート、人材育成研修、NPO法人支援連携活動等",
        [S.NPO_SUPPORT, S.TRAINING, S.NETWORKING],
    ),
    _hub(
        "ebetsu-ai",
        "江別市民活動センター・あい",
        "エベツシミンカツドウセンターアイ",
        K.CITY,
        "江別市",
        "江別市内",
        "交流拠点施設の提供、研修、相談、講座、情報提供",
        [S.MEETING_SPACE, S.TRAINING, S.CONSULTATION, S.INFORMATION],
    ),
    _hub(
        "ishikari-joho",
        "石狩市民活動情報センター",
        "イシカリシミンカツドウジョウホウセンター",
        K.CITY,
        "石狩市",
        "石狩市内",
        "講座・講演会 ミーティングコーナー、図書、法しげ講座等",
        [S.TRAINING, S.MEETING_SPACE, S.LIBRARY],
    ),
    _hub(
        "chitose-koryu",
        "千歳市民活動交流センター",
        "チトセシミンカツドウコウリュウセンター",
        K.CITY,
        "千歳市",
        "千歳市内",
        "ミーティングスペース、図書、情報コーナー、会議室",
        [S.MEETING_SPACE, S.LIBRARY, S.INFORMATION, S.MEETING_ROOMS],
    ),
    _hub(
        "eniwa-eiwa-plaza",
        "NPO法人えいわ市民プラザ",
        "エイワシミンプラザ",
        K.PRIVATE_HUB,
        "恵庭市",
        "恵庭市内",
        "交流スペース貸出、情報誌、自由企画イベント、市民活動支援",
        [S.MEETING_SPACE, S.INFORMATION, S.EVENTS],
    ),
    _hub(
        "hakodate-machizukuri",
        "函館市地域交流まちづくりセンター",
        "ハコダテシチイキコウリュウマチヅクリセンター",
        K.CITY,
        "函館市",
        "函館市内",
        "講座、相談、市民交流フロア、会議室、貸事務所ブース",
        [S.TRAINING, S.CONSULTATION, S.MEETING_SPACE, S.MEETING_ROOMS, S.OFFICE_BOOTHS],
    ),
    _hub(
        "otaru-volunteer",
        "小樽市ボランティア・市民活動センター",
        "オタルシボランティアシミンカツドウセンター",
        K.CITY,
        "小樽市",
        "小樽市内",
        "相談、研修講座、情報誌、市民活動等への協力・支援",
        [S.CONSULTATION, S.TRAINING, S.INFORMATION],
    ),
    _hub(
        "akabira-npo",
        "NPO法人赤平市民活動支援センター",
        "アカビラシミンカツドウシエンセンター",
        K.PRIVATE_HUB,
        "赤平市",
        "赤平市内",
        "講演会、団体への支援・連携、市民活動への参加、情報発信",
        [S.TRAINING, S.NETWORKING, S.INFORMATION],
    ),
    _hub(
        "takikawa-machizukuri",
        "滝川市まちづくりセンター",
        "タキカワシマチヅクリセンター",
        K.CITY,
        "滝川市",
        "滝川市内",
        "情報収集提供、講座・セミナー、相談・アドバイス、会議室等",
        [S.INFORMATION, S.TRAINING, S.CONSULTATION, S.MEETING_ROOMS],
    ),
    _hub(
        "asahikawa-npo",
        "NPO法人旭川NPOサポートセンター",
        "アサヒカワエヌピーオーサポートセンター",
        K.PRIVATE_HUB,
        "旭川市",
        "旭川・滝川",
        "NPO活動推進、市民団体の連携（情報共有化、業務提携）",
        [S.NPO_SUPPORT, S.NETWORKING],
    ),
    _hub(
        "asahikawa-koryu",
        "旭川市民活動交流センター",
        "アサヒカワシミンカツドウコウリュウセンター",
        K.CITY,
        "旭川市",
        "旭川市内",
        "会議室、情報コーナー、相談・サポート、講座、イベント",
        [S.MEETING_ROOMS, S.INFORMATION, S.CONSULTATION, S.TRAINING, S.EVENTS],
    ),
    _hub(
        "abashiri",
        "網走市民活動センター",
        "アバシリシミンカツドウセンター",
        K.CITY,
        "網走市",
        "網走市内",
        "市民活動紹介・相談、講座、交流スペース、会議スペース",
        [S.INFORMATION, S.CONSULTATION, S.TRAINING, S.MEETING_SPACE, S.MEETING_ROOMS],
    ),
    _hub(
        "kitami-npo",
        "NPO法人北見NPOサポートセンター",
        "キタミエヌピーオーサポートセンター",
        K.PRIVATE_HUB,
        "北見市",
        "北見市他",
        "法人化相談支援、起業支援・人材育成研修、共生型施設運営",
        [S.NPO_SUPPORT, S.CONSULTATION, S.BUSINESS_SUPPORT, S.TRAINING],
    ),
    _hub(
        "tomakomai",
        "苫小牧市民活動センター",
        "トマコマイシミンカツドウセンター",
        K.CITY,
        "苫小牧市",
        "苫小牧市内",
        # A purpose, not a list of services: no code fits.
        "社会福祉活動、女性活動その他市民活動の促進のため設置",
        [],
    ),
    _hub(
        "shiraoi-machizukuri",
        "白老町民まちづくり活動センター",
        "シラオイチョウミンマチヅクリカツドウセンター",
        K.TOWN,
        "白老町",
        "白老町内",
        "協働のまちづくりのための総合活動拠点として設置、運営",
        [S.COLLABORATION],
    ),
    _hub(
        "muroran",
        "室蘭市民活動センター",
        "ムロランシミンカツドウセンター",
        K.CITY,
        "室蘭市",
        "室蘭市内",
        "会議室、ギャラリー、相談、図書、講座",
        [S.MEETING_ROOMS, S.CONSULTATION, S.LIBRARY, S.TRAINING],
    ),
    _hub(
        "noboribetsu",
        "登別市民活動センター",
        "ノボリベツシミンカツドウセンター",
        K.CITY,
        "登別市",
        "登別市内",
        "活動室、情報コーナー、展示コーナー、文化講座",
        [S.MEETING_ROOMS, S.INFORMATION, S.TRAINING],
    ),
    _hub(
        "obihiro-npo28",
        "NPO法人帯広NPO28サポートセンター",
        # 28 read as ニジュウハチ; the seed gives no reading.
        "オビヒロエヌピーオーニジュウハチサポートセンター",
        K.PRIVATE_HUB,
        "帯広市",
        "帯広市内",
        # It runs the guidance work at 帯広市民活動交流センター: no service of its own.
        "帯広市民活動交流センターでの市民活動行動指導業務受託",
        [],
    ),
    _hub(
        "obihiro-koryu",
        "帯広市民活動交流センター",
        "オビヒロシミンカツドウコウリュウセンター",
        K.CITY,
        "帯広市",
        "帯広市内",
        "会議室、活動室、相談、情報コーナー",
        [S.MEETING_ROOMS, S.CONSULTATION, S.INFORMATION],
    ),
    _hub(
        "memuro",
        "めむろ町民活動支援センター",
        "メムロチョウミンカツドウシエンセンター",
        K.TOWN,
        "芽室町",
        "芽室町内",
        "会議室、イベント、相談、研修、講演会、会報誌",
        [S.MEETING_ROOMS, S.EVENTS, S.CONSULTATION, S.TRAINING, S.INFORMATION],
    ),
    _hub(
        "kushiro-watto",
        "釧路市民活動センターわっと",
        "クシロシミンカツドウセンターワット",
        K.CITY,
        "釧路市",
        "釧路市内",
        "情報収集・発信、交流の場の提供、相談事業等",
        [S.INFORMATION, S.MEETING_SPACE, S.CONSULTATION],
    ),
    _hub(
        "bonos",
        "NPO法人 Bonos",
        "ボノス",
        K.PRIVATE_HUB,
        "",
        "全道",
        "相談業務、ネットワーク作り、IT活用情報発信支援",
        [S.CONSULTATION, S.NETWORKING, S.INFORMATION],
    ),
]


def _facility(
    slug: str,
    name: str,
    name_kana: str,
    municipality: str,
    area_served: str,
    services: list[Service],
) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": name,
        "name_kana": name_kana,
        "kind": K.PARTNER_FACILITY,
        "prefecture": "北海道",
        "municipality": municipality,
        "area_served": area_served,
        "services": services,
    }


# The paired facilities of seed 000 (the seed writes 道立…; the names are 北海道立…).
# Seed 000 also pairs 道営住宅 ↔ 市営住宅 and 道立真駒内公園 ↔ 市立公園: those are housing
# departments and parks, not support centers, so they are left out.
FACILITIES: list[dict[str, Any]] = [
    _facility(
        "hokkaido-womens-plaza",
        "北海道立女性プラザ",
        "ホッカイドウリツジョセイプラザ",
        "",
        "全道",
        # Seed 001: オープンスペース、図書コーナーが充実、道内一円の団体が利用;
        # 女性弁護士による相談事業.
        [S.GENDER_EQUALITY, S.MEETING_SPACE, S.LIBRARY, S.CONSULTATION, S.EVENTS],
    ),
    _facility(
        "sapporo-gender-equality",
        "札幌市男女共同参画センター",
        "サッポロシダンジョキョウドウサンカクセンター",
        "札幌市",
        "札幌市内",
        # Seed 001: 貸室利用率85%超、起業を目指す女性のための講座、女性弁護士による相談事業.
        [S.GENDER_EQUALITY, S.MEETING_ROOMS, S.TRAINING, S.BUSINESS_SUPPORT, S.CONSULTATION],
    ),
    _facility(
        "hokkaido-consumer",
        "北海道立消費生活センター",
        "ホッカイドウリツショウヒセイカツセンター",
        "",
        "全道",
        [S.CONSUMER_AFFAIRS, S.CONSULTATION, S.TRAINING],
    ),
    _facility(
        "sapporo-consumer",
        "札幌市消費者センター",
        "サッポロシショウヒシャセンター",
        "札幌市",
        "札幌市内",
        [S.CONSUMER_AFFAIRS, S.CONSULTATION, S.TRAINING],
    ),
    _facility(
        "hokkaido-vocational",
        "北海道立職業能力開発支援センター",
        "ホッカイドウリツショクギョウノウリョクカイハツシエンセンター",
        "",
        "全道",
        [S.BUSINESS_SUPPORT, S.MEETING_ROOMS],
    ),
    _facility(
        "sapporo-industry",
        "札幌市産業振興センター",
        "サッポロシサンギョウシンコウセンター",
        "札幌市",
        "札幌市内",
        [S.BUSINESS_SUPPORT, S.MEETING_ROOMS],
    ),
]

# (first slug, second slug, 連携の方向性 of seed 000)
PARTNERSHIPS: list[tuple[str, str, str]] = [
    (
        PREFECTURAL,
        CITY,
        "研修・セミナー等での連携協力、イベントの開催における連携協力、相談業務での連携協力",
    ),
    (
        "hokkaido-womens-plaza",
        "sapporo-gender-equality",
        "相互PRによる連携協力、相談事業での連携協力、事業の後援・共催",
    ),
    (
        "hokkaido-consumer",
        "sapporo-consumer",
        "消費生活相談業務での連携協力、消費者啓発での連携協力",
    ),
    (
        "hokkaido-vocational",
        "sapporo-industry",
        "担当部局間の意見交換等、貸室予約の利便性向上",
    ),
]

R = RecordKind

# (owner slug, partner slug, kinds the owner shares with the partner), from seed 000.
SHARING: list[tuple[str, str, list[RecordKind]]] = [
    # 各アドバイザーが受けた相談内容を一覧にして市センターへ提供; イベント及びPR等の協力.
    (PREFECTURAL, CITY, [R.CONSULTATION_LISTS, R.EVENTS]),
    (CITY, PREFECTURAL, [R.EVENTS]),
    # 両施設主催イベント等の案内チラシを相互に配架.
    ("hokkaido-womens-plaza", "sapporo-gender-equality", [R.EVENTS]),
    ("sapporo-gender-equality", "hokkaido-womens-plaza", [R.EVENTS]),
    # 新手・極めて悪質な事業者の情報共有.
    ("hokkaido-consumer", "sapporo-consumer", [R.ALERTS]),
    ("sapporo-consumer", "hokkaido-consumer", [R.ALERTS]),
    # 両センター間で貸室予約の相互あっせん.
    ("hokkaido-vocational", "sapporo-industry", [R.ROOMS_FOR_REFERRAL]),
    ("sapporo-industry", "hokkaido-vocational", [R.ROOMS_FOR_REFERRAL]),
]
