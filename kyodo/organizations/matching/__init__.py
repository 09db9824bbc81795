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

The parts:

- ``keys``: names, readings, addresses and numbers folded for comparison (``name_key``,
  ``street_key``, bigrams and the Dice coefficient);
- ``scoring``: the points and thresholds, ``MatchRecord``, ``score`` and ``decide``;
- ``reasons``: the reasons of a score in words, for the review queue and import reports;
- ``index``: blocking and scoring many records (``MatchIndex``).
"""

from __future__ import annotations

from .index import (
    EXTRA_PROBES,
    FAR_NAME_SIMILARITY,
    FAR_NAME_SIMILARITY_WITH_READING,
    MAX_PLACE_BLOCK,
    MAX_POSTING,
    MIN_NAME_SIMILARITY,
    MIN_PLACE_NAME_SIMILARITY,
    MatchIndex,
    minimum_overlap,
)
from .keys import (
    DISTINGUISHING_WORDS,
    bigrams,
    dice,
    digits,
    is_extension,
    kanji_numerals_to_digits,
    municipality_key,
    name_key,
    phone_key,
    postcode_key,
    reading_key,
    street_core,
    street_key,
    strip_legal_form,
)
from .reasons import (
    REASON_LABELS,
    ambiguous_reason,
    describe,
    reason_label,
)
from .scoring import (
    AMBIGUITY_MARGIN,
    AUTO_LINK,
    CORROBORATING,
    DISTINCTIVE_NAME_LENGTH,
    EXTENSION_PENALTY,
    LINK,
    NAME_POINTS,
    NEW,
    POINTS,
    REVIEW,
    REVIEW_DECISION,
    SHORT_NAME_LENGTH,
    SHORT_NAME_POINTS,
    Candidate,
    Decision,
    MatchRecord,
    Reason,
    Score,
    decide,
    score,
)

__all__ = [
    "AMBIGUITY_MARGIN",
    "AUTO_LINK",
    "CORROBORATING",
    "DISTINCTIVE_NAME_LENGTH",
    "DISTINGUISHING_WORDS",
    "EXTENSION_PENALTY",
    "EXTRA_PROBES",
    "FAR_NAME_SIMILARITY",
    "FAR_NAME_SIMILARITY_WITH_READING",
    "LINK",
    "MAX_PLACE_BLOCK",
    "MAX_POSTING",
    "MIN_NAME_SIMILARITY",
    "MIN_PLACE_NAME_SIMILARITY",
    "NAME_POINTS",
    "NEW",
    "POINTS",
    "REASON_LABELS",
    "REVIEW",
    "REVIEW_DECISION",
    "SHORT_NAME_LENGTH",
    "SHORT_NAME_POINTS",
    "Candidate",
    "Decision",
    "MatchIndex",
    "MatchRecord",
    "Reason",
    "Score",
    "ambiguous_reason",
    "bigrams",
    "decide",
    "describe",
    "dice",
    "digits",
    "is_extension",
    "kanji_numerals_to_digits",
    "minimum_overlap",
    "municipality_key",
    "name_key",
    "phone_key",
    "postcode_key",
    "reading_key",
    "reason_label",
    "score",
    "street_core",
    "street_key",
    "strip_legal_form",
]
