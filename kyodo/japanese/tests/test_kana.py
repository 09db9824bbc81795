from __future__ import annotations

import random

import pytest
from django.utils import translation

from kyodo.japanese.kana import GOJUON_ROWS, OTHER, gojuon_row, row_label, sort_key_for_reading


@pytest.mark.parametrize(
    ("reading", "row"),
    [
        pytest.param("あおば", "あ行", id="a"),
        pytest.param("いしかり", "あ行", id="i"),
        pytest.param("ウラカワ", "あ行", id="katakana u"),
        pytest.param("ぉ", "あ行", id="small o"),
        pytest.param("ヴァイオリン", "あ行", id="katakana vu"),
        pytest.param("ゔぃーがん", "あ行", id="hiragana vu"),
        pytest.param("かわ", "か行", id="ka"),
        pytest.param("がっこう", "か行", id="voiced ga"),
        pytest.param("ヵ", "か行", id="small ka"),
        pytest.param("ヶ", "か行", id="small ke"),
        pytest.param("さっぽろ", "さ行", id="sa"),
        pytest.param("ｻｯﾎﾟﾛ", "さ行", id="half-width katakana"),
        pytest.param("じどう", "さ行", id="voiced ji"),
        pytest.param("たき", "た行", id="ta"),
        pytest.param("ぢ", "た行", id="voiced di"),
        pytest.param("っ", "た行", id="small tsu"),
        pytest.param("ななえ", "な行", id="na"),
        pytest.param("はこだて", "は行", id="ha"),
        pytest.param("ばんけい", "は行", id="voiced ba"),
        pytest.param("パン", "は行", id="semi-voiced pa"),
        pytest.param("ﾊﾟﾝ", "は行", id="half-width semi-voiced"),
        pytest.param("まくべつ", "ま行", id="ma"),
        pytest.param("よいち", "や行", id="yo"),
        pytest.param("ゃ", "や行", id="small ya"),
        pytest.param("るもい", "ら行", id="ru"),
        pytest.param("わっかない", "わ行", id="wa"),
        pytest.param("ゎ", "わ行", id="small wa"),
        pytest.param("ゐ", "わ行", id="wi"),
        pytest.param("ヱビス", "わ行", id="katakana we"),
        pytest.param("を", "わ行", id="wo"),
        pytest.param("ん", "わ行", id="n"),
        pytest.param("ヷ", "わ行", id="voiced wa"),
        pytest.param("  ちとせ", "た行", id="leading spaces skipped"),
        pytest.param("　おたる", "あ行", id="leading ideographic space skipped"),
        pytest.param("", OTHER, id="empty"),
        pytest.param("   ", OTHER, id="only spaces"),
        pytest.param("NPO", OTHER, id="Latin letter"),
        pytest.param("123", OTHER, id="digit"),
        pytest.param("札幌", OTHER, id="kanji"),
        pytest.param("ーあ", OTHER, id="leading long vowel"),
        pytest.param("・あ", "あ行", id="leading middle dot skipped"),
        pytest.param("ゝ", OTHER, id="iteration mark alone"),
    ],
)
def test_gojuon_row_files_a_reading_under_the_row_of_its_first_kana(reading: str, row: str) -> None:
    # when / then
    assert gojuon_row(reading) == row


def test_gojuon_rows_are_in_index_order() -> None:
    # then
    assert GOJUON_ROWS == (
        "あ行",
        "か行",
        "さ行",
        "た行",
        "な行",
        "は行",
        "ま行",
        "や行",
        "ら行",
        "わ行",
    )
    assert OTHER not in GOJUON_ROWS


@pytest.mark.parametrize(
    ("row", "language", "label"),
    [
        pytest.param("か行", "ja", "か行", id="kana row in Japanese"),
        pytest.param("か行", "en", "か行", id="kana row in English"),
        pytest.param(OTHER, "en", "Other", id="other in English"),
    ],
)
def test_row_label_shows_kana_rows_as_they_are_and_translates_other(
    row: str, language: str, label: str
) -> None:
    # when
    with translation.override(language):
        result = row_label(row)

    # then
    assert result == label


@pytest.mark.parametrize(
    "ordered",
    [
        pytest.param(
            ["あ", "か", "さ", "た", "な", "は", "ま", "や", "ら", "わ", "を", "ん"],
            id="rows in 50-sound order",
        ),
        pytest.param(
            ["は", "ば", "ぱ", "はあ", "ばあ", "ぱあ", "ひ"],
            id="voiced words right after their unvoiced word (JIS X 4061)",
        ),
        pytest.param(
            ["か", "が", "かあ", "かい", "がい", "かう"],
            id="voicing decides only between otherwise equal words",
        ),
        pytest.param(
            ["ああく", "あーく", "ああけ"],
            id="long vowel read as the vowel before it, written vowel first (JIS X 4061)",
        ),
        pytest.param(
            ["きや", "きゃ", "きやく", "きゃく", "きゆ"],
            id="large kana before small kana (JIS X 4061)",
        ),
        pytest.param(["うい", "ゔい", "うえ"], id="vu is a voiced u"),
        pytest.param(["あい", "アイ", "あいう"], id="hiragana before katakana"),
        pytest.param(["サッポロ", "さっぽろし", "サッポロシ"], id="mixed scripts"),
        pytest.param(["すすき", "すずき", "すゞき", "すずらん"], id="voiced iteration mark"),
        pytest.param(["ヤマダ タロウ", "ヤマダタロウ", "ヤマダ ハナコ"], id="spaces ignored"),
        pytest.param(["カアド", "カード", "かあどう"], id="katakana long vowel"),
        pytest.param(["わ", "ん", "んー", "ABC", "漢字"], id="non-kana after kana"),
        pytest.param(["", "あ"], id="empty first"),
        pytest.param(["ﾊﾟﾝ", "パンダ"], id="half-width katakana"),
    ],
)
def test_sort_key_for_reading_gives_50_sound_order(ordered: list[str]) -> None:
    # given
    shuffled = ordered[::-1]
    random.Random(4061).shuffle(shuffled)

    # when
    result = sorted(shuffled, key=sort_key_for_reading)

    # then
    assert result == ordered


def test_sort_key_for_reading_never_ties_two_different_readings() -> None:
    # given
    readings = ["カード", "カアド", "かーど", "ｶｰﾄﾞ"]

    # when
    keys = {sort_key_for_reading(reading) for reading in readings}

    # then
    assert len(keys) == len(readings)
