"""The 47 prefectures (都道府県) in the order of JIS X 0401, whose position gives their code."""

from __future__ import annotations

from typing import Final

PREFECTURES: Final[tuple[str, ...]] = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)


def prefecture_number(name: str) -> int | None:
    """The JIS X 0401 number of a prefecture (北海道 → 1, 沖縄県 → 47), or None."""
    try:
        return PREFECTURES.index(name) + 1
    except ValueError:
        return None
