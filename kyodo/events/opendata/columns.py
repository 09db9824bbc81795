"""The layout of the 自治体標準オープンデータセット「イベント一覧」(event list) files.

The 50 columns, in order, are those of every ``o1-<code>_g1-000304.csv`` file published in
デジタル庁's base-registry catalogue (group g1-000304), copied verbatim in
``shared/data/schemas/event_list_v2_columns_base_registry_2022.csv``. That catalogue states
no types or required flags, so they come from the older definition of the same dataset
(推奨データセット v1, 32 columns, ``recommended_dataset_v1_columns_14datasets.csv``): a v2
column takes the type and the required flag of the v1 column it continues (イベント名 →
名称, 開始時間 → 開始時刻, 開始日時特記事項 → 日時備考, 参加申込終了日 → 申込期限日, …).
Columns new in v2 are optional text unless their content says otherwise (URL, 郵便番号,
メールアドレス).

Files in the v1 layout are read too: :data:`V1_ALIASES` renames their columns to the v2
names; the v1 single 住所 column goes to 住所町名 (the address parts are joined anyway) and
the publisher's 都道府県名・市区町村名 are ignored.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from typing import Final

__all__ = [
    "BY_NAME",
    "COLUMNS",
    "HEADER",
    "REQUIRED",
    "V1_ALIASES",
    "V1_HEADER",
    "V1_IGNORED",
    "Column",
    "ColumnType",
    "canonical_column_name",
]


class ColumnType(enum.StrEnum):
    TEXT = "text"
    CODE = "code"  # 全国地方公共団体コード (6 digits with check digit; 5 without)
    DATE = "date"  # YYYY-MM-DD (GIF 1015-1); 和暦 and other spellings are read too
    TIME = "time"  # HH:MM; free text such as 午後1時30分 is read too
    INTEGER = "integer"
    YEN = "yen"  # integer yen (1円単位)
    DECIMAL = "decimal"  # 緯度・経度
    URL = "url"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"


@dataclass(frozen=True)
class Column:
    order: int
    name: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False


T = ColumnType

COLUMNS: Final[tuple[Column, ...]] = (
    Column(1, "NO"),
    Column(2, "都道府県コード又は市区町村コード", T.CODE),
    Column(3, "名称", required=True),
    Column(4, "名称(カナ)", required=True),
    Column(5, "名称(英字)"),
    Column(6, "名称(通称)"),
    Column(7, "サブタイトル"),
    Column(8, "概要"),
    Column(9, "説明", required=True),
    Column(10, "サブイベント"),
    Column(11, "イベント種類"),
    Column(12, "URL", T.URL),
    Column(13, "画像URL", T.URL),
    Column(14, "状態"),
    Column(15, "対象となる産業"),
    Column(16, "ステージ"),
    Column(17, "開始日", T.DATE, required=True),
    Column(18, "終了日", T.DATE, required=True),
    Column(19, "開始時刻", T.TIME, required=True),
    Column(20, "終了時刻", T.TIME, required=True),
    Column(21, "日時備考"),
    Column(22, "場所名称", required=True),
    Column(23, "集合場所"),
    Column(24, "郵便番号", T.POSTCODE),
    Column(25, "住所都道府県"),
    Column(26, "住所市区町村"),
    Column(27, "住所町名"),
    Column(28, "住所丁目以下"),
    Column(29, "建物名等"),
    Column(30, "緯度", T.DECIMAL),
    Column(31, "経度", T.DECIMAL),
    Column(32, "主催団体"),
    Column(33, "共催団体"),
    Column(34, "その他関係団体"),
    Column(35, "対象者"),
    Column(36, "定員", T.INTEGER),
    Column(37, "料金(基本)", T.YEN),
    Column(38, "料金(詳細)"),
    Column(39, "外国語対応"),
    Column(40, "申込期限日", T.DATE),
    Column(41, "申込期限時刻", T.TIME),
    Column(42, "申込方法"),
    Column(43, "アクセス方法"),
    Column(44, "駐車場情報"),
    Column(45, "駐輪場情報"),
    Column(46, "連絡先名称"),
    Column(47, "連絡先電話番号", T.PHONE),
    Column(48, "連絡先内線番号"),
    Column(49, "連絡先メールアドレス", T.EMAIL),
    Column(50, "備考"),
)

HEADER: Final[tuple[str, ...]] = tuple(column.name for column in COLUMNS)
"""The header row, exactly as the published files and the schema file spell it."""

REQUIRED: Final[frozenset[str]] = frozenset(c.name for c in COLUMNS if c.required)

BY_NAME: Final[dict[str, Column]] = {column.name: column for column in COLUMNS}

V1_HEADER: Final[tuple[str, ...]] = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)
"""The 32 columns of the v1 (推奨データセット) layout of イベント一覧."""

V1_ALIASES: Final[dict[str, str]] = {
    "イベント名": "名称",
    "イベント名_カナ": "名称(カナ)",
    "イベント名_英語": "名称(英字)",
    "開始時間": "開始時刻",
    "終了時間": "終了時刻",
    "開始日時特記事項": "日時備考",
    "主催者": "主催団体",
    "住所": "住所町名",
    "方書": "建物名等",
    "参加申込終了日": "申込期限日",
    "参加申込終了時間": "申込期限時刻",
    "参加申込方法": "申込方法",
}


V1_IGNORED: Final[frozenset[str]] = frozenset({"都道府県名", "市区町村名"})
"""v1 columns naming the publisher (not the venue); nothing in v2 or in Kyodo holds them."""


def canonical_column_name(name: str) -> str:
    """The v2 name of a header cell: width folded (（）→ ()), spaces and BOM removed, v1
    names renamed. Unknown names come back folded but otherwise unchanged."""
    folded = unicodedata.normalize("NFKC", name).replace("\ufeff", "")
    folded = "".join(folded.split())
    return V1_ALIASES.get(folded, folded)
