"""The labelled set of event pairs that measures the coordination check."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from kyodo.events.coordination import Features, compare, is_clash

PAIRS_FILE = Path(__file__).resolve().parent / "data" / "coordination_pairs.csv"


@dataclass
class Evaluation:
    total: int = 0
    positives: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    mistakes: list[tuple[str, int, int, float]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0


def _features(row: dict[str, str], side: str) -> Features:
    def split(value: str) -> list[str]:
        return [v for v in value.split("|") if v]

    return Features.build(
        key=f"{row['id']}{side}",
        title=row[f"{side}_title"],
        audiences=split(row[f"{side}_audiences"]),
        topics=split(row[f"{side}_topics"]),
        dates=[datetime.date.fromisoformat(d) for d in row[f"{side}_dates"].split()],
        kind=row.get(f"{side}_kind") or "",
    )


def load_pairs(path: Path = PAIRS_FILE) -> list[tuple[str, Features, Features, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["id"], _features(row, "a"), _features(row, "b"), int(row["clash"]))
            for row in csv.DictReader(handle)
        ]


def evaluate(path: Path = PAIRS_FILE) -> Evaluation:
    result = Evaluation()
    for row_id, a, b, label in load_pairs(path):
        match = compare(a, b)
        predicted = int(is_clash(match))
        result.total += 1
        result.positives += label
        if predicted and label:
            result.true_positives += 1
        elif predicted:
            result.false_positives += 1
        elif label:
            result.false_negatives += 1
        if predicted != label:
            result.mistakes.append((row_id, label, predicted, match.score if match else 0.0))
    return result
