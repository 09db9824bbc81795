"""The prefectures in JIS X 0401 order."""

from __future__ import annotations

import pytest

from kyodo.japanese.prefectures import PREFECTURES, prefecture_number


def test_there_are_47_prefectures_without_repetition() -> None:
    assert len(PREFECTURES) == 47
    assert len(set(PREFECTURES)) == 47


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("北海道", 1),
        ("東京都", 13),
        ("神奈川県", 14),
        ("京都府", 26),
        ("大阪府", 27),
        ("沖縄県", 47),
        ("札幌市", None),
        ("", None),
    ],
)
def test_a_prefecture_has_its_jis_number(name: str, number: int | None) -> None:
    assert prefecture_number(name) == number
