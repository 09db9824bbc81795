"""The 50-sound table (五十音): index rows and 50音順 ordering of readings.

:func:`gojuon_row` files a reading under the row (行) of its first kana, for the あ・か・さ…
tabs of an index. :func:`sort_key_for_reading` orders readings the way Japanese dictionaries
and indexes do, following the rules of JIS X 4061 (日本語文字列照合順番):

1. Compare the kana with voiced marks removed, small kana read as large ones, ``ヴ`` read
   as ``う`` with a voiced mark, and the long-vowel mark ー read as the vowel of the kana
   before it (``カー`` as ``かあ``; after ``ん`` it reads ``ん``). Hiragana and katakana
   are the same here. Spaces and the middle dot ・ are ignored.
2. If still equal, unvoiced before voiced before semi-voiced (清音→濁音→半濁音):
   ``は`` → ``ば`` → ``ぱ`` → ``はあ`` → ``ばあ``. So a voiced word sorts right after the
   word it would be without its voiced marks.
3. Then a large kana before a small one (``きや`` → ``きゃ``), and a vowel written out
   before a long-vowel mark (``ああく`` → ``あーく``).
4. Then hiragana before katakana; last, the text itself, so the order is total.

Characters that are not kana (kanji, Latin letters, digits) sort after every kana, by code
point. The iteration marks ``ゝゞ`` (``ヽヾ``) repeat the kana before them, unvoiced and
voiced.

Row decisions in :func:`gojuon_row`: voiced and small kana are filed under their base row
(``が`` → か行, ``ぱ`` → は行, ``っ`` → た行, ``ゃ`` → や行); ``ヴ`` → あ行; ``ゐ ゑ を ん``
and ``ヷ``–``ヺ`` → わ行 (an index's わ tab shows わ・を・ん). Anything else (empty text,
Latin letters, digits, kanji, a leading ー) → :data:`OTHER`; leading spaces and ・ are skipped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final, TypeAlias

from django.utils.translation import gettext

from kyodo.japanese.text import LONG_VOWEL_MARK, katakana_to_hiragana, normalize_width

__all__ = [
    "GOJUON_ROWS",
    "OTHER",
    "ReadingSortKey",
    "gojuon_row",
    "row_label",
    "sort_key_for_reading",
]

OTHER: Final = "その他"
"""The index entry for readings that do not start with a kana; show it with :func:`row_label`."""

_ROW_MEMBERS: Final = {
    "あ行": "あいうえお",
    "か行": "かきくけこ",
    "さ行": "さしすせそ",
    "た行": "たちつてと",
    "な行": "なにぬねの",
    "は行": "はひふへほ",
    "ま行": "まみむめも",
    "や行": "やゆよ",
    "ら行": "らりるれろ",
    "わ行": "わゐゑをん",
}

GOJUON_ROWS: Final[tuple[str, ...]] = tuple(_ROW_MEMBERS)
"""The rows in index order, あ行 … わ行 (:data:`OTHER` is not included; it goes last)."""

_ROW_OF_BASE: Final = {kana: row for row, members in _ROW_MEMBERS.items() for kana in members}
_GOJUON_ORDER: Final = "".join(_ROW_MEMBERS.values())
_POSITION: Final = {kana: position for position, kana in enumerate(_GOJUON_ORDER)}
_VOWEL_OF: Final = {
    kana: "あいうえお"[index]
    for members in (
        "あいうえお",
        "かきくけこ",
        "さしすせそ",
        "たちつてと",
        "なにぬねの",
        "はひふへほ",
        "まみむめも",
        "らりるれろ",
    )
    for index, kana in enumerate(members)
} | dict(zip("やゆよわゐゑをん", "あうおあいえおん", strict=True))
_LARGE_OF_SMALL: Final = dict(
    zip("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ", strict=True)
)
_IGNORED: Final = frozenset(" \t\n\u3000・")
_ITERATION_MARKS: Final = {"ゝ": 0, "ゞ": 1, "ヽ": 0, "ヾ": 1}
_NOT_KANA_OFFSET: Final = 0x110000  # above every kana position; code points added to it

_UNVOICED, _VOICED, _SEMI_VOICED = 0, 1, 2
_LARGE, _SMALL, _LONG_MARK = 0, 1, 2
_HIRAGANA, _KATAKANA, _NOT_KANA = 0, 1, 2


@dataclass(frozen=True)
class _Unit:
    """One kana (with its voiced mark) or one other character of a reading."""

    base: str  # large unvoiced hiragana, or the character itself when not kana
    is_kana: bool
    voicing: int = _UNVOICED
    size: int = _LARGE
    script: int = _NOT_KANA


def _units(reading: str) -> list[_Unit]:
    units: list[_Unit] = []
    for char in normalize_width(reading):
        if char in _IGNORED:
            continue
        if char in ("\u3099", "\u309a") and units and units[-1].is_kana:
            voicing = _VOICED if char == "\u3099" else _SEMI_VOICED
            units[-1] = _Unit(units[-1].base, True, voicing, units[-1].size, units[-1].script)
        elif char in _ITERATION_MARKS and units and units[-1].is_kana:
            script = _KATAKANA if char in "ヽヾ" else _HIRAGANA
            units.append(_Unit(units[-1].base, True, _ITERATION_MARKS[char], _LARGE, script))
        elif char == LONG_VOWEL_MARK and units and units[-1].is_kana:
            previous = units[-1]
            units.append(
                _Unit(_VOWEL_OF[previous.base], True, size=_LONG_MARK, script=previous.script)
            )
        else:
            units.append(_kana_unit(char) or _Unit(char, False))
    return units


def _kana_unit(char: str) -> _Unit | None:
    decomposed = unicodedata.normalize("NFD", katakana_to_hiragana(char))
    base, marks = decomposed[0], decomposed[1:]
    size = _LARGE
    if base in _LARGE_OF_SMALL:
        base, size = _LARGE_OF_SMALL[base], _SMALL
    if base not in _POSITION:
        return None
    voicing = _VOICED if "\u3099" in marks else _SEMI_VOICED if "\u309a" in marks else _UNVOICED
    script = _HIRAGANA if "\u3041" <= char <= "\u309f" else _KATAKANA
    return _Unit(base, True, voicing, size, script)


def gojuon_row(reading: str) -> str:
    """Return the 50音 row (行) of the first kana of ``reading``, e.g. ``"か行"``.

    Hiragana, katakana and half-width katakana are accepted; leading spaces are skipped.
    Returns :data:`OTHER` when the reading does not start with a kana. See the module
    docstring for how voiced, small and rare kana are filed.
    """
    units = _units(reading)
    if not units or not units[0].is_kana:
        return OTHER
    return _ROW_OF_BASE[units[0].base]


def row_label(row: str) -> str:
    """Return the text to show for an index row: the row itself, or "Other" translated."""
    return gettext("Other") if row == OTHER else row


ReadingSortKey: TypeAlias = tuple[
    tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...], str
]


def sort_key_for_reading(reading: str) -> ReadingSortKey:
    """Return a key that orders readings in 50音順 (``sorted(names, key=...)``).

    Levels, compared one after the other: kana ignoring voiced marks and size (ー read as
    the preceding vowel), voicing, size and long-vowel mark, script, then the text itself.
    See the module docstring for the rules and their source (JIS X 4061).
    """
    units = _units(reading)
    primary = tuple(
        _POSITION[unit.base] if unit.is_kana else _NOT_KANA_OFFSET + ord(unit.base)
        for unit in units
    )
    return (
        primary,
        tuple(unit.voicing for unit in units),
        tuple(unit.size for unit in units),
        tuple(unit.script for unit in units),
        reading,
    )
