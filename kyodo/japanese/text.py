"""Normalisation of Japanese text for comparison, and kana conversions.

Japanese data typed by different people differs in ways a reader does not notice: full-width
(全角) against half-width (半角) letters, digits and katakana, the ideographic space U+3000,
and a dozen dash-like characters. The functions here fold those differences so that two
strings meaning the same thing compare equal, while keeping apart the characters whose
meaning differs, above all the katakana long-vowel mark (長音符) ー against the hyphen.

The rules of :func:`normalize_for_comparison`, applied in this order:

1. Width (NFKC): Unicode compatibility composition folds full-width ASCII letters, digits
   and punctuation to ASCII (``ＡＢＣ１２３`` → ``ABC123``), half-width katakana to
   full-width, combining their voiced marks (``ｶﾞ`` → ``ガ``, ``ｳﾞ`` → ``ヴ``), and the
   compatibility ligatures to their letters (``㍻`` → ``平成``, ``㈱`` → ``(株)``, ``①`` →
   ``1``). The spacing voiced marks ゛ and ゜ are first turned into the combining ones, so
   ``か゛`` becomes ``が`` instead of ``か`` followed by a space.
2. Invisible characters are removed: zero-width space, word joiner, byte-order mark and soft
   hyphen.
3. Dashes: every hyphen, minus and dash variant (``‐ ‑ ‒ – — ― − ﹣ － ─ ━ ⸺ ⸻ ˗ ⁃``)
   becomes ASCII ``-``. The long-vowel mark ー (and the half-width ｰ, which NFKC turns into
   ー) is kept only where it lengthens a vowel, that is right after a kana or after another
   kept ー (``ハーモニー``, ``サッポロー``). Anywhere else (after a digit, a kanji, a Latin
   letter, a space, or at the start) it is a mistyped hyphen and becomes ``-``: the address
   ``北1条西2丁目1ー1`` reads ``北1条西2丁目1-1``. Hyphens are never turned into ー.
4. Wave dashes used for ranges (``〜 ～ ∼ 〰``) become ASCII ``~`` (the well-known
   WAVE DASH / FULLWIDTH TILDE mix-up between encodings).
5. Case folding (``ABC`` → ``abc``).
6. Spaces: every run of Unicode whitespace (ASCII space, tab, newline, U+3000, no-break
   space, the U+2000 spaces…) becomes one ASCII space, and leading and trailing spaces go.

:func:`comparison_key` applies the same rules and then removes the spaces altogether, so
``札幌市 中央区`` and ``札幌市中央区`` share one key; use it for lookups and duplicate
detection, and :func:`normalize_for_comparison` where the word boundaries still matter.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "LONG_VOWEL_MARK",
    "comparison_key",
    "hiragana_to_katakana",
    "is_katakana_reading",
    "katakana_to_hiragana",
    "normalize_for_comparison",
    "normalize_spaces",
    "normalize_width",
    "to_halfwidth_digits",
]

LONG_VOWEL_MARK = "ー"  # U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK

_COMBINING_VOICED = "\u3099"
_COMBINING_SEMI_VOICED = "\u309a"
_SPACING_TO_COMBINING_MARKS = str.maketrans(
    {"\u309b": _COMBINING_VOICED, "\u309c": _COMBINING_SEMI_VOICED}
)

_INVISIBLE = str.maketrans(dict.fromkeys(["\u200b", "\u2060", "\ufeff", "\u00ad"]))

# Dash-like characters that mean "hyphen / minus" whatever the context (after NFKC).
_HYPHENS = frozenset(
    "\u002d"  # - HYPHEN-MINUS
    "\u02d7"  # ˗ MODIFIER LETTER MINUS SIGN
    "\u2010"  # ‐ HYPHEN
    "\u2011"  # ‑ NON-BREAKING HYPHEN
    "\u2012"  # ‒ FIGURE DASH
    "\u2013"  # – EN DASH
    "\u2014"  # — EM DASH
    "\u2015"  # ― HORIZONTAL BAR
    "\u2043"  # ⁃ HYPHEN BULLET
    "\u2212"  # − MINUS SIGN
    "\u2500"  # ─ BOX DRAWINGS LIGHT HORIZONTAL
    "\u2501"  # ━ BOX DRAWINGS HEAVY HORIZONTAL
    "\u2e3a"  # ⸺ TWO-EM DASH
    "\u2e3b"  # ⸻ THREE-EM DASH
    "\ufe58"  # ﹘ SMALL EM DASH
    "\ufe63"  # ﹣ SMALL HYPHEN-MINUS
    "\uff0d"  # － FULLWIDTH HYPHEN-MINUS
)
_WAVE_DASHES = frozenset("\u301c\uff5e\u223c\u3030")  # 〜 ～ ∼ 〰

_SPACE_RUN = re.compile(r"\s+")
_HALFWIDTH_KATAKANA_RUN = re.compile("[\uff61-\uff9f]+")
_KANA_WITH_COMBINING_MARK = re.compile("[\u3041-\u30ff][\u3099\u309a]")

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# Katakana ァ (U+30A1) … ヶ (U+30F6) and hiragana ぁ (U+3041) … ゖ (U+3096) are 0x60 apart.
_KANA_OFFSET = 0x60
_KATAKANA_TO_HIRAGANA: dict[int, str] = {
    code: chr(code - _KANA_OFFSET) for code in range(0x30A1, 0x30F7)
}
_KATAKANA_TO_HIRAGANA.update(
    {
        ord("ヽ"): "ゝ",
        ord("ヾ"): "ゞ",
        # ヷヸヹヺ have no precomposed hiragana: base kana plus the combining voiced mark.
        ord("ヷ"): "わ" + _COMBINING_VOICED,
        ord("ヸ"): "ゐ" + _COMBINING_VOICED,
        ord("ヹ"): "ゑ" + _COMBINING_VOICED,
        ord("ヺ"): "を" + _COMBINING_VOICED,
    }
)
_HIRAGANA_TO_KATAKANA: dict[int, str] = {
    code: chr(code + _KANA_OFFSET) for code in range(0x3041, 0x3097)
}
_HIRAGANA_TO_KATAKANA.update({ord("ゝ"): "ヽ", ord("ゞ"): "ヾ"})
_VOICED_W_ROW = {
    "ワ" + _COMBINING_VOICED: "ヷ",
    "ヰ" + _COMBINING_VOICED: "ヸ",
    "ヱ" + _COMBINING_VOICED: "ヹ",
    "ヲ" + _COMBINING_VOICED: "ヺ",
}

_KATAKANA_READING = re.compile("[ァ-ヺーヽヾ・ 　]*[ァ-ヺ][ァ-ヺーヽヾ・ 　]*")


def normalize_width(text: str) -> str:
    """Fold character width (全角・半角) the NFKC way, keeping voiced marks on their kana.

    Full-width ASCII becomes ASCII, half-width katakana becomes full-width katakana with its
    voiced marks combined (``ｻｯﾎﾟﾛ`` → ``サッポロ``), U+3000 becomes an ASCII space and
    ligatures such as ``㍻`` are spelled out. Dashes and spaces are left as they are.
    """
    return unicodedata.normalize("NFKC", text.translate(_SPACING_TO_COMBINING_MARKS))


def normalize_spaces(text: str) -> str:
    """Collapse every run of Unicode whitespace into one ASCII space and strip the ends.

    Covers the ideographic space (全角スペース) U+3000, tabs, newlines, no-break spaces and
    the other Unicode spaces; zero-width spaces and byte-order marks are removed.
    """
    return _SPACE_RUN.sub(" ", text.translate(_INVISIBLE)).strip()


def _fold_dashes(text: str) -> str:
    folded: list[str] = []
    for char in text:
        if char in _HYPHENS:
            folded.append("-")
        elif char == LONG_VOWEL_MARK:
            after_kana = bool(folded) and (_is_kana(folded[-1]) or folded[-1] == LONG_VOWEL_MARK)
            folded.append(LONG_VOWEL_MARK if after_kana else "-")
        elif char in _WAVE_DASHES:
            folded.append("~")
        else:
            folded.append(char)
    return "".join(folded)


def _is_kana(char: str) -> bool:
    code = ord(char)
    return (
        0x3041 <= code <= 0x309F  # hiragana, combining voiced marks, ゝゞゟ
        or 0x30A1 <= code <= 0x30FA  # katakana
        or 0x30FC <= code <= 0x30FF  # ー, ヽヾ, ヿ (not the middle dot ・)
        or 0x31F0 <= code <= 0x31FF  # small katakana extension
    )


def normalize_for_comparison(text: str) -> str:
    """Return ``text`` folded for comparison, keeping one ASCII space between words.

    See the module docstring for the rules: width (NFKC), invisible characters, dashes and
    the long-vowel mark (ー kept after kana, ``-`` elsewhere), wave dashes, case, spaces.
    """
    folded = normalize_width(text).translate(_INVISIBLE)
    return normalize_spaces(_fold_dashes(folded).casefold())


def comparison_key(text: str, *, fold_kana: bool = False) -> str:
    """Return a key for lookups: :func:`normalize_for_comparison` without any space.

    With ``fold_kana=True`` hiragana also become katakana, so that a reading typed as
    ``さっぽろ`` finds ``サッポロ``.
    """
    key = normalize_for_comparison(text).replace(" ", "")
    return hiragana_to_katakana(key) if fold_kana else key


def _halfwidth_katakana_to_fullwidth(text: str) -> str:
    return _HALFWIDTH_KATAKANA_RUN.sub(
        lambda match: unicodedata.normalize("NFKC", match.group()), text
    )


def _compose_kana(text: str) -> str:
    return _KANA_WITH_COMBINING_MARK.sub(
        lambda match: unicodedata.normalize("NFC", match.group()), text
    )


def katakana_to_hiragana(text: str) -> str:
    """Convert katakana (片仮名) to hiragana (平仮名); other characters are kept.

    Half-width katakana is accepted. Small kana stay small (``ャ`` → ``ゃ``, ``ヵ`` →
    ``ゕ``, ``ヶ`` → ``ゖ``), ``ヴ`` → ``ゔ``, the iteration marks ``ヽヾ`` → ``ゝゞ``, and the
    long-vowel mark ー is kept. ``ヷヸヹヺ``, which have no precomposed hiragana, become the
    base kana followed by the combining voiced mark (``ヷ`` → ``わ゙``), which
    :func:`hiragana_to_katakana` turns back into ``ヷ``.
    """
    converted = _halfwidth_katakana_to_fullwidth(text).translate(_KATAKANA_TO_HIRAGANA)
    return _compose_kana(converted)


def hiragana_to_katakana(text: str) -> str:
    """Convert hiragana (平仮名) to katakana (片仮名); other characters are kept.

    Small kana stay small, ``ゔ`` → ``ヴ``, ``ゝゞ`` → ``ヽヾ``, ``ゕゖ`` → ``ヵヶ``, and a
    hiragana followed by a combining voiced mark is composed (``わ゙`` → ``ヷ``).
    """
    converted = _compose_kana(text.translate(_HIRAGANA_TO_KATAKANA))
    for decomposed, composed in _VOICED_W_ROW.items():
        converted = converted.replace(decomposed, composed)
    return converted


def to_halfwidth_digits(text: str) -> str:
    """Replace full-width digits (全角数字) ``０``–``９`` with ASCII digits, nothing else."""
    return text.translate(_FULLWIDTH_DIGITS)


def is_katakana_reading(text: str) -> bool:
    """Tell whether ``text`` is a reading written in full-width katakana (フリガナ).

    Allowed: full-width katakana including small kana, ``ヴ`` and ``ヷ``–``ヺ``, the
    long-vowel mark ー, the iteration marks ``ヽヾ``, the middle dot ・ and spaces (ASCII
    or U+3000); at least one katakana letter is required. Hiragana, half-width katakana,
    Latin letters and digits are refused: fold the input first with :func:`normalize_width`
    if half-width katakana should be accepted.
    """
    return _KATAKANA_READING.fullmatch(text) is not None
