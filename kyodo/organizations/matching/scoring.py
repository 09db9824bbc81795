"""Scores and decisions: the points each agreement or difference is worth, the thresholds,
:class:`MatchRecord` (what is compared of a record), :func:`score` (0–100, with the
reasons) and :func:`decide` (link, review or new).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from .keys import (
    bigrams,
    dice,
    is_extension,
    municipality_key,
    name_key,
    phone_key,
    postcode_key,
    reading_key,
    street_core,
    street_key,
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
