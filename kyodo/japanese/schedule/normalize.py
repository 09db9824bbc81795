"""Normalisation of a schedule phrase that remembers where each character came from.

The grammar works on a folded copy of the phrase (full-width digits, letters and brackets
to ASCII, every wave dash to ``~``, 【】〔〕［］ to round brackets), but the parts it does not
understand are reported as verbatim substrings of what the person typed. Folding is done one
character at a time, so every folded character knows the original character it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kyodo.japanese.text import normalize_width

__all__ = ["FoldedText", "fold", "is_glue", "is_ideograph", "trim_fragment"]

_WAVE_DASHES = frozenset("\u301c\uff5e\u223c\u3030")  # 〜 ～ ∼ 〰
_HYPHENS = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\ufe63")
_BRACKETS = {"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "«": "(", "»": ")"}
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")

# Punctuation and brackets that only separate the parts of a phrase.
PUNCTUATION = " \t\n、。,.・:;※!?()「」『』<>/*#=＊◆◇■□●○◎♪\x00"
# Particles and connectives that only glue understood parts together.
_GLUE_WORDS = frozenset(
    {"但し", "ただし", "なお", "および", "及び", "並びに", "または", "又は", "かつ"}
)
_PARTICLES = frozenset("はにでのをとがもやへ")
_LEADING_PARTICLE = re.compile(r"(?:には|では|での|にて|とは|は|に|で|を|が|も|と|の)(?=\S)")


@dataclass(frozen=True)
class FoldedText:
    """A folded phrase and, for each folded character, the span of the original it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> str:
        """The original text behind ``text[start:end]``."""
        if start >= end:
            return ""
        return self.original[self.starts[start] : self.ends[end - 1]]


def _fold_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _WAVE_DASHES:
        return "~"
    if char in _HYPHENS:
        return "-"
    if char in _BRACKETS:
        return _BRACKETS[char]
    folded = normalize_width(char)
    if folded in _BRACKETS:
        return _BRACKETS[folded]
    if folded.isspace():
        return " "
    return folded


def fold(original: str) -> FoldedText:
    """Fold ``original`` for the grammar, one character at a time."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(original):
        folded = _fold_char(char)
        pieces.append(folded)
        starts.extend([index] * len(folded))
        ends.extend([index + 1] * len(folded))
    return FoldedText(original, "".join(pieces), tuple(starts), tuple(ends))


def is_ideograph(char: str) -> bool:
    """Tell whether ``char`` is a kanji (CJK unified ideograph, 々, 〆 or ヶ)."""
    return "\u4e00" <= char <= "\u9fff" or char in "々〆ヶ"


def is_glue(fragment: str) -> bool:
    """Tell whether a leftover fragment only glues understood parts (punctuation, は, 但し…)."""
    core = fragment.strip(PUNCTUATION)
    if not core:
        return True
    if core in _GLUE_WORDS:
        return True
    return len(core) <= 2 and all(char in _PARTICLES for char in core)


def _closing_bracket(fragment: str) -> int:
    """Where the bracket opening ``fragment`` closes, or -1 when it does not."""
    depth = 0
    for index, char in enumerate(fragment):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return index
    return -1


def trim_fragment(text: str, start: int, end: int, *, after_understood: bool) -> tuple[int, int]:
    """Narrow ``text[start:end]`` to its meaningful part.

    Strips spaces and separating punctuation at both ends, brackets that enclose the whole
    fragment or have no partner inside it, and a particle that only attached the fragment to
    the understood part before it (``…木曜日に南流山福祉会館で`` → ``南流山福祉会館で``).
    """
    edge = " \t\n、。,.・:;※\x00"
    while True:
        before = (start, end)
        while start < end and (text[start] in edge or text[start] == ")"):
            start += 1
        while end > start and (text[end - 1] in edge or text[end - 1] == "("):
            end -= 1
        fragment = text[start:end]
        if fragment.startswith("(") and _closing_bracket(fragment) in (len(fragment) - 1, -1):
            start += 1
            end -= fragment.endswith(")")
        elif fragment.endswith(")") and "(" not in fragment:
            end -= 1
        if after_understood:
            match = _LEADING_PARTICLE.match(text, start, end)
            if match is not None and match.end() < end:
                start = match.end()
        if (start, end) == before:
            return start, end
