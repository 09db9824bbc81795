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

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

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
        stripped = _TRAILING_FORM.sub("", _LEADING_FORM.sub("", text)).strip()
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


_ADDRESS_STEPS: Final = (
    (re.compile(r"大字|字"), ""),
    (re.compile(r"(\d+)丁目"), r"\1-"),
    (re.compile(r"(\d+)番地?の?"), r"\1-"),
    (re.compile(r"(\d+)号"), r"\1-"),
    (re.compile(r"(\d+)の(?=\d)"), r"\1-"),
    (re.compile(r"-+"), "-"),
)
_LOT = re.compile(r"^.*?\d+(?:-\d+)+")
_BLOCK = re.compile(r"^.*?\d+-")


def street_key(street: str) -> str:
    """The street address folded: width and dashes, kanji numerals as digits, 丁目 / 番地
    / 番 / 号 / の between numbers as ``-`` (``大通西１０丁目４番地`` → ``大通西10-4``)."""
    text = kanji_numerals_to_digits(comparison_key(street))
    for pattern, replacement in _ADDRESS_STEPS:
        text = pattern.sub(replacement, text)
    return text.strip("-")


def street_core(key: str) -> str:
    """The part of a street key up to the lot number, without the building."""
    match = _LOT.match(key) or _BLOCK.match(key)
    return match.group().strip("-") if match else key


def municipality_key(municipality: str) -> str:
    """``紋別郡遠軽町`` → ``遠軽町``; width folded."""
    key = comparison_key(municipality)
    return key.split("郡", 1)[1] if "郡" in key[:-1] else key


def digits(text: str) -> str:
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
        return cls(
            names=tuple(keys),
            reading=reading_key(name_kana),
            corporate_number=corporate_number,
            postcode=postcode_key(postcode),
            municipality=municipality_key(municipality),
            street=street_folded,
            phone=phone_key(phone),
            name_bigrams=tuple(bigrams(key) for key in keys),
            street_block=street_core(street_folded),
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


def _name_points(a: MatchRecord, b: MatchRecord) -> tuple[float, list[Reason]]:
    best, best_reasons = -1.0, []
    for i, (key_a, grams_a) in enumerate(zip(a.names, a.grams(), strict=True)):
        for j, (key_b, grams_b) in enumerate(zip(b.names, b.grams(), strict=True)):
            other = "" if i == 0 and j == 0 else "other_"
            if key_a == key_b:
                short = len(key_a) <= SHORT_NAME_LENGTH
                points = SHORT_NAME_POINTS if short else NAME_POINTS
                reasons = [Reason(f"{other}same_name", points)]
                if len(key_a) >= DISTINCTIVE_NAME_LENGTH:
                    bonus = POINTS["distinctive_name"]
                    reasons.append(Reason("distinctive_name", bonus))
                    points += bonus
            else:
                similarity = dice(grams_a, grams_b)
                points = NAME_POINTS * similarity
                reasons = [Reason(f"{other}similar_name", points, f"{similarity:.2f}")]
                if is_extension(key_a, key_b) or is_extension(key_b, key_a):
                    points -= EXTENSION_PENALTY
                    reasons.append(Reason("extended_name", -EXTENSION_PENALTY))
            if points > best:
                best, best_reasons = points, reasons
    return max(best, 0.0), best_reasons


def score(a: MatchRecord, b: MatchRecord) -> Score:
    """How likely ``a`` and ``b`` are the same organization, 0–100, with the reasons.

    Records with two different corporate numbers score 0 (they never link).
    """
    if a.corporate_number and b.corporate_number:
        if a.corporate_number == b.corporate_number:
            return Score(100.0, (Reason("same_corporate_number", 100.0),))
        return Score(0.0, (Reason("different_corporate_number", -100.0),))
    total, reasons = _name_points(a, b)

    def add(code: str) -> None:
        nonlocal total
        total += POINTS[code]
        reasons.append(Reason(code, POINTS[code]))

    if a.phone and b.phone:
        add("same_phone" if a.phone == b.phone else "different_phone")
    if a.postcode and b.postcode:
        add("same_postcode" if a.postcode == b.postcode else "different_postcode")
    same_place = False
    if a.municipality and b.municipality:
        if a.municipality.startswith(b.municipality) or b.municipality.startswith(a.municipality):
            same_place = True
            add("same_municipality")
        else:
            add("different_municipality")
    if a.street and b.street and (same_place or not (a.municipality and b.municipality)):
        if (a.street_block or street_core(a.street)) == (b.street_block or street_core(b.street)):
            add("same_street")
            if a.street == b.street:
                add("same_building")
        else:
            add("different_street")
    if a.reading and b.reading:
        if a.reading == b.reading:
            add("same_reading")
        elif dice(bigrams(a.reading), bigrams(b.reading)) < 0.3:
            add("different_reading")
    return Score(min(max(total, 0.0), 100.0), tuple(reasons))


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


def reason_label(reason: dict[str, Any]) -> str:
    """A stored reason (``{"code", "points", "detail"}``) in words."""
    label = REASON_LABELS.get(str(reason.get("code")))
    if label is None:
        return str(reason.get("code", ""))
    text = str(label)
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


class MatchIndex:
    """Master records held for blocking and scoring; ``add`` them, then ``match``."""

    def __init__(self) -> None:
        self._records: list[MatchRecord] = []
        self._refs: list[Any] = []
        self._by_key: dict[str, list[int]] = {}
        self._by_gram: dict[str, list[int]] = {}
        self._by_postcode: dict[str, list[int]] = {}
        self._by_phone: dict[str, list[int]] = {}
        self._sizes: list[int] = []  # bigrams of the one name, 0 when several names

    def __len__(self) -> int:
        return len(self._records)

    def add(self, record: MatchRecord, ref: Any) -> None:
        position = len(self._records)
        self._records.append(record)
        self._refs.append(ref)
        all_grams = record.grams()
        self._sizes.append(len(all_grams[0]) if len(all_grams) == 1 else 0)
        grams: set[str] = set()
        for key, key_grams in zip(record.names, record.grams(), strict=True):
            self._by_key.setdefault(key, []).append(position)
            grams |= key_grams
        for gram in grams:
            self._by_gram.setdefault(gram, []).append(position)
        if record.postcode:
            self._by_postcode.setdefault(record.postcode, []).append(position)
        if record.phone:
            self._by_phone.setdefault(record.phone, []).append(position)

    def _candidate_positions(self, record: MatchRecord) -> set[int]:
        found: set[int] = set()
        for key, grams in zip(record.names, record.grams(), strict=True):
            found.update(self._by_key.get(key, ()))
            # A name with Dice ≥ t shares at least ⌈t·n / (2 − t)⌉ of the n bigrams: count
            # the shared bigrams through the postings (bigrams too common to count lower
            # the bar by one each), then check the few that pass. A name sharing nothing
            # but very common bigrams is missed here; the same name key, postcode or
            # telephone number still finds it.
            n = len(grams)
            needed = math.ceil(MIN_NAME_SIMILARITY * n / (2 - MIN_NAME_SIMILARITY))
            counts: Counter[int] = Counter()
            common: list[str] = []
            for gram in grams:
                posting = self._by_gram.get(gram)
                if posting is None:
                    continue
                if len(posting) > MAX_POSTING:
                    common.append(gram)
                    continue
                counts.update(posting)
            bar = max(needed - len(common), 1)
            sizes, records = self._sizes, self._records
            for position, count in counts.items():
                if count < bar:
                    continue
                size = sizes[position]
                if not size:  # several names: compare each
                    if dice(grams, self._best_grams(position, grams)) >= MIN_NAME_SIMILARITY:
                        found.add(position)
                    continue
                # The one name's overlap: the counted bigrams and the common ones it has.
                if 2 * (count + len(common)) < MIN_NAME_SIMILARITY * (n + size):
                    continue
                if common:
                    other = records[position].grams()[0]
                    count += sum(1 for gram in common if gram in other)
                if 2 * count >= MIN_NAME_SIMILARITY * (n + size):
                    found.add(position)
        for block in (
            self._by_postcode.get(record.postcode, ()),
            self._by_phone.get(record.phone, ()),
        ):
            if len(block) <= MAX_PLACE_BLOCK:
                found.update(block)
        return found

    def _best_grams(self, position: int, grams: frozenset[str]) -> frozenset[str]:
        options = self._records[position].grams()
        if len(options) == 1:
            return options[0]
        return max(options, key=lambda g: len(g & grams)) if options else frozenset()

    def match(self, record: MatchRecord) -> list[Candidate]:
        """The scored candidates for ``record`` that score at least ``REVIEW``."""
        found = []
        grams = record.grams()
        for position in self._candidate_positions(record):
            other = self._records[position]
            if (
                record.corporate_number
                and other.corporate_number
                and record.corporate_number != other.corporate_number
            ):
                continue
            # Without the same telephone number, a name this far apart cannot reach REVIEW
            # whatever the address says: skip the full score.
            if not (record.phone and record.phone == other.phone):
                closest = max((dice(a, b) for a in grams for b in other.grams()), default=0.0)
                if closest < MIN_PLACE_NAME_SIMILARITY and not _same_key(record, other):
                    continue
            result = score(record, other)
            if result.value >= REVIEW:
                found.append(Candidate(self._refs[position], other, result))
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
