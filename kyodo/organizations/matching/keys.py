"""Names, readings, addresses and numbers folded for comparison: what linking compares.

A name without its legal form (:func:`strip_legal_form`, :func:`name_key`), compared by
the Dice coefficient of its character bigrams; a street address with kanji numerals as
digits and 丁目/番地/号 as dashes (:func:`street_key`); telephone numbers and postcodes
as digits.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from kyodo.japanese.text import (
    comparison_key,
    katakana_to_hiragana,
    normalize_for_comparison,
    to_halfwidth_digits,
)

# --- Names -------------------------------------------------------------------------------

_FORMS = (
    "特定非営利活動法人",
    "npo法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "学校法人",
    "医療法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "任意団体",
    "特非",
    "特活",
)
_FORM = "|".join(_FORMS)
_CERTIFIED = "(?:特例認定|認定)"
_LEADING_FORM = re.compile(rf"^(?:{_CERTIFIED}\s*)?(?:{_FORM})\s*")
_TRAILING_FORM = re.compile(rf"\s*(?:{_CERTIFIED}\s*)?(?:{_FORM})$")
_FORM_ENDINGS = tuple(_FORMS)  # what _TRAILING_FORM can match at the end
_PAREN_FORM = re.compile(
    r"[(\[【〈《]\s*(?:特非|特活|npo|認定npo|認定|一社|一財|公社|公財|社福|福|株|有|同|任意)"
    r"\s*[)\]】〉》]"
)
_PUNCTUATION = re.compile(r"[\s・･,.、。'\"「」『』()\[\]【】〈〉《》!?~\-/:;&+=*#@%_|\\^`{}<>]")

# Words that make a name another group when added to a name: branches, federations,
# councils, supporters' clubs (〇〇 札幌支部, 〇〇子ども会連合会).
DISTINGUISHING_WORDS: Final = (
    "支部",
    "支所",
    "分会",
    "分室",
    "連合",
    "協議会",
    "連絡会",
    "部会",
    "青年部",
    "女性部",
    "婦人部",
    "ob会",
    "og会",
    "後援会",
    "友の会",
    "準備会",
    "実行委員会",
)


def strip_legal_form(name: str) -> str:
    """The name without legal-form words, folded by ``normalize_for_comparison``
    (``ＮＰＯ法人 ひまわり会`` → ``ひまわり会``). For comparison only."""
    text = normalize_for_comparison(name)
    text = _PAREN_FORM.sub(" ", text).strip()
    for _round in range(3):
        stripped = _LEADING_FORM.sub("", text)
        if stripped.endswith(_FORM_ENDINGS):  # (searching for $ tries every position)
            stripped = _TRAILING_FORM.sub("", stripped)
        stripped = stripped.strip()
        if stripped == text or not stripped:
            break
        text = stripped
    return text


def name_key(name: str) -> str:
    """The key names are compared on: no legal form, no spaces or punctuation, width,
    case and kana folded (katakana become hiragana)."""
    return katakana_to_hiragana(_PUNCTUATION.sub("", strip_legal_form(name)))


def reading_key(reading: str) -> str:
    """A reading folded for comparison (hiragana, no spaces or middle dots)."""
    if not reading:
        return ""
    return katakana_to_hiragana(_PUNCTUATION.sub("", comparison_key(reading)))


def bigrams(key: str) -> frozenset[str]:
    if len(key) < 2:
        return frozenset([key]) if key else frozenset()
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def is_extension(short: str, long: str) -> bool:
    """Is ``long`` the name ``short`` plus a word that names another group (支部, 連合…)?"""
    if not short or short == long or short not in long:
        return False
    extra = long.replace(short, "", 1)
    return any(word in extra for word in DISTINGUISHING_WORDS)


# --- Addresses and numbers -------------------------------------------------------------------

_KANJI_DIGITS: Final = dict(zip("〇一二三四五六七八九", "0123456789", strict=True))
_KANJI_NUMBER = re.compile("[〇一二三四五六七八九十百千]+")


def _kanji_number(text: str) -> str:
    if not any(unit in text for unit in "十百千"):
        return "".join(_KANJI_DIGITS[c] for c in text)
    total, digit = 0, None
    for char in text:
        if char in _KANJI_DIGITS:
            digit = int(_KANJI_DIGITS[char])
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (digit if digit is not None else 1) * unit
            digit = None
    return str(total + (digit or 0))


def kanji_numerals_to_digits(text: str) -> str:
    """``南九条西二十三丁目`` → ``南9条西23丁目``."""
    return _KANJI_NUMBER.sub(lambda m: _kanji_number(m.group()), text)


# (a text the pattern needs, the pattern, its replacement)
_ADDRESS_STEPS: Final = (
    ("字", re.compile(r"大字|字"), ""),
    ("丁目", re.compile(r"(\d+)丁目"), r"\1-"),
    ("番", re.compile(r"(\d+)番地?の?"), r"\1-"),
    ("号", re.compile(r"(\d+)号"), r"\1-"),
    ("の", re.compile(r"(\d+)の(?=\d)"), r"\1-"),
    ("--", re.compile(r"-+"), "-"),
)
_LOT = re.compile(r"^.*?\d+(?:-\d+)+")
_BLOCK = re.compile(r"^.*?\d+-")


def street_key(street: str) -> str:
    """The street address folded: width and dashes, kanji numerals as digits, 丁目 / 番地
    / 番 / 号 / の between numbers as ``-`` (``大通西１０丁目４番地`` → ``大通西10-4``)."""
    if not street:
        return ""
    text = kanji_numerals_to_digits(comparison_key(street))
    for needed, pattern, replacement in _ADDRESS_STEPS:
        if needed in text:
            text = pattern.sub(replacement, text)
    return text.strip("-")


def street_core(key: str) -> str:
    """The part of a street key up to the lot number, without the building."""
    match = _LOT.match(key) or _BLOCK.match(key)
    return match.group().strip("-") if match else key


@functools.lru_cache(maxsize=4096)  # a few thousand municipalities in Japan
def municipality_key(municipality: str) -> str:
    """``紋別郡遠軽町`` → ``遠軽町``; width folded."""
    key = comparison_key(municipality)
    return key.split("郡", 1)[1] if "郡" in key[:-1] else key


def digits(text: str) -> str:
    if not text:
        return ""
    return "".join(c for c in to_halfwidth_digits(text) if c.isdigit())


def phone_key(phone: str) -> str:
    number = digits(phone)
    return number if len(number) >= 10 else ""


def postcode_key(postcode: str) -> str:
    number = digits(postcode)
    return number if len(number) == 7 else ""
