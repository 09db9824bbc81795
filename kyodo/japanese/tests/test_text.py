from __future__ import annotations

import pytest

from kyodo.japanese.text import (
    comparison_key,
    hiragana_to_katakana,
    is_katakana_reading,
    katakana_to_hiragana,
    normalize_for_comparison,
    normalize_spaces,
    normalize_width,
    to_halfwidth_digits,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ＡＢＣ１２３", "abc123", id="full-width letters and digits"),
        pytest.param("ＮＰＯ法人", "npo法人", id="full-width acronym folded and lower-cased"),
        pytest.param("Straße", "strasse", id="case folding beyond ASCII"),
        pytest.param("ｻｯﾎﾟﾛｼ", "サッポロシ", id="half-width katakana with semi-voiced mark"),
        pytest.param("ｶﾞｯｺｳ", "ガッコウ", id="half-width voiced mark combined"),
        pytest.param("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン", id="half-width vu"),
        pytest.param("ﾊｰﾓﾆｰ", "ハーモニー", id="half-width long vowel after half-width kana"),
        pytest.param("か゛", "が", id="spacing voiced mark joins its kana"),
        pytest.param("ハ゜", "パ", id="spacing semi-voiced mark joins its kana"),
        pytest.param("か\u3099", "が", id="combining voiced mark composed"),
        pytest.param("㍻", "平成", id="era ligature spelled out"),
        pytest.param("㈱さっぽろ", "(株)さっぽろ", id="parenthesised kabushiki ligature"),
        pytest.param("①", "1", id="circled digit"),
        pytest.param("札幌市　中央区", "札幌市 中央区", id="ideographic space"),
        pytest.param("札幌市 \t\n　中央区", "札幌市 中央区", id="mixed whitespace collapsed"),
        pytest.param("　札幌　", "札幌", id="leading and trailing spaces removed"),
        pytest.param("札幌\u00a0市", "札幌 市", id="no-break space"),
        pytest.param("札幌\u2003市", "札幌 市", id="em space"),
        pytest.param("札\u200b幌", "札幌", id="zero-width space removed"),
        pytest.param("\ufeff札幌", "札幌", id="byte-order mark removed"),
        pytest.param("ハーモニー", "ハーモニー", id="long vowel after katakana kept"),
        pytest.param("サッポロー", "サッポロー", id="long vowel at the end kept"),
        pytest.param("すーぱー", "すーぱー", id="long vowel after hiragana kept"),
        pytest.param("ワーーイ", "ワーーイ", id="doubled long vowel kept"),
        pytest.param("チョーク", "チョーク", id="long vowel after small kana kept"),
        pytest.param("北1条西2丁目1ー1", "北1条西2丁目1-1", id="long vowel after digit in address"),
        pytest.param(
            "北１条西２丁目１ー１", "北1条西2丁目1-1", id="full-width address with long vowel"
        ),
        pytest.param("3丁目ー5", "3丁目-5", id="long vowel after kanji"),
        pytest.param("ー1", "-1", id="long vowel at the start"),
        pytest.param("Aー1", "a-1", id="long vowel after a Latin letter"),
        pytest.param("ハ ー", "ハ -", id="long vowel after a space"),
        pytest.param("ハ・ー", "ハ・-", id="long vowel after a middle dot"),
        pytest.param("1ｰ2", "1-2", id="half-width long vowel between digits"),
        pytest.param("1ーー2", "1--2", id="two long vowels after a digit"),
        pytest.param("1−2−3", "1-2-3", id="minus sign"),
        pytest.param("011‐211‐2964", "011-211-2964", id="hyphen in phone number"),
        pytest.param("011‑211", "011-211", id="non-breaking hyphen"),
        pytest.param("011‒211", "011-211", id="figure dash"),
        pytest.param("011–211", "011-211", id="en dash"),
        pytest.param("011—211", "011-211", id="em dash"),
        pytest.param("011―211", "011-211", id="horizontal bar"),
        pytest.param("011－211", "011-211", id="full-width hyphen-minus"),
        pytest.param("011﹣211", "011-211", id="small hyphen-minus"),
        pytest.param("011─211", "011-211", id="box drawing light horizontal"),
        pytest.param("011━211", "011-211", id="box drawing heavy horizontal"),
        pytest.param("011⸺211", "011-211", id="two-em dash"),
        pytest.param("ハ-モニ-", "ハ-モニ-", id="hyphen after kana is not made a long vowel"),
        pytest.param("10時〜12時", "10時~12時", id="wave dash"),
        pytest.param("10時～12時", "10時~12時", id="full-width tilde"),
        pytest.param("一丁目", "一丁目", id="kanji one is not a dash"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_for_comparison_folds_what_does_not_change_the_meaning(
    text: str, expected: str
) -> None:
    # when
    result = normalize_for_comparison(text)

    # then
    assert result == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("北1条西2丁目1ー1", "北１条西２丁目１−１", id="address"),
        pytest.param("０１１-２１１-２９６４", "011‐211‐2964", id="phone number"),
        pytest.param("ﾊｰﾓﾆｰ", "ハーモニー", id="half-width reading"),
        pytest.param("ＮＰＯ法人　さっぽろ", "npo法人 さっぽろ", id="full-width acronym and space"),
        pytest.param("〒060-0001", "〒０６０－０００１", id="postcode"),
    ],
)
def test_spellings_of_the_same_thing_share_a_comparison_key(first: str, second: str) -> None:
    # when / then
    assert comparison_key(first) == comparison_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("ハーモニー", "ハ-モニ-", id="long vowel against hyphen after kana"),
        pytest.param("サッポロー", "サッポロ-", id="trailing long vowel against hyphen"),
        pytest.param("ー", "一", id="long vowel against kanji one"),
        pytest.param("ほんだ", "ぼんだ", id="voiced and unvoiced kana"),
        pytest.param("きや", "きゃ", id="large and small kana"),
        pytest.param("1-2", "12", id="hyphen is not dropped"),
        pytest.param("さっぽろ", "サッポロ", id="hiragana and katakana without fold_kana"),
    ],
)
def test_strings_that_differ_in_meaning_keep_different_comparison_keys(
    first: str, second: str
) -> None:
    # when / then
    assert comparison_key(first) != comparison_key(second)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("札幌市 中央区", "札幌市中央区", id="spaces removed"),
        pytest.param("札幌市　中央区\n", "札幌市中央区", id="ideographic space and newline"),
        pytest.param("ＮＰＯ法人　サッポロ", "npo法人サッポロ", id="width and case"),
        pytest.param("北1条西2丁目1ー1", "北1条西2丁目1-1", id="dash rules apply"),
    ],
)
def test_comparison_key_removes_every_space(text: str, expected: str) -> None:
    # when / then
    assert comparison_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("さっぽろ", "サッポロ", id="hiragana"),
        pytest.param("サッポロ", "サッポロ", id="katakana unchanged"),
        pytest.param("ｻｯﾎﾟﾛ", "サッポロ", id="half-width katakana"),
        pytest.param("さっぽろ　し", "サッポロシ", id="with a space"),
    ],
)
def test_comparison_key_with_fold_kana_ignores_the_kana_script(text: str, expected: str) -> None:
    # when / then
    assert comparison_key(text, fold_kana=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("札幌市　中央区", "札幌市 中央区", id="ideographic space"),
        pytest.param("a \t\r\n b", "a b", id="ASCII whitespace run"),
        pytest.param("\u3000\u3000a\u3000\u3000", "a", id="ends stripped"),
        pytest.param("a\u2028b\u2029c", "a b c", id="line and paragraph separators"),
        pytest.param("a\u200bb", "ab", id="zero-width space removed"),
        pytest.param("ＡＢＣ－１", "ＡＢＣ－１", id="width and dashes untouched"),
        pytest.param("", "", id="empty"),
    ],
)
def test_normalize_spaces_collapses_whitespace_only(text: str, expected: str) -> None:
    # when / then
    assert normalize_spaces(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("ｻｯﾎﾟﾛ　１ｰ２", "サッポロ 1ー2", id="width folded, dashes kept"),
        pytest.param("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ", id="half-width reading"),
        pytest.param("か゛", "が", id="spacing voiced mark"),
    ],
)
def test_normalize_width_folds_width_only(text: str, expected: str) -> None:
    # when / then
    assert normalize_width(text) == expected


@pytest.mark.parametrize(
    ("katakana", "hiragana"),
    [
        pytest.param("カタカナ", "かたかな", id="plain"),
        pytest.param("ガッコウ", "がっこう", id="voiced and small tsu"),
        pytest.param("パン", "ぱん", id="semi-voiced"),
        pytest.param("キャッシュ", "きゃっしゅ", id="small ya yu"),
        pytest.param("ァィゥェォヮ", "ぁぃぅぇぉゎ", id="small vowels and wa"),
        pytest.param("ヴァイオリン", "ゔぁいおりん", id="vu"),
        pytest.param("ヵヶ", "ゕゖ", id="small ka and ke"),
        pytest.param("ヰヱヲン", "ゐゑをん", id="wi we wo n"),
        pytest.param("スヽキ・スヾキ", "すゝき・すゞき", id="iteration marks"),
        pytest.param("ハーモニー", "はーもにー", id="long vowel kept"),
        pytest.param("ヷヸヹヺ", "わ\u3099ゐ\u3099ゑ\u3099を\u3099", id="voiced w-row"),
        pytest.param("ｶﾞｯｺｳ", "がっこう", id="half-width katakana"),
        pytest.param("札幌ABC123", "札幌ABC123", id="non-kana unchanged"),
    ],
)
def test_katakana_to_hiragana(katakana: str, hiragana: str) -> None:
    # when / then
    assert katakana_to_hiragana(katakana) == hiragana


@pytest.mark.parametrize(
    ("hiragana", "katakana"),
    [
        pytest.param("ひらがな", "ヒラガナ", id="plain"),
        pytest.param("がっこう", "ガッコウ", id="voiced and small tsu"),
        pytest.param("ぱん", "パン", id="semi-voiced"),
        pytest.param("ゔぁいおりん", "ヴァイオリン", id="vu"),
        pytest.param("ゕゖ", "ヵヶ", id="small ka and ke"),
        pytest.param("すゝき・すゞき", "スヽキ・スヾキ", id="iteration marks"),
        pytest.param("すーぱー", "スーパー", id="long vowel kept"),
        pytest.param("わ\u3099を\u3099", "ヷヺ", id="voiced w-row composed"),
        pytest.param("か\u3099", "ガ", id="combining voiced mark composed"),
        pytest.param("ゟ", "ゟ", id="yori digraph has no katakana"),
        pytest.param("札幌ABC123", "札幌ABC123", id="non-kana unchanged"),
    ],
)
def test_hiragana_to_katakana(hiragana: str, katakana: str) -> None:
    # when / then
    assert hiragana_to_katakana(hiragana) == katakana


def test_every_katakana_survives_a_round_trip_through_hiragana() -> None:
    # given
    katakana = [chr(code) for code in range(ord("ァ"), ord("ヺ") + 1)] + ["ヽ", "ヾ", "ー"]

    # when
    round_tripped = [hiragana_to_katakana(katakana_to_hiragana(char)) for char in katakana]

    # then
    assert round_tripped == katakana


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("０１２３４５６７８９", "0123456789", id="all digits"),
        pytest.param("令和４年１１月", "令和4年11月", id="in a date"),
        pytest.param("ＡＢＣ－", "ＡＢＣ－", id="letters and dashes untouched"),
        pytest.param("①四", "①四", id="circled and kanji digits untouched"),
    ],
)
def test_to_halfwidth_digits_changes_full_width_digits_only(text: str, expected: str) -> None:
    # when / then
    assert to_halfwidth_digits(text) == expected


@pytest.mark.parametrize(
    "reading",
    [
        pytest.param("サッポロ", id="katakana"),
        pytest.param("ヤマダ タロウ", id="ASCII space"),
        pytest.param("ヤマダ　タロウ", id="ideographic space"),
        pytest.param("ハーモニー", id="long vowel"),
        pytest.param("ヴァイオリン", id="vu and small kana"),
        pytest.param("ジョン・スミス", id="middle dot"),
        pytest.param("スヾキ", id="iteration mark"),
        pytest.param("ヶ", id="small ke"),
    ],
)
def test_is_katakana_reading_accepts_katakana_readings(reading: str) -> None:
    # when / then
    assert is_katakana_reading(reading)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("　", id="only a space"),
        pytest.param("ー・", id="only marks"),
        pytest.param("さっぽろ", id="hiragana"),
        pytest.param("ｻｯﾎﾟﾛ", id="half-width katakana"),
        pytest.param("札幌", id="kanji"),
        pytest.param("NPO", id="Latin letters"),
        pytest.param("サッポロ1", id="digit"),
        pytest.param("サッポロ-", id="hyphen"),
        pytest.param("サッポロ\n", id="newline"),
    ],
)
def test_is_katakana_reading_refuses_anything_else(text: str) -> None:
    # when / then
    assert not is_katakana_reading(text)
