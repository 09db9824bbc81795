"""Linking (名寄せ): is this imported record the same organization as a master record?

Rules, in order:

1. Equal corporate numbers (法人番号) link; two different corporate numbers never do.
2. Otherwise a score from 0 to 100 (:func:`score`):

   - the name, compared on :func:`name_key` — legal-form words (特定非営利活動法人,
     NPO法人, (特非), 認定, 一般社団法人, (一社) …) removed, width, case, spaces,
     punctuation and hiragana/katakana folded — as equal (``NAME_POINTS``) or by the
     Dice coefficient of its character bigrams; former names and other spellings
     (``OrganizationName``) count as names;
   - the reading, the postcode, the address (kanji numerals, 丁目/番地/号 and the dash
     variants folded; :func:`street_key`) and the telephone number (digits) add or
     subtract points;
   - a name that is the other name plus a word such as 支部, 連合会 or 協議会 (a branch
     or a federation, not the group itself) loses ``EXTENSION_PENALTY``.

3. ``score >= AUTO_LINK`` links automatically — provided something besides the name
   agrees (``CORROBORATING``: the municipality, postcode, street or telephone), so a
   name alone never links; ``REVIEW <= score`` otherwise goes to the staff review queue,
   below ``REVIEW`` the record is a new organization. When two candidates score within
   ``AMBIGUITY_MARGIN`` of each other at the top, the record goes to review.

Candidates are found by blocking (:class:`MatchIndex`): the same name key, the same
postcode or telephone number, or enough shared rare name bigrams (prefix filtering), so
that a record is scored against a handful of master records, not all of them.

The thresholds were set on the labelled pairs in ``tests/data/linking_pairs.csv`` (see
``bench/organizations_linking.py`` for the figures).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kyodo.japanese.text import (
    comparison_key,
    katakana_to_hiragana,
    normalize_for_comparison,
    to_halfwidth_digits,
)

AUTO_LINK: Final = 83.0
REVIEW: Final = 55.0
AMBIGUITY_MARGIN: Final = 5.0

NAME_POINTS: Final = 80.0
SHORT_NAME_POINTS: Final = 68.0  # an exact name of 3 characters or fewer proves little
SHORT_NAME_LENGTH: Final = 3
EXTENSION_PENALTY: Final = 30.0
POINTS: Final = {
    "same_phone": 20.0,
    "different_phone": -10.0,
    "same_postcode": 8.0,
    "different_postcode": -6.0,
    "same_street": 14.0,
    "same_building": 3.0,
    "same_municipality": 4.0,
    "different_municipality": -12.0,
    "different_street": -4.0,
    "same_reading": 6.0,
    "different_reading": -6.0,
    "distinctive_name": 4.0,
}
DISTINCTIVE_NAME_LENGTH: Final = 8
CORROBORATING: Final = frozenset(
    {"same_phone", "same_postcode", "same_street", "same_municipality", "same_corporate_number"}
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


# --- Records and scores ------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchRecord:
    """What linking compares of a record, already folded."""

    names: tuple[str, ...]  # name keys; the first is the current name
    reading: str = ""
    corporate_number: str = ""
    postcode: str = ""
    municipality: str = ""
    street: str = ""
    phone: str = ""
    name_bigrams: tuple[frozenset[str], ...] = field(default=(), compare=False)
    street_block: str = field(default="", compare=False)  # street_core(street)
    reading_bigrams: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def build(
        cls,
        *,
        name: str,
        other_names: Iterable[str] = (),
        name_kana: str = "",
        corporate_number: str = "",
        postcode: str = "",
        municipality: str = "",
        street: str = "",
        phone: str = "",
    ) -> MatchRecord:
        keys = [key for key in dict.fromkeys(name_key(n) for n in [name, *other_names]) if key]
        street_folded = street_key(street)
        reading = reading_key(name_kana)
        return cls(
            names=tuple(keys),
            reading=reading,
            corporate_number=corporate_number,
            postcode=postcode_key(postcode),
            municipality=municipality_key(municipality),
            street=street_folded,
            phone=phone_key(phone),
            name_bigrams=tuple(bigrams(key) for key in keys),
            street_block=street_core(street_folded),
            reading_bigrams=bigrams(reading),
        )

    def grams(self) -> tuple[frozenset[str], ...]:
        return self.name_bigrams or tuple(bigrams(key) for key in self.names)


@dataclass(frozen=True)
class Reason:
    code: str
    points: float
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": round(self.points, 1), "detail": self.detail}


@dataclass(frozen=True)
class Score:
    value: float
    reasons: tuple[Reason, ...]

    def reasons_as_data(self) -> list[dict[str, Any]]:
        return [reason.as_dict() for reason in self.reasons]


def _pair_points(
    key_a: str,
    grams_a: frozenset[str],
    key_b: str,
    grams_b: frozenset[str],
    reasons: list[Reason] | None = None,
    prefix: str = "",
) -> float:
    """The points of one name of each record; the reasons are added to ``reasons``."""
    if key_a == key_b:
        points = SHORT_NAME_POINTS if len(key_a) <= SHORT_NAME_LENGTH else NAME_POINTS
        if reasons is not None:
            reasons.append(Reason(f"{prefix}same_name", points))
        if len(key_a) >= DISTINCTIVE_NAME_LENGTH:
            bonus = POINTS["distinctive_name"]
            if reasons is not None:
                reasons.append(Reason("distinctive_name", bonus))
            points += bonus
        return points
    similarity = dice(grams_a, grams_b)
    points = NAME_POINTS * similarity
    if reasons is not None:
        reasons.append(Reason(f"{prefix}similar_name", points, f"{similarity:.2f}"))
    if is_extension(key_a, key_b) or is_extension(key_b, key_a):
        points -= EXTENSION_PENALTY
        if reasons is not None:
            reasons.append(Reason("extended_name", -EXTENSION_PENALTY))
    return points


def _name_points(a: MatchRecord, b: MatchRecord, reasons: list[Reason] | None = None) -> float:
    """The best points of any name of ``a`` against any name of ``b`` (former names and
    other spellings count); the reasons of that pair are added to ``reasons``."""
    grams_a, grams_b = a.grams(), b.grams()
    best, best_pair = -1.0, None
    if len(a.names) == 1 and len(b.names) == 1:  # the usual case: one pair
        if reasons is None:
            return max(_pair_points(a.names[0], grams_a[0], b.names[0], grams_b[0]), 0.0)
        best_pair = (0, 0)
        best = _pair_points(a.names[0], grams_a[0], b.names[0], grams_b[0])
    else:
        for i, key_a in enumerate(a.names):
            for j, key_b in enumerate(b.names):
                points = _pair_points(key_a, grams_a[i], key_b, grams_b[j])
                if points > best:
                    best, best_pair = points, (i, j)
    # A pair below -1 point (a branch whose name shares nothing) gives no reason.
    if reasons is not None and best_pair is not None and best > -1.0:
        i, j = best_pair
        prefix = "" if i == 0 and j == 0 else "other_"
        _pair_points(a.names[i], grams_a[i], b.names[j], grams_b[j], reasons, prefix)
    return max(best, 0.0)


def _points(a: MatchRecord, b: MatchRecord, reasons: list[Reason] | None = None) -> float:
    """The score of :func:`score`; its reasons are added to ``reasons`` when given (without
    them it is the same number, faster: blocking scores many records to keep a few)."""
    if a.corporate_number and b.corporate_number:
        same = a.corporate_number == b.corporate_number
        if reasons is not None:
            if same:
                reasons.append(Reason("same_corporate_number", 100.0))
            else:
                reasons.append(Reason("different_corporate_number", -100.0))
        return 100.0 if same else 0.0
    total = _name_points(a, b, reasons)
    codes: list[str] = []
    if a.phone and b.phone:
        codes.append("same_phone" if a.phone == b.phone else "different_phone")
    if a.postcode and b.postcode:
        codes.append("same_postcode" if a.postcode == b.postcode else "different_postcode")
    same_place = False
    if a.municipality and b.municipality:
        if a.municipality.startswith(b.municipality) or b.municipality.startswith(a.municipality):
            same_place = True
            codes.append("same_municipality")
        else:
            codes.append("different_municipality")
    if a.street and b.street and (same_place or not (a.municipality and b.municipality)):
        if (a.street_block or street_core(a.street)) == (b.street_block or street_core(b.street)):
            codes.append("same_street")
            if a.street == b.street:
                codes.append("same_building")
        else:
            codes.append("different_street")
    if a.reading and b.reading:
        if a.reading == b.reading:
            codes.append("same_reading")
        elif (
            dice(a.reading_bigrams or bigrams(a.reading), b.reading_bigrams or bigrams(b.reading))
            < 0.3
        ):
            codes.append("different_reading")
    for code in codes:  # added in this order, so that the sum is always the same number
        total += POINTS[code]
        if reasons is not None:
            reasons.append(Reason(code, POINTS[code]))
    return min(max(total, 0.0), 100.0)


def score(a: MatchRecord, b: MatchRecord) -> Score:
    """How likely ``a`` and ``b`` are the same organization, 0–100, with the reasons.

    Records with two different corporate numbers score 0 (they never link).
    """
    reasons: list[Reason] = []
    value = _points(a, b, reasons)
    return Score(value, tuple(reasons))


REASON_LABELS: Final = {
    "same_corporate_number": _("Same corporate number"),
    "different_corporate_number": _("Different corporate numbers"),
    "same_name": _("Same name (legal form, width and kana ignored)"),
    "other_same_name": _("Same as a former name or another spelling"),
    "similar_name": _("Similar name (similarity %(detail)s)"),
    "other_similar_name": _("Similar to a former name or another spelling (similarity %(detail)s)"),
    "extended_name": _("One name adds a word such as 支部 or 連合会 to the other"),
    "distinctive_name": _("Long, distinctive name"),
    "same_phone": _("Same telephone number"),
    "different_phone": _("Different telephone numbers"),
    "same_postcode": _("Same postcode"),
    "different_postcode": _("Different postcodes"),
    "same_street": _("Same street address"),
    "same_building": _("Same building and room"),
    "different_street": _("Different street addresses"),
    "same_municipality": _("Same municipality"),
    "different_municipality": _("Different municipalities"),
    "same_reading": _("Same reading"),
    "different_reading": _("Different readings"),
    "ambiguous": _("Several records match about as well"),
}


_LABELS_BY_LANGUAGE: dict[tuple[str | None, str], str] = {}


def _label(code: str) -> str:
    """``REASON_LABELS[code]`` in the active language (looked up once per language: an
    import describes tens of thousands of links)."""
    key = (get_language(), code)
    text = _LABELS_BY_LANGUAGE.get(key)
    if text is None:
        text = _LABELS_BY_LANGUAGE[key] = str(REASON_LABELS[code])
    return text


def reason_label(reason: dict[str, Any]) -> str:
    """A stored reason (``{"code", "points", "detail"}``) in words."""
    code = str(reason.get("code"))
    if code not in REASON_LABELS:
        return str(reason.get("code", ""))
    text = _label(code)
    if "%(detail)s" in text:
        text = text % {"detail": reason.get("detail", "")}
    return text


# --- Decisions --------------------------------------------------------------------------------

LINK, REVIEW_DECISION, NEW = "link", "review", "new"


@dataclass
class Candidate:
    ref: Any  # what the index was given: a primary key or an object being created
    record: MatchRecord
    score: Score


@dataclass
class Decision:
    kind: str  # LINK, REVIEW_DECISION or NEW
    candidates: list[Candidate]  # the linked one, or those to review (best first)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def decide(candidates: list[Candidate], *, max_reviews: int = 3) -> Decision:
    """Link, review or new, from the scored candidates (any order)."""
    ranked = sorted(candidates, key=lambda c: -c.score.value)
    in_band = [c for c in ranked if c.score.value >= REVIEW]
    if not in_band:
        return Decision(NEW, [])
    top = in_band[0]
    close = [c for c in in_band[1:] if top.score.value - c.score.value < AMBIGUITY_MARGIN]
    corroborated = any(reason.code in CORROBORATING for reason in top.score.reasons)
    if top.score.value >= AUTO_LINK and corroborated and not close:
        return Decision(LINK, [top])
    return Decision(REVIEW_DECISION, in_band[:max_reviews])


# --- Blocking ------------------------------------------------------------------------------------

MIN_NAME_SIMILARITY: Final = 0.5
MAX_POSTING: Final = 1000  # bigrams in more names than this are too common to count
MAX_PLACE_BLOCK: Final = 300  # a postcode shared by more records (a big building) is skipped
# Name points needed, with the best address evidence but no telephone, to reach REVIEW.
MIN_PLACE_NAME_SIMILARITY: Final = 0.25
# A record in another municipality (both known) sharing neither the telephone number nor
# the postcode scores at most its name points + different_municipality (−12) + same_reading
# (+6, when the record looked for has a reading): below REVIEW unless the names are at least
# this similar (67 / 80 = 0.8375 without a reading, 61 / 80 = 0.7625 with one).
FAR_NAME_SIMILARITY: Final = (REVIEW - POINTS["different_municipality"]) / NAME_POINTS
FAR_NAME_SIMILARITY_WITH_READING: Final = (
    REVIEW - POINTS["different_municipality"] - POINTS["same_reading"]
) / NAME_POINTS
# Postings read beyond the fewest that must hold a similar name (see _similar_names).
EXTRA_PROBES: Final = 2


def minimum_overlap(size: int, similarity: float = MIN_NAME_SIMILARITY) -> int:
    """The fewest bigrams a name of ``size`` bigrams shares with any name whose Dice
    coefficient with it is at least ``similarity`` (⌈t·n / (2 − t)⌉)."""
    return math.ceil(similarity * size / (2 - similarity) - 1e-9)


class MatchIndex:
    """Master records held for blocking and scoring; ``add`` them, then ``match``.

    A record is a candidate when it has the same name key, postcode or telephone number
    (blocks of at most ``MAX_PLACE_BLOCK`` records), or a name whose Dice coefficient
    with the name looked for is at least ``MIN_NAME_SIMILARITY`` and that shares with it
    a bigram found in at most ``MAX_POSTING`` names (a name sharing only very common
    bigrams is not). Among those, the ones scoring at least ``REVIEW`` are returned.

    Finding the similar names without counting the hundreds of records that share a
    bigram or two (the bigram ``ども`` is in thousands of names):

    - in the municipalities that agree with the record's (or are unknown) every record
      sharing a bigram is compared, through postings kept per municipality;
    - elsewhere a record scores at most ``name points − 12`` (``+ 6`` for the same
      reading) unless it shares the telephone number or the postcode, and then it is in
      that block: only names with a Dice coefficient of ``FAR_NAME_SIMILARITY`` can reach
      ``REVIEW``. Such a name shares most of the ``q`` bigrams looked for, hence one of
      the rarest ``q − overlap + 1`` of them, and three of the rarest ``q − overlap + 3``
      (the pigeonhole principle): only those postings are read, and only the records in
      three of them are compared. (Without a municipality, or when the postcode or the
      telephone block is too big to be read, every record may be near: the same search
      runs with ``MIN_NAME_SIMILARITY``.)

    Each record found is then checked with the whole sets of bigrams. The outcome is the
    same as comparing the name with every record.
    """

    def __init__(self) -> None:
        self._records: list[MatchRecord] = []
        self._refs: list[Any] = []
        self._by_key: dict[str, list[int]] = {}
        self._by_gram: dict[str, set[int]] = {}
        self._by_place: dict[str, dict[str, list[int]]] = {}  # municipality → bigram → …
        self._by_postcode: dict[str, list[int]] = {}
        self._by_phone: dict[str, list[int]] = {}
        self._by_number: dict[str, list[int]] = {}
        self._near: dict[str, list[dict[str, list[int]]]] = {}
        self._sizes: list[int] = []  # bigrams of the one name, 0 when several names
        self._unions: list[frozenset[str]] = []  # the bigrams of all the names

    def __len__(self) -> int:
        return len(self._records)

    def add(self, record: MatchRecord, ref: Any) -> None:
        position = len(self._records)
        self._records.append(record)
        self._refs.append(ref)
        all_grams = record.grams()
        if len(all_grams) == 1:
            union = all_grams[0]
            self._sizes.append(len(union))
        else:
            union = frozenset().union(*all_grams)
            self._sizes.append(0)
        self._unions.append(union)
        place = self._by_place.get(record.municipality)
        if place is None:
            place = self._by_place[record.municipality] = {}
            self._near.clear()
        by_gram = self._by_gram
        for gram in union:
            gram_posting = by_gram.get(gram)
            if gram_posting is None:
                by_gram[gram] = {position}
            else:
                gram_posting.add(position)
            posting = place.get(gram)
            if posting is None:
                place[gram] = [position]
            else:
                posting.append(position)
        for key in record.names:
            self._by_key.setdefault(key, []).append(position)
        if record.postcode:
            self._by_postcode.setdefault(record.postcode, []).append(position)
        if record.phone:
            self._by_phone.setdefault(record.phone, []).append(position)
        if record.corporate_number:
            self._by_number.setdefault(record.corporate_number, []).append(position)

    def _near_places(self, municipality: str) -> list[dict[str, list[int]]]:
        """The postings of the municipalities that agree with ``municipality`` (one
        starts with the other: 札幌市 and 札幌市北区) or are unknown."""
        places = self._near.get(municipality)
        if places is None:
            places = [
                postings
                for key, postings in self._by_place.items()
                if not key or key.startswith(municipality) or municipality.startswith(key)
            ]
            self._near[municipality] = places
        return places

    def _similar_names(self, grams: frozenset[str], record: MatchRecord, found: set[int]) -> None:
        """Add to ``found`` the records with a name whose Dice coefficient with ``grams``
        is at least ``MIN_NAME_SIMILARITY``, sharing a bigram that is not too common, that
        may score ``REVIEW`` (see the class)."""
        n = len(grams)
        by_gram = self._by_gram
        postings: list[tuple[int, str]] = []  # (records with the bigram, bigram)
        common: set[str] = set()
        for gram in grams:
            size = len(by_gram.get(gram, ()))
            if size > MAX_POSTING:
                common.add(gram)
            elif size:
                postings.append((size, gram))
        if not postings:
            return
        postings.sort()
        # Shared bigrams that are not too common: at least ``bar`` (and always one).
        bar = max(minimum_overlap(n) - len(common), 1)
        seen: set[int] = set()
        far = FAR_NAME_SIMILARITY_WITH_READING if record.reading else FAR_NAME_SIMILARITY
        if not record.municipality or any(
            len(block) > MAX_PLACE_BLOCK
            for block in (
                self._by_postcode.get(record.postcode, ()),
                self._by_phone.get(record.phone, ()),
            )
        ):
            far = MIN_NAME_SIMILARITY  # every record may be near
        else:
            probe = [gram for _size, gram in postings[: len(postings) - bar + 1]]
            for near in self._near_places(record.municipality):
                for gram in probe:
                    near_posting = near.get(gram)
                    if near_posting is not None:
                        seen.update(near_posting)
        # A name sharing ``needed`` of the q bigrams has one in the rarest q − needed + 1
        # of them, two in the rarest q − needed + 2, … (the postings get longer: stop at
        # ``EXTRA_PROBES`` more). sharing[k]: the records in k + 1 of the postings read.
        needed = max(minimum_overlap(n, far) - len(common), bar)
        if needed <= len(postings):
            extra = min(needed - 1, EXTRA_PROBES)
            probes = postings[: len(postings) - needed + 1 + extra]
            sharing: list[set[int]] = [set() for _level in range(extra + 1)]
            for i, (_size, gram) in enumerate(probes):
                posting = by_gram[gram]
                # Levels that the postings left cannot raise to ``extra`` are not kept.
                left = len(probes) - 1 - i
                for level in range(extra, max(extra - left, 1) - 1, -1):
                    sharing[level] |= sharing[level - 1].intersection(posting)
                if left >= extra:
                    sharing[0].update(posting)
            seen |= sharing[extra]
        if record.corporate_number:  # scores 100 anywhere
            seen.update(self._by_number.get(record.corporate_number, ()))
        seen -= found
        # A record elsewhere that cannot reach REVIEW (see the class) is left out.
        strict = far > MIN_NAME_SIMILARITY
        municipality, number = record.municipality, record.corporate_number
        sizes, unions, records = self._sizes, self._unions, self._records
        for position in seen:
            union = unions[position]
            shared = len(grams & union)
            size = sizes[position]
            if size:
                if 2 * shared < MIN_NAME_SIMILARITY * (n + size):
                    continue
                if strict and 2 * shared < far * (n + size):
                    other = records[position]
                    place = other.municipality
                    if (
                        place
                        and not (place.startswith(municipality) or municipality.startswith(place))
                        and not (number and number == other.corporate_number)
                    ):
                        continue
                if common:
                    shared -= len(common & union)
                if shared >= bar:
                    found.add(position)
                continue
            # Several names: the bigrams shared with them all, then the closest name.
            if common:
                shared -= len(common & union)
            if shared < bar:
                continue
            best = max(records[position].grams(), key=lambda g: len(g & grams))
            if dice(grams, best) >= MIN_NAME_SIMILARITY:
                found.add(position)

    def _candidate_positions(self, record: MatchRecord) -> set[int]:
        found: set[int] = set()
        for block in (
            self._by_postcode.get(record.postcode, ()),
            self._by_phone.get(record.phone, ()),
        ):
            if len(block) <= MAX_PLACE_BLOCK:
                found.update(block)
        for key in record.names:
            found.update(self._by_key.get(key, ()))
        for grams in record.grams():
            self._similar_names(grams, record, found)
        return found

    def match(self, record: MatchRecord) -> list[Candidate]:
        """The scored candidates for ``record`` that score at least ``REVIEW``, in the
        order they were added."""
        found = []
        grams = record.grams()
        single = len(grams) == 1
        records = self._records
        for position in sorted(self._candidate_positions(record)):
            other = records[position]
            if (
                record.corporate_number
                and other.corporate_number
                and record.corporate_number != other.corporate_number
            ):
                continue
            # Without the same telephone number, a name this far apart cannot reach REVIEW
            # whatever the address says: skip the full score.
            if not (record.phone and record.phone == other.phone):
                other_grams = other.grams()
                if single and len(other_grams) == 1:
                    closest = dice(grams[0], other_grams[0])
                else:
                    closest = max((dice(a, b) for a in grams for b in other_grams), default=0.0)
                if closest < MIN_PLACE_NAME_SIMILARITY and not _same_key(record, other):
                    continue
            if _points(record, other) >= REVIEW:
                found.append(Candidate(self._refs[position], other, score(record, other)))
        return found

    def decide(self, record: MatchRecord) -> Decision:
        return decide(self.match(record))


def _same_key(a: MatchRecord, b: MatchRecord) -> bool:
    return bool(set(a.names) & set(b.names))


def ambiguous_reason() -> dict[str, Any]:
    return Reason("ambiguous", 0.0).as_dict()


def describe(reasons: list[dict[str, Any]]) -> str:
    """The reasons as one line of text, for import reports."""
    return "; ".join(reason_label(reason) for reason in reasons)
