"""Demo organizations, loaded by ``manage.py loaddemo`` (idempotent).

- A slice of the real National Tax Agency rows of ../shared/data/npo (NPO corporations
  of Sapporo and of Yokohama), imported through the NTA importer; skipped quietly when
  the data is absent. 出典：国税庁法人番号公表サイト（国税庁）を加工して作成.
- A list of groups registered at 札幌市市民活動サポートセンター, imported as a center's
  list: voluntary groups and neighbourhood associations (made up for the demo; their
  e-mail addresses use the reserved ``.example`` domain).
- The demo citizen manages the page of one of them, which has posted news.

Each file is imported once (an earlier successful import of the same file name is
enough), and every row written here is found by its natural key first.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kyodo.accounts.models import User
from kyodo.centers.demo.hokkaido import CITY
from kyodo.centers.demo.people import PEOPLE
from kyodo.centers.models import Center
from kyodo.organizations import actions
from kyodo.organizations.models import (
    ImportRun,
    ImportStatus,
    MemberRole,
    MemberStatus,
    NewsItem,
    Organization,
    OrganizationMember,
    SourceKind,
)

CORPORATIONS_PER_FILE = 120
# NPO corporations of the NTA data that the center's list names too (linked by 法人番号).
REGISTERED_NPOS = frozenset({"1430005014934", "3430005015451"})
NTA_FILES = (
    # (file, keep rows whose municipality starts with, demo file name)
    ("nta_houjin_npo_diffs_hokkaido_2021-07_2026-08.csv", "札幌市", "demo-nta-sapporo.csv"),
    ("nta_houjin_npo_diffs_yokohama_2021-07_2026-08.csv", "横浜市", "demo-nta-yokohama.csv"),
)
CENTER_LIST_NAME = "demo-sapporo-registered-groups.csv"
CENTER_LIST_HEADER = (
    "団体ID",
    "名称",
    "法人番号",
    "フリガナ",
    "法人格",
    "所在地",
    "郵便番号",
    "メールアドレス",
    "代表者",
    "活動分野",
    "活動地域",
    "活動目的",
    "設立年月日",
    "登録日",
)
# Made-up groups, as a center's list of registered groups would name them.
CENTER_GROUPS: list[tuple[str, ...]] = [
    (
        "S-0101",
        "手稲あそびの会",
        "",
        "テイネアソビノカイ",
        "任意団体",
        "札幌市手稲区前田",
        "",
        "teine-asobi@demo.kyodo.example",
        "小林 さゆり",
        "子どもの健全育成、まちづくり",
        "手稲区",
        "手稲区の公園で、子どもと親子が自由に遊べる冒険遊び場を毎月開いています。",
        "平成27年4月1日",
        "2019-05-10",
    ),
    (
        "S-0102",
        "もいわ子育てひろば",
        "",
        "モイワコソダテヒロバ",
        "任意団体",
        "札幌市南区川沿",
        "",
        "moiwa-hiroba@demo.kyodo.example",
        "中村 翔太",
        "子どもの健全育成、保健・医療・福祉",
        "南区、札幌市内",
        "乳幼児と保護者が気軽に集える子育てサロンを、地区会館で週2回開いています。",
        "2016-06-01",
        "2020-04-01",
    ),
    (
        "S-0103",
        "ひばりが丘読み聞かせサークル",
        "",
        "ヒバリガオカヨミキカセサークル",
        "ボランティア団体",
        "札幌市厚別区上野幌",
        "",
        "",
        "佐々木 典子",
        "社会教育、子どもの健全育成",
        "厚別区",
        "小学校と地区図書館で、絵本の読み聞かせと紙芝居を続けています。",
        "平成20年9月1日",
        "2018-04-01",
    ),
    (
        "S-0104",
        "ひきこもり家族の集いあすなろ",
        "",
        "ヒキコモリカゾクノツドイアスナロ",
        "任意団体",
        "札幌市北区",
        "",
        "asunaro@demo.kyodo.example",
        "",
        "保健・医療・福祉",
        "札幌市内",
        "ひきこもりの本人と家族が安心して話せる場を、月に一度開いています。",
        "2012-11-01",
        "2021-06-15",
    ),
    (
        "S-0105",
        "発寒ひまわり町内会",
        "",
        "ハッサムヒマワリチョウナイカイ",
        "町内会",
        "札幌市西区発寒",
        "",
        "",
        "高田 正",
        "まちづくり、地域安全、災害救援",
        "西区",
        "会員世帯の親睦、防犯パトロール、冬の除雪協力と防災訓練を行っています。",
        "昭和52年4月1日",
        "2017-04-01",
    ),
    (
        "S-0106",
        "北光みどり町内会",
        "",
        "ホッコウミドリチョウナイカイ",
        "町内会",
        "札幌市東区北光",
        "",
        "",
        "石井 和夫",
        "まちづくり、環境の保全",
        "東区",
        "ごみステーションの管理、花壇づくり、夏祭りを住民みんなで行っています。",
        "昭和61年5月1日",
        "2022-04-01",
    ),
    (
        "S-0107",
        "さっぽろ多文化キッチン",
        "",
        "サッポロタブンカキッチン",
        "任意団体",
        "札幌市中央区",
        "",
        "tabunka-kitchen@demo.kyodo.example",
        "グエン ティ ラン",
        "国際協力、男女共同参画",
        "札幌市内",
        "外国にルーツのある住民と地域の人が、料理を通じて交流する会を開いています。",
        "令和2年10月1日",
        "2023-01-20",
    ),
    # NPO corporations of the NTA data registered at the center: linked by 法人番号.
    (
        "S-0201",
        "NPO法人北海道こどもホスピスプロジェクト",
        "1430005014934",
        "",
        "",
        "札幌市中央区南三条西4丁目21-6",
        "060-0063",
        "",
        "",
        "保健・医療・福祉、子どもの健全育成",
        "札幌市内、全道",
        "",
        "",
        "2021-04-01",
    ),
    (
        "S-0202",
        "(特非)北海道フードバンクネットワーク",
        "3430005015451",
        "",
        "",
        "札幌市東区北14条東10丁目1-21",
        "",
        "",
        "",
        "保健・医療・福祉、災害救援",
        "全道",
        "",
        "",
        "2022-06-01",
    ),
]
DEMO_MEMBER_EMAIL = next(p["email"] for p in PEOPLE if p["role"] == "citizen")
CLAIMED_GROUP = "もいわ子育てひろば"
NEWS: list[tuple[str, str, datetime.datetime]] = [
    (
        "7月の子育てサロンのお知らせ",
        "7月は毎週火曜日と金曜日の10時から12時まで、川沿地区会館で開きます。"
        "申し込みは不要です。どなたでもお気軽にお越しください。",
        datetime.datetime(2026, 6, 25, 10, 0, tzinfo=datetime.UTC),
    ),
    (
        "ボランティアスタッフを募集しています",
        "絵本の読み聞かせや、お茶の準備を手伝ってくださる方を募集しています。"
        "月に1回からでも大歓迎です。",
        datetime.datetime(2026, 5, 12, 9, 0, tzinfo=datetime.UTC),
    ),
]


def shared_npo_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "npo"


def nta_slice(
    path: Path, municipality_prefix: str, limit: int, also: frozenset[str] = frozenset()
) -> bytes:
    """The header and every row of the first ``limit`` corporations of the file whose
    address is in ``municipality_prefix`` (and of those numbered ``also``), in the
    file's order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    number_at = header.index("法人番号")
    place_at = header.index("国内所在地（市区町村）")
    chosen: list[str] = []
    for row in body:
        if len(row) > place_at and row[place_at].startswith(municipality_prefix):
            if row[number_at] not in chosen:
                chosen.append(row[number_at])
            if len(chosen) >= limit:
                break
    wanted = set(chosen) | also
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(row for row in body if len(row) > number_at and row[number_at] in wanted)
    return out.getvalue().encode("utf-8")


def _imported(file_name: str) -> bool:
    return ImportRun.objects.filter(file_name=file_name, status=ImportStatus.SUCCEEDED).exists()


def _center_list() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CENTER_LIST_HEADER)
    writer.writerows(CENTER_GROUPS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def load() -> dict[str, Any]:
    """Load or refresh the demo organizations; returns what was done."""
    done: dict[str, Any] = {}
    directory = shared_npo_dir()
    for file_name, prefix, demo_name in NTA_FILES:
        path = directory / file_name
        if not path.is_file() or _imported(demo_name):
            continue
        report = actions.import_organizations(
            source=SourceKind.NTA,
            data=nta_slice(path, prefix, CORPORATIONS_PER_FILE, REGISTERED_NPOS),
            file_name=demo_name,
        )
        done[demo_name] = report.counts
    center = Center.objects.filter(slug=CITY).first()
    if center is None:
        return done
    if not _imported(CENTER_LIST_NAME):
        report = actions.import_organizations(
            source=SourceKind.CENTER_LIST,
            data=_center_list(),
            file_name=CENTER_LIST_NAME,
            center=center,
        )
        done[CENTER_LIST_NAME] = report.counts
    _claimed_group(done)
    return done


@transaction.atomic
def _claimed_group(done: dict[str, Any]) -> None:
    organization = Organization.objects.filter(name=CLAIMED_GROUP).first()
    user = User.objects.filter(email=DEMO_MEMBER_EMAIL).first()
    if organization is None or user is None:
        return
    if not organization.email_is_public:
        organization.email_is_public = True
        organization.save(update_fields=["email_is_public"])
    _member, created = OrganizationMember.objects.get_or_create(
        organization=organization,
        user=user,
        defaults={
            "role": MemberRole.REPRESENTATIVE,
            "role_in_group": "代表",
            "status": MemberStatus.APPROVED,
            "message": "もいわ子育てひろばの代表です。ページの更新をお願いします。",
            "decided_at": timezone.now(),
        },
    )
    done["members"] = "created" if created else "unchanged"
    for title, body, published_at in NEWS:
        NewsItem.objects.get_or_create(
            organization=organization,
            title=title,
            defaults={"body": body, "published_at": published_at, "created_by": user},
        )
