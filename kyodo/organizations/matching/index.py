"""Blocking: :class:`MatchIndex` finds the few master records worth scoring against a
record (the same name key, postcode or telephone number, or a similar name found through
its rare bigrams) and scores them.
"""

from __future__ import annotations

import math
from typing import Any, Final

from .keys import dice
from .scoring import (
    NAME_POINTS,
    POINTS,
    REVIEW,
    Candidate,
    Decision,
    MatchRecord,
    _points,
    decide,
    score,
)

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
