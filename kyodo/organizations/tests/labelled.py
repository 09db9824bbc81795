"""The labelled pairs for linking (tests/data/linking_pairs.csv) and how the matcher does
on them. Built by ``bench/organizations_labelled_set.py``; read by the linking-quality
test and by ``bench/organizations_linking.py``."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kyodo.organizations import matching
from kyodo.organizations.importers.common import read_postcode, split_address

PAIRS = Path(__file__).parent / "data" / "linking_pairs.csv"


def load_pairs(split: str | None = None) -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle))
    return [p for p in pairs if split is None or p["split"] == split]


def records(pair: dict[str, str]) -> tuple[matching.MatchRecord, matching.MatchRecord]:
    """Side A as a master record (with its corporate number), side B as the center-list
    importer reads it (address split, no corporate number)."""
    a = matching.MatchRecord.build(
        name=pair["a_name"],
        name_kana=pair["a_kana"],
        corporate_number=pair["a_corporate_number"],
        postcode=pair["a_postcode"],
        municipality=pair["a_municipality"],
        street=pair["a_street"],
    )
    _prefecture, municipality, street = split_address(pair["b_address"])
    b = matching.MatchRecord.build(
        name=pair["b_name"],
        name_kana=pair["b_kana"],
        corporate_number=pair["b_corporate_number"],
        postcode=read_postcode(pair["b_postcode"]),
        municipality=municipality,
        street=street,
    )
    return a, b


@dataclass
class Metrics:
    """Counts of decisions by label; precision and recall of auto-link and of
    link-or-review."""

    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, decision)
    by_derivation: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, label: str, derivation: str, decision: str) -> None:
        self.decisions[(label, decision)] += 1
        self.by_derivation[(derivation, decision)] += 1

    def _rates(self, positive: set[str]) -> tuple[float, float]:
        true = sum(
            n for (label, d), n in self.decisions.items() if label == "same" and d in positive
        )
        false = sum(
            n for (label, d), n in self.decisions.items() if label == "different" and d in positive
        )
        same = sum(n for (label, _d), n in self.decisions.items() if label == "same")
        precision = true / (true + false) if true + false else 1.0
        recall = true / same if same else 1.0
        return precision, recall

    @property
    def auto_link(self) -> tuple[float, float]:
        return self._rates({matching.LINK})

    @property
    def link_or_review(self) -> tuple[float, float]:
        return self._rates({matching.LINK, matching.REVIEW_DECISION})


def decide_pair(pair: dict[str, str]) -> str:
    a, b = records(pair)
    result = matching.score(b, a)
    candidate = matching.Candidate(ref=1, record=a, score=result)
    return matching.decide([candidate]).kind if result.value >= matching.REVIEW else matching.NEW


def evaluate(pairs: list[dict[str, str]]) -> Metrics:
    metrics = Metrics()
    for pair in pairs:
        metrics.add(pair["label"], pair["derivation"], decide_pair(pair))
    return metrics
